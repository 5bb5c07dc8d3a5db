package queues

import (
	"cmp"
	"slices"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// DefaultInviteWindow is how many days back from the as-of day a delivery
// makes an order an invitation candidate ([as-of − 15, as-of]).
const DefaultInviteWindow = 15

// OrderChatLead is how far before an order's creation its chat starts
// (QUEUES §1: "from 3 days before the order's created_at").
const OrderChatLead = 3 * 24 * 3600 * 1000

// Positive signals (QUEUES §2, seed 002 (三)).
const (
	ReasonThanked         = "thanked"
	ReasonAftersaleSolved = "aftersale_solved"
	ReasonRepeatBuyer     = "repeat_buyer"
)

// ReasonLabel is a reason's Chinese label.
func ReasonLabel(r string) string {
	switch r {
	case ReasonThanked:
		return "买家道谢/夸奖"
	case ReasonAftersaleSolved:
		return "售后已圆满解决"
	case ReasonRepeatBuyer:
		return "老顾客（以前给过好评）"
	}
	return r
}

// Msg is one chat message of the buyer's conversation, in message order.
type Msg struct {
	Role    kpi.Role
	SentAt  kpi.Millis
	Content string
}

// AfterSale is one refund or after-sales case of an order.
type AfterSale struct {
	Type        kpi.RefundType
	Status      kpi.RefundStatus // the latest export's
	RequestedAt kpi.Millis
	CompletedAt kpi.Millis // 0 = not known
}

// statusAt is the after-sale's status at instant end: one completed later
// was still pending then (a past as-of day sees what that day saw); without
// a completion time the latest status is all there is.
func (a AfterSale) statusAt(end kpi.Millis) kpi.RefundStatus {
	if a.Status != kpi.RefundPending && a.CompletedAt > end {
		return kpi.RefundPending
	}
	return a.Status
}

// PastOrder is one of the buyer's paid orders and whether a review of it
// rated 4 or 5 exists.
type PastOrder struct {
	OrderID    string
	PaidAt     kpi.Millis
	GoodReview bool
}

// InviteOrder is an order with everything the rule reads.
type InviteOrder struct {
	OrderID     string
	CreatedAt   kpi.Millis
	PaidAt      kpi.Millis // 0 = not paid
	Cancelled   bool
	DeliveredAt kpi.Millis // 0 = not delivered
	Reviewed    bool       // a review of this order exists (as of the day)
	Complaints  int        // complaints about this order (as of the day)
	AfterSales  []AfterSale
	// The buyer's messages (every role) up to the end of the as-of day, in
	// message order, and the buyer's other paid orders.
	Chat      []Msg
	BuyerPaid []PastOrder
}

// Words are the word tests the rule needs: anger in a buyer message, and
// thanks or praise (returning the words found, nil for none).
type Words struct {
	Angry  func(text string) bool
	Thanks func(text string) []string
}

// Evidence is why an order qualifies: the reason and, for thanked, the
// buyer's message that shows it.
type Evidence struct {
	Reason string
	Text   string
	SentAt kpi.Millis
	Words  []string
}

// Invite decides whether an order is an invitation candidate on the day
// whose window is [from, end] (from = the start of as-of − window, end = the
// end of the as-of day, both in ms), and why. The rules of QUEUES §2, in
// order:
//
//  1. paid, not cancelled, delivered in [from, end];
//  2. no review of the order;
//  3. no money refund (仅退款, 退货退款) pending or successful, no pending
//     exchange or reissue, and no complaint — statuses as of end: one
//     completed after end was pending then;
//  4. no buyer message from the order's creation to end with an anger word;
//  5. the buyer's last message in the order's chat [created − 3 days, end]
//     was answered by a human agent (a later agent message; bots never
//     answer);
//  6. at least one positive signal: thanked (a buyer message in the order's
//     chat with a thanks or praise word — after delivery is inside it),
//     aftersale_solved (an after-sale closed by the buyer, or an exchange or
//     reissue that succeeded), repeat_buyer (an earlier paid order of the
//     buyer reviewed 4 or 5 stars).
func Invite(o *InviteOrder, from, end kpi.Millis, w Words) ([]Evidence, bool) {
	if o.PaidAt == 0 || o.Cancelled || o.DeliveredAt == 0 || o.DeliveredAt < from || o.DeliveredAt > end {
		return nil, false
	}
	if o.Reviewed || o.Complaints > 0 {
		return nil, false
	}
	solved := false
	for _, a := range o.AfterSales {
		money := a.Type == kpi.RefundOnly || a.Type == kpi.ReturnRefund
		switch status := a.statusAt(end); {
		case status == kpi.RefundPending:
			return nil, false // an open refund or after-sale
		case status == kpi.RefundSuccess && money:
			return nil, false
		case status == kpi.RefundClosed, status == kpi.RefundSuccess: // withdrawn, or exchanged / reissued
			solved = true
		}
	}
	chatFrom := o.CreatedAt - OrderChatLead
	var ev []Evidence
	lastBuyer, answered := -1, false
	for i, m := range o.Chat {
		if m.SentAt > end {
			break
		}
		switch m.Role {
		case kpi.RoleBuyer:
			if m.SentAt >= o.CreatedAt && w.Angry(m.Content) {
				return nil, false
			}
			if m.SentAt >= chatFrom {
				lastBuyer, answered = i, false
				if len(ev) == 0 {
					if words := w.Thanks(m.Content); len(words) > 0 {
						ev = append(ev, Evidence{Reason: ReasonThanked, Text: m.Content, SentAt: m.SentAt, Words: words})
					}
				}
			}
		case kpi.RoleAgent:
			if lastBuyer >= 0 {
				answered = true
			}
		}
	}
	if lastBuyer >= 0 && !answered {
		return nil, false // the buyer's last question is still open
	}
	if solved {
		ev = append(ev, Evidence{Reason: ReasonAftersaleSolved})
	}
	for _, p := range o.BuyerPaid {
		if p.OrderID != o.OrderID && p.GoodReview && p.PaidAt < o.PaidAt {
			ev = append(ev, Evidence{Reason: ReasonRepeatBuyer, Text: p.OrderID})
			break
		}
	}
	return ev, len(ev) > 0
}

// SortInvites orders candidates by (delivered_at, order_id).
func SortInvites[T any](xs []T, key func(T) (kpi.Millis, string)) {
	slices.SortFunc(xs, func(a, b T) int {
		da, oa := key(a)
		db, ob := key(b)
		return cmp.Or(cmp.Compare(da, db), cmp.Compare(oa, ob))
	})
}
