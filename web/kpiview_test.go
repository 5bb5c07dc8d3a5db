package web

import (
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func TestDelta(t *testing.T) {
	for _, tc := range []struct {
		u         kpi.Unit
		v, p      float64
		better    int
		want, cls string
	}{
		{kpi.UnitRate, 0.85, 0.80, 1, "+5.0 个百分点", "up"},
		{kpi.UnitRate, 0.05, 0.03, -1, "+2.0 个百分点", "down"},
		{kpi.UnitSeconds, 30, 40, -1, "−25.0%", "up"},
		{kpi.UnitYuan, 100, 0, 1, "", ""},
		{kpi.UnitCount, 10, 10, 0, "+0.0%", "flat"},
	} {
		s, c := delta(tc.u, tc.v, tc.p, tc.better)
		if s != tc.want || c != tc.cls {
			t.Errorf("%v→%v: %q %q, want %q %q", tc.p, tc.v, s, c, tc.want, tc.cls)
		}
	}
}

func TestKPICards(t *testing.T) {
	s := kpi.Sums{BuyerMessages: 100, Within30s: 50}
	prev := kpi.Sums{BuyerMessages: 100, Within30s: 70}
	cur, pv := kpi.Evaluate(&s, &kpi.Distinct{}, false), kpi.Evaluate(&prev, &kpi.Distinct{}, false)
	cards := kpiCards([]string{"reply_30s_rate", "inquiry_conversion_rate", "nope"}, cur, pv, kpi.Thresholds("pdd"))
	if len(cards) != 2 {
		t.Fatalf("%d cards", len(cards))
	}
	if c := cards[0]; c.Value != "50.0%" || c.Status != "bad" || c.Delta != "−20.0 个百分点" || c.DeltaClass != "down" {
		t.Errorf("card %+v", c)
	}
	if c := cards[1]; c.Value != "—" || c.Status != "" || c.Delta != "" {
		t.Errorf("empty card %+v", c)
	}
}
