package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/loyalty"
)

// refreshRecords is the import and recompute step of the customer records
// (LOYALTY.md): the records of the buyers this import touched are rebuilt
// from their rows (a recompute rebuilds every buyer's), then the segments
// of the whole shop are brought to its last data day — they depend on
// every buyer through the means, and on the day through recency.
func (t *ImportTx) refreshRecords(st *shopState) error {
	if err := t.fillTouched(st); err != nil {
		return err
	}
	if err := t.rebuildRecords(st); err != nil {
		return err
	}
	return segmentShop(t.ctx, t.tx, st.shop)
}

// buildAllRecords builds the customer records and segments of every shop
// (the upgrade to migration 012; a recompute does the same for one shop).
func buildAllRecords(ctx context.Context, s *Store, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+shopColumns+` FROM shops`)
	if err != nil {
		return err
	}
	var shops []*Shop
	for rows.Next() {
		sh, err := scanShop(rows)
		if err != nil {
			rows.Close()
			return err
		}
		shops = append(shops, sh)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	t := newTx(ctx, s, tx)
	for _, sh := range shops {
		st := newShopState(sh)
		st.full = true
		if err := t.refreshRecords(st); err != nil {
			return err
		}
	}
	return nil
}

// fillTouched puts the buyers whose record may have changed into
// temp.rec: those with changed messages or orders, reviews, refunds (also
// through the refund's order), complaints or member rows.
func (t *ImportTx) fillTouched(st *shopState) error {
	for _, q := range []string{
		`CREATE TEMP TABLE IF NOT EXISTS rec (buyer_id INTEGER PRIMARY KEY)`,
		`CREATE TEMP TABLE IF NOT EXISTS rec_orders (order_id TEXT PRIMARY KEY)`,
		`DELETE FROM temp.rec`, `DELETE FROM temp.rec_orders`,
	} {
		if _, err := t.tx.ExecContext(t.ctx, q); err != nil {
			return fmt.Errorf("store: record temp tables: %w", err)
		}
	}
	if st.full {
		_, err := t.tx.ExecContext(t.ctx, `INSERT INTO temp.rec SELECT id FROM buyers WHERE shop_id = ? AND name <> ''`, st.shop.ID)
		return err
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT OR IGNORE INTO temp.rec SELECT buyer_id FROM temp.affected`); err != nil {
		return fmt.Errorf("store: touched buyers: %w", err)
	}
	ins := newBatchInsert(t.ctx, t.tx, "temp.rec", "buyer_id").orIgnore()
	for _, set := range []map[int64]struct{}{st.reviewBuyers, st.recordBuyers} {
		for b := range set {
			if err := ins.add(b); err != nil {
				return err
			}
		}
	}
	if err := ins.close(); err != nil {
		return err
	}
	if len(st.recordOrders) == 0 {
		return nil
	}
	oins := newBatchInsert(t.ctx, t.tx, "temp.rec_orders", "order_id").orIgnore()
	for o := range st.recordOrders {
		if err := oins.add(o); err != nil {
			return err
		}
	}
	if err := oins.close(); err != nil {
		return err
	}
	_, err := t.tx.ExecContext(t.ctx, `INSERT OR IGNORE INTO temp.rec SELECT o.buyer_id FROM temp.rec_orders x
		JOIN orders o ON o.shop_id = ? AND o.order_id = x.order_id WHERE NOT o.no_buyer`, st.shop.ID)
	return err
}

// rebuildRecords replaces the records of the buyers in temp.rec: a buyer
// gets one when they have an order, a chat day or a member row.
func (t *ImportTx) rebuildRecords(st *shopState) error {
	shop := st.shop.ID
	for _, q := range []string{
		`DELETE FROM buyer_records WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.rec)`,
		`DELETE FROM record_agents WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.rec)`,
		// One pass per source, each grouped over the touched buyers only.
		`INSERT INTO buyer_records (shop_id, buyer_id, buyer, orders, spend_fen, units, first_paid, last_paid, refunds, refund_fen,
			reviews, rating_sum, bad_reviews, complaints, consult_days, last_contact, name, phone, phone_tail, level, tags)
		SELECT ?1, b.id, b.name, COALESCE(o.n, 0), COALESCE(o.spend, 0), COALESCE(o.units, 0), o.first, o.last,
			COALESCE(f.n, 0), COALESCE(f.amount, 0), COALESCE(v.n, 0), COALESCE(v.total, 0), COALESCE(v.bad, 0), COALESCE(c.n, 0),
			COALESCE(d.n, 0), d.last, COALESCE(m.name, ''), COALESCE(m.phone, ''),
			CASE WHEN length(m.phone) >= 4 THEN substr(m.phone, -4) ELSE '' END, COALESCE(m.level, ''),
			COALESCE((SELECT group_concat(j.value, '、') FROM json_each(m.tags) j), '')
		FROM temp.rec r JOIN buyers b ON b.id = r.buyer_id
		LEFT JOIN (SELECT buyer_id, count(*) AS n, sum(amount_fen) AS spend, sum(quantity) AS units, min(paid_day) AS first, max(paid_day) AS last
			FROM orders WHERE shop_id = ?1 AND paid_day IS NOT NULL AND NOT no_buyer AND buyer_id IN (SELECT buyer_id FROM temp.rec)
			GROUP BY buyer_id) o ON o.buyer_id = b.id
		LEFT JOIN (SELECT o.buyer_id, count(*) AS n, sum(f.amount_fen) AS amount FROM refunds f
			JOIN orders o ON o.shop_id = f.shop_id AND o.order_id = f.order_id
			WHERE f.shop_id = ?1 AND o.buyer_id IN (SELECT buyer_id FROM temp.rec) GROUP BY o.buyer_id) f ON f.buyer_id = b.id
		LEFT JOIN (SELECT buyer_id, count(*) AS n, sum(rating) AS total, sum(rating <= 3) AS bad FROM reviews
			WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.rec) GROUP BY buyer_id) v ON v.buyer_id = b.id
		LEFT JOIN (SELECT buyer_id, count(*) AS n FROM complaints
			WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.rec) GROUP BY buyer_id) c ON c.buyer_id = b.id
		LEFT JOIN (SELECT buyer_id, count(*) AS n, max(day) AS last FROM buyer_days
			WHERE shop_id = ?1 AND buyer_id IN (SELECT buyer_id FROM temp.rec) GROUP BY buyer_id) d ON d.buyer_id = b.id
		LEFT JOIN customers m ON m.shop_id = ?1 AND m.buyer_id = b.id
		WHERE b.name <> '' AND (o.n IS NOT NULL OR d.n IS NOT NULL OR m.buyer_id IS NOT NULL
			OR EXISTS (SELECT 1 FROM orders x WHERE x.shop_id = ?1 AND x.buyer_id = b.id))`,
		`INSERT OR IGNORE INTO record_agents (shop_id, agent_id, buyer_id)
		SELECT ?1, last_agent_id, buyer_id FROM buyer_days WHERE shop_id = ?1 AND last_agent_id <> 0 AND buyer_id IN (SELECT buyer_id FROM temp.rec)
		UNION SELECT ?1, credited_agent_id, buyer_id FROM orders WHERE shop_id = ?1 AND credited_agent_id <> 0 AND NOT no_buyer
			AND buyer_id IN (SELECT buyer_id FROM temp.rec)`,
	} {
		if _, err := t.tx.ExecContext(t.ctx, q, shop); err != nil {
			return fmt.Errorf("store: customer records: %w", err)
		}
	}
	return t.birthdays(shop)
}

// birthdays normalises the touched members' birthdays to MM-DD (the care
// calendar's index); a birthday that does not parse stays out of it.
func (t *ImportTx) birthdays(shop int64) error {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT m.buyer_id, m.birthday FROM customers m
		WHERE m.shop_id = ? AND m.birthday <> '' AND m.buyer_id IN (SELECT buyer_id FROM temp.rec)`, shop)
	if err != nil {
		return fmt.Errorf("store: birthdays: %w", err)
	}
	type bday struct {
		buyer int64
		md    string
	}
	var out []bday
	for rows.Next() {
		var b bday
		var raw string
		if err := rows.Scan(&b.buyer, &raw); err != nil {
			rows.Close()
			return err
		}
		if m, d, ok := loyalty.ParseBirthday(raw); ok {
			b.md = fmt.Sprintf("%02d-%02d", int(m), d)
			out = append(out, b)
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, b := range out {
		if _, err := t.tx.ExecContext(t.ctx, `UPDATE buyer_records SET birthday_md = ? WHERE shop_id = ? AND buyer_id = ?`, b.md, shop, b.buyer); err != nil {
			return err
		}
	}
	return nil
}

// segmentDay is the day a shop's stored segments are computed as of: the
// last day with any imported row (LOYALTY.md's default as-of day) — any
// time of any order, refund, review, complaint or member row, a chat day,
// or the end of a platform report.
func segmentDay(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, shop *Shop) (kpi.Day, bool, error) {
	var ms, days sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(
		COALESCE((SELECT max(max(created_at, COALESCE(paid_at, 0), COALESCE(shipped_at, 0), COALESCE(picked_up_at, 0), COALESCE(delivered_at, 0)))
			FROM orders WHERE shop_id = ?1), 0),
		COALESCE((SELECT max(max(requested_at, COALESCE(completed_at, 0))) FROM refunds WHERE shop_id = ?1), 0),
		COALESCE((SELECT max(created_at) FROM reviews WHERE shop_id = ?1), 0),
		COALESCE((SELECT max(created_at) FROM complaints WHERE shop_id = ?1), 0),
		COALESCE((SELECT max(joined_at) FROM customers WHERE shop_id = ?1), 0)),
		max(COALESCE((SELECT max(day) FROM buyer_days WHERE shop_id = ?1), 0), COALESCE((SELECT max(to_day) FROM agent_reports WHERE shop_id = ?1), 0))`,
		shop.ID).Scan(&ms, &days); err != nil {
		return 0, false, err
	}
	last := kpi.Day(days.Int64)
	if ms.Valid && ms.Int64 > 0 {
		last = max(last, kpi.Clock{Loc: shop.Location()}.DayOf(kpi.Millis(ms.Int64)))
	}
	return last, last > 0, nil
}

// MonthBefore is the same day a month earlier (the segment movement's
// comparison day), clamped to the month's end: 03-31 → 02-28.
func MonthBefore(d kpi.Day) kpi.Day {
	y, m, day := d.Date()
	first := kpi.DayOf(y, m, 1)
	py, pm, _ := (first - 1).Date()
	last := int((first - 1) - kpi.DayOf(py, pm, 1) + 1)
	return kpi.DayOf(py, pm, min(day, last))
}

// segmentShop writes every buyer's segment as of the shop's last data day
// and as of one month earlier; only the rows that change are written.
func segmentShop(ctx context.Context, tx *sql.Tx, sh *Shop) error {
	shop := sh.ID
	day, ok, err := segmentDay(ctx, tx, sh)
	if err != nil || !ok {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS seg (buyer_id INTEGER PRIMARY KEY, segment TEXT NOT NULL, recency INTEGER NOT NULL)`); err != nil {
		return err
	}
	for _, pass := range []struct {
		day kpi.Day
		set []string // the statements: changed rows from temp.seg, then buyers without a paid order
	}{
		{day, []string{
			`UPDATE buyer_records SET segment = s.segment, recency = s.recency FROM temp.seg s
			WHERE buyer_records.shop_id = ? AND buyer_records.buyer_id = s.buyer_id
			AND (buyer_records.segment IS NOT s.segment OR buyer_records.recency IS NOT s.recency)`,
			`UPDATE buyer_records SET segment = '', recency = NULL WHERE shop_id = ? AND (segment <> '' OR recency IS NOT NULL)
			AND buyer_id NOT IN (SELECT buyer_id FROM temp.seg)`}},
		{MonthBefore(day), []string{
			`UPDATE buyer_records SET prev_segment = s.segment FROM temp.seg s
			WHERE buyer_records.shop_id = ? AND buyer_records.buyer_id = s.buyer_id AND buyer_records.prev_segment IS NOT s.segment`,
			`UPDATE buyer_records SET prev_segment = '' WHERE shop_id = ? AND prev_segment <> ''
			AND buyer_id NOT IN (SELECT buyer_id FROM temp.seg)`}},
	} {
		rs, err := rfmAsOf(ctx, tx, shop, pass.day)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM temp.seg`); err != nil {
			return err
		}
		ins := newBatchInsert(ctx, tx, "temp.seg", "buyer_id", "segment", "recency")
		for i, seg := range loyalty.Classify(rs.rfm) {
			if err := ins.add(rs.ids[i], seg, rs.rfm[i].RecencyDays); err != nil {
				return err
			}
		}
		if err := ins.close(); err != nil {
			return err
		}
		for _, q := range pass.set {
			if _, err := tx.ExecContext(ctx, q, shop); err != nil {
				return fmt.Errorf("store: segments: %w", err)
			}
		}
	}
	return nil
}

// rfmSet is every buyer with a paid order up to a day, with R, F and M.
type rfmSet struct {
	ids   []int64
	names []string
	first []kpi.Day
	last  []kpi.Day
	rfm   []loyalty.RFM
}

// rfmAsOf reads R, F and M of every buyer with a paid, not cancelled order
// up to day asOf, by buyer name.
func rfmAsOf(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, shop int64, asOf kpi.Day) (*rfmSet, error) {
	rows, err := q.QueryContext(ctx, `SELECT o.buyer_id, b.name, count(*), sum(o.amount_fen), min(o.paid_day), max(o.paid_day)
		FROM orders o JOIN buyers b ON b.id = o.buyer_id
		WHERE o.shop_id = ? AND o.paid_day IS NOT NULL AND o.paid_day <= ? AND NOT o.no_buyer
		GROUP BY o.buyer_id ORDER BY b.name`, shop, int64(asOf))
	if err != nil {
		return nil, fmt.Errorf("store: rfm: %w", err)
	}
	defer rows.Close()
	rs := &rfmSet{}
	for rows.Next() {
		var id, n, spend, first, last int64
		var name string
		if err := rows.Scan(&id, &name, &n, &spend, &first, &last); err != nil {
			return nil, err
		}
		rs.ids, rs.names = append(rs.ids, id), append(rs.names, name)
		rs.first, rs.last = append(rs.first, kpi.Day(first)), append(rs.last, kpi.Day(last))
		rs.rfm = append(rs.rfm, loyalty.RFM{RecencyDays: int(asOf - kpi.Day(last)), Frequency: int(n), MonetaryFen: spend})
	}
	return rs, rows.Err()
}

// CustomerRFM is one buyer with a paid order as `kefuboard customers`
// prints it.
type CustomerRFM struct {
	Buyer               string
	Orders              int
	SpendFen            int64
	FirstPaid, LastPaid kpi.Day
	RecencyDays         int
	Segment             string
}

// CustomersAsOf computes every buyer's R, F, M and segment as of a day from
// the orders themselves (any day, not only the stored one), by buyer.
func (s *Store) CustomersAsOf(ctx context.Context, shop *Shop, asOf kpi.Day) ([]CustomerRFM, error) {
	rs, err := rfmAsOf(ctx, s.read, shop.ID, asOf)
	if err != nil {
		return nil, err
	}
	segs := loyalty.Classify(rs.rfm)
	out := make([]CustomerRFM, len(rs.ids))
	for i := range rs.ids {
		out[i] = CustomerRFM{Buyer: rs.names[i], Orders: rs.rfm[i].Frequency, SpendFen: rs.rfm[i].MonetaryFen, FirstPaid: rs.first[i],
			LastPaid: rs.last[i], RecencyDays: rs.rfm[i].RecencyDays, Segment: segs[i]}
	}
	return out, nil
}

// DefaultAsOf is a shop's default as-of day for the customer pages and
// commands: its last data day (today when it has none).
func (s *Store) DefaultAsOf(ctx context.Context, shop *Shop) (kpi.Day, error) {
	d, ok, err := segmentDay(ctx, s.read, shop)
	if err != nil {
		return 0, err
	}
	if !ok {
		return kpi.Clock{Loc: shop.Location()}.DayOf(kpi.Millis(time.Now().UnixMilli())), nil
	}
	return d, nil
}

// LoyaltyOrders are a shop's paid, not cancelled orders with a buyer up to
// day to (the repurchase and 80/30 figures read them), and how many paid
// orders of [from, to] have no buyer (their exports carry none).
func (s *Store) LoyaltyOrders(ctx context.Context, shop *Shop, from, to kpi.Day) ([]loyalty.PaidOrder, int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT b.name, o.paid_day, o.amount_fen, o.no_buyer FROM orders o JOIN buyers b ON b.id = o.buyer_id
		WHERE o.shop_id = ? AND o.paid_day IS NOT NULL AND o.paid_day <= ?`, shop.ID, int64(to))
	if err != nil {
		return nil, 0, fmt.Errorf("store: loyalty orders: %w", err)
	}
	defer rows.Close()
	var out []loyalty.PaidOrder
	buyerless := 0
	for rows.Next() {
		var o loyalty.PaidOrder
		var day int64
		var none bool
		if err := rows.Scan(&o.Buyer, &day, &o.AmountFen, &none); err != nil {
			return nil, 0, err
		}
		o.Day = kpi.Day(day)
		if none {
			if o.Day >= from {
				buyerless++
			}
			continue
		}
		out = append(out, o)
	}
	return out, buyerless, rows.Err()
}
