package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Recompute rebuilds every derived column, fact and aggregate of a shop from
// its raw rows — after a change of time zone, service window or word lists,
// and as the reference an incremental import must agree with.
func (s *Store) Recompute(ctx context.Context, shopName string) error {
	if err := s.recomputeWith(ctx, shopName, nil); err != nil {
		return err
	}
	return s.RefreshAlerts(ctx, shopName)
}

// recomputeWith runs before (when not nil; a settings change, say) and the
// recompute in one transaction.
func (s *Store) recomputeWith(ctx context.Context, shopName string, before func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin recompute: %w", err)
	}
	t := newTx(ctx, s, tx)
	defer func() {
		for _, st := range t.stmts {
			st.Close()
		}
		tx.Rollback()
	}()
	if before != nil {
		if err := before(tx); err != nil {
			return err
		}
	}
	sh, err := shopByName(ctx, tx, shopName)
	if err != nil {
		return err
	}
	st := newShopState(sh)
	st.full = true
	if st.canon, err = loadMerges(ctx, tx, sh.ID); err != nil {
		return err
	}
	// Start from nothing derived: credits are reset (orders to -1, so every
	// order's computed credit counts as changed and reaches its linked rows).
	for _, q := range []string{
		`DELETE FROM daily_stats WHERE shop_id = ?`, `DELETE FROM hourly_resp WHERE shop_id = ?`, `DELETE FROM daily_buyers WHERE shop_id = ?`,
		`DELETE FROM resp_facts WHERE shop_id = ?`, `DELETE FROM buyer_days WHERE shop_id = ?`,
		`UPDATE orders SET credited_agent_id = -1, converted_day = NULL WHERE shop_id = ?`,
		`UPDATE refunds SET credited_agent_id = COALESCE((SELECT COALESCE(a.merged_into, a.id) FROM agents a WHERE a.id = refunds.agent_id), 0) WHERE shop_id = ?`,
		`UPDATE complaints SET credited_agent_id = COALESCE((SELECT COALESCE(a.merged_into, a.id) FROM agents a WHERE a.id = complaints.agent_id), 0) WHERE shop_id = ?`,
		`UPDATE reviews SET credited_agent_id = 0 WHERE shop_id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, sh.ID); err != nil {
			return fmt.Errorf("store: recompute: %w", err)
		}
	}
	if err := t.refreshDerived(st); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM buyers WHERE shop_id = ?`, sh.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		add(st.affected, id)
		add(st.msgBuyers, id)
		add(st.reviewBuyers, id)
	}
	rows.Close()
	if err := t.markAllDays(st); err != nil {
		return err
	}
	if err := t.recompute(st); err != nil {
		return err
	}
	return tx.Commit()
}

// markAllDays marks every day of every family dirty.
func (t *ImportTx) markAllDays(st *shopState) error {
	for _, src := range rollupSources {
		if src.table == "resp_facts" || src.table == "buyer_days" {
			continue // rebuilt whole: their new days are marked as they are written
		}
		rows, err := t.tx.QueryContext(t.ctx, `SELECT DISTINCT `+src.day+` FROM `+src.table+` WHERE shop_id = ? AND `+src.day+` IS NOT NULL`, st.shop.ID)
		if err != nil {
			return fmt.Errorf("store: days of %s: %w", src.table, err)
		}
		for rows.Next() {
			var d kpi.Day
			if err := rows.Scan(&d); err != nil {
				rows.Close()
				return err
			}
			st.dirty[src.fam][d] = struct{}{}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// refreshDerived recomputes the day columns (time zone) and the flags that
// come from word lists (cancelled, quality) of every row of the shop.
func (t *ImportTx) refreshDerived(st *shopState) error {
	c := st.clock
	day := func(ms sql.NullInt64) any {
		if !ms.Valid || ms.Int64 == 0 {
			return nil
		}
		return int64(c.DayOf(kpi.Millis(ms.Int64)))
	}
	type job struct {
		sel  string
		upd  string
		vals func(scan func(...any) error) ([]any, error)
	}
	jobs := []job{
		{`SELECT id, paid_at, status, shipped_at, picked_up_at, delivered_at FROM orders WHERE shop_id = ?`,
			`UPDATE orders SET cancelled = ?, paid_day = ?, ship_day = ?, deliv_day = ? WHERE id = ?`,
			func(scan func(...any) error) ([]any, error) {
				var id int64
				var status string
				var paid, ship, pick, deliv sql.NullInt64
				if err := scan(&id, &paid, &status, &ship, &pick, &deliv); err != nil {
					return nil, err
				}
				o := kpi.Order{PaidAt: kpi.Millis(paid.Int64), Status: status, ShippedAt: kpi.Millis(ship.Int64),
					PickedUpAt: kpi.Millis(pick.Int64), DeliveredAt: kpi.Millis(deliv.Int64)}
				p, s, d := orderDays(c, &o)
				return []any{kpi.IsCancelled(status), p, s, d, id}, nil
			}},
		{`SELECT id, status, requested_at, completed_at, reason, inferred FROM refunds WHERE shop_id = ?`,
			`UPDATE refunds SET quality = ?, req_day = ?, done_day = ? WHERE id = ?`,
			func(scan func(...any) error) ([]any, error) {
				var id, status int64
				var req, done sql.NullInt64
				var reason string
				var inferred bool
				if err := scan(&id, &status, &req, &done, &reason, &inferred); err != nil {
					return nil, err
				}
				var doneDay any
				if kpi.RefundStatus(status) == kpi.RefundSuccess {
					doneDay = day(done)
					if inferred {
						doneDay = day(req) // see ImportTx.inferRefund
					}
				}
				return []any{kpi.IsQualityReason(reason), day(req), doneDay, id}, nil
			}},
		{`SELECT id, created_at FROM reviews WHERE shop_id = ?`, `UPDATE reviews SET day = ? WHERE id = ?`,
			func(scan func(...any) error) ([]any, error) {
				var id int64
				var at sql.NullInt64
				err := scan(&id, &at)
				return []any{day(at), id}, err
			}},
		{`SELECT id, created_at FROM complaints WHERE shop_id = ?`, `UPDATE complaints SET day = ? WHERE id = ?`,
			func(scan func(...any) error) ([]any, error) {
				var id int64
				var at sql.NullInt64
				err := scan(&id, &at)
				return []any{day(at), id}, err
			}},
	}
	for _, j := range jobs {
		// Read all first: updating a table while stepping through it is not
		// something to rely on in SQLite.
		rows, err := t.tx.QueryContext(t.ctx, j.sel, st.shop.ID)
		if err != nil {
			return fmt.Errorf("store: refresh derived: %w", err)
		}
		var updates [][]any
		for rows.Next() {
			v, err := j.vals(rows.Scan)
			if err != nil {
				rows.Close()
				return fmt.Errorf("store: refresh derived: %w", err)
			}
			updates = append(updates, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, u := range updates {
			if _, err := t.exec(j.upd, u...); err != nil {
				return fmt.Errorf("store: refresh derived: %w", err)
			}
		}
	}
	return nil
}
