package store

import (
	"database/sql"
	"fmt"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// recompute brings every derived fact and aggregate of one shop up to date
// after an import touched the buyers in st.affected and the days in st.dirty.
//
// Correctness rests on one property of METRICS.md: each fact depends only on
// rows of one buyer (replies, unreplied credit, after-sale look-back,
// conversion) or on an order's credit (refunds, reviews, complaints). So the
// facts of the affected buyers are replaced whole, and the aggregates of every
// day those facts touched, before or after, are rebuilt from the facts.
func (t *ImportTx) recompute(st *shopState) error {
	if err := t.prepareTemp(st); err != nil {
		return err
	}
	if err := t.markOldDays(st); err != nil {
		return err
	}
	if err := t.computeBuyers(st); err != nil {
		return err
	}
	if err := t.creditLinked(st); err != nil {
		return err
	}
	if err := t.rankDSR(st); err != nil {
		return err
	}
	if err := t.flushDirty(st); err != nil {
		return err
	}
	if err := t.rebuildAggregates(st); err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE shops SET data_version = data_version + 1 WHERE id = ?`, st.shop.ID); err != nil {
		return fmt.Errorf("store: bump data version: %w", err)
	}
	return nil
}

// prepareTemp fills temp.affected with the affected buyers and empties temp.dirty.
func (t *ImportTx) prepareTemp(st *shopState) error {
	for _, q := range []string{
		`CREATE TEMP TABLE IF NOT EXISTS affected (buyer_id INTEGER PRIMARY KEY)`,
		`CREATE TEMP TABLE IF NOT EXISTS dirty (day INTEGER PRIMARY KEY)`,
		`DELETE FROM temp.affected`,
		`DELETE FROM temp.dirty`,
	} {
		if _, err := t.tx.ExecContext(t.ctx, q); err != nil {
			return fmt.Errorf("store: temp tables: %w", err)
		}
	}
	for b := range st.affected {
		if _, err := t.exec(`INSERT INTO temp.affected (buyer_id) VALUES (?)`, b); err != nil {
			return fmt.Errorf("store: affected buyers: %w", err)
		}
	}
	return nil
}

// Rows linked to an affected buyer: its own, or through one of its orders.
const linkedWhere = `shop_id = ?1 AND (buyer_id IN (SELECT buyer_id FROM temp.affected)
	OR order_id IN (SELECT order_id FROM orders WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.affected)))`

// markOldDays marks dirty every day an affected buyer's facts and linked rows
// touch now, before they are replaced (the new ones are marked as computed).
func (t *ImportTx) markOldDays(st *shopState) error {
	for _, q := range []string{
		`INSERT OR IGNORE INTO temp.dirty SELECT day FROM buyer_days WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.affected)`,
		`INSERT OR IGNORE INTO temp.dirty SELECT d FROM (SELECT paid_day AS d FROM orders o WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.affected)
			UNION SELECT ship_day FROM orders WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.affected)
			UNION SELECT deliv_day FROM orders WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.affected)) WHERE d IS NOT NULL`,
		`INSERT OR IGNORE INTO temp.dirty SELECT req_day FROM refunds WHERE ` + linkedWhere,
		`INSERT OR IGNORE INTO temp.dirty SELECT done_day FROM refunds WHERE done_day IS NOT NULL AND ` + linkedWhere,
		`INSERT OR IGNORE INTO temp.dirty SELECT day FROM reviews WHERE ` + linkedWhere,
		`INSERT OR IGNORE INTO temp.dirty SELECT day FROM complaints WHERE ` + linkedWhere,
		`DELETE FROM resp_facts WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.affected)`,
		`DELETE FROM buyer_days WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.affected)`,
	} {
		if _, err := t.tx.ExecContext(t.ctx, q, st.shop.ID); err != nil {
			return fmt.Errorf("store: mark old days: %w", err)
		}
	}
	return nil
}

// computeBuyers runs the engine over each affected buyer's messages and orders.
// Orders are loaded first (a small share of the rows); messages stream in
// buyer, message order from the covering index.
func (t *ImportTx) computeBuyers(st *shopState) error {
	orders, err := t.loadOrders(st)
	if err != nil {
		return err
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT a.buyer_id, m.id, m.sent_at, m.role, COALESCE(m.agent_id, 0), m.stage
		FROM temp.affected a JOIN messages m ON m.shop_id = ? AND m.buyer_id = a.buyer_id
		ORDER BY a.buyer_id, m.sent_at, m.id`, st.shop.ID)
	if err != nil {
		return fmt.Errorf("store: read messages: %w", err)
	}
	defer rows.Close()
	w := newFactWriter(t, st)
	eng := st.shop.Engine()
	var facts kpi.BuyerFacts
	var msgs []kpi.Msg
	cur := int64(-1)
	flush := func() error {
		if cur < 0 {
			return nil
		}
		eng.ComputeBuyer(msgs, orders[cur], &facts)
		delete(orders, cur)
		return w.write(cur, &facts)
	}
	for rows.Next() {
		var b int64
		var m kpi.Msg
		var role, stage int64
		if err := rows.Scan(&b, &m.Seq, &m.SentAt, &role, &m.Agent, &stage); err != nil {
			return fmt.Errorf("store: read messages: %w", err)
		}
		m.Role, m.Stage = kpi.Role(role), kpi.Stage(stage)
		if b != cur {
			if err := flush(); err != nil {
				return err
			}
			cur, msgs = b, msgs[:0]
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
	for b, os := range orders {
		eng.ComputeBuyer(nil, os, &facts)
		if err := w.write(b, &facts); err != nil {
			return err
		}
	}
	return w.close()
}

func (t *ImportTx) loadOrders(st *shopState) (map[int64][]kpi.Ord, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT buyer_id, id, COALESCE(paid_at, 0), cancelled, COALESCE(agent_id, 0)
		FROM orders WHERE shop_id = ? AND buyer_id IN (SELECT buyer_id FROM temp.affected)`, st.shop.ID)
	if err != nil {
		return nil, fmt.Errorf("store: read orders: %w", err)
	}
	defer rows.Close()
	out := map[int64][]kpi.Ord{}
	for rows.Next() {
		var b int64
		var o kpi.Ord
		if err := rows.Scan(&b, &o.ID, &o.PaidAt, &o.Cancelled, &o.Agent); err != nil {
			return nil, fmt.Errorf("store: read orders: %w", err)
		}
		out[b] = append(out[b], o)
	}
	return out, rows.Err()
}

// creditLinked credits refunds and complaints to their own agent, else to
// their order's credited agent; reviews always through their order.
func (t *ImportTx) creditLinked(st *shopState) error {
	const orderCredit = `(SELECT o.credited_agent_id FROM orders o WHERE o.shop_id = ?1 AND o.order_id = x.order_id)`
	for _, q := range []string{
		`UPDATE refunds AS x SET credited_agent_id = COALESCE(agent_id, ` + orderCredit + `, 0) WHERE ` + linkedWhere,
		`UPDATE complaints AS x SET credited_agent_id = COALESCE(agent_id, ` + orderCredit + `, 0) WHERE ` + linkedWhere,
		`UPDATE reviews AS x SET credited_agent_id = COALESCE(` + orderCredit + `, 0) WHERE ` + linkedWhere,
	} {
		if _, err := t.tx.ExecContext(t.ctx, q, st.shop.ID); err != nil {
			return fmt.Errorf("store: credit refunds, reviews, complaints: %w", err)
		}
	}
	return nil
}

// rankDSR marks, for each affected buyer, the first three reviews of each
// calendar month (by created_at, then file order) as counting for DSR.
func (t *ImportTx) rankDSR(st *shopState) error {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT r.id, r.buyer_id, r.created_at, r.dsr_counted
		FROM temp.affected a JOIN reviews r ON r.shop_id = ? AND r.buyer_id = a.buyer_id
		ORDER BY r.buyer_id, r.created_at, r.id`, st.shop.ID)
	if err != nil {
		return fmt.Errorf("store: rank reviews: %w", err)
	}
	type change struct{ id, counted int64 }
	var changes []change
	var lastBuyer int64 = -1
	lastMonth, rank := -1, 0
	for rows.Next() {
		var id, buyer, counted int64
		var at kpi.Millis
		if err := rows.Scan(&id, &buyer, &at, &counted); err != nil {
			rows.Close()
			return fmt.Errorf("store: rank reviews: %w", err)
		}
		month := st.clock.Month(at)
		if buyer != lastBuyer || month != lastMonth {
			lastBuyer, lastMonth, rank = buyer, month, 0
		}
		rank++
		want := int64(0)
		if rank <= 3 {
			want = 1
		}
		if want != counted {
			changes = append(changes, change{id, want})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range changes {
		if _, err := t.exec(`UPDATE reviews SET dsr_counted = ? WHERE id = ?`, c.counted, c.id); err != nil {
			return fmt.Errorf("store: rank reviews: %w", err)
		}
	}
	return nil
}

// flushDirty adds the days collected in Go (old versions of updated rows, new
// rows, new facts) to temp.dirty.
func (t *ImportTx) flushDirty(st *shopState) error {
	for d := range st.dirty {
		if _, err := t.exec(`INSERT OR IGNORE INTO temp.dirty (day) VALUES (?)`, int64(d)); err != nil {
			return fmt.Errorf("store: dirty days: %w", err)
		}
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

var _ = sql.ErrNoRows
