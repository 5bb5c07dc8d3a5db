package kpi

import (
	"math"
	"strconv"
)

// Targets: a value for one KPI that the shop aims at, set for the shop or
// narrowed to a shift or an agent, in force from a day. Every coloured number
// reads the target in force through Threshold (Good = the target), so cards,
// league cells and chart lines follow the owner's targets.

// Target scopes, most specific last.
const (
	ScopeShop  = "shop"
	ScopeShift = "shift"
	ScopeAgent = "agent"
)

// Target is one target as set (history is kept: a later From replaces an
// earlier one of the same scope).
type Target struct {
	Metric string
	Scope  string // ScopeShop, ScopeShift, ScopeAgent
	Shift  string // ScopeShift: the shift's name
	Agent  int64  // ScopeAgent: the agent's id
	Value  float64
	Floor  *float64 // the "needs improvement" line, when the owner set one
	From   Day      // in force from this day
	SetAt  Millis
	SetBy  string
	Note   string
}

// scopeRank orders scopes: agent beats shift beats shop.
func scopeRank(s string) int {
	switch s {
	case ScopeAgent:
		return 3
	case ScopeShift:
		return 2
	case ScopeShop:
		return 1
	}
	return 0
}

// TargetInForce picks, among targets of one metric, the one in force on day
// for an agent (0 = the shop as a whole) of a shift ("" = none): the most
// specific scope that applies, and within it the latest From on or before
// day (the latest set, on a tie).
func TargetInForce(ts []Target, metric string, day Day, agent int64, shift string) (Target, bool) {
	var best Target
	found := false
	for _, t := range ts {
		if t.Metric != metric || t.From > day {
			continue
		}
		switch t.Scope {
		case ScopeAgent:
			if agent == 0 || t.Agent != agent {
				continue
			}
		case ScopeShift:
			if shift == "" || t.Shift != shift {
				continue
			}
		case ScopeShop:
		default:
			continue
		}
		if !found || scopeRank(t.Scope) > scopeRank(best.Scope) ||
			scopeRank(t.Scope) == scopeRank(best.Scope) && (t.From > best.From || t.From == best.From && t.SetAt > best.SetAt) {
			best, found = t, true
		}
	}
	return best, found
}

// Suggestion is a suggested target and the one sentence that explains it.
type Suggestion struct {
	Value  float64
	OK     bool
	Reason string
}

// Suggest is the suggested target of a KPI (TARGETS rule): start from the
// shop's value v of the last 30 days; when the top-10% benchmark t is better,
// close half the gap; never worse than the platform threshold h; rounded to
// the KPI's display precision in the direction that makes it no easier.
// vOK, tOK, hOK say which of the three are known.
func Suggest(key string, v float64, vOK bool, t float64, tOK bool, h float64, hOK bool) Suggestion {
	m, ok := MetricByKey(key)
	dir := Better[key]
	if !ok || dir == 0 || (!vOK && !hOK) {
		return Suggestion{}
	}
	better := func(a, b float64) bool { return dir > 0 && a > b || dir < 0 && a < b }
	var s float64
	var reason string
	switch {
	case vOK && tOK && better(t, v):
		s = v + (t-v)/2
		reason = "本店近30天 " + fmtMetric(m, v) + "，同行优秀 " + fmtMetric(m, t) + "：先追一半差距"
	case vOK:
		s = v
		reason = "本店近30天 " + fmtMetric(m, v)
		if tOK {
			reason += "，已好于同行优秀 " + fmtMetric(m, t) + "：保持"
		} else {
			reason += "（没有同行数据）：保持"
		}
	default:
		s = h
		reason = "本店没有数据：取平台规则线"
	}
	if hOK && better(h, s) {
		s = h
		reason += "；不低于平台规则线 " + fmtMetric(m, h)
	}
	s = roundTarget(m, s, dir)
	return Suggestion{Value: s, OK: true, Reason: reason + "。"}
}

// roundTarget rounds to the KPI's display precision, up for a KPI where
// higher is better and down where lower is, so the target is no easier.
func roundTarget(m Metric, v float64, dir int) float64 {
	var step float64
	switch m.Unit {
	case UnitRate:
		step = 0.001 // 0.1 percentage point
	case UnitSeconds, UnitCount:
		step = 1
	case UnitHours:
		step = 0.1
	case UnitYuan:
		step = 1
	default:
		step = 0.01
	}
	x := v / step
	// A value already on the grid (up to float noise) stays where it is.
	if r := math.Round(x); math.Abs(x-r) < 1e-9 {
		return r * step
	}
	if dir > 0 {
		return math.Ceil(x) * step
	}
	return math.Floor(x) * step
}

// Attainment is how far a value reaches its target: value ÷ target where
// higher is better, target ÷ value where lower is, capped at 120%. ok is
// false without a usable target or value.
func Attainment(key string, v, target float64) (float64, bool) {
	dir := Better[key]
	var a float64
	switch {
	case dir > 0 && target > 0:
		a = v / target
	case dir < 0 && v > 0:
		a = target / v
	case dir < 0 && v == 0:
		a = 1.2 // nothing went wrong at all
	default:
		return 0, false
	}
	return math.Min(math.Max(a, 0), 1.2), true
}

// OverlayTarget turns the target in force into the line a value is judged
// against: Good is the target; Bad stays the platform rule where there is
// one, else the owner's floor, else the reference value.
func OverlayTarget(base Threshold, hasBase bool, t Target, scopeLabel string) Threshold {
	out := Threshold{Good: t.Value, Bad: t.Value, Source: "目标 " + scopeLabel + "（" + t.From.String() + " 起）"}
	switch {
	case hasBase && base.Platform:
		out.Bad, out.Platform = base.Bad, true
		out.Source += "；红线：" + base.Source
	case t.Floor != nil:
		out.Bad = *t.Floor
		out.Source += "；红线：店主设定"
	case hasBase:
		out.Bad = base.Bad
		out.Source += "；红线：" + base.Source
	}
	return out
}

func fmtMetric(m Metric, v float64) string {
	switch m.Unit {
	case UnitRate:
		return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	case UnitYuan:
		return "¥" + strconv.FormatFloat(v, 'f', 2, 64)
	case UnitSeconds:
		return strconv.FormatFloat(v, 'f', 1, 64) + " 秒"
	case UnitHours:
		return strconv.FormatFloat(v, 'f', 1, 64) + " 小时"
	case UnitCount:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
