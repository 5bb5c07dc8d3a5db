package kpi

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Values are a period's metrics, in Metrics order; Null[i] marks a metric with
// no value (zero denominator, or shop-only at agent level).
type Values struct {
	V    []float64
	Null []bool
	// Set by Combine (nil before): where each value comes from, the
	// platform's column name and how a platform figure was aggregated.
	Src []Source
	Col []string
	Agg []string
	// Why a value is null when there is a reason to say (nil = none).
	Why []string
}

// Evaluate computes every metric from a period's sums. agent=true nulls the
// shop-only metrics (DSR, logistics).
func Evaluate(s *Sums, d *Distinct, agent bool) Values {
	v := Values{V: make([]float64, len(Metrics)), Null: make([]bool, len(Metrics))}
	for i, m := range Metrics {
		x, ok := m.Value(s, d)
		if agent && m.Shop {
			ok = false
		}
		if !ok {
			x = 0
		}
		v.V[i], v.Null[i] = x, !ok
	}
	if s.BuyerlessOrders > 0 {
		v.NoBuyers()
	}
	return v
}

// WhyNoBuyers is why per-buyer metrics are empty for orders exported without
// a buyer column.
const WhyNoBuyers = "订单文件没有买家列（拼多多、抖店等的订单导出），无法按人计算：成交人数、客单价、客件数和询单转化要有买家列的订单（淘宝订单报表的买家会员名、京东的下单帐号）或会员/CRM 文件"

// perBuyerKeys are the metrics that count people among the orders, or link
// orders to their buyer's chats.
var perBuyerKeys = map[string]bool{"paying_buyers": true, "aov": true, "items_per_buyer": true,
	"converted_inquiries": true, "inquiry_conversion_rate": true}

// NoBuyers empties the per-buyer metrics, with the reason: some orders of
// the period have no buyer, so people cannot be counted and inquiries cannot
// be linked to the orders that convert them. Never 0, never a made-up buyer.
func (v *Values) NoBuyers() {
	if v.Why == nil {
		v.Why = make([]string, len(v.V))
	}
	for i, m := range Metrics {
		if perBuyerKeys[m.Key] {
			v.V[i], v.Null[i], v.Why[i] = 0, true, WhyNoBuyers
		}
	}
}

// Get returns a metric's value by key.
func (v Values) Get(key string) (float64, bool) {
	for i, m := range Metrics {
		if m.Key == key {
			return v.V[i], !v.Null[i]
		}
	}
	return 0, false
}

// MarshalJSON writes the metrics as an object in METRICS.md order: counts as
// integers, money with 2 decimals, everything else as the shortest float that
// round-trips; null where there is no value.
func (v Values) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range Metrics {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(m.Key))
		b.WriteByte(':')
		x := v.V[i]
		switch {
		case v.Null[i]:
			b.WriteString("null")
		case m.Unit == UnitCount:
			b.WriteString(strconv.FormatInt(int64(x), 10))
		case m.Unit == UnitYuan:
			b.WriteString(strconv.FormatFloat(x, 'f', 2, 64))
		default:
			// Same form as encoding/json, and always with a decimal point so
			// readers see a float: 1 → 1.0.
			s, err := json.Marshal(x)
			if err != nil {
				return nil, err
			}
			if !bytes.ContainsAny(s, ".eE") {
				s = append(s, ".0"...)
			}
			b.Write(s)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Report is the JSON report of docs/METRICS.md.
type Report struct {
	Shop    string        `json:"shop"`
	From    string        `json:"from"`
	To      string        `json:"to"`
	Metrics Values        `json:"metrics"`
	Sources Sources       `json:"sources"`
	Agents  []AgentReport `json:"agents"`
}

// AgentReport is one agent's metrics in a Report.
type AgentReport struct {
	Agent   string  `json:"agent"`
	Metrics Values  `json:"metrics"`
	Sources Sources `json:"sources"`
}

// JSON renders the report indented, as the CLI and the API print it.
func (r *Report) JSON() ([]byte, error) {
	if r.Agents == nil {
		r.Agents = []AgentReport{}
	}
	return json.MarshalIndent(r, "", "  ")
}
