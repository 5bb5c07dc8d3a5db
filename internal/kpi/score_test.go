package kpi

import (
	"math"
	"testing"
)

// vals builds agent Values from sums.
func scoreVals(sums ...Sums) []Values {
	out := make([]Values, len(sums))
	for i := range sums {
		out[i] = Evaluate(&sums[i], &Distinct{PayingBuyers: 1}, true)
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScoreNormalisesAndInverts(t *testing.T) {
	// Three agents: sales 100/200/300 yuan; 30-second rate 50%/100%/75%;
	// average response 10/30/20 s (lower is better).
	vals := scoreVals(
		Sums{SalesFen: 10000, BuyerMessages: 4, Within30s: 2, WaitSumMs: 40000, WaitN: 4},
		Sums{SalesFen: 20000, BuyerMessages: 4, Within30s: 4, WaitSumMs: 120000, WaitN: 4},
		Sums{SalesFen: 30000, BuyerMessages: 4, Within30s: 3, WaitSumMs: 80000, WaitN: 4},
	)
	w := Weights{"sales": 2, "reply_30s_rate": 1, "avg_response_seconds": 1}
	sc := Scores(vals, w)
	want := []struct{ sales, r30, avg float64 }{{0, 0, 100}, {50, 100, 0}, {100, 50, 50}}
	for i, wp := range want {
		p := sc[i].Points
		if !near(p["sales"], wp.sales) || !near(p["reply_30s_rate"], wp.r30) || !near(p["avg_response_seconds"], wp.avg) {
			t.Errorf("agent %d points %v, want %+v", i, p, wp)
		}
		exp := (2*wp.sales + wp.r30 + wp.avg) / 4
		if !near(sc[i].Value, exp) {
			t.Errorf("agent %d score %v, want %v", i, sc[i].Value, exp)
		}
	}
	if r := Ranks([]float64{sc[0].Value, sc[1].Value, sc[2].Value}); r[0] != 3 || r[1] != 2 || r[2] != 1 {
		t.Errorf("ranks %v", r)
	}
}

func TestScoreNullIsZeroPointsAndEqualIsFull(t *testing.T) {
	// Agent 0 has no reviews (bad-review rate null); the other two have the
	// same bad-review rate: both get 100, agent 0 gets 0 for it.
	vals := scoreVals(
		Sums{SalesFen: 100},
		Sums{SalesFen: 100, Reviews: 10, BadReviews: 1},
		Sums{SalesFen: 100, Reviews: 20, BadReviews: 2},
	)
	sc := Scores(vals, Weights{"bad_review_rate": 1, "sales": 1})
	if !sc[0].NoData["bad_review_rate"] || sc[0].Points["bad_review_rate"] != 0 || !near(sc[0].Value, 50) {
		t.Errorf("agent without reviews: %+v", sc[0])
	}
	for i := 1; i < 3; i++ {
		if sc[i].NoData["bad_review_rate"] || !near(sc[i].Value, 100) {
			t.Errorf("agent %d: %+v", i, sc[i])
		}
	}
	// Unweighted metrics do not count at all.
	if _, ok := sc[1].Points["refund_rate"]; ok {
		t.Error("unweighted metric scored")
	}
}

func TestDefaultWeights(t *testing.T) {
	w := DefaultWeights()
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	if w.Total() != 100 {
		t.Errorf("default weights add up to %v, want 100", w.Total())
	}
	for k := range w {
		if Better[k] == 0 {
			t.Errorf("%s has no better direction", k)
		}
	}
}

func TestWeightsValidate(t *testing.T) {
	bad := []Weights{
		{},
		{"sales": 0},
		{"sales": -1, "aov": 5},
		{"sales": math.NaN()},
		{"sales": math.Inf(1)},
		{"sales": MaxWeight + 1},
		{"units": 5},       // a metric, but not a score metric
		{"no_such_key": 5}, // not a metric
	}
	for _, w := range bad {
		if err := w.Validate(); err == nil {
			t.Errorf("%v accepted", w)
		}
	}
	if err := (Weights{"sales": 0, "aov": 0.5}).Validate(); err != nil {
		t.Errorf("valid weights refused: %v", err)
	}
	for _, s := range []string{"abc", "NaN", "Inf", "1e400"} {
		if _, err := ParseWeight(s); err == nil {
			t.Errorf("ParseWeight(%q) accepted", s)
		}
	}
	if v, err := ParseWeight(""); err != nil || v != 0 {
		t.Errorf("blank weight: %v %v", v, err)
	}
}

func TestRanksAndMedian(t *testing.T) {
	if r := Ranks([]float64{50, 80, 50, 10}); r[0] != 2 || r[1] != 1 || r[2] != 2 || r[3] != 4 {
		t.Errorf("ranks %v", r)
	}
	vals := scoreVals(Sums{SalesFen: 100}, Sums{SalesFen: 300}, Sums{SalesFen: 200, Reviews: 4, BadReviews: 1}, Sums{SalesFen: 1000})
	if m, ok := Median(vals, "sales"); !ok || !near(m, 2.5) {
		t.Errorf("median sales %v %v", m, ok)
	}
	if m, ok := Median(vals, "bad_review_rate"); !ok || !near(m, 0.25) {
		t.Errorf("median bad-review rate over the one agent with reviews: %v %v", m, ok)
	}
	mv := MedianValues(vals)
	if _, ok := mv.Get("inquiry_conversion_rate"); ok {
		t.Error("median of a metric no agent has should be null")
	}
	if v, _ := mv.Get("sales"); !near(v, 2.5) {
		t.Errorf("MedianValues sales %v", v)
	}
}
