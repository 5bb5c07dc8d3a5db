package kpi

import (
	"math"
	"testing"
)

func row(from, to Day, vals ...PlatformValue) AgentReportRow {
	return AgentReportRow{Agent: "a", From: from, To: to, Values: vals}
}

func pv(key string, unit PlatformUnit, v float64) PlatformValue {
	return PlatformValue{Key: key, Column: key + "列", Unit: unit, Value: v}
}

func TestAggregatePlatform(t *testing.T) {
	d1 := row(1, 1, pv("consulting_buyers", PUnitCount, 100), pv("inquiries", PUnitCount, 40), pv("converted_inquiries", PUnitCount, 10),
		pv("inquiry_conversion_rate", PUnitRate, 0.25), pv("reply_3m_rate", PUnitRate, 0.9), pv("attributed_sales", PUnitFen, 100000),
		pv("aov", PUnitFen, 10000), PlatformValue{Column: "答问比", Unit: PUnitNumber, Value: 1.2})
	// Day 2: no inquiries, so no conversion rate; its zeros still count.
	d2 := row(2, 2, pv("consulting_buyers", PUnitCount, 300), pv("inquiries", PUnitCount, 0), pv("converted_inquiries", PUnitCount, 0),
		pv("reply_3m_rate", PUnitRate, 0.5), pv("attributed_sales", PUnitFen, 50000), pv("aov", PUnitFen, 30000))
	d3 := row(3, 3, pv("consulting_buyers", PUnitCount, 100), pv("inquiries", PUnitCount, 60), pv("converted_inquiries", PUnitCount, 30),
		pv("inquiry_conversion_rate", PUnitRate, 0.5), pv("reply_3m_rate", PUnitRate, 1), pv("aov", PUnitFen, 20000),
		PlatformValue{Column: "答问比", Unit: PUnitNumber, Value: 1.6})
	got := AggregatePlatform([]AgentReportRow{d1, d2, d3})
	for key, want := range map[string]float64{
		"consulting_buyers":       500,
		"inquiries":               100,
		"converted_inquiries":     40,
		"inquiry_conversion_rate": 0.4,                               // rebuilt: 40 / 100, not the mean of 25% and 50%
		"reply_3m_rate":           (0.9*100 + 0.5*300 + 1*100) / 500, // weighted by consulting buyers
		"attributed_sales":        150000,
		"aov":                     (10000*10 + 30000*0 + 20000*30) / 40.0, // an average: weighted by converted inquiries, never summed
		"答问比":                     (1.2*100 + 1.6*100) / 200,              // a platform-only ratio: weighted by consulting buyers
	} {
		f, ok := got[key]
		if !ok || math.Abs(f.Value-want) > 1e-9 {
			t.Errorf("%s = %v (%v), want %v", key, f.Value, ok, want)
		}
	}
	if got["inquiry_conversion_rate"].Reports != 3 || got["attributed_sales"].Column != "attributed_sales列" {
		t.Errorf("figure meta: %+v %+v", got["inquiry_conversion_rate"], got["attributed_sales"])
	}
	// One report: as the platform wrote it.
	one := AggregatePlatform([]AgentReportRow{d1})
	if one["inquiry_conversion_rate"].Value != 0.25 || one["aov"].Value != 10000 {
		t.Errorf("single report changed: %+v", one)
	}
	// A rate without its base in some report: a plain mean.
	noBase := AggregatePlatform([]AgentReportRow{row(1, 1, pv("satisfaction_rate", PUnitRate, 0.9)), row(2, 2, pv("satisfaction_rate", PUnitRate, 0.7))})
	if math.Abs(noBase["satisfaction_rate"].Value-0.8) > 1e-12 {
		t.Errorf("plain mean: %v", noBase["satisfaction_rate"].Value)
	}
	if s := PlatformAggregation("aov", PUnitFen); s != "多天合计时按询单成交人数加权平均" {
		t.Errorf("aov aggregation text %q", s)
	}
}

func TestChooseReports(t *testing.T) {
	spans := []Span{{1, 7}, {1, 1}, {2, 2}, {3, 3}, {5, 9}, {8, 8}, {1, 31}}
	got := ChooseReports(spans, 1, 8)
	want := []Span{{1, 1}, {2, 2}, {3, 3}, {8, 8}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	// Only the weekly report: used when the period holds all of it, never split.
	if got := ChooseReports([]Span{{1, 7}}, 1, 7); len(got) != 1 {
		t.Errorf("week in week: %v", got)
	}
	if got := ChooseReports([]Span{{1, 7}}, 2, 7); len(got) != 0 {
		t.Errorf("week in part of it: %v", got)
	}
}

func TestCombineSources(t *testing.T) {
	comp := Evaluate(&Sums{BuyerMessages: 10, Within30s: 5, Inquiries: 4, Converted: 1}, &Distinct{ConsultingBuyers: 3}, true)
	plat := map[string]PlatformFigure{
		"reply_30s_rate":   {Value: 0.9, Unit: PUnitRate, Column: "30秒应答率(8-23点)", Reports: 1},
		"service_score":    {Value: 4.8, Unit: PUnitNumber, Column: "客服服务分", Reports: 1},
		"complaints":       {Value: 2, Unit: PUnitCount, Column: "投诉数", Reports: 1},
		"attributed_sales": {Value: 12345, Unit: PUnitFen, Column: "客服销售额", Reports: 2},
	}
	chats := &Sums{BuyerMessages: 10, Within30s: 5, Inquiries: 4, Converted: 1}
	v := Combine(comp, chats, chats, plat)
	for key, want := range map[string]struct {
		v   float64
		src Source
	}{
		"reply_30s_rate":   {0.5, SourceComputed}, // chats exist: computed wins
		"service_score":    {4.8, SourcePlatform},
		"complaints":       {2, SourcePlatform},      // no complaint rows: the platform's figure
		"attributed_sales": {123.45, SourcePlatform}, // chats but no orders: nothing to link, the platform's figure
	} {
		got, ok := v.Get(key)
		src, _, _ := v.SourceOf(key)
		if !ok || got != want.v || src != want.src {
			t.Errorf("%s = %v %v from %v, want %v from %v", key, got, ok, src, want.v, want.src)
		}
	}
	// An agent known only from reports: no computed numbers at all.
	none := Combine(Evaluate(&Sums{}, &Distinct{}, true), &Sums{}, chats, plat)
	if _, ok := none.Get("buyer_messages"); ok {
		t.Error("a platform-only agent has a computed buyer_messages")
	}
	if got, _ := none.Get("attributed_sales"); got != 123.45 {
		t.Errorf("platform money in yuan: %v", got)
	}
}
