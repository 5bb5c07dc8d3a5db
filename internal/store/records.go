package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/loyalty"
)

// refreshRecords is the import and recompute step of the customer records
// (LOYALTY.md): the records of the buyers this import touched are rebuilt
// from their rows (a recompute rebuilds every buyer's), then the segments
// of the whole shop are brought to its last data day — they depend on
// every buyer through the means, and on the day through recency.
//
// An import that touches no buyer (a platform report) leaves them as they
// are: its rows change no record, and re-segmenting a big shop after each
// of a year's daily reports would cost seconds. The page names the day the
// stored segments are as of (SegmentsAsOf), so it never claims a later one.
func (t *ImportTx) refreshRecords(st *shopState) error {
	if err := t.fillTouched(st); err != nil {
		return err
	}
	var touched int
	if err := t.tx.QueryRowContext(t.ctx, `SELECT count(*) FROM temp.rec`).Scan(&touched); err != nil {
		return err
	}
	if touched == 0 {
		return nil
	}
	if err := t.rebuildRecords(st); err != nil {
		return err
	}
	// Segments depend on the paid orders and the day only.
	earliest := kpi.Day(0)
	if !st.full {
		earliest = kpi.Day(1 << 30)
		for d := range st.dirty[famOrders] {
			earliest = min(earliest, d)
		}
	}
	return segmentShop(t.ctx, t.tx, st.shop, st.full || len(st.orderBuyers) > 0, earliest)
}

// segmentDayKey is the setting holding the day a shop's stored segments
// are as of.
func segmentDayKey(shopID int64) string { return fmt.Sprintf("segment_day:%d", shopID) }

// prevDayKey holds the day the stored month-earlier segments are as of.
func prevDayKey(shopID int64) string { return fmt.Sprintf("segment_prev_day:%d", shopID) }

// SegmentsAsOf is the day the shop's stored segments (the pages') are as
// of; ok=false before any.
func (s *Store) SegmentsAsOf(ctx context.Context, shopID int64) (kpi.Day, bool, error) {
	raw, err := s.Setting(ctx, segmentDayKey(shopID))
	if err != nil || raw == "" {
		return 0, false, err
	}
	d, err := kpi.ParseDay(raw)
	return d, err == nil, nil
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

// recordGroup is a set of record columns and the rows they come from: an
// import recomputes a group only for the buyers whose rows of that kind it
// changed, so a chat file never re-reads orders and an order file never
// re-reads chats. Each group's values are computed once into temp.gx; new
// records are inserted with them, and existing ones are written only where
// a value differs (a record row carries several indexes).
type recordGroup struct {
	table string   // temp table of the group's touched buyers
	cols  []string // the record columns it sets
	// values computes buyer_id and the columns for the buyers in table
	// (every one of them, zeros when they have no such rows).
	values string
	// creates: the condition on x (its values) under which a touched buyer
	// gets a record ("" = never: orders, chat days and member rows make one;
	// refunds, reviews and complaints do not).
	creates string
}

var recordGroups = []recordGroup{
	{table: "rec_orders", cols: []string{"orders", "spend_fen", "units", "first_paid", "last_paid"},
		creates: `EXISTS (SELECT 1 FROM orders o INDEXED BY orders_buyer WHERE o.shop_id = ?1 AND o.buyer_id = x.buyer_id)`,
		values: `SELECT r.buyer_id, count(o.id), COALESCE(sum(o.amount_fen), 0), COALESCE(sum(o.quantity), 0), min(o.paid_day), max(o.paid_day)
			FROM temp.rec_orders r LEFT JOIN orders o INDEXED BY orders_buyer
				ON o.shop_id = ?1 AND o.buyer_id = r.buyer_id AND o.paid_day IS NOT NULL AND NOT o.no_buyer
			GROUP BY r.buyer_id`},
	{table: "rec_chat", cols: []string{"consult_days", "last_contact"}, creates: `x.consult_days > 0`,
		values: `SELECT r.buyer_id, count(d.day), max(d.day) FROM temp.rec_chat r
			LEFT JOIN buyer_days d ON d.shop_id = ?1 AND d.buyer_id = r.buyer_id GROUP BY r.buyer_id`},
	{table: "rec_refunds", cols: []string{"refunds", "refund_fen"},
		values: `SELECT r.buyer_id, count(f.id), COALESCE(sum(f.amount_fen), 0) FROM temp.rec_refunds r
			LEFT JOIN orders o INDEXED BY orders_buyer ON o.shop_id = ?1 AND o.buyer_id = r.buyer_id
			LEFT JOIN refunds f ON f.shop_id = ?1 AND f.order_id = o.order_id GROUP BY r.buyer_id`},
	{table: "rec_reviews", cols: []string{"reviews", "rating_sum", "bad_reviews"},
		values: `SELECT r.buyer_id, count(v.id), COALESCE(sum(v.rating), 0), COALESCE(sum(v.rating <= 3), 0) FROM temp.rec_reviews r
			LEFT JOIN reviews v ON v.shop_id = ?1 AND v.buyer_id = r.buyer_id GROUP BY r.buyer_id`},
	{table: "rec_complaints", cols: []string{"complaints"},
		values: `SELECT r.buyer_id, count(c.id) FROM temp.rec_complaints r
			LEFT JOIN complaints c ON c.shop_id = ?1 AND c.buyer_id = r.buyer_id GROUP BY r.buyer_id`},
	// The birthday comes parsed from temp.bday (birthdays, run first).
	{table: "rec_members", cols: []string{"name", "phone", "phone_tail", "level", "tags", "birthday_md"}, creates: `true`, // member rows are never removed
		values: `SELECT m.buyer_id, m.name, m.phone, CASE WHEN length(m.phone) >= 4 THEN substr(m.phone, -4) ELSE '' END, m.level,
			COALESCE((SELECT group_concat(j.value, '、') FROM json_each(m.tags) j), ''), COALESCE(b.md, '')
			FROM temp.rec_members r JOIN customers m ON m.shop_id = ?1 AND m.buyer_id = r.buyer_id LEFT JOIN temp.bday b ON b.buyer_id = r.buyer_id`},
}

// apply writes a group's values: new records for the buyers it creates
// records for, then the changed columns of the existing ones.
func (g recordGroup) apply(t *ImportTx, shop int64) error {
	cols := strings.Join(g.cols, ", ")
	gx := make([]string, len(g.cols))
	set := make([]string, len(g.cols))
	differ := make([]string, len(g.cols))
	for i, c := range g.cols {
		gx[i] = "x." + c
		set[i] = c + " = x." + c
		differ[i] = "buyer_records." + c + " IS NOT x." + c
	}
	qs := []string{`DROP TABLE IF EXISTS temp.gx`,
		`CREATE TEMP TABLE gx (buyer_id INTEGER PRIMARY KEY, ` + cols + `)`,
		`INSERT INTO temp.gx (buyer_id, ` + cols + `) ` + g.values}
	if g.creates != "" {
		qs = append(qs, `INSERT OR IGNORE INTO buyer_records (shop_id, buyer_id, buyer, `+cols+`)
			SELECT ?1, x.buyer_id, b.name, `+strings.Join(gx, ", ")+` FROM temp.gx x JOIN buyers b ON b.id = x.buyer_id
			WHERE b.name <> '' AND `+g.creates)
	}
	qs = append(qs, `UPDATE buyer_records SET `+strings.Join(set, ", ")+` FROM temp.gx x
		WHERE buyer_records.shop_id = ?1 AND buyer_records.buyer_id = x.buyer_id AND (`+strings.Join(differ, " OR ")+`)`)
	for _, q := range qs {
		if _, err := t.tx.ExecContext(t.ctx, q, shop); err != nil {
			return fmt.Errorf("store: customer records (%s): %w", g.table, err)
		}
	}
	return nil
}

// fillTouched puts the buyers whose record may have changed into the
// groups' temp tables (and all of them into temp.rec): changed orders,
// chats, refunds (also through the refund's order), reviews, complaints
// and member rows. A recompute touches every buyer in every group.
func (t *ImportTx) fillTouched(st *shopState) error {
	qs := []string{`CREATE TEMP TABLE IF NOT EXISTS rec (buyer_id INTEGER PRIMARY KEY)`, `DELETE FROM temp.rec`,
		`CREATE TEMP TABLE IF NOT EXISTS rec_order_ids (order_id TEXT PRIMARY KEY)`, `DELETE FROM temp.rec_order_ids`}
	for _, g := range recordGroups {
		qs = append(qs, `CREATE TEMP TABLE IF NOT EXISTS `+g.table+` (buyer_id INTEGER PRIMARY KEY)`, `DELETE FROM temp.`+g.table)
	}
	for _, q := range qs {
		if _, err := t.tx.ExecContext(t.ctx, q); err != nil {
			return fmt.Errorf("store: record temp tables: %w", err)
		}
	}
	if st.full {
		for _, g := range recordGroups {
			if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO temp.`+g.table+` SELECT id FROM buyers WHERE shop_id = ? AND name <> ''`, st.shop.ID); err != nil {
				return err
			}
		}
	} else {
		for table, set := range map[string]map[int64]struct{}{"rec_orders": st.orderBuyers, "rec_chat": st.msgBuyers, "rec_refunds": st.refundBuyers,
			"rec_reviews": st.reviewBuyers, "rec_complaints": st.complaintBuyers, "rec_members": st.memberBuyers} {
			ins := newBatchInsert(t.ctx, t.tx, "temp."+table, "buyer_id").orIgnore()
			for b := range set {
				if err := ins.add(b); err != nil {
					return err
				}
			}
			if err := ins.close(); err != nil {
				return err
			}
		}
		if len(st.recordOrders) > 0 {
			oins := newBatchInsert(t.ctx, t.tx, "temp.rec_order_ids", "order_id").orIgnore()
			for o := range st.recordOrders {
				if err := oins.add(o); err != nil {
					return err
				}
			}
			if err := oins.close(); err != nil {
				return err
			}
			if _, err := t.tx.ExecContext(t.ctx, `INSERT OR IGNORE INTO temp.rec_refunds SELECT o.buyer_id FROM temp.rec_order_ids x
				JOIN orders o ON o.shop_id = ? AND o.order_id = x.order_id WHERE NOT o.no_buyer`, st.shop.ID); err != nil {
				return err
			}
		}
	}
	for _, g := range recordGroups {
		if _, err := t.tx.ExecContext(t.ctx, `INSERT OR IGNORE INTO temp.rec SELECT buyer_id FROM temp.`+g.table); err != nil {
			return err
		}
	}
	return nil
}

// rebuildRecords brings the records of the touched buyers up to date, one
// column group at a time over the buyers whose rows of that kind changed.
// A buyer gets a record with an order, a chat day or a member row.
func (t *ImportTx) rebuildRecords(st *shopState) error {
	shop := st.shop.ID
	if err := t.birthdays(shop); err != nil {
		return err
	}
	for _, g := range recordGroups {
		if err := g.apply(t, shop); err != nil {
			return err
		}
	}
	return nil
}

// birthdays parses the touched members' birthdays to MM-DD (the care
// calendar's index) into temp.bday, which the member column group reads; a
// birthday that does not parse stays out of it.
func (t *ImportTx) birthdays(shop int64) error {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT m.buyer_id, m.birthday FROM customers m
		WHERE m.shop_id = ? AND m.birthday <> '' AND m.buyer_id IN (SELECT buyer_id FROM temp.rec_members)`, shop)
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
			b.md = loyalty.BirthdayKey(m, d)
			out = append(out, b)
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, q := range []string{`CREATE TEMP TABLE IF NOT EXISTS bday (buyer_id INTEGER PRIMARY KEY, md TEXT NOT NULL)`, `DELETE FROM temp.bday`} {
		if _, err := t.tx.ExecContext(t.ctx, q); err != nil {
			return err
		}
	}
	ins := newBatchInsert(t.ctx, t.tx, "temp.bday", "buyer_id", "md")
	for _, b := range out {
		if err := ins.add(b.buyer, b.md); err != nil {
			return err
		}
	}
	if err := ins.close(); err != nil {
		return err
	}
	return nil
}

// segmentDay is the day a shop's stored segments are computed as of (the
// import's reading of LOYALTY.md's "last day with an imported row"): the
// last day of any order's
// payment, shipment or delivery, refund request or completion, review,
// complaint, chat, or platform report. Each is the maximum of an indexed
// day column, so an import of a big shop pays microseconds for it, not a
// scan of its orders (an unpaid order's creation and a member's joining
// day do not count: they are not activity the segments could reflect).
func segmentDay(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, shop *Shop) (kpi.Day, bool, error) {
	var last sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(
		COALESCE((SELECT max(day) FROM daily_stats WHERE shop_id = ?1), 0),
		COALESCE((SELECT max(paid_day) FROM orders WHERE shop_id = ?1 AND paid_day IS NOT NULL), 0),
		COALESCE((SELECT max(ship_day) FROM orders WHERE shop_id = ?1 AND ship_day IS NOT NULL), 0),
		COALESCE((SELECT max(deliv_day) FROM orders WHERE shop_id = ?1 AND deliv_day IS NOT NULL), 0),
		COALESCE((SELECT max(req_day) FROM refunds WHERE shop_id = ?1), 0),
		COALESCE((SELECT max(done_day) FROM refunds WHERE shop_id = ?1 AND done_day IS NOT NULL), 0),
		COALESCE((SELECT max(day) FROM reviews WHERE shop_id = ?1), 0),
		COALESCE((SELECT max(day) FROM complaints WHERE shop_id = ?1), 0),
		COALESCE((SELECT max(day) FROM buyer_days WHERE shop_id = ?1), 0),
		COALESCE((SELECT max(to_day) FROM agent_reports WHERE shop_id = ?1), 0))`, shop.ID).Scan(&last); err != nil {
		return 0, false, err
	}
	return kpi.Day(last.Int64), last.Int64 > 0, nil
}

// lastRowDay is the last day with any imported row, to the letter of
// LOYALTY.md: the latest time of any order (created, paid, shipped, picked
// up, delivered), refund (requested, completed), review, complaint or
// member row (joined), a chat day, or a platform report's last day. It
// scans the shop's orders (the command line's default as-of day); an
// import uses segmentDay's indexed maxima instead.
func lastRowDay(ctx context.Context, q interface {
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

// segmentCase is the SQL of the RFM segment of LOYALTY.md for a buyer with
// recency r, frequency f and monetary m, against the means of n buyers whose
// sums are sr, sf and sm: each compared exactly as x·n against the sum (a
// value equal to the mean is low), never as a rounded float mean. It
// agrees with loyalty.Classify (the command line's), which a test holds.
func segmentCase(r, f, m, n, sr, sf, sm string) string {
	bits := `((` + r + `) * ` + n + ` < ` + sr + `) * 4 + ((` + f + `) * ` + n + ` > ` + sf + `) * 2 + ((` + m + `) * ` + n + ` > ` + sm + `)`
	return `CASE ` + bits + ` WHEN 7 THEN '` + loyalty.Champion + `' WHEN 5 THEN '` + loyalty.Develop + `' WHEN 3 THEN '` + loyalty.Keep +
		`' WHEN 1 THEN '` + loyalty.Winback + `' WHEN 6 THEN '` + loyalty.GeneralValue + `' WHEN 4 THEN '` + loyalty.GeneralDevelop +
		`' WHEN 2 THEN '` + loyalty.GeneralKeep + `' ELSE '` + loyalty.GeneralWinback + `' END`
}

// segmentShop writes every buyer's segment as of the shop's last data day
// and as of one month earlier, in SQL and writing only the rows that
// change. The current segments read the records themselves (every paid
// order is on or before the last data day); the month-earlier ones the
// orders paid up to then.
//
// Unless ordersChanged, a day equal to the stored one means nothing to do;
// earliestOrderDay is the earliest paid, shipped or delivered day of the
// orders the import changed (0 = unknown: every day).
func segmentShop(ctx context.Context, tx *sql.Tx, sh *Shop, ordersChanged bool, earliestOrderDay kpi.Day) error {
	shop := sh.ID
	day, ok, err := segmentDay(ctx, tx, sh)
	if err != nil || !ok {
		return err
	}
	stored, err := getSetting(ctx, tx, segmentDayKey(shop))
	if err != nil {
		return err
	}
	if !ordersChanged && stored == day.String() {
		return nil
	}
	prev := MonthBefore(day)
	if err := putSetting(ctx, tx, segmentDayKey(shop), day.String()); err != nil {
		return err
	}
	// The sums behind the means, then one pass over the records.
	var n, r, f, m int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), COALESCE(? * count(*) - sum(last_paid), 0), COALESCE(sum(orders), 0), COALESCE(sum(spend_fen), 0)
		FROM buyer_records WHERE shop_id = ? AND orders > 0`, int64(day), shop).Scan(&n, &r, &f, &m); err != nil {
		return fmt.Errorf("store: segments: %w", err)
	}
	cur := segmentCase(`?2 - last_paid`, `orders`, `spend_fen`, `?3`, `?4`, `?5`, `?6`)
	if _, err := tx.ExecContext(ctx, `UPDATE buyer_records SET segment = CASE WHEN orders > 0 THEN `+cur+` ELSE '' END
		WHERE shop_id = ?1 AND (orders > 0 OR segment <> '') AND segment IS NOT (CASE WHEN orders > 0 THEN `+cur+` ELSE '' END)`,
		shop, int64(day), n, r, f, m); err != nil {
		return fmt.Errorf("store: segments: %w", err)
	}
	// A month earlier: each buyer's orders paid up to then — unless that
	// day is the one already computed and no order paid up to it changed
	// (a daily import adds recent days only).
	storedPrev, err := getSetting(ctx, tx, prevDayKey(shop))
	if err != nil {
		return err
	}
	if storedPrev == prev.String() && earliestOrderDay > prev {
		return nil
	}
	if err := putSetting(ctx, tx, prevDayKey(shop), prev.String()); err != nil {
		return err
	}
	for _, q := range []string{
		`CREATE TEMP TABLE IF NOT EXISTS prev_rfm (buyer_id INTEGER PRIMARY KEY, f INTEGER NOT NULL, m INTEGER NOT NULL, l INTEGER NOT NULL)`,
		`DELETE FROM temp.prev_rfm`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO temp.prev_rfm SELECT buyer_id, count(*), sum(amount_fen), max(paid_day) FROM orders
		WHERE shop_id = ? AND paid_day IS NOT NULL AND paid_day <= ? AND NOT no_buyer GROUP BY buyer_id`, shop, int64(prev)); err != nil {
		return fmt.Errorf("store: segments: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*), COALESCE(? * count(*) - sum(l), 0), COALESCE(sum(f), 0), COALESCE(sum(m), 0) FROM temp.prev_rfm`,
		int64(prev)).Scan(&n, &r, &f, &m); err != nil {
		return fmt.Errorf("store: segments: %w", err)
	}
	old := `COALESCE((SELECT ` + segmentCase(`?2 - p.l`, `p.f`, `p.m`, `?3`, `?4`, `?5`, `?6`) + ` FROM temp.prev_rfm p WHERE p.buyer_id = buyer_records.buyer_id), '')`
	// Only a buyer who had paid by then, or had a segment then, can change.
	if _, err := tx.ExecContext(ctx, `UPDATE buyer_records SET prev_segment = `+old+`
		WHERE shop_id = ?1 AND (first_paid <= ?2 OR prev_segment <> '') AND prev_segment IS NOT `+old,
		shop, int64(prev), n, r, f, m); err != nil {
		return fmt.Errorf("store: segments: %w", err)
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
	d, ok, err := lastRowDay(ctx, s.read, shop)
	if err != nil {
		return 0, err
	}
	if !ok {
		return shop.Today(time.Now()), nil
	}
	return d, nil
}

// LoyaltyOrders are what the repurchase and 80/30 figures of [from, to]
// read: the period's paid, not cancelled orders with a buyer, and — for
// each of those buyers who had paid before from — one order of no amount
// on their first paid day, taken from their record (kept on import), so
// that a period costs its own orders, not every order before it. Also how
// many of the period's paid orders have no buyer (their exports carry none).
func (s *Store) LoyaltyOrders(ctx context.Context, shop *Shop, from, to kpi.Day) ([]loyalty.PaidOrder, int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT b.name, o.paid_day, o.amount_fen, o.no_buyer FROM orders o JOIN buyers b ON b.id = o.buyer_id
		WHERE o.shop_id = ? AND o.paid_day BETWEEN ? AND ?`, shop.ID, int64(from), int64(to))
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
		if none {
			buyerless++
			continue
		}
		o.Day = kpi.Day(day)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	earlier, err := s.read.QueryContext(ctx, `SELECT r.buyer, r.first_paid FROM buyer_records r WHERE r.shop_id = ?1 AND r.first_paid < ?2
		AND r.buyer_id IN (SELECT buyer_id FROM orders WHERE shop_id = ?1 AND paid_day BETWEEN ?2 AND ?3)`, shop.ID, int64(from), int64(to))
	if err != nil {
		return nil, 0, fmt.Errorf("store: loyalty orders: %w", err)
	}
	defer earlier.Close()
	for earlier.Next() {
		var o loyalty.PaidOrder
		var day int64
		if err := earlier.Scan(&o.Buyer, &day); err != nil {
			return nil, 0, err
		}
		o.Day = kpi.Day(day)
		out = append(out, o)
	}
	return out, buyerless, earlier.Err()
}
