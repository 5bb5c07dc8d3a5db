package store

import (
	"database/sql"
	"fmt"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// recompute brings every derived fact and aggregate of one shop up to date
// after an import changed rows.
//
// Correctness rests on one property of METRICS.md: every fact depends only on
// rows of one buyer (replies, unreplied credit, after-sale look-back,
// conversion, the DSR cap) or on an order's credit (refunds, reviews,
// complaints). So the facts of the buyers whose messages or orders changed are
// replaced whole; an order whose credit changed passes it to the rows linked to
// it; and each aggregate family is rebuilt for every day its facts touched,
// before or after.
func (t *ImportTx) recompute(st *shopState) error {
	steps := []func(*shopState) error{t.prepareTemp, t.computeBuyers, t.creditLinked, t.rankDSR, t.rebuildAggregates, t.rebuildBuyerSets, t.syncCases, t.scanRisks, t.refreshRecords}
	for _, step := range steps {
		if err := step(st); err != nil {
			return err
		}
	}
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE shops SET data_version = data_version + 1 WHERE id = ?`, st.shop.ID); err != nil {
		return fmt.Errorf("store: bump data version: %w", err)
	}
	return nil
}

// prepareTemp fills temp.affected (msgs = 1: messages changed too) and
// empties the other temp tables.
func (t *ImportTx) prepareTemp(st *shopState) error {
	for _, q := range []string{
		`CREATE TEMP TABLE IF NOT EXISTS affected (buyer_id INTEGER PRIMARY KEY, msgs INTEGER NOT NULL)`,
		`CREATE TEMP TABLE IF NOT EXISTS dirty (fam INTEGER NOT NULL, day INTEGER NOT NULL, PRIMARY KEY (fam, day))`,
		`CREATE TEMP TABLE IF NOT EXISTS changed_orders (order_id TEXT PRIMARY KEY, credit INTEGER NOT NULL)`,
		`DELETE FROM temp.affected`, `DELETE FROM temp.dirty`, `DELETE FROM temp.changed_orders`,
	} {
		if _, err := t.tx.ExecContext(t.ctx, q); err != nil {
			return fmt.Errorf("store: temp tables: %w", err)
		}
	}
	ins := newBatchInsert(t.ctx, t.tx, "temp.affected", "buyer_id", "msgs")
	for b := range st.affected {
		_, msgs := st.msgBuyers[b]
		if err := ins.add(b, msgs); err != nil {
			return err
		}
	}
	return ins.close()
}

// markAndDelete marks the days of the facts about to be replaced dirty, then deletes them.
func (t *ImportTx) markAndDelete(st *shopState, f family, table, who string) error {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT DISTINCT day FROM `+table+` WHERE shop_id = ? AND buyer_id IN (`+who+`)`, st.shop.ID)
	if err != nil {
		return fmt.Errorf("store: old %s: %w", table, err)
	}
	for rows.Next() {
		var d kpi.Day
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return err
		}
		st.dirty[f][d] = struct{}{}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = t.tx.ExecContext(t.ctx, `DELETE FROM `+table+` WHERE shop_id = ? AND buyer_id IN (`+who+`)`, st.shop.ID)
	return err
}

// computeBuyers runs the engine over each affected buyer's messages and orders.
// Orders are loaded first (a small share of the rows); messages stream in
// buyer, message order from the covering index.
func (t *ImportTx) computeBuyers(st *shopState) error {
	if len(st.affected) == 0 {
		return nil
	}
	if err := t.markAndDelete(st, famResp, "resp_facts", `SELECT buyer_id FROM temp.affected WHERE msgs = 1`); err != nil {
		return err
	}
	if err := t.markAndDelete(st, famBuyerDays, "buyer_days", `SELECT buyer_id FROM temp.affected`); err != nil {
		return err
	}
	orders, err := t.loadOrders(st)
	if err != nil {
		return err
	}
	// CROSS JOIN keeps temp.affected the outer loop (SQLite never reorders
	// it): buyers in id order, each buyer's messages in (sent_at, id) order
	// straight from the covering index, so nothing is sorted. A plain JOIN
	// let the planner, without statistics on the temp table, scan every
	// message of the shop and sort them all in memory (RSS grew with the file).
	rows, err := t.tx.QueryContext(t.ctx, `SELECT a.buyer_id, a.msgs, m.id, m.sent_at, m.role, COALESCE(m.agent_id, 0), m.stage
		FROM temp.affected a CROSS JOIN messages m ON m.shop_id = ? AND m.buyer_id = a.buyer_id
		ORDER BY a.buyer_id, m.sent_at, m.id`, st.shop.ID)
	if err != nil {
		return fmt.Errorf("store: read messages: %w", err)
	}
	defer rows.Close()
	w := newFactWriter(t, st)
	eng := st.shop.Engine()
	var facts kpi.BuyerFacts
	var msgs []kpi.Msg
	cur, curMsgs := int64(-1), false
	flush := func() error {
		if cur < 0 {
			return nil
		}
		bo := orders[cur]
		delete(orders, cur)
		var ords []kpi.Ord
		if bo != nil {
			ords = bo.ords
		}
		eng.ComputeBuyer(msgs, ords, &facts)
		return w.write(cur, curMsgs, &facts, bo)
	}
	for rows.Next() {
		var b int64
		var changed bool
		var m kpi.Msg
		var role, stage int64
		if err := rows.Scan(&b, &changed, &m.Seq, &m.SentAt, &role, &m.Agent, &stage); err != nil {
			return fmt.Errorf("store: read messages: %w", err)
		}
		m.Agent = st.canonical(m.Agent) // merged agents count as the agent they are merged into
		m.Role, m.Stage = kpi.Role(role), kpi.Stage(stage)
		if b != cur {
			if err := flush(); err != nil {
				return err
			}
			cur, curMsgs, msgs = b, changed, msgs[:0]
		}
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: read messages: %w", err)
	}
	if err := flush(); err != nil {
		return err
	}
	// Buyers with orders and no messages: their orders are credited by the
	// agent column alone.
	for b, bo := range orders {
		eng.ComputeBuyer(nil, bo.ords, &facts)
		if err := w.write(b, false, &facts, bo); err != nil {
			return err
		}
	}
	return w.close()
}

// buyerOrders are an affected buyer's orders with what is stored of them now,
// so only orders whose credit really changes are written and passed on.
type buyerOrders struct {
	ords []kpi.Ord
	old  []storedOrder
}

type storedOrder struct {
	orderID             string
	credit              int64
	converted           sql.NullInt64
	paid, ship, deliver sql.NullInt64
}

func (t *ImportTx) loadOrders(st *shopState) (map[int64]*buyerOrders, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT buyer_id, id, COALESCE(paid_at, 0), cancelled, COALESCE(agent_id, 0),
		order_id, credited_agent_id, converted_day, paid_day, ship_day, deliv_day
		FROM orders WHERE shop_id = ? AND buyer_id IN (SELECT buyer_id FROM temp.affected)`, st.shop.ID)
	if err != nil {
		return nil, fmt.Errorf("store: read orders: %w", err)
	}
	defer rows.Close()
	out := map[int64]*buyerOrders{}
	for rows.Next() {
		var b int64
		var o kpi.Ord
		var s storedOrder
		if err := rows.Scan(&b, &o.ID, &o.PaidAt, &o.Cancelled, &o.Agent,
			&s.orderID, &s.credit, &s.converted, &s.paid, &s.ship, &s.deliver); err != nil {
			return nil, fmt.Errorf("store: read orders: %w", err)
		}
		o.Agent = st.canonical(o.Agent)
		bo := out[b]
		if bo == nil {
			bo = &buyerOrders{}
			out[b] = bo
		}
		bo.ords = append(bo.ords, o)
		bo.old = append(bo.old, s)
	}
	return out, rows.Err()
}

// creditLinked passes each changed order credit on to the refunds and
// complaints that name no agent of their own, and to reviews, marking the days
// of every row whose credit changes.
func (t *ImportTx) creditLinked(st *shopState) error {
	jobs := []struct {
		f     family
		table string
		own   string // rows with their own agent keep it
		days  string
	}{
		{famRefunds, "refunds", "x.agent_id IS NULL AND ", "req_day, done_day"},
		{famComplaints, "complaints", "x.agent_id IS NULL AND ", "day, NULL"},
		{famReviews, "reviews", "", "day, NULL"},
	}
	for _, j := range jobs {
		rows, err := t.tx.QueryContext(t.ctx, `UPDATE `+j.table+` AS x SET credited_agent_id = c.credit FROM temp.changed_orders c
			WHERE x.shop_id = ? AND x.order_id = c.order_id AND `+j.own+`x.credited_agent_id <> c.credit RETURNING `+j.days, st.shop.ID)
		if err != nil {
			return fmt.Errorf("store: credit %s: %w", j.table, err)
		}
		for rows.Next() {
			var d1, d2 sql.NullInt64
			if err := rows.Scan(&d1, &d2); err != nil {
				rows.Close()
				return err
			}
			st.markDay(j.f, d1)
			st.markDay(j.f, d2)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: credit %s: %w", j.table, err)
		}
	}
	return nil
}

// rankDSR marks, for each buyer whose reviews changed, the first three reviews
// of each calendar month (by created_at, then file order) as counting for DSR.
func (t *ImportTx) rankDSR(st *shopState) error {
	if len(st.reviewBuyers) == 0 {
		return nil
	}
	type change struct{ id, counted, day int64 }
	var changes []change
	for b := range st.reviewBuyers {
		rows, err := t.tx.QueryContext(t.ctx, `SELECT id, created_at, dsr_counted, day FROM reviews
			WHERE shop_id = ? AND buyer_id = ? ORDER BY created_at, id`, st.shop.ID, b)
		if err != nil {
			return fmt.Errorf("store: rank reviews: %w", err)
		}
		lastMonth, rank := -1, 0
		for rows.Next() {
			var id, counted, day int64
			var at kpi.Millis
			if err := rows.Scan(&id, &at, &counted, &day); err != nil {
				rows.Close()
				return fmt.Errorf("store: rank reviews: %w", err)
			}
			if m := st.clock.Month(at); m != lastMonth {
				lastMonth, rank = m, 0
			}
			rank++
			want := int64(0)
			if rank <= 3 {
				want = 1
			}
			if want != counted {
				changes = append(changes, change{id, want, day})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, c := range changes {
		if _, err := t.exec(`UPDATE reviews SET dsr_counted = ? WHERE id = ?`, c.counted, c.id); err != nil {
			return fmt.Errorf("store: rank reviews: %w", err)
		}
		st.dirty[famReviews][kpi.Day(c.day)] = struct{}{}
	}
	return nil
}

// nullDay turns a -1 "no day" into NULL.
func nullDay(d kpi.Day) any {
	if d < 0 {
		return nil
	}
	return int64(d)
}
