package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/queues"
)

// OrderBrief is an order as the case page shows it.
type OrderBrief struct {
	OrderID     string
	CreatedAt   kpi.Millis
	PaidAt      kpi.Millis // 0 = not paid
	DeliveredAt kpi.Millis
	AmountFen   int64
	Product     string
	Status      string
	Cancelled   bool
	Agent       string // credited agent
}

// ComplaintRow is a complaint about an order.
type ComplaintRow struct {
	At           kpi.Millis
	Type, Status string
}

// CaseDetail is everything the case page shows beside the case itself.
type CaseDetail struct {
	Case       Case
	Order      *OrderBrief // nil when the review names no known order
	Refunds    []RefundRow
	Complaints []ComplaintRow
	Chat       []ChatMsg    // the buyer's chat from 3 days before the order (or the review) to the as-of day
	Orders     []OrderBrief // the buyer's orders, newest first
	Reviews    []ReviewRow  // the buyer's other reviews, newest first
	Events     []CaseEvent
}

// chatLimit caps the chat shown on a case page (the newest are kept).
const chatLimit = 300

// CaseDetail loads a case and its context on day asOf; ErrNotFound when
// the case is not the shop's (or not the agent's when agentID ≠ 0).
func (s *Store) CaseDetail(ctx context.Context, shop *Shop, caseID int64, asOf kpi.Day, agentID int64) (*CaseDetail, error) {
	cs, err := s.Cases(ctx, shop, asOf, CaseFilter{All: true, CaseID: caseID, AgentID: agentID})
	if err != nil {
		return nil, err
	}
	if len(cs) != 1 {
		return nil, ErrNotFound
	}
	d := &CaseDetail{Case: cs[0]}
	c := &d.Case
	if c.OrderID != "" {
		o, err := s.orderBrief(ctx, shop.ID, `o.order_id = ?`, c.OrderID)
		if err != nil {
			return nil, err
		}
		if len(o) > 0 {
			d.Order = &o[0]
		}
		if d.Refunds, err = s.orderRefunds(ctx, shop.ID, c.OrderID); err != nil {
			return nil, err
		}
		if d.Complaints, err = s.orderComplaints(ctx, shop.ID, c.OrderID); err != nil {
			return nil, err
		}
	}
	from := c.CreatedAt
	if d.Order != nil {
		from = d.Order.CreatedAt
	}
	end := kpi.Clock{Loc: shop.Location()}.StartOf(asOf+1) - 1
	if d.Chat, err = s.ChatBetween(ctx, shop.ID, c.BuyerID, from-queues.OrderChatLead, end, chatLimit); err != nil {
		return nil, err
	}
	if d.Orders, err = s.orderBrief(ctx, shop.ID, `o.buyer_id = ?`, c.BuyerID); err != nil {
		return nil, err
	}
	if d.Reviews, err = s.buyerReviews(ctx, shop.ID, c.BuyerID, c.ReviewID, c.CreatedAt); err != nil {
		return nil, err
	}
	if d.Events, err = s.CaseEvents(ctx, c.ID); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Store) orderBrief(ctx context.Context, shopID int64, where string, arg any) ([]OrderBrief, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT o.order_id, o.created_at, COALESCE(o.paid_at, 0), COALESCE(o.delivered_at, 0), o.amount_fen,
		o.product, o.status, o.cancelled, COALESCE(a.name, '')
		FROM orders o LEFT JOIN agents a ON a.id = o.credited_agent_id WHERE o.shop_id = ? AND `+where+`
		ORDER BY o.created_at DESC, o.id DESC LIMIT 50`, shopID, arg)
	if err != nil {
		return nil, fmt.Errorf("store: orders: %w", err)
	}
	defer rows.Close()
	var out []OrderBrief
	for rows.Next() {
		var o OrderBrief
		if err := rows.Scan(&o.OrderID, &o.CreatedAt, &o.PaidAt, &o.DeliveredAt, &o.AmountFen, &o.Product, &o.Status, &o.Cancelled, &o.Agent); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (s *Store) orderRefunds(ctx context.Context, shopID int64, orderID string) ([]RefundRow, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT refund_id, order_id, type, status, requested_at, COALESCE(completed_at, 0), reason, amount_fen,
		quality, intervened = 1 AND merchant_liable = 1 FROM refunds WHERE shop_id = ? AND order_id = ? ORDER BY requested_at, id`, shopID, orderID)
	if err != nil {
		return nil, fmt.Errorf("store: order refunds: %w", err)
	}
	return scanRefunds(rows)
}

// scanRefunds reads refund rows selected as orderRefunds selects them
// (and closes them).
func scanRefunds(rows *sql.Rows) ([]RefundRow, error) {
	defer rows.Close()
	var out []RefundRow
	for rows.Next() {
		var r RefundRow
		if err := rows.Scan(&r.RefundID, &r.OrderID, &r.Type, &r.Status, &r.RequestedAt, &r.CompletedAt, &r.Reason, &r.AmountFen, &r.Quality, &r.Dispute); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) orderComplaints(ctx context.Context, shopID int64, orderID string) ([]ComplaintRow, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT created_at, type, status FROM complaints WHERE shop_id = ? AND order_id = ? ORDER BY created_at, id`, shopID, orderID)
	if err != nil {
		return nil, fmt.Errorf("store: order complaints: %w", err)
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

// buyerReviews are a buyer's reviews other than the case's, newest first.
func (s *Store) buyerReviews(ctx context.Context, shopID, buyerID int64, reviewID string, at kpi.Millis) ([]ReviewRow, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT review_id, order_id, rating, created_at, content, product FROM reviews
		WHERE shop_id = ? AND buyer_id = ? AND NOT (review_id = ? AND created_at = ?) ORDER BY created_at DESC, id DESC LIMIT 50`,
		shopID, buyerID, reviewID, int64(at))
	if err != nil {
		return nil, fmt.Errorf("store: buyer reviews: %w", err)
	}
	defer rows.Close()
	var out []ReviewRow
	for rows.Next() {
		var r ReviewRow
		if err := rows.Scan(&r.ReviewID, &r.OrderID, &r.Rating, &r.At, &r.Content, &r.Product); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
