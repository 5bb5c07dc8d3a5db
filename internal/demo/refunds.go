package demo

import (
	"fmt"
	"strconv"
)

// refundPlan is an after-sales case as it stands at the export moment.
type refundPlan struct {
	typ, reason string
	requested   int64
	completed   int64 // 0: still open at export
	success     bool
	amount      int64
	intervened  bool
	liable      string // 判责结果, only when the platform stepped in
	agent       int    // 处理客服, -1 none
	quality     bool
	preShip     bool
}

// planRefund decides an order's after-sales case. A quarter are asked before
// shipping (拍错了, 不想要了: refund only, fast); the rest after delivery, half
// of them for quality reasons, with durations by type so the refund-time
// metrics differ. The buyer usually chats first, and that agent handles it.
func (g *gen) planRefund(o orderSpec, paid, ship, deliv, amount int64) *refundPlan {
	r := &g.r
	rp := &refundPlan{agent: -1, typ: "仅退款", amount: amount}
	var chat, dur int64
	kind := cvRefundOther
	if r.chance(0.25) {
		rp.preShip = true
		chat = paid + r.between64(120, max(180, ship-paid-1200))
		rp.requested = chat + r.between64(60, 900)
		rp.reason = pick(r, preShipReasons)
		rp.success = r.chance(0.85)
		dur = r.between64(600, 6*hour)
	} else {
		chat = deliv + r.between64(hour, 6*day)
		rp.requested = chat + r.between64(60, 1800)
		pq := 0.5
		if catalogue[o.prod].fragile {
			pq = 0.7
		}
		rp.quality = r.chance(pq)
		switch u := r.float(); {
		case u < 0.35:
			dur = r.between64(hour, 48*hour)
			if rp.quality && r.chance(0.4) { // partial refund for a flaw
				rp.amount = amount * int64(r.between(20, 50)) / 100 / 100 * 100
			}
		case u < 0.75:
			rp.typ, dur = "退货退款", r.between64(48*hour, 200*hour)
			if o.qty > 1 && r.chance(0.5) {
				rp.amount = amount / int64(o.qty)
			}
		case u < 0.9:
			rp.typ, rp.amount, dur = "换货", 0, r.between64(72*hour, 240*hour)
		default:
			rp.typ, rp.amount, dur, rp.quality = "补发", 0, r.between64(12*hour, 72*hour), true
		}
		if rp.quality {
			rp.reason = pick(r, qualityReasons)
			kind = cvRefundQuality
		} else {
			rp.reason = pick(r, otherReasons)
		}
		rp.success = r.chance(0.82)
		if r.chance(0.06) { // the buyer asked the platform to step in
			rp.intervened = true
			dur += r.between64(48*hour, 120*hour)
			rp.liable, rp.success = "商家责任", true
			if r.chance(0.35) {
				rp.liable, rp.success = "买家责任", false
			}
		}
	}
	if rp.requested > g.exportT {
		return nil // not asked yet at export
	}
	if rp.completed = rp.requested + dur; rp.completed > g.exportT {
		rp.completed = 0
	}
	if chat <= g.exportT && r.chance(0.75) {
		ag := g.agentAt(chat)
		g.schedule(event{t: chat, buyer: o.buyer, agent: int8(ag), kind: kind, prod: int8(o.prod)})
		if r.chance(0.85) {
			rp.agent = ag
		}
	} else if r.chance(0.3) {
		rp.agent = r.intn(len(g.agents))
	}
	return rp
}

func (g *gen) writeRefund(orderID string, rp *refundPlan) {
	r := &g.r
	var status string
	switch {
	case rp.completed == 0:
		status = pick(r, pendingRefundWords)
		if rp.intervened {
			status = "平台处理中"
		}
	case !rp.success:
		status = pick(r, closedRefundWords)
	case rp.typ == "换货" || rp.typ == "补发":
		status = pick(r, []string{"售后成功", "完成"})
	default:
		status = pick(r, []string{"退款成功", "退款成功", "已退款"})
	}
	g.counters.refund++
	id := fmt.Sprintf("TK%s%06d", g.compact[g.dayOf(rp.requested)], g.counters.refund)
	agent := ""
	if rp.agent >= 0 {
		agent = g.agents[rp.agent].name
	}
	intervened := "否"
	if rp.intervened {
		intervened = "是"
	}
	x := g.out.refunds
	var done any
	if rp.completed != 0 {
		done = x.date(rp.completed)
	}
	x.write([]any{id, orderID, rp.typ, status, x.date(rp.requested), done, rp.reason, x.money(rp.amount), intervened, rp.liable, agent})
}

// Weights of 1★..5★ by how the order went.
var (
	ratingsHappy = newWeighted([]float64{1.5, 1, 2.5, 7, 88})
	ratingsSlow  = newWeighted([]float64{4, 3, 6, 12, 75})
	ratingsBad   = newWeighted([]float64{35, 15, 20, 15, 15})
)

// review writes a buyer's review. Most are 5★; a bad experience (a quality
// refund, a slow parcel) makes a low rating likely, with believable text.
func (g *gen) review(b int32, orderID string, prod int, t int64, bad, slow bool) {
	r := &g.r
	if t > g.exportT {
		return
	}
	dist := ratingsHappy
	switch {
	case bad:
		dist = ratingsBad
	case slow:
		dist = ratingsSlow
	}
	rating := dist.draw(r) + 1
	content := pick(r, goodReviews)
	switch {
	case rating <= 2:
		content = pick(r, badReviews)
		g.buyers[b].bad = true
	case rating == 3:
		content = pick(r, midReviews)
	}
	rs := strconv.Itoa(rating)
	if r.chance(0.04) { // some exports give 好评/中评/差评 instead of stars
		switch rating {
		case 5:
			rs = "好评"
		case 3:
			rs = "中评"
		case 1:
			rs = "差评"
		}
	}
	desc, serv, logi := rating, rating, 5
	if rating == 5 && r.chance(0.1) {
		desc = 4
	}
	if rating < 5 && r.chance(0.3) {
		serv++
	}
	if slow {
		logi = r.between(2, 4)
	} else if r.chance(0.1) {
		logi = 4
	}
	dsr := []string{strconv.Itoa(desc), strconv.Itoa(serv), strconv.Itoa(logi)}
	switch u := r.float(); {
	case u < 0.07: // the buyer skipped the shop ratings
		dsr = []string{"", "", ""}
	case u < 0.10:
		dsr[2] = ""
	}
	g.counters.review++
	id := fmt.Sprintf("RV%s%06d", g.compact[g.dayOf(t)], g.counters.review)
	g.out.reviews.write([]string{id, orderID, g.buyerKey(b), rs, plainTime(t), content, catalogue[prod].name, dsr[0], dsr[1], dsr[2]})
}
