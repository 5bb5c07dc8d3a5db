package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/loyalty"
)

// CustomerRecord is one buyer's record (LOYALTY.md "The record").
type CustomerRecord struct {
	BuyerID             int64
	Buyer               string
	Orders, Units       int
	SpendFen            int64
	FirstPaid, LastPaid kpi.Day // 0 = no paid order (a prospect)
	Refunds             int
	RefundFen           int64
	Reviews, RatingSum  int
	BadReviews          int
	Complaints          int
	ConsultDays         int
	LastChat            kpi.Day
	Name, Phone         string
	Birthday            string // MM-DD ("" = unknown)
	Level               string
	Tags                string // joined by 、
	Recency             int    // days from the last paid day to the segments' day (-1 = none)
	Segment, Prev       string
}

// AOVFen is the average order value (ok=false without orders).
func (r *CustomerRecord) AOVFen() (int64, bool) {
	if r.Orders == 0 {
		return 0, false
	}
	return (r.SpendFen + int64(r.Orders)/2) / int64(r.Orders), true
}

// MeanRating is the mean review rating (ok=false without reviews).
func (r *CustomerRecord) MeanRating() (float64, bool) {
	if r.Reviews == 0 {
		return 0, false
	}
	return float64(r.RatingSum) / float64(r.Reviews), true
}

// Customer list tabs.
const (
	TabCustomers = "" // buyers with a paid order
	TabProspects = "prospects"
)

// CustomerSorts are the list's sort keys and their SQL expressions over
// buyer_records r: every column of the list.
var CustomerSorts = map[string]string{
	"buyer": "r.buyer", "name": "r.name", "phone": "r.phone", "orders": "r.orders", "spend": "r.spend_fen",
	"aov": "(r.spend_fen / max(r.orders, 1))", "first_paid": "r.first_paid", "last_paid": "r.last_paid",
	"recency": "r.last_paid", "refunds": "r.refunds", "reviews": "r.reviews", "complaints": "r.complaints",
	"consult": "r.consult_days", "level": "r.level", "tags": "r.tags", "segment": "r.segment",
}

// CustomerQuery is a filtered, sorted page of the customer list.
type CustomerQuery struct {
	Tab        string
	Q          string // part of the buyer or member name, a phone's last 4 digits, or a tag
	Segment    string
	Level      string
	Tag        string
	PaidAfter  kpi.Day // last paid on or after (0 = any)
	PaidBefore kpi.Day // last paid on or before (0 = any)
	Sort       string  // a CustomerSorts key ("" = spend)
	Asc        bool
	Limit      int // 0 = all
	Offset     int
	AgentID    int64 // ≠ 0: only the buyers this agent served
}

// servedBy is the condition that the buyer in column col was served by an
// agent (arguments: shop, agent, shop, agent): the agent answered last on
// one of the buyer's chat days, or an order of theirs is credited to the
// agent. Read from the facts at query time through their covering indexes
// (the buyerless orders' buyer has no record), not kept apart: a table of
// it cost every import a second per 80k buyers touched.
func servedBy(col string) string {
	return col + ` IN (SELECT buyer_id FROM buyer_days WHERE shop_id = ? AND last_agent_id = ?
	UNION SELECT buyer_id FROM orders WHERE shop_id = ? AND paid_day IS NOT NULL AND credited_agent_id = ?)`
}

// where is the SQL condition of a query on buyer_records r.
func (q CustomerQuery) where(shopID int64) (string, []any) {
	w := []string{"r.shop_id = ?"}
	args := []any{shopID}
	if q.Tab == TabProspects {
		w = append(w, "r.orders = 0")
	} else {
		w = append(w, "r.orders > 0")
	}
	if s := strings.TrimSpace(q.Q); s != "" {
		w = append(w, "(instr(r.buyer, ?) > 0 OR instr(r.name, ?) > 0 OR r.phone_tail = ? OR instr(r.tags, ?) > 0)")
		args = append(args, s, s, s, s)
	}
	if q.Segment != "" {
		w = append(w, "r.segment = ?")
		args = append(args, q.Segment)
	}
	if q.Level != "" {
		w = append(w, "r.level = ?")
		args = append(args, q.Level)
	}
	if q.Tag != "" {
		w = append(w, "instr('、' || r.tags || '、', ?) > 0")
		args = append(args, "、"+q.Tag+"、")
	}
	if q.PaidAfter != 0 {
		w = append(w, "r.last_paid >= ?")
		args = append(args, int64(q.PaidAfter))
	}
	if q.PaidBefore != 0 {
		w = append(w, "r.last_paid <= ?")
		args = append(args, int64(q.PaidBefore))
	}
	if q.AgentID != 0 {
		w = append(w, servedBy("r.buyer_id"))
		args = append(args, shopID, q.AgentID, shopID, q.AgentID)
	}
	return strings.Join(w, " AND "), args
}

const recordColumns = `r.buyer_id, r.buyer, r.orders, r.units, r.spend_fen, COALESCE(r.first_paid, 0), COALESCE(r.last_paid, 0), r.refunds,
	r.refund_fen, r.reviews, r.rating_sum, r.bad_reviews, r.complaints, r.consult_days, COALESCE(r.last_contact, 0), r.name, r.phone,
	r.birthday_md, r.level, r.tags, r.segment, r.prev_segment`

func scanRecord(sc interface{ Scan(...any) error }) (CustomerRecord, error) {
	var c CustomerRecord
	var first, last, chat int64
	err := sc.Scan(&c.BuyerID, &c.Buyer, &c.Orders, &c.Units, &c.SpendFen, &first, &last, &c.Refunds, &c.RefundFen, &c.Reviews,
		&c.RatingSum, &c.BadReviews, &c.Complaints, &c.ConsultDays, &chat, &c.Name, &c.Phone, &c.Birthday, &c.Level, &c.Tags,
		&c.Segment, &c.Prev)
	c.FirstPaid, c.LastPaid, c.LastChat = kpi.Day(first), kpi.Day(last), kpi.Day(chat)
	c.Recency = -1
	return c, err
}

// Customers is a page of the customer list and how many match in all.
func (s *Store) Customers(ctx context.Context, shop *Shop, q CustomerQuery) ([]CustomerRecord, int, error) {
	where, args := q.where(shop.ID)
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM buyer_records r WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: customers: %w", err)
	}
	col, ok := CustomerSorts[q.Sort]
	if !ok {
		col = "r.spend_fen"
	}
	asc := q.Asc
	if q.Sort == "recency" { // days since the last payment: the later it was, the fewer
		asc = !asc
	}
	dir := " DESC"
	if asc {
		dir = " ASC"
	}
	// Ties (and NULL days of prospects) in a stable order: by buyer id.
	order := " ORDER BY " + col + dir + ", r.buyer_id" + dir
	rows, err := s.read.QueryContext(ctx, `SELECT `+recordColumns+` FROM buyer_records r WHERE `+where+order+` LIMIT ? OFFSET ?`,
		append(args, sqlLimit(q.Limit), q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: customers: %w", err)
	}
	defer rows.Close()
	var out []CustomerRecord
	for rows.Next() {
		c, err := scanRecord(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, s.setRecency(ctx, shop.ID, out)
}

// setRecency fills the records' days since the last payment, counted to
// the day their segments are as of.
func (s *Store) setRecency(ctx context.Context, shopID int64, rs []CustomerRecord) error {
	day, ok, err := s.SegmentsAsOf(ctx, shopID)
	if err != nil || !ok {
		return err
	}
	for i := range rs {
		if rs[i].LastPaid != 0 {
			rs[i].Recency = int(day - rs[i].LastPaid)
		}
	}
	return nil
}

// CustomerByID is one buyer's record; ErrNotFound when the buyer has none
// in the shop, or (agentID ≠ 0) the agent never served them.
func (s *Store) CustomerByID(ctx context.Context, shop *Shop, buyerID, agentID int64) (*CustomerRecord, error) {
	q := `SELECT ` + recordColumns + ` FROM buyer_records r WHERE r.shop_id = ? AND r.buyer_id = ?`
	args := []any{shop.ID, buyerID}
	if agentID != 0 {
		q += ` AND ` + servedBy("r.buyer_id")
		args = append(args, shop.ID, agentID, shop.ID, agentID)
	}
	c, err := scanRecord(s.read.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: customer: %w", err)
	}
	one := []CustomerRecord{c}
	if err := s.setRecency(ctx, shop.ID, one); err != nil {
		return nil, err
	}
	return &one[0], nil
}

// SegmentCount is one segment's share of the customers now and a month
// earlier.
type SegmentCount struct {
	Segment  string
	N        int
	SpendFen int64
	PrevN    int // as of one month before the segment day
}

// SegmentMove is how many customers moved from one segment to another.
type SegmentMove struct {
	From, To string // From "" = no paid order a month earlier (new)
	N        int
}

// SegmentSummary is the segments of a shop's customers (agentID ≠ 0: the
// agent's), in segment order, and the moves between them.
func (s *Store) SegmentSummary(ctx context.Context, shop *Shop, agentID int64) ([]SegmentCount, []SegmentMove, error) {
	q := CustomerQuery{AgentID: agentID}
	where, args := q.where(shop.ID)
	rows, err := s.read.QueryContext(ctx, `SELECT r.prev_segment, r.segment, count(*), sum(r.spend_fen) FROM buyer_records r WHERE `+where+
		` GROUP BY r.prev_segment, r.segment`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: segments: %w", err)
	}
	defer rows.Close()
	counts := map[string]*SegmentCount{}
	for _, sg := range loyalty.Segments {
		counts[sg.Key] = &SegmentCount{Segment: sg.Key}
	}
	var moves []SegmentMove
	for rows.Next() {
		var prev, cur string
		var n int
		var spend int64
		if err := rows.Scan(&prev, &cur, &n, &spend); err != nil {
			return nil, nil, err
		}
		if c := counts[cur]; c != nil {
			c.N += n
			c.SpendFen += spend
		}
		if c := counts[prev]; c != nil {
			c.PrevN += n
		}
		if prev != cur {
			moves = append(moves, SegmentMove{From: prev, To: cur, N: n})
		}
	}
	out := make([]SegmentCount, 0, len(loyalty.Segments))
	for _, sg := range loyalty.Segments {
		out = append(out, *counts[sg.Key])
	}
	return out, moves, rows.Err()
}

// CustomerLevels are the member levels in use (the filter's choices).
func (s *Store) CustomerLevels(ctx context.Context, shopID int64) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT level FROM buyer_records WHERE shop_id = ? AND level <> '' ORDER BY level LIMIT 50`, shopID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// BuyerlessOrders counts a shop's orders exported without a buyer.
func (s *Store) BuyerlessOrders(ctx context.Context, shopID int64) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM orders WHERE shop_id = ? AND no_buyer`, shopID).Scan(&n)
	return n, err
}

// CareContact is one logged care contact.
type CareContact struct {
	ID       int64
	BuyerID  int64
	Buyer    string
	At       kpi.Millis
	Day      kpi.Day
	Type     string
	Channel  string
	Agent    string
	By       string
	Occasion string
	Note     string
}

// ErrCapped: the customer was contacted inside the frequency cap; the
// contact is logged only when the person confirms.
var ErrCapped = errors.New("这位客户在频率限制内已经被联系过")

// CareCapKey is the setting holding a shop's frequency cap in days.
func CareCapKey(shopID int64) string { return fmt.Sprintf("care_cap:%d", shopID) }

// CareCap is a shop's frequency cap in days (loyalty.DefaultCapDays unless set).
func (s *Store) CareCap(ctx context.Context, shopID int64) (int, error) {
	raw, err := s.Setting(ctx, CareCapKey(shopID))
	if err != nil || raw == "" {
		return loyalty.DefaultCapDays, err
	}
	var n int
	if _, err := fmt.Sscan(raw, &n); err != nil || n < 1 || n > 365 {
		return loyalty.DefaultCapDays, nil
	}
	return n, nil
}

// SetCareCap sets a shop's frequency cap (1–365 days).
func (s *Store) SetCareCap(ctx context.Context, shopID int64, days int) error {
	if days < 1 || days > 365 {
		return fmt.Errorf("频率限制应为 1–365 天")
	}
	defer s.workGen.Add(1) // the care calendar's to-do lists change
	return s.SetSetting(ctx, CareCapKey(shopID), fmt.Sprint(days))
}

// LastCare is each buyer's last care contact day on or after since.
func (s *Store) LastCare(ctx context.Context, shopID int64, since kpi.Day) (map[int64]kpi.Day, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT buyer_id, max(day) FROM care_contacts WHERE shop_id = ? AND day >= ? GROUP BY buyer_id`,
		shopID, int64(since))
	if err != nil {
		return nil, fmt.Errorf("store: care: %w", err)
	}
	defer rows.Close()
	out := map[int64]kpi.Day{}
	for rows.Next() {
		var b, d int64
		if err := rows.Scan(&b, &d); err != nil {
			return nil, err
		}
		out[b] = kpi.Day(d)
	}
	return out, rows.Err()
}

// LogCare records a care contact for a buyer of the shop. Inside the
// frequency cap it returns ErrCapped and writes nothing unless confirmed.
func (s *Store) LogCare(ctx context.Context, shop *Shop, c CareContact, agentID int64, confirmed bool) error {
	if !loyalty.ValidContactType(c.Type) || !loyalty.ValidChannel(c.Channel) {
		return fmt.Errorf("未知的联系类型或渠道")
	}
	capDays, err := s.CareCap(ctx, shop.ID)
	if err != nil {
		return err
	}
	now := time.Now().UnixMilli()
	today := kpi.Clock{Loc: shop.Location()}.DayOf(kpi.Millis(now))
	return s.withWrite(ctx, func(tx *sql.Tx) error {
		var last sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT max(day) FROM care_contacts WHERE shop_id = ? AND buyer_id = ?`, shop.ID, c.BuyerID).Scan(&last); err != nil {
			return err
		}
		if !confirmed && loyalty.Capped(kpi.Day(last.Int64), last.Valid, today, capDays) {
			return ErrCapped
		}
		var agent any
		if agentID != 0 {
			agent = agentID
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO care_contacts (shop_id, buyer_id, at, day, type, channel, agent_id, by_user, occasion, note)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, shop.ID, c.BuyerID, now, int64(today), c.Type, c.Channel, agent, c.By, c.Occasion, c.Note)
		if err != nil {
			return fmt.Errorf("store: log care: %w", err)
		}
		s.workGen.Add(1)
		return nil
	})
}

// CareContacts are a shop's care contacts since a day, newest first: one
// buyer's (buyerID ≠ 0), or those with the customers an agent served
// (agentID ≠ 0), or everyone's.
func (s *Store) CareContacts(ctx context.Context, shopID, buyerID, agentID int64, since kpi.Day, limit int) ([]CareContact, error) {
	q := `SELECT c.id, c.buyer_id, b.name, c.at, c.day, c.type, c.channel, COALESCE(a.name, ''), c.by_user, c.occasion, c.note
		FROM care_contacts c JOIN buyers b ON b.id = c.buyer_id LEFT JOIN agents a ON a.id = c.agent_id
		WHERE c.shop_id = ? AND c.day >= ?`
	args := []any{shopID, int64(since)}
	if buyerID != 0 {
		q += ` AND c.buyer_id = ?`
		args = append(args, buyerID)
	}
	if agentID != 0 {
		q += ` AND ` + servedBy("c.buyer_id")
		args = append(args, shopID, agentID, shopID, agentID)
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY c.at DESC, c.id DESC LIMIT ?`, append(args, sqlLimit(limit))...)
	if err != nil {
		return nil, fmt.Errorf("store: care contacts: %w", err)
	}
	defer rows.Close()
	var out []CareContact
	for rows.Next() {
		var c CareContact
		var at, day int64
		if err := rows.Scan(&c.ID, &c.BuyerID, &c.Buyer, &at, &day, &c.Type, &c.Channel, &c.Agent, &c.By, &c.Occasion, &c.Note); err != nil {
			return nil, err
		}
		c.At, c.Day = kpi.Millis(at), kpi.Day(day)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Campaign is a campaign reminder of the care calendar.
type Campaign struct {
	ID         int64
	Day        kpi.Day
	Name, Note string
}

// Campaigns are a shop's campaign reminders with a day in [from, to].
func (s *Store) Campaigns(ctx context.Context, shopID int64, from, to kpi.Day) ([]Campaign, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, day, name, note FROM care_campaigns WHERE shop_id = ? AND day BETWEEN ? AND ? ORDER BY day, id`,
		shopID, int64(from), int64(to))
	if err != nil {
		return nil, fmt.Errorf("store: campaigns: %w", err)
	}
	defer rows.Close()
	var out []Campaign
	for rows.Next() {
		var c Campaign
		var d int64
		if err := rows.Scan(&c.ID, &d, &c.Name, &c.Note); err != nil {
			return nil, err
		}
		c.Day = kpi.Day(d)
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddCampaign adds a campaign reminder; DeleteCampaign removes one.
func (s *Store) AddCampaign(ctx context.Context, shopID int64, day kpi.Day, name, note, by string) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO care_campaigns (shop_id, day, name, note, by_user) VALUES (?, ?, ?, ?, ?)`,
		shopID, int64(day), name, note, by)
	s.workGen.Add(1)
	return err
}

func (s *Store) DeleteCampaign(ctx context.Context, shopID, id int64) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM care_campaigns WHERE shop_id = ? AND id = ?`, shopID, id)
	s.workGen.Add(1)
	return err
}

// BirthdayCustomers are the customers (agentID ≠ 0: the agent's) whose
// birthday MM-DD is one of mds, best segment first, then by spend.
func (s *Store) BirthdayCustomers(ctx context.Context, shop *Shop, mds []string, agentID int64) ([]CustomerRecord, error) {
	if len(mds) == 0 {
		return nil, nil
	}
	q := `SELECT ` + recordColumns + ` FROM buyer_records r WHERE r.shop_id = ? AND r.birthday_md IN (` +
		strings.TrimSuffix(strings.Repeat("?,", len(mds)), ",") + `)`
	args := []any{shop.ID}
	for _, md := range mds {
		args = append(args, md)
	}
	if agentID != 0 {
		q += ` AND ` + servedBy("r.buyer_id")
		args = append(args, shop.ID, agentID, shop.ID, agentID)
	}
	return s.queryRecords(ctx, q+` ORDER BY r.spend_fen DESC, r.buyer_id LIMIT 500`, args...)
}

// TopCustomers are the customers with a paid order (agentID ≠ 0: the
// agent's) of the best segments first, by spend: a holiday's or a
// campaign's to-do list.
func (s *Store) TopCustomers(ctx context.Context, shop *Shop, agentID int64, limit int) ([]CustomerRecord, error) {
	q := CustomerQuery{AgentID: agentID}
	where, args := q.where(shop.ID)
	rank := "CASE r.segment"
	for i, sg := range loyalty.Segments {
		rank += fmt.Sprintf(" WHEN '%s' THEN %d", sg.Key, i)
	}
	rank += " ELSE 99 END"
	return s.queryRecords(ctx, `SELECT `+recordColumns+` FROM buyer_records r WHERE `+where+` ORDER BY `+rank+`, r.spend_fen DESC, r.buyer_id LIMIT ?`,
		append(args, sqlLimit(limit))...)
}

func (s *Store) queryRecords(ctx context.Context, q string, args ...any) ([]CustomerRecord, error) {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: customers: %w", err)
	}
	defer rows.Close()
	var out []CustomerRecord
	for rows.Next() {
		c, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// BuyerDays are the days a buyer chatted, newest first (the timeline).
func (s *Store) BuyerDays(ctx context.Context, shopID, buyerID int64, limit int) ([]kpi.Day, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT day FROM buyer_days WHERE shop_id = ? AND buyer_id = ? ORDER BY day DESC LIMIT ?`,
		shopID, buyerID, sqlLimit(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []kpi.Day
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, kpi.Day(d))
	}
	return out, rows.Err()
}

// BuyerRefunds are the refunds of a buyer's orders (or filed by them).
func (s *Store) BuyerRefunds(ctx context.Context, shopID, buyerID int64) ([]RefundRow, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT f.refund_id, f.order_id, f.type, f.status, f.requested_at, COALESCE(f.completed_at, 0), f.reason,
		f.amount_fen, f.quality, f.intervened = 1 AND f.merchant_liable = 1 FROM refunds f
		WHERE f.shop_id = ?1 AND (f.buyer_id = ?2 OR f.order_id IN (SELECT order_id FROM orders WHERE shop_id = ?1 AND buyer_id = ?2))
		ORDER BY f.requested_at DESC LIMIT 100`, shopID, buyerID)
	if err != nil {
		return nil, fmt.Errorf("store: buyer refunds: %w", err)
	}
	return scanRefunds(rows)
}

// BuyerComplaints are a buyer's complaints, newest first.
func (s *Store) BuyerComplaints(ctx context.Context, shopID, buyerID int64) ([]ComplaintRow, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT created_at, type, status FROM complaints WHERE shop_id = ? AND buyer_id = ? ORDER BY created_at DESC LIMIT 100`,
		shopID, buyerID)
	if err != nil {
		return nil, fmt.Errorf("store: buyer complaints: %w", err)
	}
	defer rows.Close()
	var out []ComplaintRow
	for rows.Next() {
		var c ComplaintRow
		if err := rows.Scan(&c.At, &c.Type, &c.Status); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// BuyerOrders are a buyer's orders, newest first (at most 50).
func (s *Store) BuyerOrders(ctx context.Context, shopID, buyerID int64) ([]OrderBrief, error) {
	return s.orderBrief(ctx, shopID, `o.buyer_id = ?`, buyerID)
}

// BuyerReviews are a buyer's reviews with their case, newest first.
func (s *Store) BuyerReviews(ctx context.Context, shopID, buyerID int64) ([]ReviewRow, map[string]int64, error) {
	rv, err := s.buyerReviews(ctx, shopID, buyerID, "\x00", 0)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT r.review_id, r.created_at, c.id FROM cases c JOIN reviews r ON r.id = c.review_row
		WHERE c.shop_id = ? AND r.buyer_id = ?`, shopID, buyerID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cases := map[string]int64{}
	for rows.Next() {
		var id string
		var at, cid int64
		if err := rows.Scan(&id, &at, &cid); err != nil {
			return nil, nil, err
		}
		cases[id+"|"+fmt.Sprint(at)] = cid
	}
	return rv, cases, rows.Err()
}
