package store

import (
	"context"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// TargetRow is one KPI of the targets view (kefuboard targets, /targets):
// the shop's value over the 30 days ending on the day asked, the industry
// benchmarks in force, the platform's line, the suggestion and the target in
// force with its attainment.
type TargetRow struct {
	Metric     kpi.Metric
	Value      float64
	ValueOK    bool
	Source     kpi.Source
	Avg, Top   *float64
	ReadOn     kpi.Day // the day the benchmarks were read (0 = none)
	Threshold  *float64
	Suggestion kpi.Suggestion
	Target     *kpi.Target // the shop-wide target in force
	Attainment *float64
}

// TargetsView builds the targets view of a shop as of a day.
func (s *Store) TargetsView(ctx context.Context, shop *Shop, asOf kpi.Day) ([]TargetRow, error) {
	p, err := s.Sums(ctx, shop, asOf-29, asOf)
	if err != nil {
		return nil, err
	}
	vals := p.ShopValues()
	targets, err := s.Targets(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	bench, err := s.Benchmarks(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	lines := kpi.Thresholds(shop.Platform)
	var out []TargetRow
	for _, m := range kpi.Metrics {
		if kpi.Better[m.Key] == 0 {
			continue
		}
		r := TargetRow{Metric: m}
		r.Value, r.ValueOK = vals.Get(m.Key)
		r.Source, _, _ = vals.SourceOf(m.Key)
		avg, top, readOn := BenchmarkOn(bench, m.Key, asOf)
		if avg.Valid {
			r.Avg = &avg.Float64
		}
		if top.Valid {
			r.Top = &top.Float64
		}
		r.ReadOn = readOn
		var h float64
		if l, ok := lines[m.Key]; ok && l.Platform {
			h = l.Bad
			r.Threshold = &h
		}
		r.Suggestion = kpi.Suggest(m.Key, r.Value, r.ValueOK, top.Float64, top.Valid, h, r.Threshold != nil)
		if t, ok := kpi.TargetInForce(targets, m.Key, asOf, 0, ""); ok {
			r.Target = &t
			if r.ValueOK {
				if a, ok := kpi.Attainment(m.Key, r.Value, t.Value); ok {
					r.Attainment = &a
				}
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// Today is the shop's day at now (the queues' and care calendar's as-of day).
func (sh *Shop) Today(now time.Time) kpi.Day {
	return kpi.Clock{Loc: sh.Location()}.DayOf(kpi.Millis(now.UnixMilli()))
}

// Yesterday is the last whole day in the shop's time zone.
func (sh *Shop) Yesterday(now time.Time) kpi.Day { return sh.Today(now) - 1 }
