package demo

import (
	"fmt"
	"strings"
)

// writeCustomers writes member records for about 30% of buyers, likelier
// for those who paid (loyal customers join the membership). Written last,
// when every buyer's orders and reviews are known, so level and tags fit.
func (g *gen) writeCustomers() {
	r := &g.r
	soon := 0 // members whose birthday falls in the week after the export (the care calendar's)
	for i := range g.buyers {
		b := &g.buyers[i]
		p := 0.15
		switch {
		case b.nPaid > 1:
			p = 0.65
		case b.nPaid == 1:
			p = 0.38
		}
		if !r.chance(p) {
			continue
		}
		birthday := ""
		switch u := r.float(); {
		case u < 0.5:
			birthday = fmt.Sprintf("%02d-%02d", r.between(1, 12), r.between(1, 28))
		case u < 0.75:
			birthday = fmt.Sprintf("%d-%02d-%02d", r.between(1965, 2005), r.between(1, 12), r.between(1, 28))
		}
		if b.nPaid > 0 && soon < 7 {
			// One paying member a day for the coming week: set after the
			// draws, so every other value of the demo stays as it was.
			d := g.cfg.End.AddDate(0, 0, 1+soon)
			birthday = fmt.Sprintf("%02d-%02d", int(d.Month()), d.Day())
			soon++
		}
		var tags []string
		if b.nPaid > 1 {
			tags = append(tags, "老客户")
		}
		if b.spend >= 100000 {
			tags = append(tags, "高价值")
		}
		if b.bad {
			tags = append(tags, "差评风险")
		}
		if r.chance(0.3) {
			tags = append(tags, pick(r, memberTags))
		}
		tags = dedupe(tags)
		// Shops type tags by hand: the separators vary.
		sep := pick(r, []string{",", "，", "、", ";"})
		joined := g.dayStart(int(b.first)) - r.between64(0, 400)*day + r.between64(8*hour, 23*hour)
		joined = min(joined, g.exportT)
		g.out.customers.write([]string{g.buyerKey(int32(i)), g.personName(), g.phone(), birthday,
			level(b.spend), strings.Join(tags, sep), cnTime(joined)})
	}
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		found := false
		for _, y := range out {
			found = found || y == x
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

func level(spend int64) string {
	switch {
	case spend >= 200000:
		return memberLevels[4]
	case spend >= 80000:
		return memberLevels[3]
	case spend >= 30000:
		return memberLevels[2]
	case spend >= 10000:
		return memberLevels[1]
	}
	return memberLevels[0]
}

func (g *gen) personName() string {
	n := pick(&g.r, surnames) + pick(&g.r, givenChars)
	if g.r.chance(0.6) {
		n += pick(&g.r, givenChars)
	}
	return n
}

func (g *gen) phone() string {
	return pick(&g.r, phonePrefixes) + fmt.Sprintf("%08d", g.r.intn(100000000))
}

// setPlants arms the planted bad row of every table but messages (which
// plants its own while writing the planting day). Each bad row carries
// fresh ids so it collides with no good row's natural key.
func (g *gen) setPlants() {
	o := &g.out
	mid := g.dayStart(g.days/2) + 10*hour
	o.orders.plantAt = 7
	o.orders.plant = func() ([]string, string, string) {
		g.counters.order++
		id := fmt.Sprintf("%s-%03d%08d", g.compact[g.days/2][2:], 0, g.counters.order)
		return []string{id, g.buyerKey(0), orderTime(mid), orderTime(mid + 60), "12.3.4", "1", "交易成功",
			catalogue[0].name, "", "", "", ""}, "实付金额", "malformed amount 12.3.4"
	}
	o.refunds.plantAt = 2
	o.refunds.plant = func() ([]any, string, string) {
		g.counters.refund++
		id := fmt.Sprintf("TK%s%06d", g.compact[g.days/2], g.counters.refund)
		order := g.lastOrder
		if order == "" { // a shop with no order yet: order_id is required, so make one up
			order = fmt.Sprintf("%s-%011d", g.compact[g.days/2][2:], g.counters.order+1)
		}
		return []any{id, order, "价保", "处理中", o.refunds.date(mid), nil, "降价补差价", o.refunds.money(500), "否", "", ""},
			"售后类型", "unknown 售后类型 价保"
	}
	o.reviews.plantAt = 5
	o.reviews.plant = func() ([]string, string, string) {
		g.counters.review++
		id := fmt.Sprintf("RV%s%06d", g.compact[g.days/2], g.counters.review)
		return []string{id, g.lastOrder, g.buyerKey(0), "6", plainTime(mid), "非常满意", catalogue[0].name, "5", "5", "5"},
			"评分", "rating 6 is outside 1–5"
	}
	o.complaints.plantAt = 1
	o.complaints.plant = func() ([]string, string, string) {
		g.counters.complaint++
		id := fmt.Sprintf("TS%s%05d", g.compact[g.days/2], g.counters.complaint)
		return []string{id, g.buyerKey(0), "", "", badTime, "发货慢", "处理中"}, "投诉时间", "unparseable time " + badTime
	}
	o.customers.plantAt = 4
	o.customers.plant = func() ([]string, string, string) {
		// A buyer number no buyer has: no other customer row shares the key.
		return []string{g.buyerKey(int32(len(g.buyers))), g.personName(), g.phone(), "", memberLevels[0], "", badTime},
			"入会时间", "unparseable time " + badTime
	}
}
