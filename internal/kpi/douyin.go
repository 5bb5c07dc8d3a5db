package kpi

import "math"

// The Douyin experience score (抖音体验分, seed 003), estimated from the
// shop's own data — never the platform's figure. Parts, weights and the bands
// that turn each sub-metric into a 1–5 score are data the owner may edit: the
// platform has since moved to a 100-point scale with other parts, and
// kefuboard must follow without a code change. DefaultDouyinModel is the one
// place the defaults live (also written out in docs/METRICS-NOTES.md).

// Band turns a sub-metric's value into a 1–5 score: Cuts are the values at
// which the score reaches 5, 4, 3 and 2 (better to worse); worse than the
// last cut scores 1. Which side is better follows Better[key].
type Band struct {
	Key  string     `json:"key"`
	Cuts [4]float64 `json:"cuts"`
}

// Part is one part of the score: its weight and sub-metrics.
type Part struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
	Bands  []Band  `json:"bands"`
}

// DouyinModel is the whole score's definition.
type DouyinModel struct {
	Parts []Part `json:"parts"`
}

// DefaultDouyinModel: product 50% (bad reviews, quality returns), logistics
// 15% (pickup on time, delivery time), service 35% (refund-only and
// return-refund completion, complaints, disputes, the 3-minute reply rate).
func DefaultDouyinModel() DouyinModel {
	return DouyinModel{Parts: []Part{
		{"商品体验", 0.50, []Band{
			{"bad_review_rate", [4]float64{0.005, 0.01, 0.02, 0.04}},
			{"quality_refund_rate", [4]float64{0.003, 0.006, 0.01, 0.02}},
		}},
		{"物流体验", 0.15, []Band{
			{"pickup_on_time_rate", [4]float64{0.98, 0.95, 0.90, 0.80}},
			{"avg_delivery_hours", [4]float64{48, 60, 72, 96}},
		}},
		{"服务体验", 0.35, []Band{
			{"avg_refund_only_hours", [4]float64{12, 24, 36, 48}},
			{"complaint_rate", [4]float64{0.001, 0.002, 0.005, 0.01}},
			{"dispute_refund_rate", [4]float64{0.0005, 0.001, 0.002, 0.005}},
			{"avg_return_refund_hours", [4]float64{48, 72, 96, 120}},
			{"reply_3m_rate", [4]float64{0.90, 0.85, 0.80, 0.70}},
		}},
	}}
}

// Points is a band's score for a value: 5 at or better than the first cut,
// then 4, 3, 2, and 1 worse than the last.
func (b Band) Points(v float64) float64 {
	dir := Better[b.Key]
	for i, c := range b.Cuts {
		if dir > 0 && v >= c || dir < 0 && v <= c {
			return float64(5 - i)
		}
	}
	return 1
}

// SubScore is one sub-metric's value and score.
type SubScore struct {
	Key    string
	Part   string
	Value  float64
	OK     bool // the sub-metric has a value in the period
	Points float64
	// Cost is the points of the total lost to this sub-metric: how much the
	// total would rise were it at 5.
	Cost float64
}

// DouyinScore is an estimate of the experience score from a period's values.
type DouyinScore struct {
	Total float64
	OK    bool // some part has data
	Parts []PartScore
	Subs  []SubScore
}

// PartScore is one part's mean sub-score.
type PartScore struct {
	Name   string
	Weight float64
	Score  float64
	OK     bool
}

// Score estimates the score from values (metric key → value, ok): a part's
// score is the mean of its sub-scores with data; the total is the weighted
// mean of the parts with data.
func (m DouyinModel) Score(value func(key string) (float64, bool)) DouyinScore {
	var out DouyinScore
	var wsum, tot float64
	for _, p := range m.Parts {
		ps := PartScore{Name: p.Name, Weight: p.Weight}
		var sum float64
		n := 0
		for _, b := range p.Bands {
			v, ok := value(b.Key)
			s := SubScore{Key: b.Key, Part: p.Name, Value: v, OK: ok}
			if ok {
				s.Points = b.Points(v)
				sum += s.Points
				n++
			}
			out.Subs = append(out.Subs, s)
		}
		if n > 0 {
			ps.Score, ps.OK = sum/float64(n), true
			wsum += p.Weight
			tot += p.Weight * ps.Score
		}
		out.Parts = append(out.Parts, ps)
	}
	if wsum > 0 {
		out.Total, out.OK = tot/wsum, true
	}
	// What each sub-metric costs: the total with it at 5, minus the total.
	for i := range out.Subs {
		s := &out.Subs[i]
		if !s.OK || s.Points >= 5 {
			continue
		}
		key := s.Key
		better := m.Score1(value, key, bestValue(m, key))
		s.Cost = better - out.Total
	}
	return out
}

// Score1 is the total with one sub-metric's value replaced (a what-if).
func (m DouyinModel) Score1(value func(string) (float64, bool), key string, v float64) float64 {
	s := m.scoreOnly(func(k string) (float64, bool) {
		if k == key {
			return v, true
		}
		return value(k)
	})
	return s
}

func (m DouyinModel) scoreOnly(value func(string) (float64, bool)) float64 {
	var wsum, tot float64
	for _, p := range m.Parts {
		var sum float64
		n := 0
		for _, b := range p.Bands {
			if v, ok := value(b.Key); ok {
				sum += b.Points(v)
				n++
			}
		}
		if n > 0 {
			wsum += p.Weight
			tot += p.Weight * sum / float64(n)
		}
	}
	if wsum == 0 {
		return 0
	}
	return tot / wsum
}

// bestValue is a value scoring 5 on key's band.
func bestValue(m DouyinModel, key string) float64 {
	for _, p := range m.Parts {
		for _, b := range p.Bands {
			if b.Key == key {
				return b.Cuts[0]
			}
		}
	}
	return math.NaN()
}

// Validate checks an edited model: weights positive and summing to 1 (±0.001),
// known keys with a direction, cuts in order from best to worst.
func (m DouyinModel) Validate() error {
	var w float64
	for _, p := range m.Parts {
		if !(p.Weight > 0) { // NaN too
			return errModel("「" + p.Name + "」的权重必须大于 0")
		}
		w += p.Weight
		for _, b := range p.Bands {
			dir := Better[b.Key]
			if _, ok := MetricByKey(b.Key); !ok || dir == 0 {
				return errModel("未知的指标：" + b.Key)
			}
			for i := 1; i < 4; i++ {
				if dir > 0 && b.Cuts[i] > b.Cuts[i-1] || dir < 0 && b.Cuts[i] < b.Cuts[i-1] {
					return errModel(b.Key + " 的分档要从好到差排列")
				}
			}
		}
	}
	if !(math.Abs(w-1) <= 0.001) {
		return errModel("各部分权重之和必须是 100%")
	}
	return nil
}

type errModel string

func (e errModel) Error() string { return string(e) }
