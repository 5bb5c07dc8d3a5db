package views

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// ParetoPoint is one point of the Pareto curve, both shares in percent.
type ParetoPoint struct{ Buyers, Sales float64 }

// ParetoChart draws the cumulative share of sales against the share of
// buyers (best buyers first), with seed 001's 30 % of buyers and 80 % of
// sales as dashed lines: the curve passing above their crossing means the
// 80/30 rule holds.
func ParetoChart(id, title, help string, pts []ParetoPoint) (Chart, error) {
	data := make([]opts.LineData, len(pts))
	for i, p := range pts {
		data[i] = opts.LineData{Value: []any{round(p.Buyers, 1), round(p.Sales, 1)}}
	}
	line := charts.NewLine()
	axis := func(name string) opts.XAxis {
		return opts.XAxis{Type: "value", Name: name, Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}
	}
	x := axis("客户占比")
	line.SetGlobalOptions(
		charts.WithGridOpts(grid("28", "28")),
		charts.WithXAxisOpts(x),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "销售额占比", Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)
	dashed := &opts.LineStyle{Color: colMuted, Type: "dashed", Width: 1}
	line.AddSeries("累计销售额占比", data,
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false), Smooth: opts.Bool(false)}),
		charts.WithLineStyleOpts(opts.LineStyle{Color: colBrand, Width: 2}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Color: colBrand, Opacity: opts.Float(0.08)}),
		charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: "前30%客户", XAxis: 30}),
		charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: "80%销售额", YAxis: 80}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"}, LineStyle: dashed,
			Label: &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Color: colMuted, Position: "insideEndTop"}}),
	)
	line.Validate()
	return marshal(id, title, help, false, line.JSON())
}
