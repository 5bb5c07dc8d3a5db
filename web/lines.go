package web

import (
	"context"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// lineSet is what every coloured number of a shop is judged against on a
// day: the target in force (agent > shift > shop, the latest in force) over
// the platform's rules and kefuboard's reference values — one kpi.Threshold
// per KPI, so cards, league cells and chart lines all follow the owner's
// targets.
type lineSet struct {
	base    map[string]kpi.Threshold
	targets []kpi.Target
	day     kpi.Day
}

func (s *Server) lineSet(ctx context.Context, shop *store.Shop, day kpi.Day) (*lineSet, error) {
	ts, err := s.st.Targets(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	return &lineSet{base: kpi.Thresholds(shop.Platform), targets: ts, day: day}, nil
}

// For are the lines of an agent (0 = the shop) of a shift ("" = none).
func (l *lineSet) For(agent int64, shift string) map[string]kpi.Threshold {
	out := make(map[string]kpi.Threshold, len(l.base))
	for k, t := range l.base {
		out[k] = t
	}
	for _, m := range kpi.Metrics {
		t, ok := kpi.TargetInForce(l.targets, m.Key, l.day, agent, shift)
		if !ok {
			continue
		}
		base, has := l.base[m.Key]
		out[m.Key] = kpi.OverlayTarget(base, has, t, scopeLabel(t))
	}
	return out
}

// scopeLabel names a target's scope for a tooltip.
func scopeLabel(t kpi.Target) string {
	switch t.Scope {
	case kpi.ScopeAgent:
		return "本人"
	case kpi.ScopeShift:
		return "班次「" + t.Shift + "」"
	}
	return "全店"
}
