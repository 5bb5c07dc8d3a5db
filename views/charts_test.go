package views

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// option parses a chart's option JSON and fails the test if it is not valid.
func option(t *testing.T, ch Chart) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(ch.Option), &m); err != nil {
		t.Fatalf("chart %s: option is not JSON: %v\n%s", ch.ID, err, ch.Option)
	}
	if strings.Contains(ch.Option, "function") || strings.Contains(ch.Option, "__f__") {
		t.Errorf("chart %s: option holds a JS function", ch.ID)
	}
	return m
}

func seriesOf(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	raw, _ := m["series"].([]any)
	out := make([]map[string]any, len(raw))
	for i, s := range raw {
		out[i] = s.(map[string]any)
	}
	return out
}

func days(n int) []kpi.Day {
	d := make([]kpi.Day, n)
	start := kpi.DayOf(2024, 12, 28)
	for i := range d {
		d[i] = start + kpi.Day(i)
	}
	return d
}

func TestTrendChart(t *testing.T) {
	const n = 9
	vals := func(f func(i int) float64) ([]float64, []bool) {
		v, ok := make([]float64, n), make([]bool, n)
		for i := range v {
			v[i], ok[i] = f(i), i != 3 // day 3 has no value
		}
		return v, ok
	}
	rate, rok := vals(func(i int) float64 { return 0.5 + float64(i)/100 })
	cnt, cok := vals(func(i int) float64 { return float64(10 * i) })
	ch, err := TrendChart(Trend{ID: "t", Title: "趋势", Help: "说明", Days: days(n), Series: []TrendSeries{
		{Name: "询单人数", Unit: kpi.UnitCount, Bar: true, Right: true, Values: cnt, OK: cok},
		{Name: "询单转化率", Unit: kpi.UnitRate, Values: rate, OK: rok, Ref: &RefLine{Value: 0.5, Label: "达标线"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	m := option(t, ch)
	ss := seriesOf(t, m)
	if len(ss) != 2 || ss[0]["type"] != "bar" || ss[1]["type"] != "line" {
		t.Fatalf("series %v", ss)
	}
	for _, s := range ss {
		if d := s["data"].([]any); len(d) != n {
			t.Errorf("series %v: %d points, want %d", s["name"], len(d), n)
		}
	}
	line := ss[1]["data"].([]any)
	if v := line[3].(map[string]any)["value"]; v != "-" {
		t.Errorf("day without value plotted as %v, want a gap", v)
	}
	if v := line[2].(map[string]any)["value"]; v != 52.0 {
		t.Errorf("rate plotted as %v, want percent 52", v)
	}
	ml, ok := ss[1]["markLine"].(map[string]any)
	if !ok {
		t.Fatal("rate series has no reference line")
	}
	if ml["lineStyle"].(map[string]any)["type"] != "dashed" || ml["data"].([]any)[0].(map[string]any)["yAxis"] != 50.0 {
		t.Errorf("markLine %v", ml)
	}
	if ss[0]["yAxisIndex"] != 1.0 {
		t.Errorf("right-axis bar on axis %v", ss[0]["yAxisIndex"])
	}
	if ya := m["yAxis"].([]any); len(ya) != 2 {
		t.Errorf("%d y axes, want 2", len(ya))
	}
	xa := m["xAxis"].([]any)[0].(map[string]any)["data"].([]any)
	if len(xa) != n || xa[0] != "2024-12-28" {
		t.Errorf("x axis %v (period across years keeps the year)", xa)
	}
	if _, err := TrendChart(Trend{ID: "bad", Days: days(3), Series: []TrendSeries{{Name: "x", Values: []float64{1}, OK: []bool{true}}}}); err == nil {
		t.Error("series shorter than the days accepted")
	}
}

func TestTrendChartSingleYear(t *testing.T) {
	d := []kpi.Day{kpi.DayOf(2025, 3, 1), kpi.DayOf(2025, 3, 2)}
	ch, err := TrendChart(Trend{ID: "s", Days: d, Series: []TrendSeries{{Name: "销售额", Unit: kpi.UnitYuan, Bar: true, Values: []float64{12.345, 0}, OK: []bool{true, true}}}})
	if err != nil {
		t.Fatal(err)
	}
	m := option(t, ch)
	xa := m["xAxis"].([]any)[0].(map[string]any)["data"].([]any)
	if xa[0] != "03-01" {
		t.Errorf("x label %v", xa[0])
	}
	if v := seriesOf(t, m)[0]["data"].([]any)[0].(map[string]any)["value"]; v != 12.35 {
		t.Errorf("yuan plotted as %v", v)
	}
}

func TestHeatMapChart(t *testing.T) {
	var cells [7][24]HeatCell
	cells[1][9] = HeatCell{Rate: 0.8, OK: true, Messages: 10}  // Monday 09
	cells[0][23] = HeatCell{Rate: 0.25, OK: true, Messages: 4} // Sunday 23
	ch, err := HeatMapChart("h", "热力图", "说明", "30秒应答率", &cells)
	if err != nil {
		t.Fatal(err)
	}
	if !ch.Tall {
		t.Error("heat map should be tall")
	}
	m := option(t, ch)
	data := seriesOf(t, m)[0]["data"].([]any)
	if len(data) != 2 {
		t.Fatalf("%d cells, want only the 2 with messages", len(data))
	}
	first := data[0].(map[string]any)["value"].([]any)
	if first[0] != 9.0 || first[1] != 0.0 || first[2] != 80.0 { // Monday is row 0
		t.Errorf("cell %v", first)
	}
	last := data[1].(map[string]any)["value"].([]any)
	if last[0] != 23.0 || last[1] != 6.0 { // Sunday is the last row
		t.Errorf("cell %v", last)
	}
	if vm, ok := m["visualMap"].([]any); !ok || len(vm) != 1 {
		t.Errorf("visualMap %v", m["visualMap"])
	}
	if y := m["yAxis"].([]any)[0].(map[string]any)["data"].([]any); len(y) != 7 || y[0] != "周一" {
		t.Errorf("rows %v", y)
	}
}

func TestFunnelChart(t *testing.T) {
	ch, err := FunnelChart("f", "漏斗", "说明", []FunnelStage{{"咨询人数", 100}, {"询单人数", 120}, {"询单成交人数", 0}})
	if err != nil {
		t.Fatal(err)
	}
	s := seriesOf(t, option(t, ch))[0]
	if s["sort"] != "none" {
		t.Errorf("funnel sorted %v: stages must keep their order", s["sort"])
	}
	d := s["data"].([]any)
	if len(d) != 3 || d[2].(map[string]any)["value"] != 0.0 || d[0].(map[string]any)["name"] != "咨询人数" {
		t.Errorf("data %v", d)
	}
}

func TestWaterfallChart(t *testing.T) {
	steps := []WaterfallStep{{"上期", 100, true}, {"A", 30, false}, {"B", -50, false}, {"C", -120, false}, {"D", 60, false}, {"本期", 20, true}}
	ch, err := WaterfallChart("w", "拆解", "说明", kpi.UnitYuan, steps)
	if err != nil {
		t.Fatal(err)
	}
	ss := seriesOf(t, option(t, ch))
	if len(ss) != 3 {
		t.Fatalf("%d series", len(ss))
	}
	val := func(s map[string]any, i int) float64 {
		v := s["data"].([]any)[i].(map[string]any)["value"]
		if f, ok := v.(float64); ok {
			return f
		}
		return 0 // "-"
	}
	// Each bar spans [low, high] of the running total: base + body (+ under).
	want := [][2]float64{{0, 100}, {100, 130}, {80, 130}, {-40, 80}, {-40, 20}, {0, 20}}
	for i, w := range want {
		base, body, under := val(ss[0], i), val(ss[1], i), val(ss[2], i)
		var lo, hi float64
		switch {
		case under != 0:
			lo, hi = under, body
		case body < 0:
			lo, hi = base+body, base
		default:
			lo, hi = base, base+body
		}
		if math.Abs(lo-w[0]) > 1e-9 || math.Abs(hi-w[1]) > 1e-9 {
			t.Errorf("bar %d spans [%v, %v], want %v", i, lo, hi, w)
		}
		if ss[1]["stack"] != "bridge" || ss[0]["stack"] != "bridge" {
			t.Error("bars not stacked")
		}
	}
	if c := ss[0]["itemStyle"].(map[string]any)["color"]; c != "transparent" {
		t.Errorf("base colour %v", c)
	}
	lbl := ss[1]["data"].([]any)[2].(map[string]any)["label"].(map[string]any)["formatter"]
	if lbl != "-¥50.00" {
		t.Errorf("decrease label %v", lbl)
	}
	lbl = ss[1]["data"].([]any)[1].(map[string]any)["label"].(map[string]any)["formatter"]
	if lbl != "+¥30.00" {
		t.Errorf("increase label %v", lbl)
	}
}
