package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// ImportRun is one recorded import.
type ImportRun struct {
	ID         int64
	ShopID     int64
	FileName   string
	Kind       string
	Encoding   string
	Header     []string
	StartedAt  int64
	FinishedAt int64
	Counts
}

// ImportRunByID reads one import run.
func (s *Store) ImportRunByID(ctx context.Context, id int64) (*ImportRun, error) {
	var r ImportRun
	var header string
	err := s.read.QueryRowContext(ctx, `SELECT id, shop_id, file_name, kind, encoding, header, started_at, finished_at,
		rows_added, rows_updated, rows_unchanged, rows_rejected FROM import_runs WHERE id = ?`, id).
		Scan(&r.ID, &r.ShopID, &r.FileName, &r.Kind, &r.Encoding, &header, &r.StartedAt, &r.FinishedAt,
			&r.Added, &r.Updated, &r.Unchanged, &r.Rejected)
	if err != nil {
		return nil, fmt.Errorf("store: import run %d: %w", id, err)
	}
	if err := json.Unmarshal([]byte(header), &r.Header); err != nil {
		return nil, fmt.Errorf("store: import run %d header: %w", id, err)
	}
	return &r, nil
}

// Rejects lists the rejected rows of an import run in file order.
func (s *Store) Rejects(ctx context.Context, runID int64) ([]Reject, error) {
	return s.rejects(ctx, runID, -1)
}

// rejects reads at most limit rows (-1: all, SQLite's "no limit").
func (s *Store) rejects(ctx context.Context, runID int64, limit int) ([]Reject, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT row, col, value, reason, raw FROM import_rejects WHERE import_id = ? ORDER BY row LIMIT ?`, runID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: rejects of run %d: %w", runID, err)
	}
	defer rows.Close()
	var out []Reject
	for rows.Next() {
		var r Reject
		var raw string
		if err := rows.Scan(&r.Row, &r.Column, &r.Value, &r.Reason, &raw); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(raw), &r.Raw); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
