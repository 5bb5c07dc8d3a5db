package web

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// The Douyin experience score estimate (抖音体验分), owners only; any shop
// may open it:
//
//	GET  /douyin          the rolling 30-day score, its trend, what costs points, what-ifs
//	POST /douyin/model    edit the bands and weights (or reset them)
func (s *Server) douyinRoutes(a *fiber.App) {
	a.Get("/douyin", requireOwner, s.douyinPage)
	a.Post("/douyin/model", requireOwner, s.setDouyinModel)
}

func (s *Server) douyinPage(c *fiber.Ctx) error {
	p, shop, per, err := s.shopPeriod(c, "抖音体验分", "douyin")
	if err != nil {
		return err
	}
	if shop == nil {
		return render(c, views.DouyinPage(p, views.DouyinModel{}))
	}
	m, err := s.douyinModel(c.UserContext(), shop, per, c.Query("key"), c.Query("v"))
	if err != nil {
		return err
	}
	return render(c, views.DouyinPage(p, m))
}

// douyinModel: the score of the 30 days ending with the period, the daily
// rolling score over the period, and a what-if (key set to v) when asked.
func (s *Server) douyinModel(ctx context.Context, shop *store.Shop, per Period, whatKey, whatV string) (views.DouyinModel, error) {
	m := views.DouyinModel{ShopID: itoa(shop.ID), ShopName: shop.Name, Platform: settingsPlatformName(shop.Platform), IsDouyin: shop.Platform == "douyin",
		Period: per.form(shop.ID)}
	model, custom, err := s.st.DouyinModel(ctx, shop.ID)
	if err != nil {
		return m, err
	}
	m.Custom = custom
	from := per.To - store.ScoreWindow + 1
	m.Window = from.String() + " 至 " + per.To.String()
	sums, err := s.st.Sums(ctx, shop, from, per.To)
	if err != nil {
		return m, err
	}
	vals := sums.ShopValues()
	score := model.Score(vals.Get)
	m.ScoreOK = score.OK
	m.Score = strconv.FormatFloat(score.Total, 'f', 2, 64)
	switch {
	case !score.OK:
	case score.Total >= 4.0:
		m.Status, m.Verdict = "good", "不低于 4.0：可以加入精选联盟。"
	case score.Total >= 3.2:
		m.Status, m.Verdict = "warn", "低于 4.0：不能加入精选联盟（种子 003）。"
	default:
		m.Status, m.Verdict = "bad", "低于 3.2：平台可能清退店铺（种子 003）。"
	}
	for _, pt := range score.Parts {
		row := views.DouyinPart{Name: pt.Name, Weight: strconv.FormatFloat(pt.Weight*100, 'f', 0, 64) + "%", Score: "—"}
		if pt.OK {
			row.Score = strconv.FormatFloat(pt.Score, 'f', 2, 64)
		}
		m.Parts = append(m.Parts, row)
	}
	// What costs the most first.
	subs := append([]kpi.SubScore(nil), score.Subs...)
	sortByCost(subs)
	data := whatIfData{Model: model, Values: map[string]float64{}, Dirs: map[string]int{}, Names: map[string]string{},
		Units: map[string]string{}, Scale: map[string]float64{}}
	if score.OK {
		t := score.Total
		data.Total = &t
	}
	for i, sc := range subs {
		mt, _ := kpi.MetricByKey(sc.Key)
		row := views.DouyinSub{Key: sc.Key, Name: mt.Name, Part: sc.Part, Value: views.FormatMetric(mt.Unit, sc.Value, sc.OK), Points: "—", Cost: "—",
			Unit: inputUnit(mt.Unit)}
		if sc.OK {
			row.Points = strconv.FormatFloat(sc.Points, 'f', 0, 64)
			row.Cost = "-" + strconv.FormatFloat(sc.Cost, 'f', 2, 64)
			row.Costly = i == 0 && sc.Cost > 0
			data.Values[sc.Key] = sc.Value
		}
		row.Min, row.Max, row.Step, row.Input = sliderRange(mt, sc.Value, sc.OK)
		data.Dirs[sc.Key], data.Names[sc.Key], data.Units[sc.Key] = kpi.Better[sc.Key], mt.Name, inputUnit(mt.Unit)
		data.Scale[sc.Key] = 1
		if mt.Unit == kpi.UnitRate {
			data.Scale[sc.Key] = 100
		}
		if sc.Key == whatKey {
			if v, err := fromInput(mt.Unit, whatV); err == nil {
				w := model.Score1(vals.Get, sc.Key, v)
				m.WhatIf = "如果「" + mt.Name + "」达到 " + views.FormatMetric(mt.Unit, v, true) + "，估算体验分为 " + strconv.FormatFloat(w, 'f', 2, 64) +
					"（现在 " + m.Score + "）。"
				row.Input = toInput(mt.Unit, v)
			}
		}
		m.Subs = append(m.Subs, row)
	}
	b, _ := json.Marshal(data)
	m.ModelJSON = string(b)
	m.Edit = editModel(model)
	// The daily rolling score over the period.
	pts, err := s.st.Daily(ctx, shop, per.From, per.To, store.AllAgents)
	if err != nil {
		return m, err
	}
	pre, err := s.st.Daily(ctx, shop, per.From-store.ScoreWindow+1, per.From-1, store.AllAgents)
	if err != nil {
		return m, err
	}
	daily := store.DouyinDaily(model, pre, pts)
	series := views.TrendSeries{Name: "体验分（近30天滚动）", Unit: kpi.UnitScore, Values: make([]float64, len(pts)), OK: make([]bool, len(pts)),
		Ref: &views.RefLine{Value: 4.0, Label: "精选联盟线 4.0"}}
	days := make([]kpi.Day, len(pts))
	for i := range pts {
		days[i] = pts[i].Day
		series.Values[i], series.OK[i] = daily[i].Total, daily[i].OK
	}
	m.Trend, err = views.TrendChart(views.Trend{ID: "douyin-trend", Title: "体验分趋势", Days: days, Series: []views.TrendSeries{series},
		Help: "每天的点 = 截至当天的近 30 天估算体验分；虚线为 4.0（精选联盟门槛），低于 3.2 平台可能清退。"})
	return m, err
}

// whatIfData is what static/js/douyin.js needs to recompute the score.
type whatIfData struct {
	Model  kpi.DouyinModel    `json:"model"`
	Values map[string]float64 `json:"values"`
	Dirs   map[string]int     `json:"dirs"`
	Names  map[string]string  `json:"names"`
	Units  map[string]string  `json:"units"`
	Scale  map[string]float64 `json:"scale"` // slider value ÷ scale = the metric's value
	Total  *float64           `json:"total"`
}

func sortByCost(subs []kpi.SubScore) {
	for i := 1; i < len(subs); i++ {
		for j := i; j > 0 && subs[j].Cost > subs[j-1].Cost; j-- {
			subs[j], subs[j-1] = subs[j-1], subs[j]
		}
	}
}

// sliderRange is a what-if slider's range, step and start, in the form's unit.
func sliderRange(mt kpi.Metric, v float64, ok bool) (lo, hi, step, start string) {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	switch mt.Unit {
	case kpi.UnitRate:
		if !ok {
			v = 0
		}
		return "0", "100", "0.1", f(float64(int(v*1000+0.5)) / 10)
	case kpi.UnitHours:
		if !ok {
			v = 24
		}
		return "0", f(max(168, v*2)), "1", f(float64(int(v + 0.5)))
	}
	return "0", f(max(100, v*2)), "1", f(v)
}

// editModel shapes the model for the bands editor.
func editModel(m kpi.DouyinModel) []views.DouyinEditPart {
	var out []views.DouyinEditPart
	for _, p := range m.Parts {
		ep := views.DouyinEditPart{Name: p.Name, Weight: strconv.FormatFloat(p.Weight*100, 'f', -1, 64)}
		for _, b := range p.Bands {
			mt, _ := kpi.MetricByKey(b.Key)
			eb := views.DouyinEditBand{Key: b.Key, Name: mt.Name, Unit: inputUnit(mt.Unit)}
			for i, c := range b.Cuts {
				eb.Cuts[i] = toInput(mt.Unit, c)
			}
			ep.Bands = append(ep.Bands, eb)
		}
		out = append(out, ep)
	}
	return out
}

func (s *Server) setDouyinModel(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	back := func(ok bool, msg string) error {
		s.flash(c, ok, msg)
		return c.Redirect("/douyin?shop="+itoa(shop.ID)+"#model", fiber.StatusSeeOther)
	}
	if c.FormValue("reset") != "" {
		if err := s.st.SetDouyinModel(ctx, shop.ID, nil); err != nil {
			return err
		}
		return s.afterRuleChange(c, shop, back, "已恢复默认分档和权重。")
	}
	m, _, err := s.st.DouyinModel(ctx, shop.ID)
	if err != nil {
		return err
	}
	for pi := range m.Parts {
		p := &m.Parts[pi]
		w, err := strconv.ParseFloat(strings.TrimSpace(c.FormValue("w_"+strconv.Itoa(pi))), 64)
		if err != nil {
			return back(false, "分档未保存：「"+p.Name+"」的权重不是数字。")
		}
		p.Weight = w / 100
		for bi := range p.Bands {
			b := &p.Bands[bi]
			mt, _ := kpi.MetricByKey(b.Key)
			for ci := range b.Cuts {
				v, err := fromInput(mt.Unit, c.FormValue("c_"+b.Key+"_"+strconv.Itoa(ci)))
				if err != nil {
					return back(false, "分档未保存：「"+mt.Name+"」的分界值"+err.Error()+"。")
				}
				b.Cuts[ci] = v
			}
		}
	}
	if err := s.st.SetDouyinModel(ctx, shop.ID, &m); err != nil {
		return back(false, "分档未保存："+err.Error()+"。")
	}
	return s.afterRuleChange(c, shop, back, "已保存分档和权重。")
}

// afterRuleChange re-checks the rules (the score's alerts follow the model).
func (s *Server) afterRuleChange(c *fiber.Ctx, shop *store.Shop, back func(bool, string) error, msg string) error {
	if err := s.st.RefreshAlerts(c.UserContext(), shop.Name); err != nil {
		return err
	}
	return back(true, msg)
}
