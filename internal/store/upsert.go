package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

type outcome int8

const (
	added outcome = iota
	updated
	unchanged
)

func (t *ImportTx) count(o outcome) {
	switch o {
	case added:
		t.counts.Added++
	case updated:
		t.counts.Updated++
	default:
		t.counts.Unchanged++
	}
}

// upsertSpec is one natural-key upsert: insert unless the key exists; if it
// does, compare digests and update only a changed row. old receives the
// columns of the existing row that sel selects after id and digest, so the
// caller can mark what the old version touched.
type upsertSpec struct {
	ins     string
	insArgs []any
	sel     string
	selArgs []any
	old     []any
	digest  int64
	upd     string
	updArgs []any // the row id is appended
}

func (t *ImportTx) upsert(u upsertSpec) (outcome, error) {
	res, err := t.exec(u.ins, u.insArgs...)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return added, nil
	}
	var id, digest int64
	if err := t.queryRow(u.sel, u.selArgs...).Scan(append([]any{&id, &digest}, u.old...)...); err != nil {
		return 0, err
	}
	if digest == u.digest {
		return unchanged, nil
	}
	if _, err := t.exec(u.upd, append(u.updArgs, id)...); err != nil {
		return 0, err
	}
	return updated, nil
}

func nullMillis(ms kpi.Millis) any {
	if ms == 0 {
		return nil
	}
	return int64(ms)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullInt8(v int8) any {
	if v == 0 {
		return nil
	}
	return int64(v)
}

// agentID interns an agent name; "" means no agent (0). The same person is
// written "店铺:小迪", "店铺-小迪" and "小迪" across a platform's files: a name
// matches exactly, else the longest known name it ends with after a ':' or
// '-' separator ("店铺:小迪" is 小迪 once 小迪 is known), else it is new.
func (t *ImportTx) agentID(st *shopState, name string) (int64, error) {
	if name = kpi.NormalizeName(name); name == "" {
		return 0, nil
	}
	if id, ok := st.agents[name]; ok {
		return id, nil
	}
	var id int64
	err := t.queryRow(`SELECT id FROM agents WHERE shop_id = ? AND name = ?`, st.shop.ID, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		for _, known := range kpi.NameSuffixes(name) {
			err = t.queryRow(`SELECT id FROM agents WHERE shop_id = ? AND name = ?`, st.shop.ID, known).Scan(&id)
			if !errors.Is(err, sql.ErrNoRows) {
				break
			}
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return t.id("agents", st.agents, st.shop.ID, name)
	}
	if err != nil {
		return 0, fmt.Errorf("store: agent %q: %w", name, err)
	}
	st.agents[name] = id
	return id, nil
}

func (t *ImportTx) buyerID(st *shopState, name string) (int64, error) {
	name = kpi.NormalizeName(name)
	if name == "" {
		return 0, errors.New("store: empty buyer")
	}
	return t.id("buyers", st.buyers, st.shop.ID, name)
}

// noBuyerID is the shop's one buyers row for orders exported without a
// buyer (name ""): the engine sees their orders like any buyer's, and every
// count of people leaves it out (orders.no_buyer).
func (t *ImportTx) noBuyerID(st *shopState) (int64, error) {
	return t.id("buyers", st.buyers, st.shop.ID, "")
}

// orderDays are the derived day columns of an order.
func orderDays(c kpi.Clock, o *kpi.Order) (paid, ship, deliv any) {
	if o.PaidAt != 0 && !kpi.IsCancelled(o.Status) {
		paid = int64(c.DayOf(o.PaidAt))
	}
	if o.ShippedAt != 0 {
		ship = int64(c.DayOf(o.ShippedAt))
	}
	if o.DeliveredAt != 0 && (o.PickedUpAt != 0 || o.ShippedAt != 0) {
		deliv = int64(c.DayOf(o.DeliveredAt))
	}
	return
}

// AddOrder upserts one order. An order without a buyer counts in every
// shop-level order metric and never as a person. On a PDD shop, the order's
// 售后状态 stands for the refund file the shop does not have (inferRefund).
func (t *ImportTx) AddOrder(o *kpi.Order) error {
	st := t.main
	noBuyer := kpi.NormalizeName(o.Buyer) == ""
	var buyer int64
	var err error
	if noBuyer {
		buyer, err = t.noBuyerID(st)
	} else {
		buyer, err = t.buyerID(st, o.Buyer)
	}
	if err != nil {
		return err
	}
	if err := t.upsertOrder(st, o, buyer, noBuyer); err != nil {
		return err
	}
	return t.inferRefund(st, o)
}

func (t *ImportTx) upsertOrder(st *shopState, o *kpi.Order, buyer int64, noBuyer bool) error {
	agent, err := t.agentID(st, o.Agent)
	if err != nil {
		return err
	}
	paid, ship, deliv := orderDays(st.clock, o)
	dg := o.Digest()
	cancelled := kpi.IsCancelled(o.Status)
	cols := []any{dg, buyer, int64(o.CreatedAt), nullMillis(o.PaidAt), int64(o.Amount), o.Quantity, o.Status, cancelled, o.Product,
		nullID(agent), nullMillis(o.ShippedAt), nullMillis(o.PickedUpAt), nullMillis(o.DeliveredAt), paid, ship, deliv, noBuyer}
	var oldBuyer int64
	var oldPaid, oldShip, oldDeliv sql.NullInt64
	out, err := t.upsert(upsertSpec{
		ins: `INSERT INTO orders (shop_id, order_id, digest, buyer_id, created_at, paid_at, amount_fen, quantity, status, cancelled, product,
			agent_id, shipped_at, picked_up_at, delivered_at, paid_day, ship_day, deliv_day, no_buyer, credited_agent_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id, order_id) DO NOTHING`,
		// Credit -1 = not computed yet: the engine's first credit always counts as
		// a change, so it reaches refunds, reviews and complaints imported before the order.
		insArgs: append(append([]any{st.shop.ID, o.OrderID}, cols...), -1),
		sel:     `SELECT id, digest, buyer_id, paid_day, ship_day, deliv_day FROM orders WHERE shop_id = ? AND order_id = ?`,
		selArgs: []any{st.shop.ID, o.OrderID},
		old:     []any{&oldBuyer, &oldPaid, &oldShip, &oldDeliv},
		digest:  dg,
		upd: `UPDATE orders SET digest = ?, buyer_id = ?, created_at = ?, paid_at = ?, amount_fen = ?, quantity = ?, status = ?, cancelled = ?,
			product = ?, agent_id = ?, shipped_at = ?, picked_up_at = ?, delivered_at = ?, paid_day = ?, ship_day = ?, deliv_day = ?, no_buyer = ?
			WHERE id = ?`,
		updArgs: cols,
	})
	if err != nil {
		return fmt.Errorf("store: upsert order %s: %w", o.OrderID, err)
	}
	t.count(out)
	if out != unchanged {
		add(st.affected, buyer, oldBuyer)
		add(st.orderBuyers, buyer, oldBuyer)
		for _, ms := range []kpi.Millis{o.PaidAt, o.ShippedAt, o.DeliveredAt} {
			st.mark(famOrders, ms)
		}
		for _, d := range []sql.NullInt64{oldPaid, oldShip, oldDeliv} {
			st.markDay(famOrders, d)
		}
	}
	return nil
}

// orderCredit is the credited agent of an order as stored now (0 if the order
// is unknown). Rows linked to an order take it unless they name an agent; when
// an import later changes the order's credit, creditLinked passes it on.
func (t *ImportTx) orderCredit(st *shopState, orderID string) (int64, error) {
	if orderID == "" {
		return 0, nil
	}
	var credit int64
	err := t.queryRow(`SELECT credited_agent_id FROM orders WHERE shop_id = ? AND order_id = ?`, st.shop.ID, orderID).Scan(&credit)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return credit, err
}

func (t *ImportTx) credit(st *shopState, agent int64, orderID string) (int64, error) {
	if agent != 0 {
		return st.canonical(agent), nil
	}
	return t.orderCredit(st, orderID)
}

// linked is what the old version of a refund, review or complaint touched.
type linked struct {
	buyer sql.NullInt64
	day1  sql.NullInt64
	day2  sql.NullInt64
}

// markLinked marks the days of the new and old version of a changed row.
func (st *shopState) markLinked(f family, out outcome, old *linked, newTimes ...kpi.Millis) {
	if out == unchanged {
		return
	}
	for _, ms := range newTimes {
		st.mark(f, ms)
	}
	st.markDay(f, old.day1)
	st.markDay(f, old.day2)
}

// AddRefund upserts one after-sales case.
func (t *ImportTx) AddRefund(r *kpi.Refund) error {
	st := t.main
	var buyer int64
	var err error
	if kpi.NormalizeName(r.Buyer) != "" {
		if buyer, err = t.buyerID(st, r.Buyer); err != nil {
			return err
		}
	}
	agent, err := t.agentID(st, r.Agent)
	if err != nil {
		return err
	}
	credit, err := t.credit(st, agent, r.OrderID)
	if err != nil {
		return err
	}
	var done any
	var doneAt kpi.Millis
	if r.Status == kpi.RefundSuccess && r.CompletedAt != 0 {
		done, doneAt = int64(st.clock.DayOf(r.CompletedAt)), r.CompletedAt
	}
	if r.Status == kpi.RefundSuccess && r.Inferred {
		// No completion time: counted on the day its order was paid.
		done, doneAt = int64(st.clock.DayOf(r.RequestedAt)), r.RequestedAt
	}
	dg := r.Digest()
	cols := []any{dg, r.OrderID, nullID(buyer), int64(r.Type), int64(r.Status), int64(r.RequestedAt), nullMillis(r.CompletedAt),
		r.Reason, int64(r.Amount), r.Intervened, r.MerchantLiable, nullID(agent), kpi.IsQualityReason(r.Reason),
		int64(st.clock.DayOf(r.RequestedAt)), done, credit, r.Inferred}
	var old linked
	out, err := t.upsert(upsertSpec{
		ins: `INSERT INTO refunds (shop_id, refund_id, digest, order_id, buyer_id, type, status, requested_at, completed_at, reason, amount_fen,
			intervened, merchant_liable, agent_id, quality, req_day, done_day, credited_agent_id, inferred)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id, refund_id) DO NOTHING`,
		insArgs: append([]any{st.shop.ID, r.RefundID}, cols...),
		sel:     `SELECT id, digest, buyer_id, req_day, done_day FROM refunds WHERE shop_id = ? AND refund_id = ?`,
		selArgs: []any{st.shop.ID, r.RefundID},
		old:     []any{&old.buyer, &old.day1, &old.day2},
		digest:  dg,
		upd: `UPDATE refunds SET digest = ?, order_id = ?, buyer_id = ?, type = ?, status = ?, requested_at = ?, completed_at = ?, reason = ?,
			amount_fen = ?, intervened = ?, merchant_liable = ?, agent_id = ?, quality = ?, req_day = ?, done_day = ?, credited_agent_id = ?,
			inferred = ? WHERE id = ?`,
		updArgs: cols,
	})
	if err != nil {
		return fmt.Errorf("store: upsert refund %s: %w", r.RefundID, err)
	}
	t.count(out)
	st.markLinked(famRefunds, out, &old, r.RequestedAt, doneAt)
	if out != unchanged {
		add(st.refundBuyers, buyer, old.buyer.Int64)
		st.recordOrders[r.OrderID] = struct{}{}
	}
	return t.closeInferred(st, r)
}

// AddReview upserts one review. A review page copied by hand may give only
// the last 10 digits of the order number: when exactly one known order ends
// with them, the review takes its full number.
func (t *ImportTx) AddReview(r *kpi.Review) error {
	st := t.main
	buyer, err := t.buyerID(st, r.Buyer)
	if err != nil {
		return err
	}
	if r.OrderID, err = t.fullOrderID(st, r.OrderID); err != nil {
		return err
	}
	credit, err := t.orderCredit(st, r.OrderID)
	if err != nil {
		return err
	}
	key, dg := r.Key(), r.Digest()
	cols := []any{dg, r.ReviewID, r.OrderID, buyer, int64(r.Rating), int64(r.CreatedAt), r.Content, r.Product,
		nullInt8(r.DSRDescription), nullInt8(r.DSRService), nullInt8(r.DSRLogistics), int64(st.clock.DayOf(r.CreatedAt)), credit}
	var old linked
	out, err := t.upsert(upsertSpec{
		ins: `INSERT INTO reviews (shop_id, nkey, digest, review_id, order_id, buyer_id, rating, created_at, content, product,
			dsr_description, dsr_service, dsr_logistics, day, credited_agent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (shop_id, nkey) DO NOTHING`,
		insArgs: append([]any{st.shop.ID, key}, cols...),
		sel:     `SELECT id, digest, buyer_id, day, NULL FROM reviews WHERE shop_id = ? AND nkey = ?`,
		selArgs: []any{st.shop.ID, key},
		old:     []any{&old.buyer, &old.day1, &old.day2},
		digest:  dg,
		upd: `UPDATE reviews SET digest = ?, review_id = ?, order_id = ?, buyer_id = ?, rating = ?, created_at = ?, content = ?, product = ?,
			dsr_description = ?, dsr_service = ?, dsr_logistics = ?, day = ?, credited_agent_id = ? WHERE id = ?`,
		updArgs: cols,
	})
	if err != nil {
		return fmt.Errorf("store: upsert review: %w", err)
	}
	t.count(out)
	if out != unchanged {
		add(st.reviewBuyers, buyer, old.buyer.Int64)
	}
	st.markLinked(famReviews, out, &old, r.CreatedAt)
	return nil
}

// AddComplaint upserts one complaint.
func (t *ImportTx) AddComplaint(c *kpi.Complaint) error {
	st := t.main
	buyer, err := t.buyerID(st, c.Buyer)
	if err != nil {
		return err
	}
	agent, err := t.agentID(st, c.Agent)
	if err != nil {
		return err
	}
	credit, err := t.credit(st, agent, c.OrderID)
	if err != nil {
		return err
	}
	key, dg := c.Key(), c.Digest()
	cols := []any{dg, c.ComplaintID, buyer, int64(c.CreatedAt), c.OrderID, nullID(agent), c.Type, c.Status, int64(st.clock.DayOf(c.CreatedAt)), credit}
	var old linked
	out, err := t.upsert(upsertSpec{
		ins: `INSERT INTO complaints (shop_id, nkey, digest, complaint_id, buyer_id, created_at, order_id, agent_id, type, status, day,
			credited_agent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id, nkey) DO NOTHING`,
		insArgs: append([]any{st.shop.ID, key}, cols...),
		sel:     `SELECT id, digest, buyer_id, day, NULL FROM complaints WHERE shop_id = ? AND nkey = ?`,
		selArgs: []any{st.shop.ID, key},
		old:     []any{&old.buyer, &old.day1, &old.day2},
		digest:  dg,
		upd: `UPDATE complaints SET digest = ?, complaint_id = ?, buyer_id = ?, created_at = ?, order_id = ?, agent_id = ?, type = ?, status = ?,
			day = ?, credited_agent_id = ? WHERE id = ?`,
		updArgs: cols,
	})
	if err != nil {
		return fmt.Errorf("store: upsert complaint: %w", err)
	}
	t.count(out)
	st.markLinked(famComplaints, out, &old, c.CreatedAt)
	if out != unchanged {
		add(st.complaintBuyers, buyer, old.buyer.Int64)
	}
	return nil
}

// AddCustomer upserts one member record. It feeds the loyalty pages, no metric.
func (t *ImportTx) AddCustomer(c *kpi.Customer) error {
	st := t.main
	buyer, err := t.buyerID(st, c.Buyer)
	if err != nil {
		return err
	}
	tags, _ := json.Marshal(append([]string{}, c.Tags...))
	dg := c.Digest()
	cols := []any{dg, c.Name, c.Phone, c.Birthday, c.Level, string(tags), nullMillis(c.JoinedAt)}
	out, err := t.upsert(upsertSpec{
		ins: `INSERT INTO customers (shop_id, buyer_id, digest, name, phone, birthday, level, tags, joined_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id, buyer_id) DO NOTHING`,
		insArgs: append([]any{st.shop.ID, buyer}, cols...),
		sel:     `SELECT buyer_id, digest FROM customers WHERE shop_id = ? AND buyer_id = ?`,
		selArgs: []any{st.shop.ID, buyer},
		digest:  dg,
		upd:     `UPDATE customers SET digest = ?, name = ?, phone = ?, birthday = ?, level = ?, tags = ?, joined_at = ? WHERE shop_id = ` + fmt.Sprint(st.shop.ID) + ` AND buyer_id = ?`,
		updArgs: cols,
	})
	if err != nil {
		return fmt.Errorf("store: upsert customer: %w", err)
	}
	t.count(out)
	if out != unchanged {
		add(st.memberBuyers, buyer)
	}
	return nil
}

// inferRefund turns a PDD order's 售后状态 into the shop's only refund data:
// one refund per order, type and times unknown, counted in refund_rate on the
// order's paid day. "无售后或售后取消" closes an inferred refund that an
// earlier export opened. Other platforms export their refunds as files.
func (t *ImportTx) inferRefund(st *shopState, o *kpi.Order) error {
	if st.shop.Platform != "pdd" || o.AfterSale == "" || o.PaidAt == 0 {
		return nil
	}
	r := &kpi.Refund{RefundID: inferredRefundID(o.OrderID), OrderID: o.OrderID, Status: refundStatusOf(o.AfterSale),
		RequestedAt: o.PaidAt, Reason: "订单售后状态：" + o.AfterSale, Inferred: true}
	var inferred, filed int
	if err := t.queryRow(`SELECT COUNT(*) FILTER (WHERE inferred), COUNT(*) FILTER (WHERE NOT inferred) FROM refunds WHERE shop_id = ? AND order_id = ?`,
		st.shop.ID, o.OrderID).Scan(&inferred, &filed); err != nil {
		return err
	}
	if filed > 0 {
		r.Status = kpi.RefundClosed // the shop imported the order's real after-sales case: count that one
	}
	if r.Status == kpi.RefundClosed && inferred == 0 {
		return nil
	}
	counts := t.counts
	err := t.AddRefund(r)
	t.counts = counts // the order was counted; its inferred refund is not a row of the file
	return err
}

func inferredRefundID(orderID string) string { return "售后状态:" + orderID }

// closeInferred closes the refund an order's 售后状态 stood for once a real
// after-sales case of the order is imported, so the order's refund counts once.
func (t *ImportTx) closeInferred(st *shopState, r *kpi.Refund) error {
	if r.Inferred || st.shop.Platform != "pdd" {
		return nil
	}
	var req int64
	var reason string
	err := t.queryRow(`SELECT requested_at, reason FROM refunds WHERE shop_id = ? AND refund_id = ? AND inferred AND status <> ?`,
		st.shop.ID, inferredRefundID(r.OrderID), int64(kpi.RefundClosed)).Scan(&req, &reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	counts := t.counts
	err = t.AddRefund(&kpi.Refund{RefundID: inferredRefundID(r.OrderID), OrderID: r.OrderID, Status: kpi.RefundClosed,
		RequestedAt: kpi.Millis(req), Reason: reason, Inferred: true})
	t.counts = counts
	return err
}

// refundStatusOf reads an order's 售后状态 as a refund status.
func refundStatusOf(s string) kpi.RefundStatus {
	switch {
	case strings.Contains(s, "退款成功"), strings.Contains(s, "售后成功"), strings.Contains(s, "已退款"), s == "售后完成":
		return kpi.RefundSuccess
	case strings.Contains(s, "无售后"), strings.Contains(s, "取消"), strings.Contains(s, "关闭"), strings.Contains(s, "拒绝"):
		return kpi.RefundClosed
	}
	return kpi.RefundPending
}

// fullOrderID completes an order number given by its last 10 digits.
func (t *ImportTx) fullOrderID(st *shopState, id string) (string, error) {
	if len(id) != 10 || strings.Trim(id, "0123456789") != "" {
		return id, nil
	}
	var full string
	err := t.queryRow(`SELECT order_id FROM orders WHERE shop_id = ? AND order_id = ?`, st.shop.ID, id).Scan(&full)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT order_id FROM orders WHERE shop_id = ? AND order_id LIKE ? LIMIT 2`, st.shop.ID, "%"+id)
	if err != nil {
		return id, err
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		if err := rows.Scan(&full); err != nil {
			return id, err
		}
		found = append(found, full)
	}
	if len(found) == 1 {
		return found[0], rows.Err()
	}
	return id, rows.Err()
}
