package store

import (
	"context"
	"sort"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// The pages and the report read every KPI from one of two sources:
// kefuboard's computation from raw rows, or the platform's agent report
// (kpi.Combine decides, metric by metric). PeriodSums carries both for a
// period; these methods give the combined values.

// ShopValues are the shop's metrics over the period: computed, else the
// platform's figures summed or weighted over every agent's reports.
func (p *PeriodSums) ShopValues() kpi.Values {
	var plat map[string]kpi.PlatformFigure
	if p.Plat != nil && len(p.Plat.Agents) > 0 {
		plat = kpi.AggregatePlatform(p.Plat.Shop())
	}
	return kpi.Combine(kpi.Evaluate(&p.Shop, &p.ShopDist, false), &p.Shop, &p.Shop, plat)
}

// AgentValues are one agent's metrics over the period (zero sums when the
// agent has no computed activity).
func (p *PeriodSums) AgentValues(id int64) kpi.Values {
	sums, dist := p.Agents[id], p.AgentDist[id]
	if sums == nil {
		sums, dist = &kpi.Sums{}, &kpi.Distinct{}
	}
	var plat map[string]kpi.PlatformFigure
	if p.Plat != nil {
		if rows := p.Plat.Agents[id]; len(rows) > 0 {
			plat = kpi.AgentPlatform(kpi.AggregatePlatform(rows))
		}
	}
	v := kpi.Evaluate(sums, dist, true)
	if p.Shop.BuyerlessOrders > 0 {
		v.NoBuyers() // the agent's inquiries cannot be linked to buyerless orders
	}
	return kpi.Combine(v, sums, &p.Shop, plat)
}

// Listed are the agents a period lists, by id: every agent credited with
// activity by the computation, and every agent a platform report of the
// period names.
func (p *PeriodSums) Listed() []int64 {
	seen := map[int64]bool{}
	var ids []int64
	for id, sums := range p.Agents {
		if id != 0 && active(sums) {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if p.Plat != nil {
		for id, rows := range p.Plat.Agents {
			if id != 0 && !seen[id] && len(rows) > 0 {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// HasPlatform reports whether any platform report lies inside the period.
func (p *PeriodSums) HasPlatform() bool { return p.Plat != nil && len(p.Plat.Agents) > 0 }

// dailyPlatform attaches to each day point the platform figures of the
// single-day reports of that day (a range report is never split into days).
func (s *Store) dailyPlatform(ctx context.Context, shop *Shop, pts []DayPoint, agentID int64) error {
	if len(pts) == 0 {
		return nil
	}
	from, to := pts[0].Day, pts[len(pts)-1].Day
	pr, err := s.PlatformReports(ctx, shop, from, to)
	if err != nil {
		return err
	}
	byDay := map[kpi.Day][]kpi.AgentReportRow{}
	for id, rows := range pr.Agents {
		if agentID != AllAgents && id != agentID {
			continue
		}
		for _, r := range rows {
			if r.From == r.To {
				byDay[r.From] = append(byDay[r.From], r)
			}
		}
	}
	for i := range pts {
		if rows := byDay[pts[i].Day]; len(rows) > 0 {
			pts[i].PlatRows = rows
			pts[i].Plat = kpi.AggregatePlatform(rows)
			if agentID != AllAgents {
				pts[i].Plat = kpi.AgentPlatform(pts[i].Plat)
			}
		}
	}
	return nil
}
