package store

import (
	"context"
	"fmt"
	"sort"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Drill-downs: the rows behind an agent's numbers in the league table (the
// slow and unreplied messages with their chat, the inquiries that did not
// convert, the refunds, the bad and medium reviews). Each counts exactly what
// the matching sums count, so the list and the number agree.

// AgentListed reports whether an agent with these period sums is listed in a
// report (METRICS.md "Agents listed").
func AgentListed(s *kpi.Sums) bool { return active(s) }

// ChatMsg is one chat message as a drill-down shows it.
type ChatMsg struct {
	ID      int64
	At      kpi.Millis
	Role    kpi.Role
	AgentID int64
	Agent   string // the agent's name ("" for buyer and bot messages)
	Content string
}

// SlowMessage is a window buyer message answered after 3 minutes or never.
type SlowMessage struct {
	ChatMsg
	BuyerID int64
	Buyer   string
	WaitMs  int64 // -1: unreplied (no human reply within 24 hours)
	ReplyID int64 // the reply counted, 0 when unreplied
	Context []ChatMsg
}

// SlowDrill is the list of an agent's slow messages in a period.
type SlowDrill struct {
	Total     int64 // slow messages: buyer_messages − replied within 3 minutes
	Unreplied int64 // of which unreplied
	Items     []SlowMessage
}

// ContextMs is how far around a slow message its chat context reaches.
const ContextMs = 10 * 60 * 1000

// SlowMessages lists the window buyer messages of [from, to] credited to
// agentID with a wait over 180 s or unreplied, newest first, the first limit
// of them with their chat context (the buyer's messages ContextMs before to
// ContextMs after). Waits and credit are recomputed per message by the
// engine's rules over each buyer's whole history (kpi.Engine.MessageWaits).
func (s *Store) SlowMessages(ctx context.Context, shop *Shop, agentID int64, from, to kpi.Day, limit int) (*SlowDrill, error) {
	// The buyers with such messages: resp_facts say which (a group with fewer
	// replies within 3 minutes than messages).
	rows, err := s.read.QueryContext(ctx, `SELECT m.buyer_id, m.id, m.sent_at, m.role, COALESCE(m.agent_id, 0), m.stage
		FROM messages m WHERE m.shop_id = ? AND m.buyer_id IN (
			SELECT DISTINCT buyer_id FROM resp_facts WHERE shop_id = ? AND day BETWEEN ? AND ? AND agent_id = ? AND within_3m < msgs)
		ORDER BY m.buyer_id, m.sent_at, m.id`, shop.ID, shop.ID, int64(from), int64(to), agentID)
	if err != nil {
		return nil, fmt.Errorf("store: slow messages: %w", err)
	}
	defer rows.Close()
	eng := shop.Engine()
	d := &SlowDrill{}
	var all []SlowMessage
	var msgs []kpi.Msg
	var ids []int64
	var waits []kpi.MsgWait
	cur := int64(-1)
	flush := func() {
		if cur < 0 {
			return
		}
		waits = eng.MessageWaits(msgs, waits)
		for _, w := range waits {
			if w.Agent != agentID || w.Day < from || w.Day > to || !w.Slow() {
				continue
			}
			m := SlowMessage{ChatMsg: ChatMsg{ID: ids[w.Index], At: msgs[w.Index].SentAt, Role: kpi.RoleBuyer}, BuyerID: cur, WaitMs: w.WaitMs}
			if w.Reply >= 0 {
				m.ReplyID = ids[w.Reply]
			}
			all = append(all, m)
			d.Total++
			if w.Unreplied() {
				d.Unreplied++
			}
		}
	}
	for rows.Next() {
		var b, id, role, stage int64
		var m kpi.Msg
		if err := rows.Scan(&b, &id, &m.SentAt, &role, &m.Agent, &stage); err != nil {
			return nil, fmt.Errorf("store: slow messages: %w", err)
		}
		m.Seq, m.Role, m.Stage = id, kpi.Role(role), kpi.Stage(stage)
		if b != cur {
			flush()
			cur, msgs, ids = b, msgs[:0], ids[:0]
		}
		msgs = append(msgs, m)
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: slow messages: %w", err)
	}
	flush()
	rows.Close()
	sort.Slice(all, func(i, j int) bool {
		if all[i].At != all[j].At {
			return all[i].At > all[j].At
		}
		return all[i].ID > all[j].ID
	})
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	for i := range all {
		m := &all[i]
		if m.Context, err = s.chatAround(ctx, shop.ID, m.BuyerID, m.At); err != nil {
			return nil, err
		}
		for _, c := range m.Context {
			if c.ID == m.ID {
				m.Content = c.Content
			}
		}
		if m.Buyer, err = s.buyerName(ctx, m.BuyerID); err != nil {
			return nil, err
		}
	}
	d.Items = all
	return d, nil
}

// chatAround is a buyer's chat from ContextMs before at to ContextMs after.
func (s *Store) chatAround(ctx context.Context, shopID, buyerID int64, at kpi.Millis) ([]ChatMsg, error) {
	return s.ChatBetween(ctx, shopID, buyerID, at-ContextMs, at+ContextMs, 0)
}

// ChatBetween is a buyer's chat with sent_at in [from, to] in message order,
// at most limit messages (0 = all).
func (s *Store) ChatBetween(ctx context.Context, shopID, buyerID int64, from, to kpi.Millis, limit int) ([]ChatMsg, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT m.id, m.sent_at, m.role, COALESCE(m.agent_id, 0), COALESCE(a.name, ''), m.content
		FROM messages m LEFT JOIN agents a ON a.id = m.agent_id
		WHERE m.shop_id = ? AND m.buyer_id = ? AND m.sent_at BETWEEN ? AND ? ORDER BY m.sent_at, m.id LIMIT ?`,
		shopID, buyerID, int64(from), int64(to), sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: chat context: %w", err)
	}
	defer rows.Close()
	var out []ChatMsg
	for rows.Next() {
		var c ChatMsg
		var role int64
		if err := rows.Scan(&c.ID, &c.At, &role, &c.AgentID, &c.Agent, &c.Content); err != nil {
			return nil, err
		}
		c.Role = kpi.Role(role)
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) buyerName(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.read.QueryRowContext(ctx, `SELECT name FROM buyers WHERE id = ?`, id).Scan(&name)
	return name, err
}

// Inquiry is a consultation (buyer-day) that was an inquiry.
type Inquiry struct {
	BuyerID  int64
	Buyer    string
	Day      kpi.Day
	FirstAt  kpi.Millis // the day's first buyer message
	FirstMsg string     // its text
}

// InquiryDrill lists an agent's inquiries that did not convert.
type InquiryDrill struct {
	Total int64 // inquiries received − converted
	Items []Inquiry
}

// UnconvertedInquiries lists the inquiry buyer-days of [from, to] received
// by agentID that no order converted, newest first (the first limit).
func (s *Store) UnconvertedInquiries(ctx context.Context, shop *Shop, agentID int64, from, to kpi.Day, limit int) (*InquiryDrill, error) {
	const where = ` WHERE d.shop_id = ? AND d.day BETWEEN ? AND ? AND d.inquiry = 1 AND d.converted = 0 AND d.recv_agent_id = ?`
	args := []any{shop.ID, int64(from), int64(to), agentID}
	d := &InquiryDrill{}
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM buyer_days d`+where, args...).Scan(&d.Total); err != nil {
		return nil, fmt.Errorf("store: unconverted inquiries: %w", err)
	}
	// The day's first buyer message: the first in message order at first_msg.
	rows, err := s.read.QueryContext(ctx, `SELECT d.buyer_id, b.name, d.day, d.first_msg,
		COALESCE((SELECT m.content FROM messages m WHERE m.shop_id = d.shop_id AND m.buyer_id = d.buyer_id
			AND m.sent_at = d.first_msg AND m.role = ? ORDER BY m.id LIMIT 1), '')
		FROM buyer_days d JOIN buyers b ON b.id = d.buyer_id`+where+`
		ORDER BY d.first_msg DESC, d.buyer_id LIMIT ?`, append(append([]any{int64(kpi.RoleBuyer)}, args...), sqlLimit(limit))...)
	if err != nil {
		return nil, fmt.Errorf("store: unconverted inquiries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var q Inquiry
		if err := rows.Scan(&q.BuyerID, &q.Buyer, &q.Day, &q.FirstAt, &q.FirstMsg); err != nil {
			return nil, err
		}
		d.Items = append(d.Items, q)
	}
	return d, rows.Err()
}

// sqlLimit is a LIMIT value: -1 (no limit) for limit ≤ 0.
func sqlLimit(limit int) int64 {
	if limit <= 0 {
		return -1
	}
	return int64(limit)
}

// RefundRow is one after-sales case as the refunds drill-down shows it.
type RefundRow struct {
	RefundID    string
	OrderID     string
	Buyer       string
	Type        kpi.RefundType
	Status      kpi.RefundStatus
	RequestedAt kpi.Millis
	CompletedAt kpi.Millis // 0 = not completed
	Reason      string
	AmountFen   int64
	Quality     bool
	Dispute     bool // platform intervened and the merchant was liable
	// Done: a success refund completed in the period (refund_rate);
	// Requested: requested in the period (quality_refund_rate).
	Done, Requested bool
}

// RefundDrill lists an agent's refunds of a period.
type RefundDrill struct {
	Total     int64 // completed or requested in the period
	Done      int64 // success refunds completed in the period (RefundsDone)
	Disputes  int64 // of those, disputes (Disputes)
	Requested int64 // requested in the period (RefundsRequested)
	Items     []RefundRow
}

// AgentRefunds lists the refunds credited to agentID that were completed
// (success) or requested in [from, to], newest request first (the first limit).
func (s *Store) AgentRefunds(ctx context.Context, shop *Shop, agentID int64, from, to kpi.Day, limit int) (*RefundDrill, error) {
	const where = ` WHERE r.shop_id = ? AND r.credited_agent_id = ? AND ((r.done_day BETWEEN ? AND ?) OR (r.req_day BETWEEN ? AND ?))`
	args := []any{shop.ID, agentID, int64(from), int64(to), int64(from), int64(to)}
	d := &RefundDrill{}
	err := s.read.QueryRowContext(ctx, `SELECT count(*),
		COALESCE(SUM(r.done_day BETWEEN ?1 AND ?2), 0),
		COALESCE(SUM(r.done_day BETWEEN ?1 AND ?2 AND r.intervened = 1 AND r.merchant_liable = 1), 0),
		COALESCE(SUM(r.req_day BETWEEN ?1 AND ?2), 0)
		FROM refunds r WHERE r.shop_id = ?3 AND r.credited_agent_id = ?4 AND ((r.done_day BETWEEN ?1 AND ?2) OR (r.req_day BETWEEN ?1 AND ?2))`,
		int64(from), int64(to), shop.ID, agentID).Scan(&d.Total, &d.Done, &d.Disputes, &d.Requested)
	if err != nil {
		return nil, fmt.Errorf("store: agent refunds: %w", err)
	}
	// A refund without a buyer of its own is its order's buyer's.
	rows, err := s.read.QueryContext(ctx, `SELECT r.refund_id, r.order_id,
		COALESCE(b.name, (SELECT ob.name FROM orders o JOIN buyers ob ON ob.id = o.buyer_id WHERE o.shop_id = r.shop_id AND o.order_id = r.order_id), ''),
		r.type, r.status, r.requested_at,
		COALESCE(r.completed_at, 0), r.reason, r.amount_fen, r.quality, r.intervened = 1 AND r.merchant_liable = 1,
		COALESCE(r.done_day BETWEEN ? AND ?, 0), r.req_day BETWEEN ? AND ?
		FROM refunds r LEFT JOIN buyers b ON b.id = r.buyer_id`+where+`
		ORDER BY r.requested_at DESC, r.id DESC LIMIT ?`,
		append(append([]any{int64(from), int64(to), int64(from), int64(to)}, args...), sqlLimit(limit))...)
	if err != nil {
		return nil, fmt.Errorf("store: agent refunds: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r RefundRow
		if err := rows.Scan(&r.RefundID, &r.OrderID, &r.Buyer, &r.Type, &r.Status, &r.RequestedAt, &r.CompletedAt,
			&r.Reason, &r.AmountFen, &r.Quality, &r.Dispute, &r.Done, &r.Requested); err != nil {
			return nil, err
		}
		d.Items = append(d.Items, r)
	}
	return d, rows.Err()
}

// ReviewRow is one review as the bad-reviews drill-down shows it.
type ReviewRow struct {
	ReviewID string
	OrderID  string
	Buyer    string
	Rating   int
	At       kpi.Millis
	Content  string
	Product  string
}

// ReviewDrill lists an agent's bad (1–2 stars) and medium (3 stars) reviews.
type ReviewDrill struct {
	Total  int64 // rating ≤ 3: BadReviews + MediumReviews
	Bad    int64 // rating ≤ 2
	Medium int64 // rating 3
	Items  []ReviewRow
}

// AgentBadReviews lists the reviews rated 3 or lower created in [from, to]
// and credited to agentID, newest first (the first limit).
func (s *Store) AgentBadReviews(ctx context.Context, shop *Shop, agentID int64, from, to kpi.Day, limit int) (*ReviewDrill, error) {
	const where = ` WHERE r.shop_id = ? AND r.day BETWEEN ? AND ? AND r.credited_agent_id = ? AND r.rating <= 3`
	args := []any{shop.ID, int64(from), int64(to), agentID}
	d := &ReviewDrill{}
	if err := s.read.QueryRowContext(ctx, `SELECT count(*), COALESCE(SUM(r.rating <= 2), 0), COALESCE(SUM(r.rating = 3), 0) FROM reviews r`+where, args...).
		Scan(&d.Total, &d.Bad, &d.Medium); err != nil {
		return nil, fmt.Errorf("store: bad reviews: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT r.review_id, r.order_id, b.name, r.rating, r.created_at, r.content, r.product
		FROM reviews r JOIN buyers b ON b.id = r.buyer_id`+where+` ORDER BY r.created_at DESC, r.id DESC LIMIT ?`,
		append(args, sqlLimit(limit))...)
	if err != nil {
		return nil, fmt.Errorf("store: bad reviews: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ReviewRow
		if err := rows.Scan(&r.ReviewID, &r.OrderID, &r.Buyer, &r.Rating, &r.At, &r.Content, &r.Product); err != nil {
			return nil, err
		}
		d.Items = append(d.Items, r)
	}
	return d, rows.Err()
}
