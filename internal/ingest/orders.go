package ingest

import (
	"strconv"
	"strings"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// orderMerger makes one order of the several rows real exports write for an
// order with several items (JD, Taobao sub-orders, Douyin): quantities and
// item amounts are summed; an order-level amount repeated on every row is
// taken once. It is repeated when it is identical on every row of the order
// and the file has a separate item-price column (JD's 京东价 beside 应付金额).
type orderMerger struct {
	itemPrice bool // the file has an item-price column
	byID      map[string]*mergedOrder
	order     []string // ids in first-seen order, so writes follow the file
}

type mergedOrder struct {
	o        kpi.Order
	rows     int
	sameAmt  bool
	sum      kpi.Fen
	products []string
}

func newOrderMerger(itemPrice bool) *orderMerger {
	return &orderMerger{itemPrice: itemPrice, byID: map[string]*mergedOrder{}}
}

// add takes one row of the file.
func (m *orderMerger) add(o *kpi.Order) {
	cur := m.byID[o.OrderID]
	if cur == nil {
		cur = &mergedOrder{o: *o, rows: 1, sameAmt: true, sum: o.Amount}
		if o.Product != "" {
			cur.products = []string{o.Product}
		}
		m.byID[o.OrderID] = cur
		m.order = append(m.order, o.OrderID)
		return
	}
	cur.rows++
	cur.sum += o.Amount
	cur.sameAmt = cur.sameAmt && o.Amount == cur.o.Amount
	cur.o.Quantity += o.Quantity
	if o.Product != "" && !contains(cur.products, o.Product) {
		cur.products = append(cur.products, o.Product)
	}
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fillT := func(dst *kpi.Millis, v kpi.Millis) {
		if *dst == 0 {
			*dst = v
		}
	}
	fill(&cur.o.Buyer, o.Buyer)
	fill(&cur.o.Status, o.Status)
	fill(&cur.o.Agent, o.Agent)
	fill(&cur.o.AfterSale, o.AfterSale)
	fillT(&cur.o.CreatedAt, o.CreatedAt)
	fillT(&cur.o.PaidAt, o.PaidAt)
	fillT(&cur.o.ShippedAt, o.ShippedAt)
	fillT(&cur.o.PickedUpAt, o.PickedUpAt)
	fillT(&cur.o.DeliveredAt, o.DeliveredAt)
}

// each yields the merged orders in file order.
func (m *orderMerger) each(fn func(*kpi.Order) error) error {
	for _, id := range m.order {
		cur := m.byID[id]
		o := cur.o
		if cur.rows > 1 && !(cur.sameAmt && m.itemPrice) {
			o.Amount = cur.sum
		}
		o.Product = productList(cur.products)
		if err := fn(&o); err != nil {
			return err
		}
	}
	return nil
}

// productList names an order's products: up to three, then how many more.
func productList(ps []string) string {
	if len(ps) <= 3 {
		return strings.Join(ps, "、")
	}
	return strings.Join(ps[:3], "、") + " 等 " + strconv.Itoa(len(ps)) + " 种"
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
