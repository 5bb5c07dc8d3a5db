package web

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// The agent page (the product card, page 3) and the drill-downs behind an agent's
// numbers. Owners reach every agent; an agent only their own id (any other
// id is 403, whether it exists or not).

// agentCards are the agent's headline numbers, sales first (seed 001's order).
var agentCards = []string{
	"sales", "attributed_orders", "aov", "inquiries", "inquiry_conversion_rate",
	"reply_30s_rate", "reply_3m_rate", "avg_response_seconds", "first_response_seconds", "effective_reply_rate",
	"unreplied_messages", "refund_rate", "dispute_refund_rate", "complaint_rate", "bad_review_rate", "medium_bad_review_rate",
}

// Drill-down kinds.
const (
	drillSlow        = "slow"
	drillUnconverted = "unconverted"
	drillRefunds     = "refunds"
	drillReviews     = "bad_reviews"
)

// drillLimit is how many rows a drill-down shows (the newest).
const drillLimit = 100

// agentTarget resolves /agents/:id for the signed-in user: 404 for a
// malformed id, 403 unless the user may see that agent, 404 when an owner
// asks for an agent that does not exist.
func (s *Server) agentTarget(c *fiber.Ctx) (*store.Agent, *store.Shop, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, fiber.NewError(fiber.StatusNotFound, "没有这个客服。")
	}
	u := currentUser(c)
	ctx := c.UserContext()
	if u != nil && u.Role == store.RoleAgent && u.AgentID != 0 && u.AgentID != id {
		// An agent whose name was merged sees the agent it is merged into.
		if canon, err := s.st.CanonicalAgent(ctx, u.AgentID); err == nil && canon == id {
			u = &store.User{Role: u.Role, AgentID: id}
		}
	}
	if !canSeeAgent(u, id) {
		return nil, nil, errForbidden
	}
	ag, err := s.st.AgentByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fiber.NewError(fiber.StatusNotFound, "没有这个客服。")
	}
	if err != nil {
		return nil, nil, err
	}
	if ag.MergedInto != 0 {
		if ag, err = s.st.AgentByID(ctx, ag.MergedInto); err != nil {
			return nil, nil, err
		}
	}
	shop, err := s.shopByID(ctx, ag.ShopID)
	if err != nil {
		return nil, nil, err
	}
	if shop == nil {
		return nil, nil, fiber.NewError(fiber.StatusNotFound, "没有这个客服。")
	}
	return ag, shop, nil
}

// navFor highlights "我的绩效" for an agent, "客服排行" for an owner.
func navFor(u *store.User) string {
	if u.Role == store.RoleOwner {
		return "league"
	}
	return "agent"
}

// agentPage is one agent's cards, rank, team median and trends.
func (s *Server) agentPage(c *fiber.Ctx) error {
	ag, shop, err := s.agentTarget(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	u := currentUser(c)
	p, err := s.page(c, ag.Name+" · 客服绩效", navFor(u))
	if err != nil {
		return err
	}
	per, err := parsePeriod(c, shop.Location(), time.Now())
	if err != nil {
		return err
	}
	t, err := s.loadTeam(ctx, shop, per)
	if err != nil {
		return err
	}
	m, err := s.agentModel(ctx, t, ag, u.Role == store.RoleOwner)
	if err != nil {
		return err
	}
	return render(c, views.AgentPage(p, m))
}

func (s *Server) agentModel(ctx context.Context, t *team, ag *store.Agent, owner bool) (views.AgentModel, error) {
	per := t.per
	lq := periodQuery(per)
	lq.Set("shop", itoa(t.shop.ID))
	m := views.AgentModel{
		AgentID: ag.ID, Name: ag.Name, Shift: ag.Shift, ShopName: t.shop.Name, Owner: owner,
		LeagueHref: "/league?" + lq.Encode(),
		Period:     per.form(0),
		Compare:    per.PrevFrom.String() + " 至 " + per.PrevTo.String(),
	}
	me := t.member(ag.ID)
	if me == nil {
		m.NotListed = true
		return m, nil
	}
	ls, err := s.lineSet(ctx, t.shop, per.To)
	if err != nil {
		return m, err
	}
	lines := ls.For(ag.ID, ag.Shift)
	m.Rank = "第 " + strconv.Itoa(me.rank) + " / " + strconv.Itoa(len(t.members)) + " 名"
	m.Change, m.ChangeClass = rankChange(me)
	if me.prevRank == 0 {
		m.Change = "上期无数据"
	} else if m.ChangeClass != "flat" {
		m.Change = strconv.Itoa(me.prevRank) + " → " + strconv.Itoa(me.rank) + " 名（" + m.Change + "）"
	}
	m.Score = scoreText(me.score.Value)
	scores := make([]float64, len(t.members))
	vals := make([]kpi.Values, len(t.members))
	all := make([]kpi.Score, len(t.members))
	for i, x := range t.members {
		scores[i], vals[i], all[i] = x.score.Value, x.vals, x.score
	}
	med, _ := kpi.MedianOf(scores)
	m.MedianScore = scoreText(med)

	m.Cards = kpiCards(agentCards, me.vals, me.prev, lines)
	m.Targets = agentTargets(ls, ag, me.vals)
	if err := s.agentQueues(ctx, t, ag, me, &m); err != nil {
		return m, err
	}
	for i := range m.Cards {
		if _, ok := me.vals.Get(m.Cards[i].Key); ok {
			m.Cards[i].Href = drillHref(ag.ID, m.Cards[i].Key, per)
		}
	}
	m.Drills = agentDrills(ag.ID, me.sums, per)

	medVals := kpi.MedianValues(vals)
	for _, key := range leagueMetrics {
		mt, _ := kpi.MetricByKey(key)
		v, ok := me.vals.Get(key)
		mv, mok := medVals.Get(key)
		r := views.MedianRow{Key: key, Label: mt.Name, Value: views.FormatMetric(mt.Unit, v, ok), Median: views.FormatMetric(mt.Unit, mv, mok), Diff: "—", DiffClass: "flat"}
		if th, has := lines[key]; has && ok {
			r.Status = th.Judge(v, kpi.Better[key]).Class()
		}
		if ok && mok {
			if d, cls := delta(mt.Unit, v, mv, kpi.Better[key]); d != "" {
				r.Diff, r.DiffClass = d, cls
			}
		}
		if w := t.weights[key]; w > 0 {
			r.Points = strconv.FormatFloat(me.score.Points[key], 'f', 1, 64) + " 分"
			if me.score.NoData[key] {
				r.Points = "无数据 0 分"
			}
			r.Weight = strconv.FormatFloat(w, 'f', -1, 64)
		}
		m.VsMedian = append(m.VsMedian, r)
	}

	medPts := kpi.MedianPoints(all, t.weights)
	var parts []views.ScorePart
	for _, key := range kpi.ScoreKeys {
		if t.weights[key] <= 0 {
			continue
		}
		if _, counted := me.score.Points[key]; !counted {
			continue // by attainment: a metric without any line does not count
		}
		mt, _ := kpi.MetricByKey(key)
		parts = append(parts, views.ScorePart{Name: mt.Name, Points: me.score.Points[key], Median: medPts[key]})
	}

	help := "每个计分指标 0–100 分：本时段有数据的客服中最好的得 100、最差的得 0，无数据记 0 分；灰色为团队中位数。权重见客服排行页。"
	if t.mode == scoreAttainment {
		help = "按目标达成计分：每个指标得分 = 达成 × 100（最高 120），目标取本人 > 班次 > 全店生效的目标，没有目标时取平台规则线或参考线，无数据记 0 分；灰色为团队中位数。权重见客服排行页。"
	}
	m.ScoreChart, err = views.ScoreChart("agent-score", "综合得分构成", help, ag.Name, parts)
	if err != nil {
		return m, err
	}
	pts, err := s.st.Daily(ctx, t.shop, per.From, per.To, ag.ID)
	if err != nil {
		return m, err
	}
	m.Audit, m.AuditDays = platformAudit(pts)
	m.Trends, err = agentTrends(pts, me.vals, lines)
	return m, err
}

// agentDrills are the agent page's buttons to the rows behind the numbers.
func agentDrills(id int64, s *kpi.Sums, per Period) []views.DrillLink {
	q := "?" + periodQuery(per).Encode()
	href := func(kind string) string { return "/agents/" + itoa(id) + "/drill/" + kind + q }
	return []views.DrillLink{
		{Kind: drillSlow, Label: "慢回复/未回复消息", Count: itoa(s.BuyerMessages - s.Within3m), Href: href(drillSlow)},
		{Kind: drillUnconverted, Label: "未转化询单", Count: itoa(s.Inquiries - s.Converted), Href: href(drillUnconverted)},
		{Kind: drillRefunds, Label: "退款成功", Count: itoa(s.RefundsDone), Href: href(drillRefunds)},
		{Kind: drillReviews, Label: "中差评", Count: itoa(s.BadReviews + s.MediumReviews), Href: href(drillReviews)},
	}
}

// agentTrends are the agent's daily trends: response, conversion, sales,
// after-sales and reviews; a chart with nothing to draw has an empty option.
func agentTrends(pts []store.DayPoint, cur kpi.Values, lines map[string]kpi.Threshold) ([]views.Chart, error) {
	days, vals := dailyValues(pts, true)
	series := seriesOf(vals, lines)
	has := func(key string) bool { v, ok := cur.Get(key); return ok && v != 0 }
	known := func(key string) bool { _, ok := cur.Get(key); return ok }
	specs := []struct {
		trend views.Trend
		show  bool
	}{
		{views.Trend{ID: "agent-trend-response", Title: "响应趋势",
			Help:   "每天记到该客服名下的买家消息中30秒、3分钟内得到人工回复的比例（左轴），以及已回复消息的平均等待秒数（右轴）；虚线为达标线。",
			Series: []views.TrendSeries{series("reply_30s_rate", false, false, true), series("reply_3m_rate", false, false, false), series("avg_response_seconds", false, true, false)}},
			has("buyer_messages") || known("reply_30s_rate") || known("reply_3m_rate") || known("avg_response_seconds")},
		{views.Trend{ID: "agent-trend-conversion", Title: "询单转化趋势",
			Help:   "柱：每天该客服接待的询单人数（右轴）；线：询单转化率 = 咨询当天起3天内付款的询单 ÷ 询单人数；虚线为达标线。",
			Series: []views.TrendSeries{series("inquiries", true, true, false), series("inquiry_conversion_rate", false, false, true)}},
			has("inquiries")},
		{views.Trend{ID: "agent-trend-sales", Title: "销售趋势",
			Help:   "柱：每天记到该客服名下、已付款未取消订单的实付金额；线：成交订单数（右轴）。",
			Series: []views.TrendSeries{series("sales", true, false, false), series("attributed_orders", false, true, false)}},
			has("paid_orders") || has("sales")},
		{views.Trend{ID: "agent-trend-quality", Title: "售后与评价趋势",
			Help:   "退款率 = 当天退款成功的售后单 ÷ 当天支付订单数；差评率 = 当天1–2星评价 ÷ 评价数；没有订单或评价的日子不画点；虚线为达标线。",
			Series: []views.TrendSeries{series("refund_rate", false, false, true), series("bad_review_rate", false, false, true)}},
			has("paid_orders") || has("reviews")},
	}
	out := make([]views.Chart, 0, len(specs))
	for _, sp := range specs {
		t := sp.trend
		t.Days = days
		if !sp.show || !drawable(t.Series) {
			out = append(out, views.Chart{ID: t.ID, Title: t.Title, Help: t.Help})
			continue
		}
		ch, err := views.TrendChart(t)
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, nil
}

// agentDrill lists the rows behind one of an agent's numbers.
func (s *Server) agentDrill(c *fiber.Ctx) error {
	ag, shop, err := s.agentTarget(c)
	if err != nil {
		return err
	}
	kind := c.Params("kind")
	titles := map[string]string{drillSlow: "慢回复与未回复消息", drillUnconverted: "未转化询单", drillRefunds: "退款明细", drillReviews: "中差评"}
	title, ok := titles[kind]
	if !ok {
		return fiber.NewError(fiber.StatusNotFound, "没有这种明细。")
	}
	ctx := c.UserContext()
	u := currentUser(c)
	p, err := s.page(c, ag.Name+" · "+title, navFor(u))
	if err != nil {
		return err
	}
	per, err := parsePeriod(c, shop.Location(), time.Now())
	if err != nil {
		return err
	}
	m := views.DrillModel{Kind: kind, Title: title, AgentName: ag.Name,
		AgentHref: "/agents/" + itoa(ag.ID) + "?" + periodQuery(per).Encode(),
		Period:    per.form(0)}
	loc := shop.Location()
	at := func(ms kpi.Millis) string {
		if ms == 0 {
			return "—"
		}
		return time.UnixMilli(int64(ms)).In(loc).Format("2006-01-02 15:04:05")
	}
	var total, shown int64
	switch kind {
	case drillSlow:
		d, err := s.st.SlowMessages(ctx, shop, ag.ID, per.From, per.To, drillLimit)
		if err != nil {
			return err
		}
		total, shown = d.Total, int64(len(d.Items))
		m.Total = itoa(d.Total) + " 条"
		m.Summary = "超过3分钟才回复或未回复的买家消息，其中未回复 " + itoa(d.Unreplied) + " 条"
		m.Help = "服务时段内记到该客服名下的买家消息：等待超过180秒才得到人工回复，或24小时内没有人工回复（未回复的消息记给之前接待该买家的客服）。数量 = 买家消息数 − 3分钟内回复数。每条附该买家前后10分钟的聊天，最新的在前。"
		owner := u.Role == store.RoleOwner
		for _, x := range d.Items {
			row := views.DrillSlow{At: at(x.At), Buyer: x.Buyer, Content: x.Content, Unreplied: x.WaitMs < 0, Wait: waitText(x.WaitMs)}
			for _, cm := range x.Context {
				row.Context = append(row.Context, chatLine(cm, x, ag.ID, owner, at))
			}
			m.Slow = append(m.Slow, row)
		}
	case drillUnconverted:
		d, err := s.st.UnconvertedInquiries(ctx, shop, ag.ID, per.From, per.To, drillLimit)
		if err != nil {
			return err
		}
		total, shown = d.Total, int64(len(d.Items))
		m.Total = itoa(d.Total) + " 个"
		m.Summary = "该客服接待、没有在3天内成交的询单"
		m.Help = "询单 = 买家当天的咨询是售前咨询（15天内没有付款订单）；接待客服 = 当天第一个回复该买家的人工客服；成交 = 咨询当天起3天内付款。数量 = 询单人数 − 询单成交人数，最新的在前。"
		for _, q := range d.Items {
			m.Inquiries = append(m.Inquiries, views.DrillInquiry{Day: q.Day.String(), At: at(q.FirstAt), Buyer: q.Buyer, FirstMsg: q.FirstMsg})
		}
	case drillRefunds:
		d, err := s.st.AgentRefunds(ctx, shop, ag.ID, per.From, per.To, drillLimit)
		if err != nil {
			return err
		}
		total, shown = d.Total, int64(len(d.Items))
		m.Total = itoa(d.Total) + " 笔"
		m.Summary = "期内退款成功 " + itoa(d.Done) + " 笔（其中纠纷 " + itoa(d.Disputes) + " 笔），期内申请 " + itoa(d.Requested) + " 笔"
		m.Help = "记到该客服名下的售后单（售后单自带客服，否则按订单的归属客服）：退款率的分子是期内完结的成功退款，纠纷退款率的分子是其中平台介入且判商家责任的；期内申请的售后单用于品质退货率。最新的在前。"
		for _, r := range d.Items {
			m.Refunds = append(m.Refunds, refundRow(r, at))
		}
	case drillReviews:
		d, err := s.st.AgentBadReviews(ctx, shop, ag.ID, per.From, per.To, drillLimit)
		if err != nil {
			return err
		}
		total, shown = d.Total, int64(len(d.Items))
		m.Total = itoa(d.Total) + " 条"
		m.Summary = "差评（1–2星）" + itoa(d.Bad) + " 条，中评（3星）" + itoa(d.Medium) + " 条"
		m.Help = "期内创建、通过订单归属到该客服的3星及以下评价；差评率 = 1–2星评价 ÷ 评价数。最新的在前。"
		for _, r := range d.Items {
			cls := "warn"
			if r.Rating <= 2 {
				cls = "bad"
			}
			m.Reviews = append(m.Reviews, views.DrillReview{At: at(r.At), Buyer: r.Buyer, OrderID: r.OrderID, Product: r.Product, Content: r.Content, Rating: r.Rating, Class: cls})
		}
	}
	m.Empty = total == 0
	if total > shown {
		m.Note = "共 " + itoa(total) + " 条，只显示最新的 " + itoa(shown) + " 条。"
	}
	return render(c, views.DrillPage(p, m))
}

// waitText writes a wait: "3分05秒", "1小时02分", or 未回复.
func waitText(ms int64) string {
	if ms < 0 {
		return "未回复"
	}
	sec := ms / 1000
	switch {
	case sec >= 3600:
		return itoa(sec/3600) + "小时" + pad2(sec%3600/60) + "分后回复"
	case sec >= 60:
		return itoa(sec/60) + "分" + pad2(sec%60) + "秒后回复"
	}
	return itoa(sec) + "秒后回复"
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

// chatLine is one message of a slow message's context. An agent viewing
// their own drill-down sees other agents as "其他客服": no names of others.
func chatLine(cm store.ChatMsg, slow store.SlowMessage, self int64, owner bool, at func(kpi.Millis) string) views.DrillChat {
	l := views.DrillChat{At: at(cm.At), Content: cm.Content}
	switch cm.Role {
	case kpi.RoleBuyer:
		l.Who, l.Class = slow.Buyer, "buyer"
	case kpi.RoleAgent:
		l.Who, l.Class = cm.Agent, "agent"
		if !owner && cm.AgentID != self {
			l.Who = "其他客服"
		}
	default:
		l.Who, l.Class = "机器人/系统", "bot"
	}
	switch cm.ID {
	case slow.ID:
		l.Class += " focus"
	case slow.ReplyID:
		l.Class += " reply"
	}
	return l
}

var (
	refundTypes    = map[kpi.RefundType]string{kpi.RefundOnly: "仅退款", kpi.ReturnRefund: "退货退款", kpi.Exchange: "换货", kpi.Reissue: "补寄"}
	refundStatuses = map[kpi.RefundStatus]string{kpi.RefundPending: "处理中", kpi.RefundSuccess: "退款成功", kpi.RefundClosed: "已关闭"}
)

func refundRow(r store.RefundRow, at func(kpi.Millis) string) views.DrillRefund {
	d := views.DrillRefund{RefundID: r.RefundID, OrderID: r.OrderID, Buyer: r.Buyer, Type: refundTypes[r.Type], Status: refundStatuses[r.Status],
		Requested: at(r.RequestedAt), Completed: at(r.CompletedAt), Reason: r.Reason,
		Amount: views.FormatMetric(kpi.UnitYuan, float64(r.AmountFen)/100, true)}
	if d.Type == "" {
		d.Type = "其他"
	}
	if r.Done {
		d.Flags = append(d.Flags, "期内退款成功")
	}
	if r.Dispute && r.Done {
		d.Flags = append(d.Flags, "纠纷")
	}
	if r.Requested {
		d.Flags = append(d.Flags, "期内申请")
	}
	if r.Quality {
		d.Flags = append(d.Flags, "品质问题")
	}
	return d
}

// agentTargets are the targets in force for an agent over the period, with
// the agent's value and attainment.
func agentTargets(ls *lineSet, ag *store.Agent, v kpi.Values) []views.AgentTarget {
	var out []views.AgentTarget
	for _, m := range kpi.Metrics {
		t, ok := kpi.TargetInForce(ls.targets, m.Key, ls.day, ag.ID, ag.Shift)
		if !ok {
			continue
		}
		x, xok := v.Get(m.Key)
		row := views.AgentTarget{Key: m.Key, Name: m.Name, Target: views.FormatMetric(m.Unit, t.Value, true),
			Scope: scopeLabel(t) + " · " + t.From.String() + " 起", Value: views.FormatMetric(m.Unit, x, xok), Attainment: "—"}
		if a, ok := kpi.Attainment(m.Key, x, t.Value); ok && xok {
			row.Attainment = strconv.FormatFloat(a*100, 'f', 0, 64) + "%"
			row.Class = "bad"
			if a >= 1 {
				row.Class = "good"
			} else if a >= 0.9 {
				row.Class = "warn"
			}
		}
		out = append(out, row)
	}
	return out
}

// agentQueues fills the agent page's work-queue panels: the agent's cases
// reviewed in the period and their risk items by category.
func (s *Server) agentQueues(ctx context.Context, t *team, ag *store.Agent, me *teamMember, m *views.AgentModel) error {
	cs, err := s.st.Cases(ctx, t.shop, today(t.shop), store.CaseFilter{All: true, AgentID: ag.ID, ReviewFrom: t.per.From, ReviewTo: t.per.To})
	if err != nil {
		return err
	}
	var mine []store.Case
	for _, c := range cs {
		if c.AgentID == ag.ID { // served by the agent (assigned ones count for their server)
			mine = append(mine, c)
		}
	}
	k := store.CaseKPIs(mine, t.per.From, t.per.To, t.shop.Location())[ag.ID]
	if k == nil {
		k = &store.CaseKPI{}
	}
	m.Cases = caseKPIRow(ag.Name, k)
	q := periodQuery(t.per)
	q.Set("shop", itoa(t.shop.ID))
	m.CasesHref = "/cases?shop=" + itoa(t.shop.ID) + "&agent=" + itoa(ag.ID)
	q.Set("agent", itoa(ag.ID))
	m.RisksHref = "/risks?" + q.Encode()
	for _, c := range store.RiskCategories {
		m.Risks = append(m.Risks, views.RiskCount{Key: c, Label: store.RiskLabel(c), N: me.risks[c]})
	}
	return nil
}
