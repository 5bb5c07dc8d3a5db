package store

import (
	"context"
	"strconv"

	"fmt"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/queues"
	"github.com/kefuboard/kefuboard/internal/risk"
)

// Invite is one review-invitation candidate.
type Invite struct {
	OrderID     string
	BuyerID     int64
	Buyer       string
	AgentID     int64 // the order's credited agent, 0 = none
	Agent       string
	DeliveredAt kpi.Millis
	Product     string
	Evidence    []queues.Evidence
	SentAt      kpi.Millis // an invitation was recorded (0 = not yet)
}

// InviteWindowKey is the setting holding a shop's candidate window in days.
func InviteWindowKey(shopID int64) string { return fmt.Sprintf("invite_window:%d", shopID) }

// InviteWindow is the days back from the as-of day a delivery counts.
func (s *Store) InviteWindow(ctx context.Context, shopID int64) (int, error) {
	raw, err := s.Setting(ctx, InviteWindowKey(shopID))
	if err != nil || raw == "" {
		return queues.DefaultInviteWindow, err
	}
	var n int
	if _, err := fmt.Sscan(raw, &n); err != nil || n < 1 || n > 90 {
		return queues.DefaultInviteWindow, nil
	}
	return n, nil
}

// SetInviteWindow sets a shop's candidate window (1–90 days).
func (s *Store) SetInviteWindow(ctx context.Context, shopID int64, days int) error {
	if days < 1 || days > 90 {
		return fmt.Errorf("邀评天数应为 1–90 天")
	}
	return s.setShopSetting(ctx, shopID, InviteWindowKey(shopID), strconv.Itoa(days))
}

// Invites lists the review-invitation candidates of a shop on day asOf, by
// (delivered_at, order_id); agentID narrows to one agent's orders (0 = all).
func (s *Store) Invites(ctx context.Context, shop *Shop, asOf kpi.Day, agentID int64) ([]Invite, error) {
	window, err := s.InviteWindow(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	m, err := s.matcherFor(ctx, shop.ID, risk.Anger, risk.Thanks)
	if err != nil {
		return nil, err
	}
	words := queues.Words{
		Angry: func(t string) bool {
			for _, h := range m.Scan(t) {
				if h.Category == risk.Anger {
					return true
				}
			}
			return false
		},
		Thanks: func(t string) []string {
			for _, h := range m.Scan(t) {
				if h.Category == risk.Thanks {
					return h.Words
				}
			}
			return nil
		},
	}
	clock := kpi.Clock{Loc: shop.Location()}
	from, end := clock.StartOf(asOf-kpi.Day(window)), clock.StartOf(asOf+1)-1
	q := `SELECT o.order_id, o.buyer_id, b.name, o.created_at, o.paid_at, o.delivered_at, o.credited_agent_id, COALESCE(a.name, ''), o.product,
		(SELECT count(*) FROM complaints c WHERE c.shop_id = o.shop_id AND c.order_id = o.order_id AND c.created_at <= ?),
		COALESCE((SELECT i.sent_at FROM invitations i WHERE i.shop_id = o.shop_id AND i.order_id = o.order_id), 0)
		FROM orders o JOIN buyers b ON b.id = o.buyer_id LEFT JOIN agents a ON a.id = o.credited_agent_id
		WHERE o.shop_id = ? AND o.delivered_at BETWEEN ? AND ? AND o.paid_at IS NOT NULL AND o.cancelled = 0
		AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.shop_id = o.shop_id AND r.order_id = o.order_id AND r.created_at <= ?)`
	args := []any{int64(end), shop.ID, int64(from), int64(end), int64(end)}
	if agentID != 0 {
		q += ` AND o.credited_agent_id = ?`
		args = append(args, agentID)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: invites: %w", err)
	}
	type cand struct {
		inv   Invite
		order queues.InviteOrder
	}
	var cands []cand
	for rows.Next() {
		var c cand
		var created, paid, deliv, sent int64
		if err := rows.Scan(&c.inv.OrderID, &c.inv.BuyerID, &c.inv.Buyer, &created, &paid, &deliv, &c.inv.AgentID, &c.inv.Agent, &c.inv.Product,
			&c.order.Complaints, &sent); err != nil {
			rows.Close()
			return nil, err
		}
		c.inv.DeliveredAt, c.inv.SentAt = kpi.Millis(deliv), kpi.Millis(sent)
		c.order.OrderID, c.order.CreatedAt, c.order.PaidAt, c.order.DeliveredAt = c.inv.OrderID, kpi.Millis(created), kpi.Millis(paid), kpi.Millis(deliv)
		cands = append(cands, c)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	var out []Invite
	for i := range cands {
		c := &cands[i]
		if c.order.Complaints > 0 {
			continue
		}
		if err := s.inviteDetails(ctx, shop.ID, &c.order, c.inv.BuyerID, end); err != nil {
			return nil, err
		}
		ev, ok := queues.Invite(&c.order, from, end, words)
		if !ok {
			continue
		}
		c.inv.Evidence = ev
		out = append(out, c.inv)
	}
	queues.SortInvites(out, func(v Invite) (kpi.Millis, string) { return v.DeliveredAt, v.OrderID })
	return out, nil
}

// inviteDetails loads what the rule reads of an order beyond the order row:
// its after-sales, the buyer's chat from 3 days before the order up to end,
// and the buyer's other paid orders with whether each got a 4–5 star review.
func (s *Store) inviteDetails(ctx context.Context, shopID int64, o *queues.InviteOrder, buyerID int64, end kpi.Millis) error {
	rows, err := s.read.QueryContext(ctx, `SELECT type, status, requested_at, COALESCE(completed_at, 0) FROM refunds WHERE shop_id = ? AND order_id = ? AND requested_at <= ?`,
		shopID, o.OrderID, int64(end))
	if err != nil {
		return fmt.Errorf("store: invite refunds: %w", err)
	}
	for rows.Next() {
		var a queues.AfterSale
		var at, done int64
		if err := rows.Scan(&a.Type, &a.Status, &at, &done); err != nil {
			rows.Close()
			return err
		}
		a.RequestedAt, a.CompletedAt = kpi.Millis(at), kpi.Millis(done)
		o.AfterSales = append(o.AfterSales, a)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if o.Chat, err = s.buyerChat(ctx, shopID, buyerID, o.CreatedAt-queues.OrderChatLead, end); err != nil {
		return err
	}
	rows, err = s.read.QueryContext(ctx, `SELECT o.order_id, o.paid_at,
		EXISTS (SELECT 1 FROM reviews r WHERE r.shop_id = o.shop_id AND r.order_id = o.order_id AND r.rating >= 4 AND r.created_at <= ?)
		FROM orders o WHERE o.shop_id = ? AND o.buyer_id = ? AND o.paid_at IS NOT NULL AND o.cancelled = 0 AND o.paid_at < ?`,
		int64(end), shopID, buyerID, int64(o.PaidAt))
	if err != nil {
		return fmt.Errorf("store: invite buyer orders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p queues.PastOrder
		var paid int64
		if err := rows.Scan(&p.OrderID, &paid, &p.GoodReview); err != nil {
			return err
		}
		p.PaidAt = kpi.Millis(paid)
		o.BuyerPaid = append(o.BuyerPaid, p)
	}
	return rows.Err()
}

// buyerChat is a buyer's messages with sent_at in [from, to], in message
// order (sent_at, then file order).
func (s *Store) buyerChat(ctx context.Context, shopID, buyerID int64, from, to kpi.Millis) ([]queues.Msg, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT role, sent_at, content FROM messages
		WHERE shop_id = ? AND buyer_id = ? AND sent_at BETWEEN ? AND ? ORDER BY sent_at, id`, shopID, buyerID, int64(from), int64(to))
	if err != nil {
		return nil, fmt.Errorf("store: buyer chat: %w", err)
	}
	defer rows.Close()
	var out []queues.Msg
	for rows.Next() {
		var m queues.Msg
		var at int64
		if err := rows.Scan(&m.Role, &at, &m.Content); err != nil {
			return nil, err
		}
		m.SentAt = kpi.Millis(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// RecordInvitation records that the buyer of an order was invited (once per
// order; a second record keeps the first).
func (s *Store) RecordInvitation(ctx context.Context, shopID int64, orderID string, agentID int64, by, text string) error {
	defer s.workGen.Add(1)
	var agent any
	if agentID != 0 {
		agent = agentID
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO invitations (shop_id, order_id, agent_id, sent_at, sent_by, text) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (shop_id, order_id) DO NOTHING`, shopID, orderID, agent, time.Now().UnixMilli(), by, text)
	if err != nil {
		return fmt.Errorf("store: record invitation: %w", err)
	}
	return nil
}

// InviteTemplate is one of a shop's invitation texts.
type InviteTemplate struct {
	ID        int64
	Name      string
	Body      string
	UpdatedAt kpi.Millis
	UpdatedBy string
}

// InviteTemplates are a shop's templates, oldest first.
func (s *Store) InviteTemplates(ctx context.Context, shopID int64) ([]InviteTemplate, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, body, updated_at, updated_by FROM invite_templates WHERE shop_id = ? ORDER BY id`, shopID)
	if err != nil {
		return nil, fmt.Errorf("store: invite templates: %w", err)
	}
	defer rows.Close()
	var out []InviteTemplate
	for rows.Next() {
		var t InviteTemplate
		if err := rows.Scan(&t.ID, &t.Name, &t.Body, &t.UpdatedAt, &t.UpdatedBy); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SaveInviteTemplate adds (id 0) or changes a template; an empty body
// deletes it.
func (s *Store) SaveInviteTemplate(ctx context.Context, shopID, id int64, name, body, by string) error {
	defer s.workGen.Add(1)
	now := time.Now().UnixMilli()
	var err error
	switch {
	case id == 0:
		_, err = s.write.ExecContext(ctx, `INSERT INTO invite_templates (shop_id, name, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)`, shopID, name, body, now, by)
	case body == "":
		_, err = s.write.ExecContext(ctx, `DELETE FROM invite_templates WHERE shop_id = ? AND id = ?`, shopID, id)
	default:
		_, err = s.write.ExecContext(ctx, `UPDATE invite_templates SET name = ?, body = ?, updated_at = ?, updated_by = ? WHERE shop_id = ? AND id = ?`,
			name, body, now, by, shopID, id)
	}
	if err != nil {
		return fmt.Errorf("store: invite template: %w", err)
	}
	return nil
}

// InviteKPI is the invitation work over a period (QUEUES §2 KPIs).
type InviteKPI struct {
	Sent          int     // invitations sent in the period
	Reviewed      int     // of those, orders reviewed after the invitation
	InvitedAvg    float64 // mean rating of the period's reviews of invited orders
	InvitedN      int
	NotInvitedAvg float64 // … and of the other reviews
	NotInvitedN   int
}

// InviteKPIs sums a shop's invitations sent in [from, to] (agentID ≠ 0:
// that agent's) and compares the ratings of the period's reviews of invited
// orders with the others.
func (s *Store) InviteKPIs(ctx context.Context, shop *Shop, from, to kpi.Day, agentID int64) (InviteKPI, error) {
	clock := kpi.Clock{Loc: shop.Location()}
	start, end := int64(clock.StartOf(from)), int64(clock.StartOf(to+1))-1
	var k InviteKPI
	agentSQL, args := "", []any{}
	if agentID != 0 {
		agentSQL, args = " AND i.agent_id = ?", []any{agentID}
	}
	err := s.read.QueryRowContext(ctx, `SELECT count(*), COALESCE(SUM(EXISTS (SELECT 1 FROM reviews r WHERE r.shop_id = i.shop_id AND r.order_id = i.order_id AND r.created_at >= i.sent_at)), 0)
		FROM invitations i WHERE i.shop_id = ? AND i.sent_at BETWEEN ? AND ?`+agentSQL, append([]any{shop.ID, start, end}, args...)...).Scan(&k.Sent, &k.Reviewed)
	if err != nil {
		return k, fmt.Errorf("store: invite kpis: %w", err)
	}
	revAgent := ""
	if agentID != 0 {
		revAgent = " AND r.credited_agent_id = ?"
	}
	rows, err := s.read.QueryContext(ctx, `SELECT EXISTS (SELECT 1 FROM invitations i WHERE i.shop_id = r.shop_id AND i.order_id = r.order_id AND i.sent_at <= r.created_at) AS invited,
		count(*), COALESCE(AVG(r.rating), 0) FROM reviews r WHERE r.shop_id = ? AND r.day BETWEEN ? AND ?`+revAgent+` GROUP BY invited`,
		append([]any{shop.ID, int64(from), int64(to)}, args...)...)
	if err != nil {
		return k, fmt.Errorf("store: invite kpis: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var invited bool
		var n int
		var avg float64
		if err := rows.Scan(&invited, &n, &avg); err != nil {
			return k, err
		}
		if invited {
			k.InvitedN, k.InvitedAvg = n, avg
		} else {
			k.NotInvitedN, k.NotInvitedAvg = n, avg
		}
	}
	return k, rows.Err()
}

// InvitationsSince are the order ids invited at or after since, with when.
func (s *Store) InvitationsSince(ctx context.Context, shopID int64, since kpi.Millis) (map[string]kpi.Millis, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT order_id, sent_at FROM invitations WHERE shop_id = ? AND sent_at >= ?`, shopID, int64(since))
	if err != nil {
		return nil, fmt.Errorf("store: invitations: %w", err)
	}
	defer rows.Close()
	out := map[string]kpi.Millis{}
	for rows.Next() {
		var id string
		var at int64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		out[id] = kpi.Millis(at)
	}
	return out, rows.Err()
}
