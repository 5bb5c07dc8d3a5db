package kpi

import (
	"math"
	"testing"
)

func TestSuggest(t *testing.T) {
	for _, c := range []struct {
		name          string
		key           string
		v, top, h     float64
		vOK, tOK, hOK bool
		want          float64
	}{
		// Higher is better.
		{"half the gap to the top", "reply_30s_rate", 0.70, 0.90, 0, true, true, false, 0.80},
		{"rounded up to 0.1 pp", "reply_30s_rate", 0.7123, 0.90, 0, true, true, false, 0.807},
		{"already better than the top: keep", "reply_30s_rate", 0.95, 0.90, 0, true, true, false, 0.95},
		{"no benchmark: keep, rounded up", "reply_30s_rate", 0.8123, 0, 0, true, false, false, 0.813},
		{"never below the platform line", "effective_reply_rate", 0.40, 0, 0.50, true, false, true, 0.50},
		{"half the gap still below the line", "effective_reply_rate", 0.30, 0.60, 0.50, true, true, true, 0.50},
		{"no value: the platform line", "effective_reply_rate", 0, 0, 0.50, false, false, true, 0.50},
		{"money to ¥1, up", "aov", 101.20, 130, 0, true, true, false, 116},
		// Lower is better.
		{"lower: half the gap", "avg_response_seconds", 40, 20, 0, true, true, false, 30},
		{"lower: rounded down to 1 s", "avg_response_seconds", 41.3, 20, 0, true, true, false, 30},
		{"lower: never above the line", "refund_rate", 0.08, 0, 0.05, true, false, true, 0.05},
		{"lower: hours to 0.1 h, down", "avg_refund_hours", 30.27, 0, 0, true, false, false, 30.2},
	} {
		s := Suggest(c.key, c.v, c.vOK, c.top, c.tOK, c.h, c.hOK)
		if !s.OK || math.Abs(s.Value-c.want) > 1e-9 || s.Reason == "" {
			t.Errorf("%s: %+v, want %v", c.name, s, c.want)
		}
	}
	if s := Suggest("buyer_messages", 10, true, 0, false, 0, false); s.OK {
		t.Errorf("a neutral KPI got a suggestion: %+v", s)
	}
	if s := Suggest("reply_30s_rate", 0, false, 0.9, true, 0, false); s.OK {
		t.Errorf("no value and no line: %+v", s)
	}
}

func TestTargetInForce(t *testing.T) {
	ts := []Target{
		{Metric: "reply_30s_rate", Scope: ScopeShop, Value: 0.80, From: 10},
		{Metric: "reply_30s_rate", Scope: ScopeShop, Value: 0.85, From: 20},
		{Metric: "reply_30s_rate", Scope: ScopeShift, Shift: "早班", Value: 0.88, From: 15},
		{Metric: "reply_30s_rate", Scope: ScopeAgent, Agent: 7, Value: 0.90, From: 18},
		{Metric: "reply_30s_rate", Scope: ScopeAgent, Agent: 7, Value: 0.95, From: 30},
		{Metric: "aov", Scope: ScopeShop, Value: 100, From: 1},
	}
	for _, c := range []struct {
		day   Day
		agent int64
		shift string
		want  float64
		ok    bool
	}{
		{5, 0, "", 0, false},      // before any target
		{12, 0, "", 0.80, true},   // the shop's first
		{25, 0, "", 0.85, true},   // the latest in force
		{25, 3, "早班", 0.88, true}, // the shift beats the shop
		{25, 7, "早班", 0.90, true}, // the agent beats the shift
		{16, 7, "早班", 0.88, true}, // the agent's is not in force yet
		{31, 7, "", 0.95, true},   // the agent's latest
		{25, 3, "晚班", 0.85, true}, // another shift: the shop's
	} {
		got, ok := TargetInForce(ts, "reply_30s_rate", c.day, c.agent, c.shift)
		if ok != c.ok || got.Value != c.want {
			t.Errorf("day %d agent %d shift %q: %v %v, want %v", c.day, c.agent, c.shift, got.Value, ok, c.want)
		}
	}
	if a, ok := Attainment("reply_30s_rate", 0.72, 0.80); !ok || math.Abs(a-0.9) > 1e-9 {
		t.Errorf("attainment %v", a)
	}
	if a, _ := Attainment("avg_response_seconds", 20, 30); a != 1.2 {
		t.Errorf("lower is better, capped: %v", a)
	}
}

// The PDD rule: a day with at least 100 consulting buyers and an effective
// reply rate under 50% is a breach; 99 buyers, or 50.0%, is not.
func TestPDDEffectiveReplyRule(t *testing.T) {
	rules := RulesFor("pdd", DefaultRules())
	day := func(buyers int64, effective, days int64) Values {
		return Evaluate(&Sums{WindowDays: days, EffectiveDays: effective}, &Distinct{ConsultingBuyers: buyers}, false)
	}
	none := func(string) (float64, bool) { return 0, false }
	for _, c := range []struct {
		buyers, effective, days int64
		alert                   bool
	}{
		{100, 499, 1000, true},  // 49.9%
		{99, 499, 1000, false},  // fewer than 100 buyers
		{100, 500, 1000, false}, // exactly 50.0%
		{250, 100, 250, true},   // 40%
	} {
		got := CheckDay(rules, 100, day(c.buyers, c.effective, c.days), none)
		if (len(got) == 1 && got[0].Rule == "pdd_effective_reply") != c.alert || len(got) > 1 {
			t.Errorf("%d buyers, %d/%d: %+v", c.buyers, c.effective, c.days, got)
		}
	}
	// The 5-minute rule needs the owner's benchmark.
	v := Evaluate(&Sums{BuyerMessages: 10, Within5m: 7}, &Distinct{}, false)
	if got := CheckDay(rules, 100, v, none); len(got) != 0 {
		t.Errorf("without a benchmark: %+v", got)
	}
	if got := CheckDay(rules, 100, v, func(string) (float64, bool) { return 0.8, true }); len(got) != 1 || got[0].Rule != "pdd_reply_5m" || got[0].Threshold != 0.8 {
		t.Errorf("with a benchmark of 80%%: %+v", got)
	}
}

// A hand-computed experience score.
func TestDouyinScore(t *testing.T) {
	m := DefaultDouyinModel()
	vals := map[string]float64{
		"bad_review_rate":         0.008,  // ≤1% → 4
		"quality_refund_rate":     0.002,  // ≤0.3% → 5
		"pickup_on_time_rate":     0.93,   // ≥90% → 3
		"avg_delivery_hours":      50,     // ≤60 → 4
		"avg_refund_only_hours":   30,     // ≤36 → 3
		"complaint_rate":          0.0005, // → 5
		"dispute_refund_rate":     0.003,  // ≤0.5% → 2
		"avg_return_refund_hours": 130,    // worse than 120 → 1
		"reply_3m_rate":           0.88,   // ≥85% → 4
	}
	get := func(k string) (float64, bool) { v, ok := vals[k]; return v, ok }
	s := m.Score(get)
	// product (4+5)/2 = 4.5; logistics (3+4)/2 = 3.5; service (3+5+2+1+4)/5 = 3.0
	// total = 0.5×4.5 + 0.15×3.5 + 0.35×3.0 = 2.25 + 0.525 + 1.05 = 3.825
	if !s.OK || math.Abs(s.Total-3.825) > 1e-9 {
		t.Fatalf("total %v, want 3.825", s.Total)
	}
	worst := ""
	cost := 0.0
	for _, x := range s.Subs {
		if x.Cost > cost {
			worst, cost = x.Key, x.Cost
		}
	}
	// avg_return_refund_hours at 5 would lift service by 4/5 points: 0.35 × 0.8 = 0.28.
	if worst != "avg_return_refund_hours" || math.Abs(cost-0.28) > 1e-9 {
		t.Errorf("costliest %s %.3f", worst, cost)
	}
	if w := m.Score1(get, "reply_3m_rate", 0.95); math.Abs(w-(3.825+0.35*0.2)) > 1e-9 {
		t.Errorf("what-if 95%%: %v", w)
	}
	// A part without data leaves the weights of the others.
	delete(vals, "pickup_on_time_rate")
	delete(vals, "avg_delivery_hours")
	if s := m.Score(get); math.Abs(s.Total-(0.5*4.5+0.35*3.0)/0.85) > 1e-9 {
		t.Errorf("without logistics: %v", s.Total)
	}
	bad := DefaultDouyinModel()
	bad.Parts[0].Weight = 0.6
	if bad.Validate() == nil || m.Validate() != nil {
		t.Error("validation")
	}
}

// TestAttainmentScores: points are attainment × 100 capped at 120, lower is
// better reversed, a metric without a line is left out and one without a
// value scores 0.
func TestAttainmentScores(t *testing.T) {
	w := Weights{"reply_30s_rate": 2, "avg_response_seconds": 1, "sales": 1}
	mk := func(rate, secs float64, hasRate bool) Values {
		v := Values{V: make([]float64, len(Metrics)), Null: make([]bool, len(Metrics))}
		for i := range v.Null {
			v.Null[i] = true
		}
		set := func(key string, x float64) {
			for i, m := range Metrics {
				if m.Key == key {
					v.V[i], v.Null[i] = x, false
				}
			}
		}
		if hasRate {
			set("reply_30s_rate", rate)
		}
		set("avg_response_seconds", secs)
		set("sales", 1000)
		return v
	}
	vals := []Values{mk(0.72, 20, true), mk(0.99, 60, true), mk(0, 30, false)}
	goal := func(i int, key string) (float64, bool) {
		switch key {
		case "reply_30s_rate":
			return 0.80, true
		case "avg_response_seconds":
			return 30, true
		}
		return 0, false // sales: no line
	}
	got := AttainmentScores(vals, w, goal)
	want := []float64{
		(2*90 + 1*120) / 3.0, // 0.72/0.80 = 90; 30/20 capped at 120
		(2*120 + 1*50) / 3.0, // 0.99/0.80 capped; 30/60 = 50
		(2*0 + 1*100) / 3.0,  // no rate: 0 points
	}
	for i := range want {
		if math.Abs(got[i].Value-want[i]) > 1e-9 {
			t.Errorf("agent %d: score %v, want %v (points %v)", i, got[i].Value, want[i], got[i].Points)
		}
		if _, counted := got[i].Points["sales"]; counted {
			t.Errorf("agent %d: sales has no line but was scored", i)
		}
	}
	if !got[2].NoData["reply_30s_rate"] || got[0].NoData["reply_30s_rate"] {
		t.Errorf("NoData: %v / %v", got[0].NoData, got[2].NoData)
	}
}

// TestDouyinModelValidate refuses what a typo or a hand-made request could
// store: weights not summing to 100%, NaN, cuts out of order.
func TestDouyinModelValidate(t *testing.T) {
	if err := DefaultDouyinModel().Validate(); err != nil {
		t.Fatalf("default model: %v", err)
	}
	for name, edit := range map[string]func(*DouyinModel){
		"weights 110%":    func(m *DouyinModel) { m.Parts[0].Weight = 0.6 },
		"NaN weight":      func(m *DouyinModel) { m.Parts[0].Weight = math.NaN() },
		"zero weight":     func(m *DouyinModel) { m.Parts[2].Weight, m.Parts[0].Weight = 0, 0.85 },
		"cuts reversed":   func(m *DouyinModel) { m.Parts[0].Bands[0].Cuts = [4]float64{0.04, 0.02, 0.01, 0.005} },
		"unknown metric":  func(m *DouyinModel) { m.Parts[1].Bands[0].Key = "nope" },
		"rate cuts wrong": func(m *DouyinModel) { m.Parts[1].Bands[0].Cuts = [4]float64{0.8, 0.9, 0.95, 0.98} },
	} {
		m := DefaultDouyinModel()
		edit(&m)
		if err := m.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
