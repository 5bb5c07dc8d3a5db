package kpi

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// The composite score (综合得分) of the agent league table (the product card, page 2):
// one number per agent over the seed-001 metrics, so that a team lead can
// rank agents who are good at different things. Each weighted metric is
// normalised across the agents compared (min–max to 0–100 points, inverted
// where lower is better), and the score is the weighted mean of the points.
// docs/METRICS-NOTES.md "综合得分" explains the defaults.

// ScoreKeys are the metrics the score may weigh, in the order the weights
// form lists them: the eight of the default weights, then three more the
// owner may add.
var ScoreKeys = []string{
	"sales", "inquiry_conversion_rate", "reply_30s_rate", "avg_response_seconds",
	"bad_review_rate", "refund_rate", "dispute_refund_rate", "aov",
	"first_response_seconds", "effective_reply_rate", "complaint_rate",
}

// Weights are the relative weights of the score's metrics (key → weight);
// only their ratios matter. A metric absent or weighted 0 does not count.
type Weights map[string]float64

// DefaultWeights are the weights of a shop whose owner has not set any
// (they add up to 100, so each reads as a share):
//
//   - sales 25: what the shop pays customer service for (seed 001 lists it first);
//   - inquiry_conversion_rate 20: the agent's own lever on sales, fair to
//     agents who receive fewer inquiries (seed 002: sales = inquiries × conversion × AOV);
//   - reply_30s_rate 15 and avg_response_seconds 10: speed, which the
//     platforms measure and penalise (seed 000);
//   - bad_review_rate 10 and refund_rate 10: after-sales quality;
//   - dispute_refund_rate 5: rare, but each one is a platform penalty;
//   - aov 5: up-selling, a small bonus (it depends on the product mix more
//     than on the agent).
func DefaultWeights() Weights {
	return Weights{
		"sales": 25, "inquiry_conversion_rate": 20, "reply_30s_rate": 15, "avg_response_seconds": 10,
		"bad_review_rate": 10, "refund_rate": 10, "dispute_refund_rate": 5, "aov": 5,
	}
}

// MaxWeight bounds one weight (a typo such as 2500 instead of 25 is refused).
const MaxWeight = 1000

// Validate checks that every weight is a known score metric, a finite
// number in [0, MaxWeight], and that at least one is positive.
func (w Weights) Validate() error {
	positive := false
	for k, v := range w {
		m, ok := MetricByKey(k)
		if !ok || !isScoreKey(k) {
			return fmt.Errorf("未知的指标：%s", k)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s 的权重不是有效数字", m.Name)
		}
		if v < 0 {
			return fmt.Errorf("%s 的权重不能为负数", m.Name)
		}
		if v > MaxWeight {
			return fmt.Errorf("%s 的权重不能大于 %d", m.Name, MaxWeight)
		}
		positive = positive || v > 0
	}
	if !positive {
		return errors.New("至少要有一个指标的权重大于 0")
	}
	return nil
}

func isScoreKey(k string) bool {
	for _, s := range ScoreKeys {
		if s == k {
			return true
		}
	}
	return false
}

// ParseWeight reads one weight as typed in the form: blank is 0.
func ParseWeight(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errors.New("不是数字")
	}
	return v, nil
}

// Total is the sum of the weights.
func (w Weights) Total() float64 {
	t := 0.0
	for _, k := range ScoreKeys {
		t += w[k]
	}
	return t
}

// Score is one agent's composite score.
type Score struct {
	Value  float64            // 0–100, the weighted mean of Points
	Points map[string]float64 // per weighted metric, 0–100 (0 when the agent has no value)
	NoData map[string]bool    // weighted metrics the agent has no value for
}

// Scores computes the composite score of each of vals (one per agent, in
// any order) under weights w. For each weighted metric, over the agents that
// have a value: the best value gets 100 points, the worst 0, the others in
// proportion (direction from Better); when all values are equal everyone
// gets 100. An agent without a value (a rate without denominator: no reviews,
// no inquiries) gets 0 points for that metric: the score rewards what was
// measured. Score = Σ weight × points ÷ Σ weight over the weighted metrics.
func Scores(vals []Values, w Weights) []Score {
	out := make([]Score, len(vals))
	for i := range out {
		out[i] = Score{Points: map[string]float64{}, NoData: map[string]bool{}}
	}
	total := w.Total()
	if total <= 0 {
		return out
	}
	for _, k := range ScoreKeys {
		wt := w[k]
		if wt <= 0 {
			continue
		}
		lo, hi, seen := math.Inf(1), math.Inf(-1), false
		for i := range vals {
			if v, ok := vals[i].Get(k); ok {
				lo, hi, seen = math.Min(lo, v), math.Max(hi, v), true
			}
		}
		for i := range vals {
			v, ok := vals[i].Get(k)
			p := 0.0
			switch {
			case !ok || !seen:
				out[i].NoData[k] = true
			case hi == lo:
				p = 100
			case Better[k] < 0:
				p = (hi - v) / (hi - lo) * 100
			default:
				p = (v - lo) / (hi - lo) * 100
			}
			out[i].Points[k] = p
			out[i].Value += wt * p
		}
	}
	for i := range out {
		out[i].Value /= total
	}
	return out
}

// Ranks ranks scores from the highest (rank 1); equal scores share a rank
// and the next rank skips (1, 2, 2, 4). Scores equal to 1e-9 are equal, so
// that rounding noise does not split a tie.
func Ranks(scores []float64) []int {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	out := make([]int, len(scores))
	for pos, i := range idx {
		if pos > 0 && math.Abs(scores[idx[pos-1]]-scores[i]) < 1e-9 {
			out[i] = out[idx[pos-1]]
			continue
		}
		out[i] = pos + 1
	}
	return out
}

// Median is the median of a metric over vals, leaving out those without a
// value (ok=false when none has one). With an even count it is the mean of
// the two middle values.
func Median(vals []Values, key string) (float64, bool) {
	var xs []float64
	for i := range vals {
		if v, ok := vals[i].Get(key); ok {
			xs = append(xs, v)
		}
	}
	return MedianOf(xs)
}

// MedianOf is the median of xs (which it sorts); ok=false when empty.
func MedianOf(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2], true
	}
	return (xs[n/2-1] + xs[n/2]) / 2, true
}

// MedianValues is the team median of every metric over vals: the "team
// median" row of the league table and the agent page.
func MedianValues(vals []Values) Values {
	out := Values{V: make([]float64, len(Metrics)), Null: make([]bool, len(Metrics))}
	for i, m := range Metrics {
		v, ok := Median(vals, m.Key)
		out.V[i], out.Null[i] = v, !ok
	}
	return out
}

// MedianPoints is the median of each weighted metric's points over scores.
func MedianPoints(scores []Score, w Weights) map[string]float64 {
	out := map[string]float64{}
	for _, k := range ScoreKeys {
		if w[k] <= 0 {
			continue
		}
		xs := make([]float64, 0, len(scores))
		for _, s := range scores {
			xs = append(xs, s.Points[k])
		}
		out[k], _ = MedianOf(xs)
	}
	return out
}

// AttainmentScores is the composite score by target attainment, the
// alternative to Scores an owner may choose: each weighted metric's points are
// the agent's Attainment of its line × 100 (0–120); goal gives the line of the
// i-th agent (the target in force, else the platform or reference line). A
// metric with no line for the agent (money and counts until a target is set)
// does not count for that agent; one with a line but no value gets 0 points,
// as in Scores. Score = Σ weight × points ÷ Σ weight over the counted metrics.
func AttainmentScores(vals []Values, w Weights, goal func(i int, key string) (float64, bool)) []Score {
	out := make([]Score, len(vals))
	for i := range vals {
		out[i] = Score{Points: map[string]float64{}, NoData: map[string]bool{}}
		total := 0.0
		for _, k := range ScoreKeys {
			wt := w[k]
			if wt <= 0 {
				continue
			}
			g, gok := goal(i, k)
			if !gok {
				continue
			}
			p := 0.0
			v, ok := vals[i].Get(k)
			if a, aok := Attainment(k, v, g); ok && aok {
				p = a * 100
			} else {
				out[i].NoData[k] = true
			}
			out[i].Points[k] = p
			out[i].Value += wt * p
			total += wt
		}
		if total > 0 {
			out[i].Value /= total
		}
	}
	return out
}
