package demo

import (
	"fmt"
	"strconv"
)

type orderSpec struct {
	buyer   int32
	created int64
	prod    int
	qty     int
	credit  int // agent named in 归属客服, -1 none
	chat    int // agent of the pre-sale chat, -1 none
	fan     bool
}

// convertOrder places the order a pre-sale chat ended in: mostly minutes
// later, sometimes hours, sometimes the next day or the one after — all
// inside METRICS.md's three-day attribution window.
func (g *gen) convertOrder(b int32, end int64, prod, ag int) {
	r := &g.r
	var created int64
	switch u := r.float(); {
	case u < 0.7:
		created = end + r.between64(20, 1200)
	case u < 0.9:
		created = end + r.between64(hour, 8*hour)
	default:
		created = end + r.between64(20*hour, 44*hour)
	}
	credit, up := -1, 0.15
	if ag >= 0 {
		up = g.agents[ag].upsell
		if r.chance(0.04) {
			credit = ag
		}
	}
	g.createOrder(orderSpec{buyer: b, created: created, prod: prod, qty: g.qty(up), credit: credit, chat: ag})
}

func (g *gen) qty(up float64) int {
	q := 1
	if g.r.chance(up) {
		q++
		if g.r.chance(0.3) {
			q++
		}
	}
	return q
}

// silentOrder is an order placed without any chat.
func (g *gen) silentOrder(ds int64) {
	r := &g.r
	var b int32
	if len(g.payers) > 0 && r.chance(0.32) {
		b = pick(r, g.payers)
	} else {
		b = g.newBuyer()
	}
	credit := -1
	if r.chance(0.015) { // e.g. an order taken over the phone, credited by hand
		credit = r.intn(len(g.agents))
	}
	created := ds + int64(g.hours.draw(r))*hour + int64(r.intn(hour))
	g.createOrder(orderSpec{buyer: b, created: created, prod: g.prods.draw(r), qty: g.qty(0.15), credit: credit, chat: -1})
}

// fanOrders: three devoted buyers order every 5–7 days and always review, so
// some buyers have more than three reviews in a month (seed 004's DSR cap).
func (g *gen) fanOrders(d int, ds int64) {
	for i, b := range g.fans {
		if (d+2*i)%(5+i) != 0 {
			continue
		}
		created := ds + int64(g.r.between(9*hour, 22*hour))
		g.createOrder(orderSpec{buyer: b, created: created, prod: g.prods.draw(&g.r), qty: 1, credit: -1, chat: -1, fan: true})
	}
}

// logistics draws shipping (2–30 h after payment), pickup (mostly within a
// day, some late, some never scanned) and delivery (1–4 days later).
func (g *gen) logistics(paid int64) (ship, pickup, deliv int64) {
	r := &g.r
	switch u := r.float(); {
	case u < 0.6:
		ship = paid + r.between64(2*hour, 12*hour)
	case u < 0.9:
		ship = paid + r.between64(12*hour, 24*hour)
	default:
		ship = paid + r.between64(24*hour, 30*hour)
	}
	base := ship
	switch u := r.float(); {
	case u < 0.82:
		pickup = ship + r.between64(1800, 20*hour)
		base = pickup
	case u < 0.95:
		pickup = ship + r.between64(24*hour+1, 60*hour)
		base = pickup
	}
	deliv = base + r.between64(24*hour, 96*hour)
	return
}

// createOrder decides an order's whole life at once — payment, shipping,
// refund, review, complaint, after-sale chats — and writes what exists at
// the export moment.
func (g *gen) createOrder(o orderSpec) {
	r := &g.r
	if o.created > g.exportT {
		return
	}
	g.counters.order++
	id := fmt.Sprintf("%s-%03d%08d", g.compact[g.dayOf(o.created)][2:], r.intn(1000), g.counters.order)
	p := catalogue[o.prod]
	amount := p.price * int64(o.qty)
	if g.promo(g.dayOf(o.created)) {
		amount = amount * 85 / 100 // 大促 85 折
	} else if amount >= 5000 && r.chance(0.15) {
		amount -= 500 // 议价 or a coupon
	}
	paid := o.created + r.between64(10, 300)
	if r.chance(0.05) {
		paid = o.created + r.between64(300, 2*hour)
	}
	var ship, pickup, deliv int64
	var rf *refundPlan
	slow := false // a late or never-scanned parcel: worse reviews, complaints
	status := ""
	switch u := r.float(); {
	case u < 0.02 || paid > g.exportT:
		paid, status = 0, "待付款"
		if o.created < g.exportT-3*day {
			status = "交易关闭" // closed by the platform after 72 h unpaid
		}
	case u < 0.035:
		paid, status = 0, "已取消"
	case u < 0.05:
		status = "交易关闭" // paid, then cancelled before shipping
	default:
		ship, pickup, deliv = g.logistics(paid)
		slow = pickup == 0 || pickup-paid > 48*hour
		if r.chance(0.06) {
			rf = g.planRefund(o, paid, ship, deliv, amount)
		}
		g.planAfterSale(o, paid, deliv)
	}
	if rf != nil && rf.preShip && (rf.success || rf.completed == 0) {
		ship, pickup, deliv = 0, 0, 0 // refunded, or the shop holds it while the request is open
		if rf.success {
			status = "交易关闭"
		}
	}
	ship, pickup, deliv = g.seen(ship), g.seen(pickup), g.seen(deliv)
	if status == "" {
		switch {
		case deliv != 0 && deliv+10*day <= g.exportT:
			status = "交易成功"
		case deliv != 0:
			status = "已签收"
		case ship != 0:
			status = "已发货"
		default:
			status = "待发货"
		}
	}
	credit := ""
	if o.credit >= 0 {
		credit = g.agents[o.credit].name
	}
	amt := yuan(amount)
	if r.chance(0.35) {
		amt = yuanSigned(amount)
	}
	g.out.orders.write([]string{id, g.buyerKey(o.buyer), orderTime(o.created), orderTime(paid), amt, strconv.Itoa(o.qty),
		status, p.name, credit, orderTime(ship), orderTime(pickup), orderTime(deliv)})
	g.lastOrder = id
	counted := paid != 0 && status != "交易关闭" && status != "已取消"
	if counted {
		bs := &g.buyers[o.buyer]
		bs.nPaid++
		bs.spend += amount
		if bs.nPaid == 1 {
			g.payers = append(g.payers, o.buyer)
		}
	}
	if rf != nil {
		g.writeRefund(id, rf)
	}
	if !counted {
		return
	}
	bad := rf != nil && (rf.quality || rf.intervened)
	if deliv != 0 {
		pr, lo, hi := 0.40, int64(2*hour), int64(7*day)
		if o.fan {
			pr, lo, hi = 0.95, hour, 36*hour
		}
		if r.chance(pr) {
			g.review(o.buyer, id, o.prod, deliv+r.between64(lo, hi), bad, slow)
		}
	}
	pc := 0.002
	if rf != nil && rf.intervened {
		pc += 0.05
	}
	if slow {
		pc += 0.004
	}
	if r.chance(pc) {
		typ := pick(r, complaintTypes)
		switch {
		case rf != nil && rf.intervened:
			typ = "售后处理不当"
		case slow:
			typ = "发货慢"
		}
		g.complaint(o.buyer, paid+r.between64(day, 8*day), id, typ, o.chat)
	}
}

// seen blanks a timestamp that lies after the export moment.
func (g *gen) seen(t int64) int64 {
	if t > g.exportT {
		return 0
	}
	return t
}

// planAfterSale schedules the questions buyers ask after paying: where is my
// parcel, how do I use it. They fall within 15 days of payment.
func (g *gen) planAfterSale(o orderSpec, paid, deliv int64) {
	r := &g.r
	if r.chance(0.10) {
		t := paid + r.between64(6*hour, max(7*hour, deliv-paid-hour))
		g.schedule(event{t: t, buyer: o.buyer, agent: -1, kind: cvLogistics, prod: int8(o.prod)})
	}
	if r.chance(0.03) {
		t := deliv + r.between64(hour, 3*day)
		g.schedule(event{t: t, buyer: o.buyer, agent: -1, kind: cvUsage, prod: int8(o.prod)})
	}
}

func (g *gen) complaint(b int32, t int64, orderID, typ string, chatAgent int) {
	r := &g.r
	if t > g.exportT {
		return
	}
	agent := ""
	if chatAgent >= 0 && r.chance(0.7) {
		agent = g.agents[chatAgent].name
	} else if r.chance(0.2) {
		agent = pick(r, g.agents).name
	}
	status := pick(r, complaintStatuses)
	if t > g.exportT-2*day {
		status = "处理中"
	}
	g.counters.complaint++
	id := fmt.Sprintf("TS%s%05d", g.compact[g.dayOf(t)], g.counters.complaint)
	g.out.complaints.write([]string{id, g.buyerKey(b), orderID, agent, isoTime(t), typ, status})
}
