package web

import (
	"math"
	"strconv"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/views"
)

// kpiCards shapes metrics for display: value, change against the previous
// period and status against the shop's thresholds. Overview and agent pages
// share it so a number looks the same everywhere.
func kpiCards(keys []string, cur, prev kpi.Values, th map[string]kpi.Threshold) []views.KPICard {
	out := make([]views.KPICard, 0, len(keys))
	for _, key := range keys {
		m, ok := kpi.MetricByKey(key)
		if !ok {
			continue
		}
		v, vok := cur.Get(key)
		p, pok := prev.Get(key)
		card := views.KPICard{Key: key, Label: m.Name, Value: views.FormatMetric(m.Unit, v, vok), Help: m.Help}
		if src, note := sourceNote(cur, key); note != "" {
			card.Source, card.Help = src, card.Help+"。"+note
		}
		if vok && pok {
			card.Delta, card.DeltaClass = delta(m.Unit, v, p, kpi.Better[key])
		}
		if t, ok := th[key]; ok && vok {
			card.Status = t.Judge(v, kpi.Better[key]).Class()
			card.Rule = ruleText(m.Unit, t, kpi.Better[key])
			card.Help += "。判断依据：" + t.Source
		}
		out = append(out, card)
	}
	return out
}

// delta is the change from p to v: percentage points for rates, a relative
// change for everything else; coloured up when it is an improvement.
func delta(u kpi.Unit, v, p float64, better int) (string, string) {
	var d float64
	var s string
	if u == kpi.UnitRate {
		d = (v - p) * 100
		s = signed(d, 1) + " 个百分点"
	} else {
		if p == 0 {
			return "", ""
		}
		d = (v - p) / math.Abs(p) * 100
		s = signed(d, 1) + "%"
	}
	switch {
	case math.Abs(d) < 0.05 || better == 0:
		return s, "flat"
	case (d > 0) == (better > 0):
		return s, "up"
	default:
		return s, "down"
	}
}

func signed(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if x >= 0 {
		return "+" + s
	}
	return "−" + s[1:]
}

// ruleText writes the threshold for a card, short enough for a card:
// "达标 ≥ 80.0% · 低于 60.0% 需改进"; a platform rule also names itself (the
// reference values' source is in the card's tooltip).
func ruleText(u kpi.Unit, t kpi.Threshold, better int) string {
	good, bad := views.FormatMetric(u, t.Good, true), views.FormatMetric(u, t.Bad, true)
	s := "达标 ≤ " + good + " · 高于 " + bad + " 需改进"
	if better > 0 {
		s = "达标 ≥ " + good + " · 低于 " + bad + " 需改进"
	}
	if t.Platform {
		s += " · " + t.Source
	}
	return s
}
