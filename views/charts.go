package views

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Chart option builders. Every builder makes a go-echarts chart, validates it
// and marshals its option to JSON for a data-echarts attribute (drawn by
// static/js/app.js). Options are plain JSON: formatters are ECharts string
// templates or literal strings, never JS functions.

// Colours, matching static/css/app.css.
const (
	colBrand = "#1f6feb"
	colGood  = "#1a7f37"
	colBad   = "#cf222e"
	colMuted = "#8b949e"
	colLine  = "#e4e6eb"
)

// palette colours the series of a chart in order.
var palette = []string{"#1f6feb", "#f08c00", "#2da44e", "#8250df", "#cf222e", "#0598bc"}

// RefLine is a dashed horizontal reference line on a trend: the threshold's
// Good line today, the owner's target when the targets page sets one (the
// caller chooses which; the chart only draws it).
type RefLine struct {
	Value float64 // in the metric's unit (rates as fractions)
	Label string  // e.g. "达标线"
}

// TrendSeries is one line or bar of a daily trend.
type TrendSeries struct {
	Name   string
	Unit   kpi.Unit
	Bar    bool      // a bar instead of a line
	Right  bool      // measured on the right y axis
	Values []float64 // one per day, in the metric's unit
	OK     []bool    // false: no value that day (a gap, not a zero)
	Ref    *RefLine  // optional dashed reference line
}

// Trend is a daily trend chart: dates on the x axis, one or two y axes.
type Trend struct {
	ID, Title, Help string
	Days            []kpi.Day
	Series          []TrendSeries
}

// chartValue converts a metric value to what a chart plots: rates as
// percentages, everything rounded to what the cards show.
func chartValue(u kpi.Unit, v float64) float64 {
	switch u {
	case kpi.UnitRate:
		return round(v*100, 1)
	case kpi.UnitYuan, kpi.UnitScore, kpi.UnitRatio:
		return round(v, 2)
	case kpi.UnitSeconds, kpi.UnitHours:
		return round(v, 1)
	}
	return math.Round(v)
}

func round(v float64, prec int) float64 {
	p := math.Pow10(prec)
	return math.Round(v*p) / p
}

// unitSuffix is what follows a plotted value ("%" for rates …).
func unitSuffix(u kpi.Unit) string {
	switch u {
	case kpi.UnitRate:
		return "%"
	case kpi.UnitYuan:
		return "元"
	case kpi.UnitSeconds:
		return "秒"
	case kpi.UnitHours:
		return "小时"
	}
	return ""
}

// seriesName adds the unit to a name so the default tooltip reads well.
func seriesName(s TrendSeries) string {
	if u := unitSuffix(s.Unit); u != "" {
		return s.Name + "（" + u + "）"
	}
	return s.Name
}

func axisOpts(u kpi.Unit, right bool) opts.YAxis {
	y := opts.YAxis{Type: "value",
		AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Formatter: types.FuncStr("{value}" + unitSuffix(u))},
		SplitLine: &opts.SplitLine{Show: opts.Bool(!right), LineStyle: &opts.LineStyle{Color: colLine}},
	}
	if u == kpi.UnitCount {
		y.MinInterval = 1
	}
	if right {
		y.Position = "right"
	}
	return y
}

// dayLabels writes the x axis: MM-DD, or YYYY-MM-DD when the days span years.
func dayLabels(days []kpi.Day) []string {
	out := make([]string, len(days))
	multiYear := false
	if len(days) > 0 {
		y0, _, _ := days[0].Date()
		y1, _, _ := days[len(days)-1].Date()
		multiYear = y0 != y1
	}
	for i, d := range days {
		s := d.String()
		if !multiYear {
			s = s[5:]
		}
		out[i] = s
	}
	return out
}

// marshal validates nothing itself: callers call Validate first.
func marshal(id, title, help string, tall bool, option map[string]any) (Chart, error) {
	b, err := json.Marshal(option)
	if err != nil {
		return Chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	return Chart{ID: id, Title: title, Help: help, Option: string(b), Tall: tall}, nil
}

func grid(top, bottom string) opts.Grid {
	return opts.Grid{Left: "12", Right: "16", Top: top, Bottom: bottom, ContainLabel: opts.Bool(true)}
}

// TrendChart builds a daily trend: bars and lines against dates, rates in
// percent, gaps for days without a value, dashed reference lines.
func TrendChart(t Trend) (Chart, error) {
	for _, s := range t.Series {
		if len(s.Values) != len(t.Days) || len(s.OK) != len(t.Days) {
			return Chart{}, fmt.Errorf("chart %s: series %s has %d values for %d days", t.ID, s.Name, len(s.Values), len(t.Days))
		}
	}
	hasBar, hasRight := false, false
	leftUnit, rightUnit := kpi.UnitCount, kpi.UnitCount
	leftSet := false
	for _, s := range t.Series {
		hasBar = hasBar || s.Bar
		if s.Right {
			if !hasRight {
				rightUnit = s.Unit
			}
			hasRight = true
		} else if !leftSet {
			leftUnit, leftSet = s.Unit, true
		}
	}
	if !leftSet { // only right-axis series: draw them on the left
		leftUnit, hasRight = rightUnit, false
	}
	pointer := "line"
	if hasBar {
		pointer = "shadow"
	}
	colors := palette
	bar := charts.NewBar() // a bar chart's axes hold lines too (overlap)
	bar.SetGlobalOptions(
		charts.WithColorsOpts(colors),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", AxisPointer: &opts.AxisPointer{Type: pointer}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "0", Left: "center"}),
		charts.WithGridOpts(grid("36", "8")),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisTick: &opts.AxisTick{Show: opts.Bool(false)},
			AxisLine: &opts.AxisLine{LineStyle: &opts.LineStyle{Color: colMuted}}}),
		charts.WithYAxisOpts(axisOpts(leftUnit, false)),
	)
	if hasRight {
		bar.ExtendYAxis(axisOpts(rightUnit, true))
	}
	bar.SetXAxis(dayLabels(t.Days))
	line := charts.NewLine()
	type level struct {
		unit  kpi.Unit
		value float64
	}
	drawn := map[level]bool{} // one dashed line per level: two rates sharing a line draw it once
	for i, s := range t.Series {
		color := colors[i%len(colors)]
		axis := 0
		if s.Right && leftSet {
			axis = 1
		}
		so := []charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: color})}
		if s.Ref != nil && !drawn[level{s.Unit, chartValue(s.Unit, s.Ref.Value)}] {
			v := chartValue(s.Unit, s.Ref.Value)
			drawn[level{s.Unit, v}] = true
			so = append(so,
				charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: s.Ref.Label, YAxis: v}),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
					Symbol:    []string{"none", "none"},
					LineStyle: &opts.LineStyle{Color: color, Type: "dashed", Width: 1},
					Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Color: color, Formatter: s.Ref.Label + " " + trimFloat(v) + unitSuffix(s.Unit)},
				}))
		}
		if s.Bar {
			data := make([]opts.BarData, len(s.Values))
			for j, v := range s.Values {
				data[j] = opts.BarData{Value: plotValue(s.Unit, v, s.OK[j])}
			}
			so = append(so, charts.WithBarChartOpts(opts.BarChart{YAxisIndex: axis}), maxWidth("28"))
			bar.AddSeries(seriesName(s), data, so...)
			continue
		}
		data := make([]opts.LineData, len(s.Values))
		for j, v := range s.Values {
			data[j] = opts.LineData{Value: plotValue(s.Unit, v, s.OK[j])}
		}
		so = append(so,
			charts.WithLineChartOpts(opts.LineChart{YAxisIndex: axis, ShowSymbol: opts.Bool(len(t.Days) <= 14), SymbolSize: 5}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: color, Width: 2}))
		line.AddSeries(seriesName(s), data, so...)
	}
	bar.Overlap(line)
	// Keep the palette order of t.Series even though bars and lines were added
	// to two charts: reorder the merged series to match.
	bar.MultiSeries = orderSeries(bar.MultiSeries, t.Series)
	bar.Validate()
	return marshal(t.ID, t.Title, t.Help, false, bar.JSON())
}

// orderSeries puts the merged series back in the order they were given.
func orderSeries(ms charts.MultiSeries, want []TrendSeries) charts.MultiSeries {
	out := make(charts.MultiSeries, 0, len(ms))
	used := make([]bool, len(ms))
	for _, s := range want {
		name := seriesName(s)
		for i := range ms {
			if !used[i] && ms[i].Name == name {
				out = append(out, ms[i])
				used[i] = true
				break
			}
		}
	}
	for i := range ms {
		if !used[i] {
			out = append(out, ms[i])
		}
	}
	return out
}

// plotValue is a day's plotted value, or "-" (ECharts' empty value) when none.
func plotValue(u kpi.Unit, v float64, ok bool) any {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	return chartValue(u, v)
}

func trimFloat(v float64) string {
	return fmt.Sprint(v)
}

// HeatCell is one weekday × hour cell of the response heat map.
type HeatCell struct {
	Rate     float64 // fraction
	OK       bool    // false: no buyer messages in the cell
	Messages int64
}

// weekdayRows lists the heat map's rows top to bottom, Monday first.
var weekdayRows = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

var weekdayNames = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// HeatMapChart draws a rate by hour of the day (x) and weekday (y), coloured
// red (slow) to green; cells without messages stay blank.
func HeatMapChart(id, title, help, metric string, cells *[7][24]HeatCell) (Chart, error) {
	hours := make([]string, 24)
	for h := range hours {
		hours[h] = fmt.Sprintf("%02d", h)
	}
	rows := make([]string, len(weekdayRows))
	for i, wd := range weekdayRows {
		rows[i] = weekdayNames[wd]
	}
	var data []opts.HeatMapData
	for i, wd := range weekdayRows {
		for h := 0; h < 24; h++ {
			c := cells[wd][h]
			if !c.OK {
				continue
			}
			// The tooltip shows the name only, so it carries the whole line.
			name := fmt.Sprintf("%s %02d:00–%02d:00 · 买家消息 %d 条 · %s %s", weekdayNames[wd], h, h+1, c.Messages,
				metric, FormatMetric(kpi.UnitRate, c.Rate, true))
			data = append(data, opts.HeatMapData{Name: name, Value: [3]any{h, i, chartValue(kpi.UnitRate, c.Rate)}})
		}
	}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: "{b}"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(grid("8", "56")),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: hours, Name: "时", NameGap: 4,
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)}, AxisTick: &opts.AxisTick{Show: opts.Bool(false)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: rows, Inverse: opts.Bool(true),
			SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "continuous", Calculable: opts.Bool(false), Min: 0, Max: 100,
			Orient: "horizontal", Left: "center", Bottom: "0", Text: []string{"100%", "0%"},
			InRange: &opts.VisualMapInRange{Color: []string{"#cf222e", "#f6c344", "#2da44e"}}}),
	)
	hm.AddSeries(metric, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(false)}),
		charts.WithEmphasisOpts(opts.Emphasis{ItemStyle: &opts.ItemStyle{BorderColor: "#1f2329", BorderWidth: 1}}))
	hm.Validate()
	return marshal(id, title, help, true, hm.JSON())
}

// FunnelStage is one step of a funnel.
type FunnelStage struct {
	Name  string
	Value float64
}

// FunnelChart draws stages top to bottom in the given order (not sorted).
func FunnelChart(id, title, help string, stages []FunnelStage) (Chart, error) {
	data := make([]opts.FunnelData, len(stages))
	for i, s := range stages {
		data[i] = opts.FunnelData{Name: s.Name, Value: s.Value}
	}
	f := charts.NewFunnel()
	f.SetGlobalOptions(
		charts.WithColorsOpts(opts.Colors{"#1f6feb", "#54aeff", "#2da44e"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: "{b}：{c}"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	f.AddSeries("询单漏斗", data,
		charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.Sort = "none"
			s.Left, s.Right, s.Top, s.Bottom = "4%", "38%", "8", "8"
		}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{b}\n{c}", Color: "#1f2329"}),
		charts.WithLabelLineOpts(opts.LabelLine{Show: opts.Bool(true)}),
		charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#fff", BorderWidth: 1}),
	)
	f.Validate()
	return marshal(id, title, help, false, f.JSON())
}

// WaterfallStep is one bar of a waterfall: an absolute total (the first and
// last bars) or a change added to the running total. A "\n" in Name breaks
// the axis label (narrow screens); tooltips show the name on one line.
type WaterfallStep struct {
	Name  string
	Value float64
	Total bool
}

// WaterfallChart draws a bridge as stacked bars on a transparent base: totals
// in blue, increases in green, decreases in red, each labelled with its value.
func WaterfallChart(id, title, help string, unit kpi.Unit, steps []WaterfallStep) (Chart, error) {
	names := make([]string, len(steps))
	base := make([]opts.BarData, len(steps))  // transparent lift
	body := make([]opts.BarData, len(steps))  // the visible bar (above zero, or all below)
	under := make([]opts.BarData, len(steps)) // the part below zero of a bar crossing zero
	hidden := &opts.Tooltip{Show: opts.Bool(false)}
	running := 0.0
	for i, s := range steps {
		names[i] = s.Name
		var lo, hi float64
		color := colBrand
		label := FormatMetric(unit, s.Value, true) // exact, for the tooltip
		short := compact(unit, s.Value)            // on the bar, where room is short
		if s.Total {
			lo, hi = math.Min(0, s.Value), math.Max(0, s.Value)
			running = s.Value
		} else {
			lo, hi = running, running+s.Value
			switch {
			case chartValue(unit, s.Value) == 0:
				color = colMuted
			case s.Value < 0:
				lo, hi = hi, lo
				color = colBad
			default:
				color = colGood
				label, short = "+"+label, "+"+short
			}
			running += s.Value
		}
		lo, hi = chartValue(unit, lo), chartValue(unit, hi)
		tip := &opts.Tooltip{Show: opts.Bool(true), Formatter: types.FuncStr(strings.ReplaceAll(s.Name, "\n", "") + "：" + label)}
		style := &opts.ItemStyle{Color: color}
		lbl := &opts.Label{Show: opts.Bool(true), Position: "top", Formatter: short, Color: color, FontSize: 11}
		base[i] = opts.BarData{Value: "-", Tooltip: hidden}
		under[i] = opts.BarData{Value: "-", Tooltip: hidden}
		switch {
		case lo >= 0: // wholly above zero
			if lo > 0 {
				base[i].Value = lo
			}
			body[i] = opts.BarData{Value: round(hi-lo, 2), ItemStyle: style, Label: lbl, Tooltip: tip}
		case hi <= 0: // wholly below zero: lift down to hi, then the bar
			lbl.Position = "bottom"
			if hi < 0 {
				base[i].Value = hi
			}
			body[i] = opts.BarData{Value: round(lo-hi, 2), ItemStyle: style, Label: lbl, Tooltip: tip}
		default: // crosses zero: a positive part and a negative part
			body[i] = opts.BarData{Value: hi, ItemStyle: style, Label: lbl, Tooltip: tip}
			under[i] = opts.BarData{Value: lo, ItemStyle: style, Tooltip: tip}
		}
	}
	b := charts.NewBar()
	b.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(grid("28", "8")),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisTick: &opts.AxisTick{Show: opts.Bool(false)}}),
		charts.WithYAxisOpts(axisOpts(unit, false)),
	)
	b.SetXAxis(names)
	transparent := charts.WithItemStyleOpts(opts.ItemStyle{Color: "transparent", BorderColor: "transparent"})
	stack := charts.WithBarChartOpts(opts.BarChart{Stack: "bridge"})
	b.AddSeries("基数", base, transparent, stack, maxWidth("56"),
		charts.WithEmphasisOpts(opts.Emphasis{ItemStyle: &opts.ItemStyle{Color: "transparent", BorderColor: "transparent"}}))
	b.AddSeries("数值", body, stack, maxWidth("56"))
	b.AddSeries("零以下", under, stack, maxWidth("56"))
	b.Validate()
	return marshal(id, title, help, false, b.JSON())
}

// maxWidth caps a bar's width (wide bars look odd on short periods).
func maxWidth(w string) charts.SeriesOpts {
	return charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = w })
}

// compact writes a bar label short enough for a phone: money of ten thousand
// yuan or more in 万 ("¥6.58万"), whole yuan from ¥100; other units as usual.
func compact(u kpi.Unit, v float64) string {
	if u != kpi.UnitYuan {
		return FormatMetric(u, v, true)
	}
	sign, a := "", math.Abs(v)
	if v < 0 {
		sign = "-"
	}
	switch {
	case round(a, 2) == 0:
		return "¥0"
	case a >= 10000:
		return sign + "¥" + strconv.FormatFloat(a/10000, 'f', 2, 64) + "万"
	case a >= 100:
		return sign + "¥" + group(strconv.FormatFloat(math.Round(a), 'f', 0, 64))
	}
	return sign + "¥" + strconv.FormatFloat(a, 'f', 2, 64)
}
