package demo

// Conversation kinds. Pre-sale ones may end in an order; after-sale ones come
// from buyers who paid in the last 15 days, so METRICS.md classifies them as
// after-sale without any stage column.
const (
	cvPresale int8 = iota
	cvFollow       // a buyer back on a later day about the same product
	cvLogistics
	cvRefundQuality
	cvRefundOther
	cvUsage
)

type conv struct {
	buyer   int32
	agent   int
	start   int64
	kind    int8
	prod    int
	convert bool
}

// presale runs one pre-sale conversation starting on the day at ds.
func (g *gen) presale(ds int64) {
	r := &g.r
	start := ds + int64(g.hours.draw(r))*hour + int64(r.intn(hour))
	b := g.presaleBuyer()
	ag := g.agentAt(start)
	p := g.agents[ag].conv
	if g.promo(g.cur) {
		p += 0.08
	}
	if g.buyers[b].nPaid > 0 {
		p += 0.08
	}
	c := conv{buyer: b, agent: ag, start: start, kind: cvPresale, prod: g.prods.draw(r), convert: r.chance(p)}
	g.finish(&c)
}

// finish runs a pre-sale or follow-up conversation and its consequences.
func (g *gen) finish(c *conv) {
	r := &g.r
	end, answered := g.runConv(c)
	switch {
	case c.convert && answered:
		g.convertOrder(c.buyer, end, c.prod, c.agent)
	case c.convert && r.chance(0.5):
		g.convertOrder(c.buyer, end, c.prod, -1) // bought anyway, nobody to credit
	case c.kind == cvPresale && r.chance(0.08):
		// Comes back tomorrow or the day after: a multi-day conversation.
		d := g.cur + 1 + r.intn(2)
		t := g.dayStart(d) + int64(g.hours.draw(r))*hour + int64(r.intn(hour))
		g.schedule(event{t: t, buyer: c.buyer, agent: -1, kind: cvFollow, prod: int8(c.prod)})
	default:
		g.rememberBrowser(c.buyer)
	}
	if !answered && r.chance(0.05) {
		g.complaint(c.buyer, end+int64(r.between(hour, 6*hour)), "", "客服未回复", c.agent)
	}
}

func (g *gen) runEvent(e event) {
	ag := int(e.agent)
	if ag < 0 {
		ag = g.agentAt(e.t)
	}
	c := conv{buyer: e.buyer, agent: ag, start: e.t, kind: e.kind, prod: int(e.prod)}
	if e.kind == cvFollow {
		c.convert = g.r.chance(0.45)
		g.finish(&c)
		return
	}
	g.runConv(&c)
}

// presaleBuyer: returning customers, buyers who asked before without buying,
// and new faces. The mix makes roughly a quarter of paying buyers come back.
func (g *gen) presaleBuyer() int32 {
	u := g.r.float()
	switch {
	case u < 0.19 && len(g.payers) > 0:
		return pick(&g.r, g.payers)
	case u < 0.27 && len(g.browsers) > 0:
		return pick(&g.r, g.browsers)
	}
	return g.newBuyer()
}

func (g *gen) rememberBrowser(b int32) {
	const ring = 4096
	if len(g.browsers) < ring {
		g.browsers = append(g.browsers, b)
		return
	}
	g.browsers[g.bpos] = b
	g.bpos = (g.bpos + 1) % ring
}

// wait is how long the agent takes to answer a buyer message at t: mostly
// 5–40 s, a tail of minutes, a few over an hour; slower at peak hours and
// during the sale, and per agent.
func (g *gen) wait(a *agentProfile, t int64) int64 {
	r := &g.r
	u := r.float()
	var w float64
	switch {
	case u < 0.80:
		w = 4 + 32*r.float()
	case u < 0.93:
		w = 36 + 144*r.float()
	case u < 0.985:
		w = 180 + 1020*r.float()
	case u < 0.997:
		w = 1200 + 2400*r.float()
	default:
		w = 3601 + 5400*r.float()
	}
	w *= a.speed
	if busyHour(g.secOfDay(t) / hour) {
		w *= 1.5
	}
	if g.promo(g.dayOf(t)) {
		w *= 1.6
	}
	return max(int64(w), 2)
}

// replyAt is when the agent answers a burst of buyer messages sent from
// first to last. Night messages wait for the window to open.
func (g *gen) replyAt(a *agentProfile, first, last int64) int64 {
	var t int64
	if g.inWindow(first) {
		t = first + g.wait(a, first)
	} else {
		t = g.nextOpen(first) + int64(float64(g.r.between(20, 1500))*a.speed)
	}
	if t <= last {
		t = last + int64(g.r.between(2, 8))
	}
	return t
}

func (g *gen) buyerSays(c *conv, t int64, s string, st int8) {
	g.emit(t, c.buyer, roleBuyer, -1, s, st)
}

func (g *gen) agentSays(c *conv, t int64, s string) {
	a := &g.agents[c.agent]
	if g.r.chance(a.risk) {
		s = pick(&g.r, agentRisky)
		if g.r.chance(0.05) {
			s = agentAbuse[0]
		}
	}
	g.emit(t, c.buyer, roleAgent, int8(c.agent), s, stageNone)
}

// runConv writes one conversation: an opening burst, often a bot greeting,
// the agent's reply, a few exchanges and a closing. It returns the time of
// the last message and whether a human ever answered.
func (g *gen) runConv(c *conv) (int64, bool) {
	r := &g.r
	a := &g.agents[c.agent]
	st := stageNone
	if r.chance(0.06) { // some exports carry 咨询类型 on the first message
		st = stagePre
		if c.kind >= cvLogistics {
			st = stageAfter
		}
	}
	t := c.start
	nb := 1
	if r.chance(0.35) {
		nb++
		if r.chance(0.4) {
			nb++
		}
	}
	answer := "" // what the agent will say to the opening
	for i := 0; i < nb; i++ {
		if i > 0 {
			t += int64(r.between(3, 25))
		}
		line := g.openLine(c, i)
		if answer == "" {
			answer = line.a
		}
		g.buyerSays(c, t, line.q, st)
		st = stageNone
	}
	n := nb
	if !g.inWindow(c.start) {
		g.emit(c.start+1, c.buyer, roleBot, -1, botOffHours[0], stageNone)
		n++
	} else if r.chance(0.55) {
		g.emit(c.start+1, c.buyer, roleBot, -1, pick(r, g.pb.botHello), stageNone)
		n++
	}
	if r.chance(a.miss) { // nobody answers: the buyer nudges, then gives up
		for k := r.between(1, 2); k > 0; k-- {
			t += int64(r.between(60, 900))
			g.buyerSays(c, t, pick(r, buyerNudge), stageNone)
		}
		return t, false
	}
	t = g.replyAt(a, c.start, t)
	g.agentSays(c, t, pick(r, g.pb.agentGreet[c.agent]))
	n++
	if answer != "" && r.chance(0.8) {
		t += int64(r.between(4, 25))
		g.agentSays(c, t, answer)
		n++
	}
	mustAsk := answer == "" // a bare "在吗" is followed by the real question
	for n < 24 && (mustAsk || r.chance(0.5)) {
		mustAsk = false
		if r.chance(0.92) {
			t += int64(r.between(8, 120))
		} else {
			t += int64(r.between(600, 3600)) // the buyer went away and came back
		}
		b0 := t
		line := g.askLine(c)
		g.buyerSays(c, t, line.q, stageNone)
		n++
		if r.chance(0.3) { // a second question before the answer comes
			t += int64(r.between(3, 20))
			line = g.askLine(c)
			g.buyerSays(c, t, line.q, stageNone)
			n++
		}
		t = g.replyAt(a, b0, t)
		g.agentSays(c, t, line.a)
		n++
		if r.chance(0.25) {
			t += int64(r.between(4, 30))
			g.agentSays(c, t, g.extraLine(c))
			n++
		}
	}
	t += int64(r.between(10, 150))
	b0 := t
	bye, reply := pick(r, buyerNotNow), pick(r, agentBye)
	switch {
	case c.convert:
		bye, reply = pick(r, buyerBought), pick(r, agentThanks)
	case c.kind >= cvLogistics:
		bye = pick(r, buyerTrail)
	}
	g.buyerSays(c, t, bye, stageNone)
	t = g.replyAt(a, b0, t)
	g.agentSays(c, t, reply)
	if r.chance(0.03) { // a last "thanks" nobody answers
		t += int64(r.between(5, 60))
		g.buyerSays(c, t, pick(r, buyerTrail), stageNone)
	}
	return t, true
}

// openLine is the buyer's i-th opening message and the answer it calls for
// ("" when the greeting is answer enough).
func (g *gen) openLine(c *conv, i int) qa {
	r := &g.r
	switch c.kind {
	case cvLogistics:
		return qa{pick(r, buyerLogistics), pick(r, agentLogistics)}
	case cvRefundQuality:
		return qa{pick(r, g.pb.buyerQuality[c.prod]), pick(r, agentSoothe)}
	case cvRefundOther:
		return qa{pick(r, buyerChange), pick(r, agentRefundOK)}
	case cvUsage:
		return qa{pick(r, buyerUsage), pick(r, agentUsage)}
	case cvFollow:
		if i == 0 {
			return qa{"之前问的那个还有吗？", "有的亲，还给您留着呢"}
		}
	}
	if i == 0 && r.chance(0.4) {
		return qa{pick(r, genericOpen), ""}
	}
	return pick(r, g.pb.buyerOpen[c.prod])
}

// askLine is a follow-up question with its answer.
func (g *gen) askLine(c *conv) qa {
	if c.kind >= cvLogistics {
		return qa{pick(&g.r, buyerAfterAsk), g.extraLine(c)}
	}
	return pick(&g.r, buyerAsk)
}

// extraLine is an agent line that fits anywhere in the conversation.
func (g *gen) extraLine(c *conv) string {
	r := &g.r
	switch c.kind {
	case cvLogistics:
		return pick(r, agentLogistics)
	case cvRefundQuality:
		return pick(r, agentSoothe)
	case cvRefundOther:
		return pick(r, agentRefundOK)
	case cvUsage:
		return pick(r, agentUsage)
	}
	return pick(r, agentNudge)
}
