package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// The platform rule alerts (规则提醒), owners only:
//
//	GET  /alerts        breaches of the period, newest first; the shop's rules
//	POST /alerts/rules  change a rule's threshold, switch it on or off
func (s *Server) alertsRoutes(a *fiber.App) {
	a.Get("/alerts", requireOwner, s.alertsPage)
	a.Post("/alerts/rules", requireOwner, s.setRule)
}

func (s *Server) alertsPage(c *fiber.Ctx) error {
	p, shop, per, err := s.shopPeriod(c, "规则提醒", "alerts")
	if err != nil {
		return err
	}
	m := views.AlertsModel{}
	if shop != nil {
		ctx := c.UserContext()
		m = views.AlertsModel{ShopID: itoa(shop.ID), ShopName: shop.Name, Platform: settingsPlatformName(shop.Platform),
			Period: per.form(shop.ID)}
		alerts, err := s.st.Alerts(ctx, shop, per.From, per.To)
		if err != nil {
			return err
		}
		m.Alerts = alertRows(alerts)
		rules, err := s.st.Rules(ctx, shop)
		if err != nil {
			return err
		}
		for _, r := range rules {
			row := views.RuleRow{ID: r.ID, Name: r.Name, Consequence: r.Consequence, Seed: r.Seed, Pending: r.Pending,
				Enabled: r.Enabled, Benchmark: r.Benchmark, Period: "每天"}
			if r.Period == kpi.RuleRolling30 {
				row.Period = "近 30 天（每天滚动）"
			}
			if r.MinBuyers > 0 {
				row.Period += "，当天咨询 ≥ " + strings.TrimSuffix(views.FormatMetric(kpi.UnitCount, r.MinBuyers, true), ".0") + " 人"
			}
			u := ruleUnit(r)
			row.Input, row.Unit = toInput(u, r.Threshold), inputUnit(u)
			if r.Count {
				row.Period, row.Unit = "每天：风险会话里这一类的条数（不含标为误报的），超过规则线即提醒", "条"
			}
			m.Rules = append(m.Rules, row)
		}
	}
	return render(c, views.AlertsPage(p, m))
}

// ruleUnit is the unit of a rule's threshold.
func ruleUnit(r kpi.Rule) kpi.Unit {
	if r.Count {
		return kpi.UnitCount // risk items a day
	}
	if mt, ok := kpi.MetricByKey(r.Metric); ok {
		return mt.Unit
	}
	return kpi.UnitScore // the experience score
}

// alertRows shapes alerts for display.
func alertRows(alerts []kpi.Alert) []views.AlertRow {
	out := make([]views.AlertRow, 0, len(alerts))
	for _, a := range alerts {
		u := kpi.UnitScore
		for _, r := range kpi.DefaultRules() {
			if r.ID == a.Rule {
				u = ruleUnit(r)
			}
		}
		when := a.Day
		if when == "" {
			when = a.From + " 至 " + a.To
		}
		out = append(out, views.AlertRow{When: when, Name: a.Name, Value: views.FormatMetric(u, a.Value, true),
			Threshold: views.FormatMetric(u, a.Threshold, true), Consequence: a.Consequence, Seed: a.Seed})
	}
	return out
}

func (s *Server) setRule(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	back := func(ok bool, msg string) error {
		s.flash(c, ok, msg)
		return c.Redirect("/alerts?shop="+itoa(shop.ID)+"#rules", fiber.StatusSeeOther)
	}
	rules, err := s.st.Rules(ctx, shop)
	if err != nil {
		return err
	}
	var rule *kpi.Rule
	for i := range rules {
		if rules[i].ID == c.FormValue("rule") {
			rule = &rules[i]
		}
	}
	if rule == nil || rule.Pending != "" {
		return back(false, "没有这条规则。")
	}
	var th *float64
	if v := strings.TrimSpace(c.FormValue("threshold")); v != "" && !rule.Benchmark {
		x, err := fromInput(ruleUnit(*rule), v)
		if err != nil {
			return back(false, "规则线"+err.Error()+"。")
		}
		th = &x
	}
	if err := s.st.SetRule(ctx, shop.ID, rule.ID, th, c.FormValue("enabled") != ""); err != nil {
		return err
	}
	if err := s.st.RefreshAlerts(ctx, shop.Name); err != nil {
		return err
	}
	return back(true, "已保存规则「"+rule.Name+"」，并重新检查了全部日期。")
}

// openAlerts are the alerts of the last 7 days before to, for the overview.
func (s *Server) openAlerts(c *fiber.Ctx, shop *store.Shop, to kpi.Day) ([]views.AlertRow, error) {
	alerts, err := s.st.Alerts(c.UserContext(), shop, to-6, to)
	if err != nil {
		return nil, err
	}
	return alertRows(alerts), nil
}
