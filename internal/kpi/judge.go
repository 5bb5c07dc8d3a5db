package kpi

// Status is how a value stands against its threshold (or, later, its target).
type Status int8

const (
	StatusNone Status = iota // no threshold, or no value
	StatusGood
	StatusWarn
	StatusBad
)

// Class is the CSS class of a status ("" for none).
func (s Status) Class() string {
	return [...]string{"", "good", "warn", "bad"}[s]
}

// Better says which direction of a metric is an improvement: +1 higher is
// better, -1 lower is better, 0 neither (plain volumes such as message counts).
var Better = map[string]int{
	"buyer_messages": 0, "unreplied_messages": -1, "reply_30s_rate": 1, "reply_3m_rate": 1, "reply_5m_rate": 1,
	"avg_response_seconds": -1, "first_response_seconds": -1, "consulting_buyers": 1, "effective_reply_rate": 1,
	"inquiries": 1, "converted_inquiries": 1, "inquiry_conversion_rate": 1, "attributed_sales": 1, "attributed_orders": 1,
	"paid_orders": 1, "sales": 1, "units": 1, "paying_buyers": 1, "aov": 1, "items_per_buyer": 1,
	"refund_rate": -1, "quality_refund_rate": -1, "dispute_refund_rate": -1, "avg_refund_hours": -1,
	"avg_refund_only_hours": -1, "avg_return_refund_hours": -1, "complaints": -1, "complaint_rate": -1,
	"reviews": 1, "bad_reviews": -1, "medium_reviews": -1, "bad_review_rate": -1, "medium_bad_review_rate": -1,
	"dsr_description": 1, "dsr_service": 1, "dsr_logistics": 1, "avg_ship_hours": -1, "pickup_on_time_rate": 1,
	"avg_delivery_hours":   -1,
	"attributed_sales_net": 1, "unreplied_buyers": -1, "satisfaction_rate": 1, "dispute_refunds": -1, "service_score": 1,
}

// Threshold is the line a metric is judged against. A value at least as good
// as Good is good; worse than Bad is bad; in between is a warning. Source
// says where the line comes from, shown next to the colour: a platform rule
// from the seeds, or kefuboard's reference value until the owner sets a
// target (the targets page of a later release replaces these per shop,
// shift and agent through the same type).
type Threshold struct {
	Good, Bad float64
	Source    string
	Platform  bool // the line is a platform rule, not a reference value
}

// Judge rates v for a metric whose better direction is dir.
func (t Threshold) Judge(v float64, dir int) Status {
	switch {
	case dir > 0 && v >= t.Good, dir < 0 && v <= t.Good:
		return StatusGood
	case dir > 0 && v < t.Bad, dir < 0 && v > t.Bad:
		return StatusBad
	case dir != 0:
		return StatusWarn
	}
	return StatusNone
}

const refSource = "参考值（可在目标设定中修改）"

// referenceThresholds are kefuboard's defaults where no platform rule gives a
// number: common customer-service reference levels for small shops.
var referenceThresholds = map[string]Threshold{
	"reply_30s_rate":          {0.80, 0.60, refSource, false},
	"reply_3m_rate":           {0.90, 0.75, refSource, false},
	"reply_5m_rate":           {0.95, 0.80, refSource, false},
	"avg_response_seconds":    {30, 60, refSource, false},
	"first_response_seconds":  {20, 45, refSource, false},
	"effective_reply_rate":    {0.80, 0.60, refSource, false},
	"inquiry_conversion_rate": {0.50, 0.30, refSource, false},
	"refund_rate":             {0.05, 0.10, refSource, false},
	"quality_refund_rate":     {0.01, 0.03, refSource, false},
	"dispute_refund_rate":     {0.001, 0.005, refSource, false},
	"complaint_rate":          {0.002, 0.01, refSource, false},
	"bad_review_rate":         {0.01, 0.03, refSource, false},
	"medium_bad_review_rate":  {0.03, 0.06, refSource, false},
	"dsr_description":         {4.8, 4.6, refSource, false},
	"dsr_service":             {4.8, 4.6, refSource, false},
	"dsr_logistics":           {4.8, 4.6, refSource, false},
	"avg_ship_hours":          {24, 48, refSource, false},
	"pickup_on_time_rate":     {0.95, 0.85, refSource, false},
}

// Thresholds returns the lines of a shop on platform: the reference values,
// with the platform's own rules (the platform rules of docs/METRICS-NOTES.md) where the seeds
// give one.
func Thresholds(platform string) map[string]Threshold {
	m := make(map[string]Threshold, len(referenceThresholds))
	for k, t := range referenceThresholds {
		m[k] = t
	}
	if platform == "pdd" {
		// Seed 000: below 50% on a day with ≥100 consulting buyers costs ¥1000.
		m["effective_reply_rate"] = Threshold{0.80, 0.50, "拼多多规则：日咨询≥100人且低于50%罚款1000元", true}
	}
	return m
}
