package web

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// overviewRoutes: the overview is the owner's home, served at "/" by home
// (routes.go); it has no other routes.
func (s *Server) overviewRoutes(a *fiber.App) {}

// overviewCards are the headline numbers, in the owner's order of concern:
// sales, response, after-sales, reviews.
var overviewCards = []string{
	"sales", "attributed_sales", "paid_orders", "aov", "consulting_buyers", "inquiry_conversion_rate",
	"reply_30s_rate", "reply_3m_rate", "avg_response_seconds", "effective_reply_rate",
	"refund_rate", "bad_review_rate", "complaint_rate", "dsr_service",
}

// overview is the owner's home page (the product card, page 1): headline KPIs of a
// period against the previous one, daily trends, the response heat map, the
// inquiry funnel and seed 002's sales bridge.
func (s *Server) overview(c *fiber.Ctx) error {
	if err := ownerOnly(c); err != nil {
		return err
	}
	ctx := c.UserContext()
	p, shop, per, err := s.shopPeriod(c, "数据总览", "overview")
	if err != nil {
		return err
	}
	if shop == nil {
		return render(c, views.Overview(p, views.OverviewModel{NoShop: true}))
	}
	// The model depends only on the shop (its data version included) and the
	// period, so every owner's morning refresh after the first is a render.
	key := overviewKey{shop.ID, shop.DataVersion, shop.Name, shop.Platform, per}
	m, err := s.overviews.Get(key, func() (views.OverviewModel, error) { return s.overviewModel(ctx, shop, per) })
	if err != nil {
		return err
	}
	// Alerts are read per request (a rule change does not move the data
	// version the model is memoised under).
	if m.Alerts, err = s.openAlerts(c, shop, shop.Yesterday(time.Now())); err != nil {
		return err
	}
	m.AlertsHref = "/alerts?shop=" + itoa(shop.ID)
	return render(c, views.Overview(p, m))
}

// overviewKey is everything an overview model depends on.
type overviewKey struct {
	shop, version  int64
	name, platform string
	per            Period
}

// shopByID is the shop the page shows, nil when no shop exists yet.
func (s *Server) shopByID(ctx context.Context, id int64) (*store.Shop, error) {
	shops, err := s.st.Shops(ctx)
	if err != nil {
		return nil, err
	}
	for _, sh := range shops {
		if sh.ID == id {
			return sh, nil
		}
	}
	return nil, nil
}

func (s *Server) overviewModel(ctx context.Context, shop *store.Shop, per Period) (views.OverviewModel, error) {
	m := views.OverviewModel{
		ShopID: shop.ID, ShopName: shop.Name, Platform: shop.Platform,
		Period:  per.form(shop.ID),
		Compare: per.PrevFrom.String() + " 至 " + per.PrevTo.String(),
	}
	cur, err := s.st.Sums(ctx, shop, per.From, per.To)
	if err != nil {
		return m, err
	}
	if cur.Shop == (kpi.Sums{}) && cur.ShopDist == (kpi.Distinct{}) && !cur.HasPlatform() {
		m.Empty = true
		return m, nil
	}
	prev, err := s.st.Sums(ctx, shop, per.PrevFrom, per.PrevTo)
	if err != nil {
		return m, err
	}
	pts, err := s.st.Daily(ctx, shop, per.From, per.To, store.AllAgents)
	if err != nil {
		return m, err
	}
	hours, err := s.st.Hourly(ctx, shop, per.From, per.To, store.AllAgents)
	if err != nil {
		return m, err
	}
	curV := cur.ShopValues()
	prevV := prev.ShopValues()
	ls, err := s.lineSet(ctx, shop, per.To)
	if err != nil {
		return m, err
	}
	lines := ls.For(0, "")
	m.Cards = kpiCards(overviewCards, curV, prevV, lines)
	if m.Trends, err = trendCharts(pts, curV, cur.Shop, lines); err != nil {
		return m, err
	}
	if m.HeatMap, err = heatMapChart(hours); err != nil {
		return m, err
	}
	if m.Funnel, err = funnelChart(curV); err != nil {
		return m, err
	}
	b := decompose(bridgeFactorsOf(prevV), bridgeFactorsOf(curV))
	if m.Bridge, err = bridgeChart(b); err != nil {
		return m, err
	}
	m.Factors = bridgeRows(b)
	return m, nil
}

// drawable reports a trend with something to draw: a day with a value other
// than zero (a platform report over a range has no daily values, and a line
// of zeros says nothing).
func drawable(series []views.TrendSeries) bool {
	for _, s := range series {
		for i, ok := range s.OK {
			if ok && s.Values[i] != 0 {
				return true
			}
		}
	}
	return false
}

// platformDays counts the days whose value of key is a platform figure.
func platformDays(vals []kpi.Values, key string) int {
	n := 0
	for _, v := range vals {
		if src, _, _ := v.SourceOf(key); src == kpi.SourcePlatform {
			n++
		}
	}
	return n
}

// metricSeries is one metric per day, for a trend.
func metricSeries(vals []kpi.Values, key string) ([]float64, []bool) {
	v, ok := make([]float64, len(vals)), make([]bool, len(vals))
	for i := range vals {
		v[i], ok[i] = vals[i].Get(key)
	}
	return v, ok
}

// dailyValues splits a trend's points into days and evaluated metrics
// (agent=true nulls the shop-only metrics).
func dailyValues(pts []store.DayPoint, agent bool) ([]kpi.Day, []kpi.Values) {
	days := make([]kpi.Day, len(pts))
	vals := make([]kpi.Values, len(pts))
	for i := range pts {
		days[i], vals[i] = pts[i].Day, pts[i].Values(agent)
	}
	return days, vals
}

// seriesOf returns a builder of one metric's daily series over vals: as bars
// or a line, on the right or left axis, with the threshold line when ref.
func seriesOf(vals []kpi.Values, lines map[string]kpi.Threshold) func(key string, bar, right, ref bool) views.TrendSeries {
	return func(key string, bar, right, ref bool) views.TrendSeries {
		mt, _ := kpi.MetricByKey(key)
		v, ok := metricSeries(vals, key)
		s := views.TrendSeries{Name: mt.Name, Unit: mt.Unit, Bar: bar, Right: right, Values: v, OK: ok}
		if platformDays(vals, key) > 0 {
			s.Name += "（含平台数据）"
		}
		if ref {
			s.Ref = refLine(lines, key)
		}
		return s
	}
}

// refLine is the dashed line drawn on a rate trend: the Good level of the
// metric's line, labelled 目标 when a target sets it, 达标线 otherwise.
func refLine(lines map[string]kpi.Threshold, key string) *views.RefLine {
	t, ok := lines[key]
	if !ok {
		return nil
	}
	label := "达标线"
	if strings.HasPrefix(t.Source, "目标") {
		label = "目标"
	}
	return &views.RefLine{Value: t.Good, Label: label}
}

// trendCharts are the daily trends of response, conversion, sales,
// after-sales and reviews; a chart with nothing to draw in the period has an
// empty option (the page shows "该时段没有数据").
func trendCharts(pts []store.DayPoint, cur kpi.Values, sums kpi.Sums, lines map[string]kpi.Threshold) ([]views.Chart, error) {
	days, vals := dailyValues(pts, false)
	series := seriesOf(vals, lines)
	has := func(key string) bool { v, ok := cur.Get(key); return ok && v != 0 }
	known := func(key string) bool { _, ok := cur.Get(key); return ok }
	specs := []struct {
		trend views.Trend
		show  bool
	}{
		{views.Trend{ID: "trend-response", Title: "响应趋势",
			Help:   "每天买家消息中30秒、3分钟内得到人工回复的比例，以及每条消息都在1小时内得到回复的买家·天占比（有效回复率）；虚线为目标（设了目标时）或达标线。",
			Series: []views.TrendSeries{series("reply_30s_rate", false, false, true), series("reply_3m_rate", false, false, true), series("effective_reply_rate", false, false, true)}},
			has("buyer_messages") || known("reply_30s_rate") || known("reply_3m_rate")},
		{views.Trend{ID: "trend-conversion", Title: "询单转化趋势",
			Help:   "柱：每天的询单人数（售前咨询的买家·天）；线：询单转化率 = 咨询当天起3天内付款的询单 ÷ 询单人数；虚线为目标（设了目标时）或达标线。",
			Series: []views.TrendSeries{series("inquiries", true, true, false), series("inquiry_conversion_rate", false, false, true)}},
			has("inquiries")},
		{views.Trend{ID: "trend-sales", Title: "销售趋势",
			Help:   "柱：每天已付款且未取消订单的实付金额（按付款日）；线：支付订单数、客服销售额（归属到客服的销售额，没有聊天记录时取平台客服绩效报表当天的数字）。",
			Series: []views.TrendSeries{series("sales", true, false, false), series("paid_orders", false, true, false), series("attributed_sales", false, false, false)}},
			has("paid_orders") || has("attributed_sales")},
		{views.Trend{ID: "trend-aftersales", Title: "售后趋势",
			Help:   "退款率 = 当天退款成功的售后单 ÷ 当天支付订单数；投诉率 = 当天投诉数 ÷ 当天支付订单数；虚线为目标（设了目标时）或达标线。",
			Series: []views.TrendSeries{series("refund_rate", false, false, true), series("complaint_rate", false, false, true)}},
			has("paid_orders") || sums.RefundsDone > 0 || has("complaints")},
		{views.Trend{ID: "trend-reviews", Title: "评价趋势",
			Help:   "柱：每天的评价数；线：差评率 = 1–2星评价 ÷ 评价数；虚线为目标（设了目标时）或达标线。",
			Series: []views.TrendSeries{series("reviews", true, true, false), series("bad_review_rate", false, false, true)}},
			has("reviews")},
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

// heatMapChart is the 30-second rate by weekday and hour of the day.
func heatMapChart(h *[7][24]store.HourCell) (views.Chart, error) {
	const id, title = "heatmap-30s", "30秒应答率 · 星期×小时"
	help := "每格 = 该时段内该星期几、该小时的买家消息中30秒内得到人工回复的比例（越红越慢，看买家什么时候在等）；空白格表示没有买家消息。"
	var cells [7][24]views.HeatCell
	found := false
	for wd := range h {
		for hr := range h[wd] {
			r, ok := h[wd][hr].Reply30sRate()
			cells[wd][hr] = views.HeatCell{Rate: r, OK: ok, Messages: h[wd][hr].BuyerMessages}
			found = found || ok
		}
	}
	if !found {
		return views.Chart{ID: id, Title: title, Help: help}, nil
	}
	return views.HeatMapChart(id, title, help, "30秒应答率", &cells)
}

// funnelChart is consulting buyers → inquiries → converted inquiries.
func funnelChart(v kpi.Values) (views.Chart, error) {
	const id, title = "funnel", "询单漏斗"
	help := "咨询人数（服务时段内发过消息的买家，去重）→ 询单人数（售前咨询的买家·天）→ 询单成交人数（咨询当天起3天内付款）；后两层按买家·天计，多日时段内可能多于咨询人数。"
	buyers, _ := v.Get("consulting_buyers")
	inq, _ := v.Get("inquiries")
	conv, _ := v.Get("converted_inquiries")
	if buyers == 0 && inq == 0 {
		return views.Chart{ID: id, Title: title, Help: help}, nil
	}
	last := "询单成交人数"
	if r, ok := v.Get("inquiry_conversion_rate"); ok {
		last += "（转化率 " + views.FormatMetric(kpi.UnitRate, r, true) + "）"
	}
	return views.FunnelChart(id, title, help, []views.FunnelStage{{Name: "咨询人数", Value: buyers}, {Name: "询单人数", Value: inq}, {Name: last, Value: conv}})
}

// bridgeFactors are seed 002's three factors of inquiry sales in a period:
// sales = inquiries × inquiry_conversion_rate × sales per converted inquiry,
// where sales per converted inquiry = attributed_sales ÷ converted_inquiries
// (METRICS.md "Inquiries and conversion"). Conversion is undefined without
// inquiries, sales per converted inquiry without converted inquiries.
type bridgeFactors struct {
	Inquiries       float64
	Conversion      float64
	ConversionOK    bool
	PerConverted    float64 // yuan
	PerConvertedOK  bool
	AttributedSales float64 // yuan, for display
	ConvertedInqs   float64
}

func bridgeFactorsOf(v kpi.Values) bridgeFactors {
	var f bridgeFactors
	f.Inquiries, _ = v.Get("inquiries")
	f.Conversion, f.ConversionOK = v.Get("inquiry_conversion_rate")
	f.ConvertedInqs, _ = v.Get("converted_inquiries")
	f.AttributedSales, _ = v.Get("attributed_sales")
	if f.ConvertedInqs > 0 {
		f.PerConverted, f.PerConvertedOK = f.AttributedSales/f.ConvertedInqs, true
	}
	return f
}

// Sales is the product of the three factors, N × (C/N) × (A/C): exactly the
// attributed sales when there are converted inquiries (taken as is, free of
// rounding), else 0 (no inquiry converted, so no inquiry sales).
func (f bridgeFactors) Sales() float64 {
	if !f.ConversionOK || !f.PerConvertedOK {
		return 0
	}
	return f.AttributedSales
}

// bridge is the change of inquiry sales from the previous period to the
// current one split into the three factors' effects; the effects add up to
// Cur − Prev exactly.
type bridge struct {
	Prev, Cur                           float64
	Inquiries, Conversion, PerConverted float64 // effects, yuan
	PrevF, CurF                         bridgeFactors
	Method                              string // lmdi, zero, ordered
}

// decompose splits Cur − Prev by the additive LMDI (log mean Divisia index,
// method I): effect of factor x = L(S₁, S₀) · ln(x₁ / x₀) with the logarithmic
// mean L(a, b) = (a − b) / (ln a − ln b), L(a, a) = a. For S = N · r · a the
// three effects sum exactly to S₁ − S₀, whatever the order of the factors.
//
// LMDI needs every factor positive. A factor undefined in one period (no
// inquiries, so no conversion rate; no converted inquiries, so no sales per
// converted inquiry) takes the other period's value, so it explains nothing.
// When one period's sales are 0 the whole change goes to the first factor
// (in the order inquiries, conversion, sales per converted inquiry) that is 0
// in that period: the limit of LMDI as that factor tends to 0. Negative
// values (refund-heavy exports) fall back to the sequential decomposition
// (ΔN·r₀·a₀, N₁·Δr·a₀, N₁·r₁·Δa), which also sums exactly.
func decompose(prev, cur bridgeFactors) bridge {
	b := bridge{Prev: prev.Sales(), Cur: cur.Sales(), PrevF: prev, CurF: cur}
	total := b.Cur - b.Prev
	n0, n1 := prev.Inquiries, cur.Inquiries
	r0, r1 := fill(prev.Conversion, prev.ConversionOK, cur.Conversion, cur.ConversionOK)
	a0, a1 := fill(prev.PerConverted, prev.PerConvertedOK, cur.PerConverted, cur.PerConvertedOK)
	switch {
	case total == 0 && b.Prev == 0:
		b.Method = "zero"
	case n0 > 0 && n1 > 0 && r0 > 0 && r1 > 0 && a0 > 0 && a1 > 0:
		b.Method = "lmdi"
		l := logMean(b.Cur, b.Prev)
		b.Inquiries = l * math.Log(n1/n0)
		b.Conversion = l * math.Log(r1/r0)
		b.PerConverted = total - b.Inquiries - b.Conversion
	case (b.Prev == 0 && n1 >= 0 && r1 >= 0 && a1 >= 0) || (b.Cur == 0 && n0 >= 0 && r0 >= 0 && a0 >= 0):
		b.Method = "zero"
		n, r := n0, r0 // the factors of the period whose sales are 0
		if b.Cur == 0 {
			n, r = n1, r1
		}
		switch {
		case n == 0:
			b.Inquiries = total
		case r == 0:
			b.Conversion = total
		default:
			b.PerConverted = total
		}
	default:
		b.Method = "ordered"
		b.Inquiries = (n1 - n0) * r0 * a0
		b.Conversion = n1 * (r1 - r0) * a0
		b.PerConverted = total - b.Inquiries - b.Conversion
	}
	return b
}

// fill gives an undefined factor the other period's value (0 if neither has one).
func fill(v0 float64, ok0 bool, v1 float64, ok1 bool) (float64, float64) {
	switch {
	case !ok0 && !ok1:
		return 0, 0
	case !ok0:
		return v1, v1
	case !ok1:
		return v0, v0
	}
	return v0, v1
}

// logMean is the logarithmic mean of two positive numbers.
func logMean(a, b float64) float64 {
	if a == b || math.Abs(a-b) < 1e-12*math.Max(a, b) {
		return a
	}
	return (a - b) / (math.Log(a) - math.Log(b))
}

const bridgeHelp = "询单销售额 = 询单人数 × 询单转化率 × 每询单成交销售额（= 客服销售额 ÷ 询单成交人数，故乘积即客服销售额，含直接记到客服名下的订单，并非严格只含询单订单）；用 LMDI 对数平均法把上期到本期的变化拆成三项，三项之和恰好等于总变化（某期为 0 时，整个变化归给该期为 0 的因子）。"

func bridgeChart(b bridge) (views.Chart, error) {
	const id, title = "bridge", "询单销售额拆解（上期 → 本期）"
	if b.Prev == 0 && b.Cur == 0 {
		return views.Chart{ID: id, Title: title, Help: bridgeHelp}, nil
	}
	return views.WaterfallChart(id, title, bridgeHelp, kpi.UnitYuan, []views.WaterfallStep{
		{Name: "上期", Value: b.Prev, Total: true},
		{Name: "询单\n人数", Value: b.Inquiries},
		{Name: "询单\n转化率", Value: b.Conversion},
		{Name: "每询单\n成交额", Value: b.PerConverted},
		{Name: "本期", Value: b.Cur, Total: true},
	})
}

// bridgeRows are the factor table under the bridge.
func bridgeRows(b bridge) []views.BridgeRow {
	effect := func(v float64) (string, string) {
		s := views.FormatMetric(kpi.UnitYuan, v, true)
		switch {
		case math.Abs(v) < 0.005:
			return views.FormatMetric(kpi.UnitYuan, 0, true), "flat"
		case v > 0:
			return "+" + s, "up"
		}
		return s, "down"
	}
	mk := func(name string, u kpi.Unit, pv float64, pok bool, cv float64, cok bool, e float64) views.BridgeRow {
		r := views.BridgeRow{Name: name, Prev: views.FormatMetric(u, pv, pok), Cur: views.FormatMetric(u, cv, cok)}
		r.Effect, r.EffectClass = effect(e)
		return r
	}
	p, c := b.PrevF, b.CurF
	total := mk("询单销售额", kpi.UnitYuan, b.Prev, true, b.Cur, true, b.Cur-b.Prev)
	return []views.BridgeRow{
		mk("询单人数", kpi.UnitCount, p.Inquiries, true, c.Inquiries, true, b.Inquiries),
		mk("询单转化率", kpi.UnitRate, p.Conversion, p.ConversionOK, c.Conversion, c.ConversionOK, b.Conversion),
		mk("每询单成交销售额", kpi.UnitYuan, p.PerConverted, p.PerConvertedOK, c.PerConverted, c.PerConvertedOK, b.PerConverted),
		total,
	}
}
