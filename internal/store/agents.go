package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Agent is a customer-service agent of a shop, named as in the data.
type Agent struct {
	ID     int64
	ShopID int64
	Name   string
	Shift  string // 早班, 晚班, … ("" = not set)
	// MergedInto is the agent this name is merged into (0 = none): its
	// numbers count there (merge.go).
	MergedInto int64
}

// Shifts are the shift names the settings page offers.
var Shifts = []string{"早班", "晚班", "全天"}

// Agents lists a shop's agents by name.
func (s *Store) Agents(ctx context.Context, shopID int64) ([]Agent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, shop_id, name, shift, COALESCE(merged_into, 0) FROM agents WHERE shop_id = ? ORDER BY name`, shopID)
	if err != nil {
		return nil, fmt.Errorf("store: agents: %w", err)
	}
	defer rows.Close()
	var out []Agent
	for rows.Next() {
		var a Agent
		if err := rows.Scan(&a.ID, &a.ShopID, &a.Name, &a.Shift, &a.MergedInto); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AgentByID returns one agent or ErrNotFound.
func (s *Store) AgentByID(ctx context.Context, id int64) (*Agent, error) {
	var a Agent
	err := s.read.QueryRowContext(ctx, `SELECT id, shop_id, name, shift, COALESCE(merged_into, 0) FROM agents WHERE id = ?`, id).Scan(&a.ID, &a.ShopID, &a.Name, &a.Shift, &a.MergedInto)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &a, err
}

// AgentByName finds an agent of a shop by its name in the data.
func (s *Store) AgentByName(ctx context.Context, shopID int64, name string) (*Agent, error) {
	var a Agent
	err := s.read.QueryRowContext(ctx, `SELECT id, shop_id, name, shift, COALESCE(merged_into, 0) FROM agents WHERE shop_id = ? AND name = ?`,
		shopID, strings.TrimSpace(name)).Scan(&a.ID, &a.ShopID, &a.Name, &a.Shift, &a.MergedInto)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &a, err
}

// SetAgentShift records an agent's shift (the league's filter, shift
// targets, the targets page's per-shift column). It moves the shop's data
// version: memoised pages that group by shift must not show the old one.
func (s *Store) SetAgentShift(ctx context.Context, id int64, shift string) error {
	return s.withWrite(ctx, func(tx *sql.Tx) error {
		var shopID int64
		err := tx.QueryRowContext(ctx, `UPDATE agents SET shift = ? WHERE id = ? RETURNING shop_id`, strings.TrimSpace(shift), id).Scan(&shopID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("store: set shift: %w", err)
		}
		return bumpVersion(ctx, tx, shopID)
	})
}
