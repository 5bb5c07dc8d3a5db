// Package kpi holds kefuboard's domain: the six kinds of imported rows and the
// metric definitions of docs/METRICS.md. It does no I/O: the importer fills these
// types from files, the store persists them, and the functions here turn them
// into the facts and sums the pages read.
package kpi

import "strings"

// Millis is a point in time as Unix milliseconds (UTC). Zero means absent: no
// platform export carries 1970-01-01 00:00:00 UTC, and a zero value keeps the
// row structs cheap to copy and compare.
type Millis int64

// Fen is money as integer fen (0.01 yuan). Money is never a float inside kefuboard.
type Fen int64

// Kind names one of the six import formats of docs/IMPORT-FORMATS.md.
type Kind string

const (
	KindMessages   Kind = "messages"
	KindOrders     Kind = "orders"
	KindRefunds    Kind = "refunds"
	KindReviews    Kind = "reviews"
	KindComplaints Kind = "complaints"
	KindCustomers  Kind = "customers"
)

// Kinds lists every kind in the order kind detection tries them (an agent
// report is recognised first, by its figures; see importer.DetectKind).
var Kinds = []Kind{KindAgentReport, KindRefunds, KindReviews, KindMessages, KindComplaints, KindOrders, KindCustomers}

// ParseKind accepts a kind name as a user would type it on the command line.
func ParseKind(s string) (Kind, bool) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Kinds {
		if k == known {
			return k, true
		}
	}
	return "", false
}

// Role is who sent a chat message.
type Role int8

const (
	RoleBuyer Role = 1
	RoleAgent Role = 2 // a human agent (客服)
	RoleBot   Role = 3 // auto-reply, system, 智能客服: never a reply
)

func (r Role) String() string {
	switch r {
	case RoleBuyer:
		return "buyer"
	case RoleAgent:
		return "agent"
	case RoleBot:
		return "bot"
	}
	return "unknown"
}

// Stage is the optional pre-/after-sale mark a messages export may carry.
type Stage int8

const (
	StageUnknown   Stage = 0
	StagePresale   Stage = 1
	StageAftersale Stage = 2
)

// Message is one chat message.
type Message struct {
	MsgID   string // optional platform id; the natural key when present
	Buyer   string
	Role    Role
	Agent   string // required when Role == RoleAgent
	SentAt  Millis
	Content string
	Stage   Stage
	Shop    string // optional; else the shop chosen at import
}

// Order is one order row.
type Order struct {
	OrderID     string
	Buyer       string
	CreatedAt   Millis
	PaidAt      Millis // zero: not paid
	Amount      Fen
	Quantity    int64 // 1 when the column is absent or blank
	Status      string
	Product     string
	Agent       string // explicit credit; overrides attribution
	ShippedAt   Millis
	PickedUpAt  Millis
	DeliveredAt Millis
	// AfterSale is the order export's 售后状态 (PDD: the only refund data a
	// shop without a 售后 file has); not part of the stored order.
	AfterSale string
}

// RefundType is the after-sales case type.
type RefundType int8

const (
	RefundOnly   RefundType = 1 // 仅退款
	ReturnRefund RefundType = 2 // 退货退款
	Exchange     RefundType = 3 // 换货
	Reissue      RefundType = 4 // 补寄 / 补发
)

// RefundStatus is where an after-sales case stands.
type RefundStatus int8

const (
	RefundPending RefundStatus = 0 // anything not success or closed
	RefundSuccess RefundStatus = 1
	RefundClosed  RefundStatus = 2
)

// Refund is one after-sales case.
type Refund struct {
	RefundID       string
	OrderID        string
	Buyer          string // blank: the order's buyer
	Type           RefundType
	Status         RefundStatus
	RequestedAt    Millis
	CompletedAt    Millis
	Reason         string
	Amount         Fen
	Intervened     bool
	MerchantLiable bool
	Agent          string
	// Inferred: read from an order's 售后状态, not from a 售后 file: no type,
	// no request or completion time; counted in refund_rate only.
	Inferred bool
}

// Review is one buyer review. DSR sub-scores are 1–5, zero when absent.
type Review struct {
	ReviewID       string
	OrderID        string
	Buyer          string
	Rating         int8
	CreatedAt      Millis
	Content        string
	Product        string
	DSRDescription int8
	DSRService     int8
	DSRLogistics   int8
}

// Complaint is one buyer complaint.
type Complaint struct {
	ComplaintID string
	Buyer       string
	CreatedAt   Millis
	OrderID     string
	Agent       string
	Type        string
	Status      string
}

// Customer is the optional member record of a buyer (loyalty pages).
type Customer struct {
	Buyer    string
	Name     string
	Phone    string
	Birthday string // "MM-DD"; the year of a full date is dropped
	Level    string
	Tags     []string
	JoinedAt Millis
}
