package views

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// ScorePart is one weighted metric of an agent's composite score: the
// agent's points and the team median's, 0–100.
type ScorePart struct {
	Name           string
	Points, Median float64
}

// ScoreChart draws an agent's points per weighted metric against the team
// median as horizontal bars (names on the left read well on a phone).
func ScoreChart(id, title, help, agent string, parts []ScorePart) (Chart, error) {
	names := make([]string, len(parts))
	mine := make([]opts.BarData, len(parts))
	med := make([]opts.BarData, len(parts))
	top := 100 // a score by target attainment reaches 120
	// The first metric on top: a category y axis draws from the bottom.
	for i, p := range parts {
		j := len(parts) - 1 - i
		names[j] = p.Name
		mine[j] = opts.BarData{Value: math.Round(p.Points*10) / 10}
		med[j] = opts.BarData{Value: math.Round(p.Median*10) / 10}
		if p.Points > 100 || p.Median > 100 {
			top = 120
		}
	}
	b := charts.NewBar()
	b.SetGlobalOptions(
		charts.WithColorsOpts(opts.Colors{"#1f6feb", "#c6ccd4"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", AxisPointer: &opts.AxisPointer{Type: "shadow"}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Left: "center"}),
		charts.WithGridOpts(opts.Grid{Left: "12", Right: "24", Top: "32", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: top,
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Formatter: types.FuncStr("{value}分")},
			SplitLine: &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: "#e4e6eb"}}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category"}),
	)
	b.SetXAxis(names).XYReversal()
	width := charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = "14" })
	b.AddSeries(agent, mine, width)
	b.AddSeries("团队中位数", med, width)
	b.Validate()
	o, err := json.Marshal(b.JSON())
	if err != nil {
		return Chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	return Chart{ID: id, Title: title, Help: help, Option: string(o), Tall: len(parts) > 8}, nil
}
