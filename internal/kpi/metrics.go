package kpi

// Unit says how a metric's value is written and shown.
type Unit int8

const (
	UnitCount   Unit = iota // integer
	UnitRate                // fraction in [0, 1]
	UnitYuan                // money, yuan with 2 decimals
	UnitSeconds             // duration in seconds
	UnitHours               // duration in hours
	UnitScore               // DSR 1–5
	UnitRatio               // other ratios (items per buyer)
)

// Metric is one number of docs/METRICS.md: its key, Chinese name, unit and
// definition as a function of a period's sums. Value returns ok=false when the
// denominator is zero (shown as "—", written as null).
type Metric struct {
	Key   string
	Name  string
	Unit  Unit
	Shop  bool // has a shop-level value only (agent value is null)
	Help  string
	Value func(s *Sums, d *Distinct) (v float64, ok bool)
}

func count(v int64) (float64, bool) { return float64(v), true }

func ratio(num, den int64) (float64, bool) {
	if den == 0 {
		return 0, false
	}
	return float64(num) / float64(den), true
}

// msMean is a mean of millisecond sums in seconds (or hours with div 3600).
func msMean(sumMs, n int64, div float64) (float64, bool) {
	if n == 0 {
		return 0, false
	}
	return float64(sumMs) / 1000 / float64(n) / div, true
}

// yuan rounds fen to yuan; fen are exact so this only converts the unit.
func yuan(fen int64) (float64, bool) { return float64(fen) / 100, true }

// roundedDiv divides money in fen by a count, rounding half up to the fen.
func roundedDiv(fen, n int64) (float64, bool) {
	if n == 0 {
		return 0, false
	}
	q, r := fen/n, fen%n
	switch { // half away from zero: a negative total (refund exports) mirrors a positive one
	case r > 0 && 2*r >= n:
		q++
	case r < 0 && -2*r >= n:
		q--
	}
	return float64(q) / 100, true
}

// Metrics lists every metric in the order of docs/METRICS.md (the order of the JSON report).
var Metrics = []Metric{
	{"buyer_messages", "买家消息数", UnitCount, false, "服务时段内买家发出的消息条数", func(s *Sums, _ *Distinct) (float64, bool) { return count(s.BuyerMessages) }},
	{"unreplied_messages", "未回复消息数", UnitCount, false, "无人工回复或24小时后才回复的买家消息", func(s *Sums, _ *Distinct) (float64, bool) { return count(s.Unreplied) }},
	{"reply_30s_rate", "30秒应答率", UnitRate, false, "30秒内得到人工回复的买家消息 ÷ 买家消息数", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.Within30s, s.BuyerMessages) }},
	{"reply_3m_rate", "3分钟回复率", UnitRate, false, "3分钟内得到人工回复的买家消息 ÷ 买家消息数", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.Within3m, s.BuyerMessages) }},
	{"reply_5m_rate", "5分钟回复率", UnitRate, false, "5分钟内得到人工回复的买家消息 ÷ 买家消息数", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.Within5m, s.BuyerMessages) }},
	{"avg_response_seconds", "平均人工响应时长", UnitSeconds, false, "已回复买家消息的平均等待秒数（机器人回复不算）", func(s *Sums, _ *Distinct) (float64, bool) { return msMean(s.WaitSumMs, s.WaitN, 1) }},
	{"first_response_seconds", "首次响应时长", UnitSeconds, false, "每位买家每天第一条服务时段内消息的平均等待秒数（未回复的不计）", func(s *Sums, _ *Distinct) (float64, bool) {
		return msMean(s.FirstWaitSumMs, s.FirstWaitN, 1)
	}},
	{"consulting_buyers", "咨询人数", UnitCount, false, "服务时段内发过消息的买家（去重）", func(_ *Sums, d *Distinct) (float64, bool) { return count(d.ConsultingBuyers) }},
	{"effective_reply_rate", "有效回复率", UnitRate, false, "每条消息都在1小时内得到回复的买家·天 ÷ 咨询的买家·天", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.EffectiveDays, s.WindowDays) }},
	{"inquiries", "询单人数", UnitCount, false, "售前咨询的买家·天（15天内有付款订单的算售后）", func(s *Sums, _ *Distinct) (float64, bool) { return count(s.Inquiries) }},
	{"converted_inquiries", "询单成交人数", UnitCount, false, "咨询当天起3天内付款的询单", func(s *Sums, _ *Distinct) (float64, bool) { return count(s.Converted) }},
	{"inquiry_conversion_rate", "询单转化率", UnitRate, false, "询单成交人数 ÷ 询单人数", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.Converted, s.Inquiries) }},
	{"attributed_sales", "客服销售额", UnitYuan, false, "归属到客服的订单实付金额（按付款日）", func(s *Sums, _ *Distinct) (float64, bool) { return yuan(s.AttributedFen) }},
	{"attributed_orders", "客服成交订单数", UnitCount, false, "归属到客服的付款订单数", func(s *Sums, _ *Distinct) (float64, bool) { return count(s.AttributedOrders) }},
	{"paid_orders", "支付订单数", UnitCount, false, "已付款且未取消的订单（按付款日）", func(s *Sums, _ *Distinct) (float64, bool) { return count(s.PaidOrders) }},
	{"sales", "销售额", UnitYuan, false, "已付款订单实付金额合计", func(s *Sums, _ *Distinct) (float64, bool) { return yuan(s.SalesFen) }},
	{"units", "销售件数", UnitCount, false, "已付款订单商品件数合计", func(s *Sums, _ *Distinct) (float64, bool) { return count(s.Units) }},
	{"paying_buyers", "成交人数", UnitCount, false, "付款买家（去重）", func(_ *Sums, d *Distinct) (float64, bool) { return count(d.PayingBuyers) }},
	{"aov", "客单价", UnitYuan, false, "销售额 ÷ 成交人数（四舍五入到分）", func(s *Sums, d *Distinct) (float64, bool) { return roundedDiv(s.SalesFen, d.PayingBuyers) }},
	{"items_per_buyer", "客件数", UnitRatio, false, "销售件数 ÷ 成交人数", func(s *Sums, d *Distinct) (float64, bool) { return ratio(s.Units, d.PayingBuyers) }},
	{"refund_rate", "退款率", UnitRate, false, "期内退款成功的售后单 ÷ 支付订单数", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.RefundsDone, s.PaidOrders) }},
	{"quality_refund_rate", "品质退货率", UnitRate, false, "期内申请、原因属品质问题的售后单 ÷ 支付订单数", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.QualityRefunds, s.PaidOrders) }},
	{"dispute_refund_rate", "纠纷退款率", UnitRate, false, "平台介入且判商家责任的成功退款 ÷ 支付订单数", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.Disputes, s.PaidOrders) }},
	{"avg_refund_hours", "平均退款时长", UnitHours, false, "成功退款从申请到完结的平均小时数", func(s *Sums, _ *Distinct) (float64, bool) { return msMean(s.RefundSumMs, s.RefundN, 3600) }},
	{"avg_refund_only_hours", "仅退款完结时长", UnitHours, false, "仅退款类成功退款的平均完结小时数", func(s *Sums, _ *Distinct) (float64, bool) {
		return msMean(s.RefundOnlySumMs, s.RefundOnlyN, 3600)
	}},
	{"avg_return_refund_hours", "退货退款完结时长", UnitHours, false, "退货退款类成功退款的平均完结小时数", func(s *Sums, _ *Distinct) (float64, bool) {
		return msMean(s.ReturnSumMs, s.ReturnN, 3600)
	}},
	{"complaints", "投诉数", UnitCount, false, "期内发起的投诉", func(s *Sums, _ *Distinct) (float64, bool) { return count(s.Complaints) }},
	{"complaint_rate", "投诉率", UnitRate, false, "投诉数 ÷ 支付订单数", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.Complaints, s.PaidOrders) }},
	{"reviews", "评价数", UnitCount, false, "期内的评价", func(s *Sums, _ *Distinct) (float64, bool) { return count(s.Reviews) }},
	{"bad_reviews", "差评数", UnitCount, false, "1–2星评价", func(s *Sums, _ *Distinct) (float64, bool) { return count(s.BadReviews) }},
	{"medium_reviews", "中评数", UnitCount, false, "3星评价", func(s *Sums, _ *Distinct) (float64, bool) { return count(s.MediumReviews) }},
	{"bad_review_rate", "差评率", UnitRate, false, "差评数 ÷ 评价数", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.BadReviews, s.Reviews) }},
	{"medium_bad_review_rate", "中差评率", UnitRate, false, "(差评数 + 中评数) ÷ 评价数", func(s *Sums, _ *Distinct) (float64, bool) {
		return ratio(s.BadReviews+s.MediumReviews, s.Reviews)
	}},
	{"dsr_description", "描述相符", UnitScore, true, "评价的描述相符平均分；每位买家每月只计前3条", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.DSRDescSum, s.DSRDescN) }},
	{"dsr_service", "服务态度", UnitScore, true, "评价的服务态度平均分；每位买家每月只计前3条", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.DSRServiceSum, s.DSRServiceN) }},
	{"dsr_logistics", "物流服务", UnitScore, true, "评价的物流服务平均分；每位买家每月只计前3条", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.DSRLogiSum, s.DSRLogiN) }},
	{"avg_ship_hours", "平均发货时长", UnitHours, true, "付款到发货的平均小时数（按发货日）", func(s *Sums, _ *Distinct) (float64, bool) { return msMean(s.ShipSumMs, s.ShipN, 3600) }},
	{"pickup_on_time_rate", "揽收及时率", UnitRate, true, "发货后24小时内揽收的订单 ÷ 已发货订单", func(s *Sums, _ *Distinct) (float64, bool) { return ratio(s.PickupOnTime, s.Shipped) }},
	{"avg_delivery_hours", "平均配送时长", UnitHours, true, "揽收（无则发货）到签收的平均小时数（按签收日）", func(s *Sums, _ *Distinct) (float64, bool) {
		return msMean(s.DeliverySumMs, s.DeliveryN, 3600)
	}},
	// Reported by the platforms' agent reports only (docs/METRICS.md
	// "Platform-reported metrics"): kefuboard has no raw rows to compute them.
	{"attributed_sales_net", "客服净销售额", UnitYuan, false, "平台客服绩效报表的去退（净）销售额：客服销售额减去退款", platformOnly},
	{"unreplied_buyers", "未回复人数", UnitCount, false, "平台客服绩效报表的未回复人数（拼多多为3分钟未回复人数）", platformOnly},
	{"satisfaction_rate", "客户满意率", UnitRate, false, "平台客服绩效报表的客户满意率", platformOnly},
	{"dispute_refunds", "纠纷退款数", UnitCount, false, "平台客服绩效报表的纠纷退款数", platformOnly},
	{"service_score", "客服服务分", UnitRatio, false, "平台客服绩效报表的客服服务分", platformOnly},
}

// platformOnly is the Value of a metric only a platform report gives.
func platformOnly(*Sums, *Distinct) (float64, bool) { return 0, false }

// PlatformOnly reports a metric kefuboard never computes: its value always
// comes from a platform agent report.
func (m Metric) PlatformOnly() bool {
	switch m.Key {
	case "attributed_sales_net", "unreplied_buyers", "satisfaction_rate", "dispute_refunds", "service_score":
		return true
	}
	return false
}

// MetricByKey finds a metric definition.
func MetricByKey(key string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Key == key {
			return m, true
		}
	}
	return Metric{}, false
}
