package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
)

// Distinct buyer counts cannot be added up across days, so for each day and
// agent the store keeps the set of buyers (daily_buyers) and a report unions
// the sets of its period.

const (
	setConsulting = 0
	setPaying     = 1
)

// buyerSetSources say where each set's members come from; each is rebuilt with
// its aggregate family.
var buyerSetSources = []struct {
	kind int
	fam  family
	sql  string
}{
	{setConsulting, famBuyerDays, `SELECT day, last_agent_id, buyer_id FROM buyer_days
		WHERE shop_id = ?1 AND in_window = 1 AND day IN (SELECT day FROM temp.dirty WHERE fam = ?2) ORDER BY day, last_agent_id, buyer_id`},
	{setPaying, famOrders, `SELECT paid_day, credited_agent_id, buyer_id FROM orders
		WHERE shop_id = ?1 AND NOT no_buyer AND paid_day IN (SELECT day FROM temp.dirty WHERE fam = ?2) ORDER BY paid_day, credited_agent_id, buyer_id`},
}

// encodeSet delta-encodes ascending ids as uvarints (duplicates dropped).
func encodeSet(ids []int64) []byte {
	out := make([]byte, 0, len(ids)*2)
	var prev int64
	for i, id := range ids {
		if i > 0 && id == prev {
			continue
		}
		out = binary.AppendUvarint(out, uint64(id-prev))
		prev = id
	}
	return out
}

// decodeSet calls fn for every id of an encoded set.
func decodeSet(b []byte, fn func(int64)) error {
	var prev int64
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			return errors.New("store: corrupt buyer set")
		}
		prev += int64(d)
		fn(prev)
		b = b[n:]
	}
	return nil
}

// rebuildBuyerSets replaces the buyer sets of the dirty days of their families.
func (t *ImportTx) rebuildBuyerSets(st *shopState) error {
	for _, src := range buyerSetSources {
		if len(st.dirty[src.fam]) == 0 {
			continue
		}
		if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM daily_buyers WHERE shop_id = ?1 AND kind = ?3
			AND day IN (SELECT day FROM temp.dirty WHERE fam = ?2)`, st.shop.ID, int64(src.fam), src.kind); err != nil {
			return fmt.Errorf("store: buyer sets: %w", err)
		}
		rows, err := t.tx.QueryContext(t.ctx, src.sql, st.shop.ID, int64(src.fam))
		if err != nil {
			return fmt.Errorf("store: buyer sets: %w", err)
		}
		ins := newBatchInsert(t.ctx, t.tx, "daily_buyers", "shop_id", "kind", "day", "agent_id", "buyers")
		var ids []int64
		curDay, curAgent := int64(-1), int64(-1)
		flush := func() error {
			if len(ids) == 0 {
				return nil
			}
			err := ins.add(st.shop.ID, src.kind, curDay, curAgent, encodeSet(ids))
			ids = ids[:0]
			return err
		}
		for rows.Next() {
			var day, agent, buyer int64
			if err := rows.Scan(&day, &agent, &buyer); err != nil {
				rows.Close()
				return err
			}
			if day != curDay || agent != curAgent {
				if err := flush(); err != nil {
					rows.Close()
					return err
				}
				curDay, curAgent = day, agent
			}
			ids = append(ids, buyer)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
		if err := ins.close(); err != nil {
			return err
		}
	}
	return nil
}

// distinctBuyers counts, over [from, to], the distinct buyers of each set kind
// per agent and for the whole shop (key -1).
func (s *Store) distinctBuyers(ctx context.Context, shopID int64, from, to int64) (map[int]map[int64]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT kind, agent_id, buyers FROM daily_buyers
		WHERE shop_id = ? AND kind IN (0, 1) AND day BETWEEN ? AND ?`, shopID, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: distinct buyers: %w", err)
	}
	defer rows.Close()
	type key struct {
		kind  int
		agent int64
	}
	sets := map[key]map[int64]struct{}{}
	member := func(k key) map[int64]struct{} {
		m := sets[k]
		if m == nil {
			m = map[int64]struct{}{}
			sets[k] = m
		}
		return m
	}
	for rows.Next() {
		var kind int
		var agent int64
		var blob []byte
		if err := rows.Scan(&kind, &agent, &blob); err != nil {
			return nil, err
		}
		mine, all := member(key{kind, agent}), member(key{kind, -1})
		if err := decodeSet(blob, func(id int64) {
			mine[id] = struct{}{}
			all[id] = struct{}{}
		}); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[int]map[int64]int64{setConsulting: {}, setPaying: {}}
	for k, m := range sets {
		out[k.kind][k.agent] = int64(len(m))
	}
	return out, nil
}
