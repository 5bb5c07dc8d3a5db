package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

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

// agentID interns an agent name; "" means no agent (0).
func (t *ImportTx) agentID(st *shopState, name string) (int64, error) {
	if name = kpi.NormalizeName(name); name == "" {
		return 0, nil
	}
	return t.id("agents", st.agents, st.shop.ID, name)
}

func (t *ImportTx) buyerID(st *shopState, name string) (int64, error) {
	name = kpi.NormalizeName(name)
	if name == "" {
		return 0, errors.New("store: empty buyer")
	}
	return t.id("buyers", st.buyers, st.shop.ID, name)
}

// AddMessage upserts one chat message.
func (t *ImportTx) AddMessage(m *kpi.Message) error {
	st, err := t.shopFor(m.Shop)
	if err != nil {
		return err
	}
	buyer, err := t.buyerID(st, m.Buyer)
	if err != nil {
		return err
	}
	var agent int64
	if m.Role == kpi.RoleAgent { // only a human agent's own messages name an agent that matters
		if agent, err = t.agentID(st, m.Agent); err != nil {
			return err
		}
		if agent == 0 {
			return errors.New("store: agent message without agent name")
		}
	}
	key, dg := m.Key(), m.Digest()
	var oldBuyer int64
	o, err := t.upsert(upsertSpec{
		ins: `INSERT INTO messages (shop_id, nkey, digest, buyer_id, role, agent_id, sent_at, stage, msg_id, content)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id, nkey) DO NOTHING`,
		insArgs: []any{st.shop.ID, key, dg, buyer, int64(m.Role), nullID(agent), int64(m.SentAt), int64(m.Stage), m.MsgID, m.Content},
		sel:     `SELECT id, digest, buyer_id FROM messages WHERE shop_id = ? AND nkey = ?`,
		selArgs: []any{st.shop.ID, key},
		old:     []any{&oldBuyer},
		digest:  dg,
		upd:     `UPDATE messages SET digest = ?, buyer_id = ?, role = ?, agent_id = ?, sent_at = ?, stage = ?, msg_id = ?, content = ? WHERE id = ?`,
		updArgs: []any{dg, buyer, int64(m.Role), nullID(agent), int64(m.SentAt), int64(m.Stage), m.MsgID, m.Content},
	})
	if err != nil {
		return fmt.Errorf("store: upsert message: %w", err)
	}
	t.count(o)
	if o != unchanged {
		st.touch(buyer)
	}
	if o == updated {
		st.touch(oldBuyer)
	}
	return nil
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

// AddOrder upserts one order.
func (t *ImportTx) AddOrder(o *kpi.Order) error {
	st := t.main
	buyer, err := t.buyerID(st, o.Buyer)
	if err != nil {
		return err
	}
	agent, err := t.agentID(st, o.Agent)
	if err != nil {
		return err
	}
	paid, ship, deliv := orderDays(st.clock, o)
	dg := o.Digest()
	cancelled := kpi.IsCancelled(o.Status)
	cols := []any{dg, buyer, int64(o.CreatedAt), nullMillis(o.PaidAt), int64(o.Amount), o.Quantity, o.Status, cancelled, o.Product,
		nullID(agent), nullMillis(o.ShippedAt), nullMillis(o.PickedUpAt), nullMillis(o.DeliveredAt), paid, ship, deliv}
	var oldBuyer int64
	var oldPaid, oldShip, oldDeliv sql.NullInt64
	out, err := t.upsert(upsertSpec{
		ins: `INSERT INTO orders (shop_id, order_id, digest, buyer_id, created_at, paid_at, amount_fen, quantity, status, cancelled, product,
			agent_id, shipped_at, picked_up_at, delivered_at, paid_day, ship_day, deliv_day, credited_agent_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id, order_id) DO NOTHING`,
		insArgs: append(append([]any{st.shop.ID, o.OrderID}, cols...), agent),
		sel:     `SELECT id, digest, buyer_id, paid_day, ship_day, deliv_day FROM orders WHERE shop_id = ? AND order_id = ?`,
		selArgs: []any{st.shop.ID, o.OrderID},
		old:     []any{&oldBuyer, &oldPaid, &oldShip, &oldDeliv},
		digest:  dg,
		upd: `UPDATE orders SET digest = ?, buyer_id = ?, created_at = ?, paid_at = ?, amount_fen = ?, quantity = ?, status = ?, cancelled = ?,
			product = ?, agent_id = ?, shipped_at = ?, picked_up_at = ?, delivered_at = ?, paid_day = ?, ship_day = ?, deliv_day = ? WHERE id = ?`,
		updArgs: cols,
	})
	if err != nil {
		return fmt.Errorf("store: upsert order %s: %w", o.OrderID, err)
	}
	t.count(out)
	if out != unchanged {
		st.touch(buyer)
	}
	if out == updated {
		st.touch(oldBuyer)
		st.dirtyDayPtr(oldPaid)
		st.dirtyDayPtr(oldShip)
		st.dirtyDayPtr(oldDeliv)
	}
	return nil
}

// touchOrder marks the buyer of an order (if the order is known) as affected:
// rows linked to an order are credited through the order's credited agent.
func (t *ImportTx) touchOrder(st *shopState, orderID string) error {
	if orderID == "" {
		return nil
	}
	var buyer int64
	err := t.queryRow(`SELECT buyer_id FROM orders WHERE shop_id = ? AND order_id = ?`, st.shop.ID, orderID).Scan(&buyer)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	st.touch(buyer)
	return nil
}

// linked is what the old version of a refund, review or complaint touched.
type linked struct {
	buyer   sql.NullInt64
	orderID string
	day1    sql.NullInt64
	day2    sql.NullInt64
}

func (t *ImportTx) touchLinked(st *shopState, newBuyer int64, newOrder string, newDays []kpi.Millis, out outcome, old *linked) error {
	if out == unchanged {
		return nil
	}
	if newBuyer != 0 {
		st.touch(newBuyer)
	}
	for _, d := range newDays {
		st.dirtyDay(d)
	}
	if err := t.touchOrder(st, newOrder); err != nil {
		return err
	}
	if out == updated {
		if old.buyer.Valid {
			st.touch(old.buyer.Int64)
		}
		st.dirtyDayPtr(old.day1)
		st.dirtyDayPtr(old.day2)
		return t.touchOrder(st, old.orderID)
	}
	return nil
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
	var done any
	if r.Status == kpi.RefundSuccess && r.CompletedAt != 0 {
		done = int64(st.clock.DayOf(r.CompletedAt))
	}
	dg := r.Digest()
	cols := []any{dg, r.OrderID, nullID(buyer), int64(r.Type), int64(r.Status), int64(r.RequestedAt), nullMillis(r.CompletedAt),
		r.Reason, int64(r.Amount), r.Intervened, r.MerchantLiable, nullID(agent), kpi.IsQualityReason(r.Reason),
		int64(st.clock.DayOf(r.RequestedAt)), done}
	var old linked
	out, err := t.upsert(upsertSpec{
		ins: `INSERT INTO refunds (shop_id, refund_id, digest, order_id, buyer_id, type, status, requested_at, completed_at, reason, amount_fen,
			intervened, merchant_liable, agent_id, quality, req_day, done_day)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id, refund_id) DO NOTHING`,
		insArgs: append([]any{st.shop.ID, r.RefundID}, cols...),
		sel:     `SELECT id, digest, buyer_id, order_id, req_day, done_day FROM refunds WHERE shop_id = ? AND refund_id = ?`,
		selArgs: []any{st.shop.ID, r.RefundID},
		old:     []any{&old.buyer, &old.orderID, &old.day1, &old.day2},
		digest:  dg,
		upd: `UPDATE refunds SET digest = ?, order_id = ?, buyer_id = ?, type = ?, status = ?, requested_at = ?, completed_at = ?, reason = ?,
			amount_fen = ?, intervened = ?, merchant_liable = ?, agent_id = ?, quality = ?, req_day = ?, done_day = ? WHERE id = ?`,
		updArgs: cols,
	})
	if err != nil {
		return fmt.Errorf("store: upsert refund %s: %w", r.RefundID, err)
	}
	t.count(out)
	return t.touchLinked(st, buyer, r.OrderID, []kpi.Millis{r.RequestedAt, r.CompletedAt}, out, &old)
}

// AddReview upserts one review.
func (t *ImportTx) AddReview(r *kpi.Review) error {
	st := t.main
	buyer, err := t.buyerID(st, r.Buyer)
	if err != nil {
		return err
	}
	key, dg := r.Key(), r.Digest()
	cols := []any{dg, r.ReviewID, r.OrderID, buyer, int64(r.Rating), int64(r.CreatedAt), r.Content, r.Product,
		nullInt8(r.DSRDescription), nullInt8(r.DSRService), nullInt8(r.DSRLogistics), int64(st.clock.DayOf(r.CreatedAt))}
	var old linked
	out, err := t.upsert(upsertSpec{
		ins: `INSERT INTO reviews (shop_id, nkey, digest, review_id, order_id, buyer_id, rating, created_at, content, product,
			dsr_description, dsr_service, dsr_logistics, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id, nkey) DO NOTHING`,
		insArgs: append([]any{st.shop.ID, key}, cols...),
		sel:     `SELECT id, digest, buyer_id, order_id, day, NULL FROM reviews WHERE shop_id = ? AND nkey = ?`,
		selArgs: []any{st.shop.ID, key},
		old:     []any{&old.buyer, &old.orderID, &old.day1, &old.day2},
		digest:  dg,
		upd: `UPDATE reviews SET digest = ?, review_id = ?, order_id = ?, buyer_id = ?, rating = ?, created_at = ?, content = ?, product = ?,
			dsr_description = ?, dsr_service = ?, dsr_logistics = ?, day = ? WHERE id = ?`,
		updArgs: cols,
	})
	if err != nil {
		return fmt.Errorf("store: upsert review: %w", err)
	}
	t.count(out)
	return t.touchLinked(st, buyer, r.OrderID, []kpi.Millis{r.CreatedAt}, out, &old)
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
	key, dg := c.Key(), c.Digest()
	cols := []any{dg, c.ComplaintID, buyer, int64(c.CreatedAt), c.OrderID, nullID(agent), c.Type, c.Status, int64(st.clock.DayOf(c.CreatedAt))}
	var old linked
	out, err := t.upsert(upsertSpec{
		ins: `INSERT INTO complaints (shop_id, nkey, digest, complaint_id, buyer_id, created_at, order_id, agent_id, type, status, day)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id, nkey) DO NOTHING`,
		insArgs: append([]any{st.shop.ID, key}, cols...),
		sel:     `SELECT id, digest, buyer_id, order_id, day, NULL FROM complaints WHERE shop_id = ? AND nkey = ?`,
		selArgs: []any{st.shop.ID, key},
		old:     []any{&old.buyer, &old.orderID, &old.day1, &old.day2},
		digest:  dg,
		upd: `UPDATE complaints SET digest = ?, complaint_id = ?, buyer_id = ?, created_at = ?, order_id = ?, agent_id = ?, type = ?, status = ?,
			day = ? WHERE id = ?`,
		updArgs: cols,
	})
	if err != nil {
		return fmt.Errorf("store: upsert complaint: %w", err)
	}
	t.count(out)
	return t.touchLinked(st, buyer, c.OrderID, []kpi.Millis{c.CreatedAt}, out, &old)
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
	return nil
}
