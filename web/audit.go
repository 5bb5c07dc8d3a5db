package web

import (
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// auditMetrics are the KPIs both kefuboard and the platforms' agent reports
// give, in the order the audit lists them.
var auditMetrics = []string{
	"consulting_buyers", "inquiries", "converted_inquiries", "inquiry_conversion_rate", "attributed_sales",
	"reply_30s_rate", "reply_3m_rate", "avg_response_seconds", "first_response_seconds", "aov", "bad_reviews", "complaints",
}

// platformAudit compares an agent's platform figures with kefuboard's own
// computation over the days that have both: a single-day platform report
// and chat rows credited to the agent. Both sides are added up over the same
// days (counts of people per day summed, as the daily reports do); the
// difference is computed − platform.
func platformAudit(pts []store.DayPoint) (rows []views.AuditRow, days int) {
	var sums kpi.Sums
	var dist kpi.Distinct
	var plat []kpi.AgentReportRow
	for i := range pts {
		p := &pts[i]
		if len(p.PlatRows) == 0 || (p.Sums.BuyerMessages == 0 && p.Sums.Inquiries == 0) {
			continue
		}
		days++
		sums.Add(&p.Sums)
		dist.ConsultingBuyers += p.Dist.ConsultingBuyers
		dist.PayingBuyers += p.Dist.PayingBuyers
		plat = append(plat, p.PlatRows...)
	}
	if days == 0 {
		return nil, 0
	}
	comp := kpi.Evaluate(&sums, &dist, true)
	figs := kpi.AgentPlatform(kpi.AggregatePlatform(plat))
	pv := kpi.Combine(kpi.Evaluate(&kpi.Sums{}, &kpi.Distinct{}, true), &kpi.Sums{}, &kpi.Sums{}, figs)
	for _, key := range auditMetrics {
		f, ok := figs[key]
		if !ok {
			continue
		}
		m, _ := kpi.MetricByKey(key)
		p, _ := pv.Get(key)
		c, cok := comp.Get(key)
		r := views.AuditRow{Key: key, Label: m.Name, Column: f.Column, Platform: views.FormatMetric(m.Unit, p, true),
			Computed: views.FormatMetric(m.Unit, c, cok), Diff: "—"}
		if cok {
			r.Diff = auditDiff(m.Unit, c-p)
			if c != p {
				r.DiffClass = "warn"
			}
		}
		rows = append(rows, r)
	}
	return rows, days
}

// auditDiff writes a difference in the metric's unit, with its sign.
func auditDiff(u kpi.Unit, d float64) string {
	if d == 0 {
		return "一致"
	}
	if u == kpi.UnitRate {
		return signed(d*100, 1) + " 个百分点"
	}
	s := views.FormatMetric(u, d, true)
	if d > 0 {
		s = "+" + s
	}
	return s
}
