package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Agent merges: the owner says two names in the data are one person
// ("店铺:小迪" in the platform report, "小迪" in the chats). Raw rows keep the
// agent they were imported with; the engine credits every row of a merged
// agent to the agent it is merged into, so after a merge (or an undo) the
// shop is recomputed and every number follows. Platform reports are mapped
// the same way when read.

// loadMerges reads a shop's merged agents: merged id → the id it is merged into.
func loadMerges(ctx context.Context, tx *sql.Tx, shopID int64) (map[int64]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, merged_into FROM agents WHERE shop_id = ? AND merged_into IS NOT NULL`, shopID)
	if err != nil {
		return nil, fmt.Errorf("store: agent merges: %w", err)
	}
	defer rows.Close()
	m := map[int64]int64{}
	for rows.Next() {
		var id, into int64
		if err := rows.Scan(&id, &into); err != nil {
			return nil, err
		}
		m[id] = into
	}
	return m, rows.Err()
}

// canonical is the agent an agent's rows are credited to.
func (st *shopState) canonical(id int64) int64 {
	if into, ok := st.canon[id]; ok {
		return into
	}
	return id
}

// ErrMergeSelf refuses merging an agent into itself (or into an agent merged into it).
var ErrMergeSelf = errors.New("不能把客服合并到自己")

// MergeAgents merges agent from into agent into (same shop): from's rows,
// and those of agents already merged into from, count as into's from now
// on. Sign-ins linked to from see into's page. The shop is recomputed in the
// same transaction.
func (s *Store) MergeAgents(ctx context.Context, from, into int64) error {
	a, err := s.AgentByID(ctx, from)
	if err != nil {
		return err
	}
	b, err := s.AgentByID(ctx, into)
	if err != nil {
		return err
	}
	if a.ShopID != b.ShopID {
		return errors.New("只能合并同一店铺的客服")
	}
	if b.MergedInto != 0 { // merge into the final agent, never build a chain
		into = b.MergedInto
	}
	if into == from {
		return ErrMergeSelf
	}
	name, err := s.shopName(ctx, a.ShopID)
	if err != nil {
		return err
	}
	return s.recomputeWith(ctx, name, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE agents SET merged_into = ? WHERE id = ? OR merged_into = ?`, into, from, from); err != nil {
			return fmt.Errorf("store: merge agents: %w", err)
		}
		return nil
	})
}

// UnmergeAgent undoes a merge: the agent's rows count as its own again.
func (s *Store) UnmergeAgent(ctx context.Context, id int64) error {
	a, err := s.AgentByID(ctx, id)
	if err != nil {
		return err
	}
	if a.MergedInto == 0 {
		return nil
	}
	name, err := s.shopName(ctx, a.ShopID)
	if err != nil {
		return err
	}
	return s.recomputeWith(ctx, name, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE agents SET merged_into = NULL WHERE id = ?`, id); err != nil {
			return fmt.Errorf("store: unmerge agent: %w", err)
		}
		return nil
	})
}

// CanonicalAgent is the agent id an agent's numbers are shown under.
func (s *Store) CanonicalAgent(ctx context.Context, id int64) (int64, error) {
	var into sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT merged_into FROM agents WHERE id = ?`, id).Scan(&into)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil || !into.Valid {
		return id, err
	}
	return into.Int64, nil
}

func (s *Store) shopName(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.read.QueryRowContext(ctx, `SELECT name FROM shops WHERE id = ?`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return name, err
}
