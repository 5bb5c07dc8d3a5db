package web

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/queues"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// The bad-review follow-up queue (中差评跟进, QUEUES §1). The owner sees and
// works every case; an agent only the cases they served or were assigned,
// and gets 403 on any other.
//
//	GET  /cases               the queue, its filters and the follow-up KPIs
//	GET  /cases/:id           one case: review, order, chat, history, timeline
//	POST /cases/:id/step      record a workflow step (at the version seen)
//	POST /cases/:id/assign    assign to an agent (owner)
//	POST /cases/new           register a case by hand (owner)
func (s *Server) casesRoutes(a *fiber.App) {
	a.Get("/cases", s.casesPage)
	a.Post("/cases/new", requireOwner, s.newCase)
	a.Get("/cases/:id<int>", s.casePage)
	a.Post("/cases/:id<int>/step", s.caseStep)
	a.Post("/cases/:id<int>/assign", requireOwner, s.caseAssign)
}

// viewerAgent is the agent whose queues an agent user sees (the agent their
// name is merged into, if any); 0 for an owner.
func (s *Server) viewerAgent(c *fiber.Ctx) (int64, error) {
	u := currentUser(c)
	if u == nil || u.Role == store.RoleOwner {
		return 0, nil
	}
	if u.AgentID == 0 {
		return 0, errForbidden
	}
	return s.st.CanonicalAgent(c.UserContext(), u.AgentID)
}

// today is the as-of day of the queues: today in the shop's time zone.
func today(shop *store.Shop) kpi.Day {
	return shop.Today(time.Now())
}

func (s *Server) casesPage(c *fiber.Ctx) error {
	return queuePage(s, c, "中差评跟进", "reviews", "cases", views.CasesModel{}, views.CasesPage, func(shop *store.Shop, per Period, self int64) (views.CasesModel, error) {
		var err error
		ctx, asOf := c.UserContext(), today(shop)
		owner := self == 0
		m := views.CasesModel{ShopID: itoa(shop.ID), ShopName: shop.Name, AsOf: asOf.String(), Owner: owner, NewCase: owner, Today: asOf.String(),
			Period: per.form(shop.ID)}
		if m.Window, err = s.st.CaseWindow(ctx, shop.Platform); err != nil {
			return m, err
		}
		f := views.CaseFilterForm{Agent: c.Query("agent"), Urgency: c.Query("urgency"), State: c.Query("state"), Rating: c.Query("rating"),
			Product: strings.TrimSpace(c.Query("product"))}
		for _, st := range queues.States {
			f.States = append(f.States, views.ImportChoice{Value: st.Key, Label: st.Label})
		}
		f.States = append(f.States, views.ImportChoice{Value: "all", Label: "全部（含已结案）"})
		m.Filter = f
		filter := store.CaseFilter{AgentID: self, Urgency: f.Urgency, Product: f.Product, Limit: maxCaseRows + 1}
		if owner {
			filter.AgentID, _ = strconv.ParseInt(f.Agent, 10, 64)
		}
		switch f.State {
		case "all":
			filter.All = true
		default:
			filter.State = f.State
		}
		filter.Rating, _ = strconv.Atoi(f.Rating)
		cs, err := s.st.Cases(ctx, shop, asOf, filter)
		if err != nil {
			return m, err
		}
		if len(cs) > maxCaseRows {
			cs, m.More = cs[:maxCaseRows], true
		}
		for _, c := range cs {
			m.Rows = append(m.Rows, caseRow(c))
		}
		n, err := s.st.CaseCounts(ctx, shop, asOf, filter.AgentID)
		if err != nil {
			return m, err
		}
		m.Counts = views.CaseCounts{Overdue: n.Overdue, Due: n.Due, Open: n.Open, Closed: n.Closed}
		period, err := s.st.Cases(ctx, shop, asOf, store.CaseFilter{All: true, AgentID: filter.AgentID, ReviewFrom: per.From, ReviewTo: per.To})
		if err != nil {
			return m, err
		}
		agents, err := s.st.Agents(ctx, shop.ID)
		if err != nil {
			return m, err
		}
		names := map[int64]string{}
		for _, a := range agents {
			names[a.ID] = a.Name
			if a.MergedInto == 0 {
				m.Agents = append(m.Agents, views.ImportChoice{Value: itoa(a.ID), Label: a.Name})
			}
		}
		kpis := store.CaseKPIs(period, per.From, per.To, shop.Location())
		if owner {
			m.KPIs = append(m.KPIs, caseKPIRow("全店", kpis[0]))
			for _, a := range agents {
				if k := kpis[a.ID]; k != nil && a.MergedInto == 0 {
					m.KPIs = append(m.KPIs, caseKPIRow(a.Name, k))
				}
			}
		} else {
			k := kpis[self]
			if k == nil {
				k = &store.CaseKPI{}
			}
			m.KPIs = append(m.KPIs, caseKPIRow(names[self], k))
		}
		return m, nil
	})
}

// caseStateLabel is a case's state, with its outcome once the case has
// moved past it (已结案 · 已补偿).
func caseStateLabel(c store.Case) string {
	if c.Outcome != "" && c.Outcome != c.State {
		return queues.StateLabel(c.State) + " · " + queues.StateLabel(c.Outcome)
	}
	return queues.StateLabel(c.State)
}

// maxCaseRows is the most cases the queue page lists (the most urgent by
// deadline); the filters narrow the rest.
const maxCaseRows = 200

func caseRow(c store.Case) views.CaseRow {
	r := views.CaseRow{ID: itoa(c.ID), Href: "/cases/" + itoa(c.ID), Deadline: c.Deadline.String(), Urgency: c.Urgency,
		Rating: c.Rating, Buyer: c.Buyer, OrderID: c.OrderID, Product: dash(c.Product), Agent: dash(c.Agent), Assigned: dash(c.Assigned),
		State: caseStateLabel(c), Content: excerpt(c.Content, 60)}
	switch {
	case c.Closed:
		r.DaysLeft, r.Urgency = "已结案", "closed"
	case c.DaysLeft < 0:
		r.DaysLeft = "超期 " + strconv.Itoa(-c.DaysLeft) + " 天"
	case c.DaysLeft == 0:
		r.DaysLeft = "今天到期"
	default:
		r.DaysLeft = strconv.Itoa(c.DaysLeft) + " 天"
	}
	r.UrgencyLabel = map[string]string{queues.Overdue: "已超期", queues.Due: "3天内到期", queues.Open: "跟进中"}[c.Urgency]
	r.RatingClass = "warn"
	if c.Rating <= 2 {
		r.RatingClass = "bad"
	}
	if c.Rating >= 4 {
		r.RatingClass = "good"
	}
	if r.Content == "" {
		r.Content = "（没有评价内容）"
	}
	return r
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// excerpt is the first n characters of s.
func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func caseKPIRow(name string, k *store.CaseKPI) views.CaseKPIRow {
	r := views.CaseKPIRow{Name: name, Cases: strconv.Itoa(k.Cases), OverdueNow: strconv.Itoa(k.OverdueNow),
		Compensation: views.FormatMetric(kpi.UnitYuan, float64(k.CompensationFen)/100, true)}
	cs, cok := k.ContactedShare()
	ms, mok := k.ModifiedShare()
	r.Contacted = views.FormatMetric(kpi.UnitRate, cs, cok)
	r.Modified = views.FormatMetric(kpi.UnitRate, ms, mok)
	r.MedianContact = views.FormatMetric(kpi.UnitHours, k.MedianContactH, k.HasMedian)
	return r
}

// loadCase is the case of the URL as the viewer may see it: 404 when the
// shop has no such case, 403 when an agent did not serve it and was not
// assigned it.
func (s *Server) loadCase(c *fiber.Ctx, shop *store.Shop) (*store.CaseDetail, int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return nil, 0, fiber.ErrNotFound
	}
	self, err := s.viewerAgent(c)
	if err != nil {
		return nil, 0, err
	}
	ctx := c.UserContext()
	d, err := s.st.CaseDetail(ctx, shop, id, today(shop), 0)
	if errors.Is(err, store.ErrNotFound) {
		return nil, 0, fiber.NewError(fiber.StatusNotFound, "没有这个案件。")
	}
	if err != nil {
		return nil, 0, err
	}
	if self != 0 && d.Case.AgentID != self && d.Case.AssignedID != self {
		return nil, 0, errForbidden
	}
	return d, self, nil
}

// caseShop is the shop a case URL is read in: the chosen shop (an agent's is theirs).
func (s *Server) caseShop(c *fiber.Ctx) (views.Page, *store.Shop, error) {
	p, err := s.page(c, "中差评跟进", "reviews")
	if err != nil {
		return p, nil, err
	}
	shop, err := s.shopByID(c.UserContext(), p.ShopID)
	if err != nil {
		return p, nil, err
	}
	if shop == nil {
		return p, nil, fiber.NewError(fiber.StatusNotFound, "没有这个案件。")
	}
	return p, shop, nil
}

func (s *Server) casePage(c *fiber.Ctx) error {
	p, shop, err := s.caseShop(c)
	if err != nil {
		return err
	}
	d, self, err := s.loadCase(c, shop)
	if err != nil {
		return err
	}
	agents, err := s.st.Agents(c.UserContext(), shop.ID)
	if err != nil {
		return err
	}
	return render(c, views.CaseDetailPage(p, casePageModel(d, shop, self, agents)))
}

func casePageModel(d *store.CaseDetail, shop *store.Shop, self int64, agents []store.Agent) views.CasePage {
	loc := shop.Location()
	at := func(ms kpi.Millis) string {
		if ms == 0 {
			return "—"
		}
		return time.UnixMilli(int64(ms)).In(loc).Format("2006-01-02 15:04")
	}
	cs := d.Case
	m := views.CasePage{ShopID: itoa(shop.ID), Owner: self == 0, Case: caseRow(cs), Version: itoa(cs.Version), Closed: cs.Closed,
		AssignedID: itoa(cs.AssignedID), Today: today(shop).String(),
		Review: views.CaseReview{At: at(cs.CreatedAt), Content: cs.Content, Key: cs.ReviewKey}}
	m.Case.Content = cs.Content
	if cs.FirstRating != cs.Rating {
		m.Review.FirstRating = strconv.Itoa(cs.FirstRating)
	}
	if d.Order != nil {
		o := caseOrder(*d.Order, at)
		m.Order = &o
	}
	for _, r := range d.Refunds {
		m.Refunds = append(m.Refunds, refundRow(r, at))
	}
	for _, cp := range d.Complaints {
		m.Complaints = append(m.Complaints, at(cp.At)+" · "+dash(cp.Type)+" · "+dash(cp.Status))
	}
	m.Chat = chatLines(d.Chat, cs.Buyer, self, 0, at)
	for _, o := range d.Orders {
		m.Orders = append(m.Orders, caseOrder(o, at))
	}
	for _, r := range d.Reviews {
		class := "good"
		if r.Rating <= 3 {
			class = "warn"
		}
		if r.Rating <= 2 {
			class = "bad"
		}
		m.Reviews = append(m.Reviews, views.DrillReview{At: at(r.At), Content: r.Content, Rating: r.Rating, Class: class})
	}
	for _, e := range d.Events {
		m.Timeline = append(m.Timeline, caseEventRow(e, at))
	}
	for _, st := range queues.States {
		if st.Key != queues.StateNew && queues.CheckStep(cs.State, queues.Step{State: st.Key, CompensationFen: 1, RetryDay: 1}) == nil {
			m.Steps = append(m.Steps, views.ImportChoice{Value: st.Key, Label: st.Label})
		}
	}
	for _, a := range agents {
		if a.MergedInto == 0 {
			m.Agents = append(m.Agents, views.ImportChoice{Value: itoa(a.ID), Label: a.Name})
		}
	}
	return m
}

func caseOrder(o store.OrderBrief, at func(kpi.Millis) string) views.CaseOrder {
	status := dash(o.Status)
	if o.Cancelled {
		status += "（已取消）"
	}
	return views.CaseOrder{OrderID: o.OrderID, Created: at(o.CreatedAt), Paid: at(o.PaidAt), Delivered: at(o.DeliveredAt),
		Amount: views.FormatMetric(kpi.UnitYuan, float64(o.AmountFen)/100, true), Product: dash(o.Product), Status: status, Agent: dash(o.Agent)}
}

func caseEventRow(e store.CaseEvent, at func(kpi.Millis) string) views.CaseEventRow {
	r := views.CaseEventRow{At: at(e.At), Who: e.By, Note: e.Note}
	if r.Who == "" {
		r.Who = "系统"
	}
	switch e.Kind {
	case "opened":
		r.What = "登记为中差评案件"
	case "assign":
		r.What = "指派给 " + dash(e.Agent)
	default:
		r.What = queues.StateLabel(e.Kind)
	}
	if e.AmountFen > 0 {
		r.What += " " + views.FormatMetric(kpi.UnitYuan, float64(e.AmountFen)/100, true)
	}
	if e.RetryDay != 0 {
		r.What += "（" + e.RetryDay.String() + " 再联系）"
	}
	return r
}

// caseBack returns to the case page with a message.
func (s *Server) caseBack(c *fiber.Ctx, id int64, ok bool, msg string) error {
	s.flash(c, ok, msg)
	return c.Redirect("/cases/"+itoa(id), fiber.StatusSeeOther)
}

// postedCase is the shop, the case a form posts to (which the viewer may
// work, or an error) and the case version the form was rendered from.
func (s *Server) postedCase(c *fiber.Ctx) (*store.Shop, int64, int64, error) {
	_, shop, err := s.caseShop(c)
	if err != nil {
		return nil, 0, 0, err
	}
	d, _, err := s.loadCase(c, shop)
	if err != nil {
		return nil, 0, 0, err
	}
	version, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	return shop, d.Case.ID, version, nil
}

func (s *Server) caseStep(c *fiber.Ctx) error {
	_, id, version, err := s.postedCase(c)
	if err != nil {
		return err
	}
	step := queues.Step{State: c.FormValue("state"), Note: strings.TrimSpace(c.FormValue("note"))}
	if utf8.RuneCountInString(step.Note) > 1000 {
		return s.caseBack(c, id, false, "备注太长（最多 1000 字）。")
	}
	if a := strings.TrimSpace(c.FormValue("amount")); a != "" && step.State == queues.StateCompensated {
		v, err := fromInput(kpi.UnitYuan, a)
		if err != nil || v > 1e7 {
			return s.caseBack(c, id, false, "补偿金额不是有效的数字。")
		}
		step.CompensationFen = int64(v*100 + 0.5)
	}
	if r := strings.TrimSpace(c.FormValue("retry")); r != "" && step.State == queues.StateNoAnswer {
		if step.RetryDay, err = kpi.ParseDay(r); err != nil {
			return s.caseBack(c, id, false, "下次联系日期格式不对。")
		}
	}
	err = s.st.CaseStep(c.UserContext(), id, version, step, currentUser(c).Username)
	switch {
	case errors.Is(err, store.ErrCaseChanged):
		return s.caseBack(c, id, false, err.Error()+"。")
	case err != nil && !errors.Is(err, store.ErrNotFound):
		var fe *fiber.Error
		if errors.As(err, &fe) {
			return err
		}
		return s.caseBack(c, id, false, "没有记录："+err.Error()+"。")
	}
	return s.caseBack(c, id, true, "已记录「"+queues.StateLabel(step.State)+"」。")
}

func (s *Server) caseAssign(c *fiber.Ctx) error {
	shop, id, version, err := s.postedCase(c)
	if err != nil {
		return err
	}
	agentID, _ := strconv.ParseInt(c.FormValue("agent"), 10, 64)
	name := "（无）"
	if agentID != 0 {
		ag, err := s.st.AgentByID(c.UserContext(), agentID)
		if err != nil || ag.ShopID != shop.ID {
			return s.caseBack(c, id, false, "没有这位客服。")
		}
		name = ag.Name
	}
	err = s.st.AssignCase(c.UserContext(), id, version, agentID, currentUser(c).Username, "")
	if errors.Is(err, store.ErrCaseChanged) {
		return s.caseBack(c, id, false, err.Error()+"。")
	}
	if err != nil {
		return err
	}
	return s.caseBack(c, id, true, "已指派给 "+name+"。")
}

// newCase registers a review by hand: a review row like an imported one
// (so the same clock and workflow apply), its order completed from the last
// 10 digits when exactly one order ends with them, the buyer the order's.
func (s *Server) newCase(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	back := func(ok bool, msg string) error {
		s.flash(c, ok, msg)
		return c.Redirect("/cases?shop="+itoa(shop.ID)+"#new-case", fiber.StatusSeeOther)
	}
	order := strings.TrimSpace(c.FormValue("order"))
	rating, _ := strconv.Atoi(c.FormValue("rating"))
	day, derr := kpi.ParseDay(strings.TrimSpace(c.FormValue("day")))
	text := strings.TrimSpace(c.FormValue("text"))
	switch {
	case order == "" || utf8.RuneCountInString(order) > 40:
		return back(false, "请填写订单号。")
	case !queues.IsCase(rating):
		return back(false, "评分应为 1–3 星。")
	case derr != nil || day > today(shop):
		return back(false, "评价日期不对。")
	case utf8.RuneCountInString(text) > 1000:
		return back(false, "评价内容太长（最多 1000 字）。")
	}
	if err := s.st.AddManualReview(c.UserContext(), shop, order, rating, day, text, currentUser(c).Username); err != nil {
		return back(false, "没有登记："+err.Error()+"。")
	}
	return back(true, "已登记这条中差评。")
}

// chatLines are a buyer's messages as a conversation (focus: the message to
// highlight, 0 = none). An agent viewer sees other agents as "其他客服".
func chatLines(msgs []store.ChatMsg, buyer string, self, focus int64, at func(kpi.Millis) string) []views.DrillChat {
	out := make([]views.DrillChat, 0, len(msgs))
	for _, cm := range msgs {
		l := views.DrillChat{At: at(cm.At), Content: cm.Content}
		switch cm.Role {
		case kpi.RoleBuyer:
			l.Who, l.Class = buyer, "buyer"
		case kpi.RoleAgent:
			l.Who, l.Class = cm.Agent, "agent"
			if self != 0 && cm.AgentID != self {
				l.Who = "其他客服"
			}
		default:
			l.Who, l.Class = "机器人/系统", "bot"
		}
		if focus != 0 && cm.ID == focus {
			l.Class += " focus"
		}
		out = append(out, l)
	}
	return out
}
