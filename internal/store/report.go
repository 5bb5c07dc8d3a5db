package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// PeriodSums are the sums of one period, for the shop and per agent.
type PeriodSums struct {
	Shop       kpi.Sums
	ShopDist   kpi.Distinct
	Agents     map[int64]*kpi.Sums // credited agent id -> sums (0 = no agent)
	AgentDist  map[int64]*kpi.Distinct
	AgentNames map[int64]string
	// Plat are the platform agent reports inside the period.
	Plat *PlatformReports
}

// agentSums returns (creating) the sums of agent id.
func (p *PeriodSums) agent(id int64) (*kpi.Sums, *kpi.Distinct) {
	if p.Agents[id] == nil {
		p.Agents[id], p.AgentDist[id] = &kpi.Sums{}, &kpi.Distinct{}
	}
	return p.Agents[id], p.AgentDist[id]
}

var sumSelect = func() string {
	s := make([]string, len(kpi.SumColumns))
	for i, c := range kpi.SumColumns {
		s[i] = "SUM(" + c + ")"
	}
	return strings.Join(s, ", ")
}()

// Sums reads the precomputed sums of shop over [from, to], by agent, with the
// distinct buyer counts of the period (cached per data version, see cache.go).
func (s *Store) Sums(ctx context.Context, shop *Shop, from, to kpi.Day) (*PeriodSums, error) {
	v, err := s.cache.Get(cacheKey{"sums", shop.ID, shop.DataVersion, from, to, 0}, func() (any, error) {
		return s.sums(ctx, shop, from, to)
	})
	if err != nil {
		return nil, err
	}
	return v.(*PeriodSums).clone(), nil
}

// clone copies p so a caller may change it without touching the cache.
func (p *PeriodSums) clone() *PeriodSums {
	c := &PeriodSums{Shop: p.Shop, ShopDist: p.ShopDist, Agents: make(map[int64]*kpi.Sums, len(p.Agents)),
		AgentDist: make(map[int64]*kpi.Distinct, len(p.AgentDist)), AgentNames: make(map[int64]string, len(p.AgentNames))}
	for id, x := range p.Agents {
		y := *x
		c.Agents[id] = &y
	}
	for id, x := range p.AgentDist {
		y := *x
		c.AgentDist[id] = &y
	}
	for id, n := range p.AgentNames {
		c.AgentNames[id] = n
	}
	c.Plat = p.Plat
	return c
}

func (s *Store) sums(ctx context.Context, shop *Shop, from, to kpi.Day) (*PeriodSums, error) {
	p := &PeriodSums{Agents: map[int64]*kpi.Sums{}, AgentDist: map[int64]*kpi.Distinct{}, AgentNames: map[int64]string{}}
	rows, err := s.read.QueryContext(ctx, `SELECT agent_id, `+sumSelect+` FROM daily_stats
		WHERE shop_id = ? AND day BETWEEN ? AND ? GROUP BY agent_id`, shop.ID, int64(from), int64(to))
	if err != nil {
		return nil, fmt.Errorf("store: read sums: %w", err)
	}
	for rows.Next() {
		var id int64
		var sums kpi.Sums
		dst := []any{&id}
		for _, f := range sums.Fields() {
			dst = append(dst, f)
		}
		if err := rows.Scan(dst...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: read sums: %w", err)
		}
		a, _ := p.agent(id)
		*a = sums
		p.Shop.Add(&sums)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Distinct buyers: over the whole period, never added across days.
	dist, err := s.distinctBuyers(ctx, shop.ID, int64(from), int64(to))
	if err != nil {
		return nil, err
	}
	for kind, byAgent := range dist {
		for id, n := range byAgent {
			d := &p.ShopDist
			if id != -1 {
				_, d = p.agent(id)
			}
			if kind == setConsulting {
				d.ConsultingBuyers = n
			} else {
				d.PayingBuyers = n
			}
		}
	}
	if p.Plat, err = s.PlatformReports(ctx, shop, from, to); err != nil {
		return nil, err
	}
	names, err := s.read.QueryContext(ctx, `SELECT id, name FROM agents WHERE shop_id = ?`, shop.ID)
	if err != nil {
		return nil, err
	}
	defer names.Close()
	for names.Next() {
		var id int64
		var name string
		if err := names.Scan(&id, &name); err != nil {
			return nil, err
		}
		p.AgentNames[id] = name
	}
	return p, names.Err()
}

// active reports whether an agent is listed in a period's report: credited
// with a window buyer message, a received inquiry, a paid order, a refund
// (requested or completed), a complaint or a review.
func active(s *kpi.Sums) bool {
	return s.BuyerMessages > 0 || s.Inquiries > 0 || s.PaidOrders > 0 || s.RefundsDone > 0 ||
		s.RefundsRequested > 0 || s.Complaints > 0 || s.Reviews > 0
}

// Report computes the JSON report of docs/METRICS.md for shop over [from, to].
func (s *Store) Report(ctx context.Context, shopName string, from, to kpi.Day) (*kpi.Report, error) {
	shop, err := s.ShopByName(ctx, shopName)
	if err != nil {
		return nil, err
	}
	if to < from {
		return nil, fmt.Errorf("report: 结束日期 %s 早于开始日期 %s", to, from)
	}
	p, err := s.Sums(ctx, shop, from, to)
	if err != nil {
		return nil, err
	}
	shopVals := p.ShopValues()
	r := &kpi.Report{Shop: shop.Name, From: from.String(), To: to.String(),
		Metrics: shopVals, Sources: kpi.Sources{V: shopVals}, Agents: []kpi.AgentReport{}}
	for _, id := range p.Listed() {
		v := p.AgentValues(id)
		r.Agents = append(r.Agents, kpi.AgentReport{Agent: p.AgentNames[id], Metrics: v, Sources: kpi.Sources{V: v}})
	}
	sort.Slice(r.Agents, func(i, j int) bool { return r.Agents[i].Agent < r.Agents[j].Agent })
	return r, nil
}
