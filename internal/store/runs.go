package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// RunSummary is one import run as the import history lists it.
type RunSummary struct {
	ImportRun
	ShopName string
	ShopTZ   string
}

// ImportRuns lists the most recent import runs (newest first), at most limit.
func (s *Store) ImportRuns(ctx context.Context, limit int) ([]RunSummary, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.shop_id, r.file_name, r.kind, r.encoding, r.started_at, r.finished_at,
		r.rows_added, r.rows_updated, r.rows_unchanged, r.rows_rejected, s.name, s.tz
		FROM import_runs r JOIN shops s ON s.id = r.shop_id ORDER BY r.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: import runs: %w", err)
	}
	defer rows.Close()
	var out []RunSummary
	for rows.Next() {
		var r RunSummary
		if err := rows.Scan(&r.ID, &r.ShopID, &r.FileName, &r.Kind, &r.Encoding, &r.StartedAt, &r.FinishedAt,
			&r.Added, &r.Updated, &r.Unchanged, &r.Rejected, &r.ShopName, &r.ShopTZ); err != nil {
			return nil, fmt.Errorf("store: import runs: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FirstRejects lists at most n rejected rows of an import run in file order
// (the import report shows a few; the CSV download has them all).
func (s *Store) FirstRejects(ctx context.Context, runID int64, n int) ([]Reject, error) {
	return s.rejects(ctx, runID, n)
}

// ShopUpdate is what the settings page may change about a shop.
type ShopUpdate struct {
	Name     string
	Platform string
	TZ       string
	Window   kpi.Window // ms since local midnight, Start < End ≤ 24 h
}

// ErrInvalid wraps a setting the user typed that cannot be accepted; its
// message (after the prefix) is Chinese and meant to be shown.
var ErrInvalid = errors.New("无效的设置")

func invalid(msg string) error { return fmt.Errorf("%w：%s", ErrInvalid, msg) }

// UpdateShop changes a shop's name, platform, time zone and service window.
// When the time zone or the window changed, every derived fact and aggregate
// of the shop is recomputed in the same transaction (they depend on both), so
// the pages never see the new settings with the old numbers. It reports
// whether it recomputed. A name already taken is ErrDuplicate.
func (s *Store) UpdateShop(ctx context.Context, id int64, u ShopUpdate) (recomputed bool, err error) {
	u.Name = kpi.NormalizeName(u.Name)
	u.TZ = strings.TrimSpace(u.TZ)
	switch {
	case u.Name == "":
		return false, invalid("店铺名称不能为空")
	case !ValidPlatform(u.Platform):
		return false, invalid(fmt.Sprintf("未知平台 %q", u.Platform))
	case u.Window.Start < 0 || u.Window.End > 24*3600*1000 || u.Window.Start >= u.Window.End:
		return false, invalid("服务时段的开始时间必须早于结束时间（00:00–24:00）")
	}
	if u.TZ == "" {
		return false, invalid("时区不能为空，例如 Asia/Shanghai")
	}
	if _, err := time.LoadLocation(u.TZ); err != nil {
		return false, invalid(fmt.Sprintf("时区 %q 无法识别，请填写 IANA 时区名，例如 Asia/Shanghai", u.TZ))
	}
	old, err := scanShop(s.read.QueryRowContext(ctx, `SELECT `+shopColumns+` FROM shops WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, err
	}
	var taken int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM shops WHERE name = ? AND id != ?`, u.Name, id).Scan(&taken); err != nil {
		return false, err
	}
	if taken > 0 {
		return false, ErrDuplicate
	}
	update := func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE shops SET name = ?, platform = ?, tz = ?, window_start_ms = ?, window_end_ms = ? WHERE id = ?`,
			u.Name, u.Platform, u.TZ, u.Window.Start, u.Window.End, id)
		if err != nil {
			return fmt.Errorf("store: update shop: %w", err)
		}
		return nil
	}
	if old.TZ == u.TZ && old.Window == u.Window {
		tx, err := s.write.BeginTx(ctx, nil)
		if err != nil {
			return false, err
		}
		defer tx.Rollback()
		if err := update(tx); err != nil {
			return false, err
		}
		if err := tx.Commit(); err != nil {
			return false, err
		}
		return false, s.RefreshAlerts(ctx, u.Name) // the platform's rules may have changed
	}
	if err := s.recomputeWith(ctx, u.Name, update); err != nil {
		return true, err
	}
	return true, s.RefreshAlerts(ctx, u.Name)
}

// Backup writes a consistent copy of the whole database to path (which must
// not exist) with VACUUM INTO: a snapshot as of one read transaction, taken
// while imports and pages carry on (WAL), compacted, without the WAL.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s already exists", path)
	}
	// A connection of its own: the read pool is query_only, and the single
	// write connection would hold imports up for as long as the copy takes.
	db, err := sql.Open("sqlite", dsn(s.path, true))
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup: %w", err)
	}
	return db.Close()
}
