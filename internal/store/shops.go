package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Platforms are the shop platforms kefuboard knows the rules of.
var Platforms = []string{"pdd", "taobao", "tmall", "jd", "douyin", "other"}

// ValidPlatform reports whether p is one of Platforms.
func ValidPlatform(p string) bool {
	for _, x := range Platforms {
		if x == p {
			return true
		}
	}
	return false
}

// Shop is one shop and the settings its metrics depend on.
type Shop struct {
	ID          int64
	Name        string
	Platform    string
	TZ          string
	Window      kpi.Window
	DataVersion int64
	loc         *time.Location
}

// Location is the shop's time zone.
func (s *Shop) Location() *time.Location { return s.loc }

// Engine returns the metric engine configured for this shop.
func (s *Shop) Engine() *kpi.Engine {
	return &kpi.Engine{Clock: kpi.Clock{Loc: s.loc}, Window: s.Window}
}

// ErrNotFound is returned when a named thing does not exist.
var ErrNotFound = errors.New("not found")

// ShopSettings are what a user chooses for a new shop.
type ShopSettings struct {
	Platform string // "" = other
	TZ       string // "" = Asia/Shanghai
}

const shopColumns = `id, name, platform, tz, window_start_ms, window_end_ms, data_version`

type rowScanner interface{ Scan(...any) error }

func scanShop(r rowScanner) (*Shop, error) {
	var s Shop
	if err := r.Scan(&s.ID, &s.Name, &s.Platform, &s.TZ, &s.Window.Start, &s.Window.End, &s.DataVersion); err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(s.TZ)
	if err != nil {
		return nil, fmt.Errorf("store: shop %s: time zone %q: %w", s.Name, s.TZ, err)
	}
	s.loc = loc
	return &s, nil
}

// ShopByName finds a shop; ErrNotFound if there is none.
func (s *Store) ShopByName(ctx context.Context, name string) (*Shop, error) {
	return shopByName(ctx, s.read, name)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func shopByName(ctx context.Context, q querier, name string) (*Shop, error) {
	sh, err := scanShop(q.QueryRowContext(ctx, `SELECT `+shopColumns+` FROM shops WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("shop %q: %w", name, ErrNotFound)
	}
	return sh, err
}

// Shops lists every shop by name.
func (s *Store) Shops(ctx context.Context) ([]*Shop, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+shopColumns+` FROM shops ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: list shops: %w", err)
	}
	defer rows.Close()
	var out []*Shop
	for rows.Next() {
		sh, err := scanShop(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// EnsureShop returns the shop of that name, creating it with the settings on
// first use. Settings of an existing shop are left as they are.
func (s *Store) EnsureShop(ctx context.Context, name string, set ShopSettings) (*Shop, error) {
	return ensureShop(ctx, s.write, name, set)
}

func ensureShop(ctx context.Context, q querier, name string, set ShopSettings) (*Shop, error) {
	name = kpi.NormalizeName(name)
	if name == "" {
		return nil, errors.New("store: shop name is empty")
	}
	if set.Platform == "" {
		set.Platform = "other"
	}
	if !ValidPlatform(set.Platform) {
		return nil, fmt.Errorf("store: unknown platform %q (want one of %v)", set.Platform, Platforms)
	}
	if set.TZ == "" {
		set.TZ = "Asia/Shanghai"
	}
	if _, err := time.LoadLocation(set.TZ); err != nil {
		return nil, fmt.Errorf("store: time zone %q: %w", set.TZ, err)
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO shops (name, platform, tz, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
		name, set.Platform, set.TZ, time.Now().UnixMilli()); err != nil {
		return nil, fmt.Errorf("store: create shop %s: %w", name, err)
	}
	return shopByName(ctx, q, name)
}
