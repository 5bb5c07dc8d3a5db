package web

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/queues"
	"github.com/kefuboard/kefuboard/internal/risk"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// The review-invitation queue (邀评, QUEUES §2). The owner sees every
// candidate; an agent only the orders credited to them.
//
//	GET  /invites              candidates with reasons, KPIs, templates
//	GET  /invites/check        the compliance check of a text (JSON)
//	POST /invites/sent         record an invitation
//	POST /invites/templates    save or delete a template (owner)
func (s *Server) invitesRoutes(a *fiber.App) {
	a.Get("/invites", s.invitesPage)
	a.Get("/invites/check", s.inviteCheck)
	a.Post("/invites/sent", s.inviteSent)
	a.Post("/invites/templates", requireOwner, s.inviteTemplate)
}

// defaultInvitation is the text offered before the owner writes one: the
// seed's allowed phrasing, no reward.
const defaultInvitation = "亲，宝贝已经签收啦，用着还满意吗？有任何问题随时找我们。如果喜欢，欢迎在评价里晒图分享使用感受，给其他买家做个参考，谢谢亲的支持！"

func (s *Server) invitesPage(c *fiber.Ctx) error {
	return queuePage(s, c, "邀评队列", "invites", "invites", views.InvitesModel{Default: defaultInvitation}, views.InvitesPage, func(shop *store.Shop, per Period, self int64) (views.InvitesModel, error) {
		var err error
		ctx, asOf, loc := c.UserContext(), today(shop), shop.Location()
		m := views.InvitesModel{ShopID: itoa(shop.ID), ShopName: shop.Name, AsOf: asOf.String(), Owner: self == 0, Default: defaultInvitation,
			Period: per.form(shop.ID)}
		if m.Window, err = s.st.InviteWindow(ctx, shop.ID); err != nil {
			return m, err
		}
		at := func(ms kpi.Millis) string { return time.UnixMilli(int64(ms)).In(loc).Format("01-02 15:04") }
		inv, err := s.inviteCandidates(ctx, shop, asOf, self)
		if err != nil {
			return m, err
		}
		m.Total = len(inv)
		if len(inv) > maxInviteRows {
			inv = inv[:maxInviteRows]
		}
		for _, v := range inv {
			r := views.InviteRow{OrderID: v.OrderID, Buyer: v.Buyer, Delivered: at(v.DeliveredAt), Agent: dash(v.Agent), Product: dash(v.Product)}
			for _, e := range v.Evidence {
				rs := views.InviteReason{Label: queues.ReasonLabel(e.Reason)}
				switch e.Reason {
				case queues.ReasonThanked:
					rs.Line, rs.At = excerpt(e.Text, 40), at(e.SentAt)
				case queues.ReasonRepeatBuyer:
					rs.Line = "好评订单 " + e.Text
				}
				r.Reasons = append(r.Reasons, rs)
			}
			if v.SentAt != 0 {
				r.Invited = at(v.SentAt)
			}
			m.Rows = append(m.Rows, r)
		}
		tpls, err := s.st.InviteTemplates(ctx, shop.ID)
		if err != nil {
			return m, err
		}
		for _, t := range tpls {
			m.Templates = append(m.Templates, views.InviteTemplateRow{ID: itoa(t.ID), Name: t.Name, Body: t.Body,
				Updated: at(t.UpdatedAt) + " " + t.UpdatedBy})
		}
		k, err := s.st.InviteKPIs(ctx, shop, per.From, per.To, self)
		if err != nil {
			return m, err
		}
		rate, rok := 0.0, k.Sent > 0
		if rok {
			rate = float64(k.Reviewed) / float64(k.Sent)
		}
		m.KPI = views.InviteKPIView{Sent: strconv.Itoa(k.Sent), ReviewRate: views.FormatMetric(kpi.UnitRate, rate, rok),
			InvitedAvg: views.FormatMetric(kpi.UnitScore, k.InvitedAvg, k.InvitedN > 0), NotInvitedAvg: views.FormatMetric(kpi.UnitScore, k.NotInvitedAvg, k.NotInvitedN > 0)}
		return m, nil
	})
}

// invitesKey is what the candidates depend on: the shop's data (word
// lists and window included: changing them moves the version), the day and
// the agent.
type invitesKey struct {
	shop, version int64
	day           kpi.Day
	agent         int64
}

// inviteCandidates are the day's candidates (memoised) with who has been
// invited read now.
func (s *Server) inviteCandidates(ctx context.Context, shop *store.Shop, asOf kpi.Day, agent int64) ([]store.Invite, error) {
	key := invitesKey{shop.ID, shop.DataVersion, asOf, agent}
	base, err := s.invites.Get(key, func() ([]store.Invite, error) { return s.st.Invites(ctx, shop, asOf, agent) })
	if err != nil {
		return nil, err
	}
	window, err := s.st.InviteWindow(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	sent, err := s.st.InvitationsSince(ctx, shop.ID, kpi.Clock{Loc: shop.Location()}.StartOf(asOf-kpi.Day(window)))
	if err != nil {
		return nil, err
	}
	out := make([]store.Invite, len(base)) // the memoised slice is shared: copy
	copy(out, base)
	for i := range out {
		out[i].SentAt = sent[out[i].OrderID]
	}
	return out, nil
}

// maxInviteRows is the most candidates the page lists (the earliest
// deliveries first: they leave the window first).
const maxInviteRows = 200

// maxInviteText caps an invitation text (a chat message).
const maxInviteText = 500

// complianceJSON is one finding as /invites/check answers it.
type complianceJSON struct {
	Word       string `json:"word"`
	Suggestion string `json:"suggestion"`
}

func (s *Server) inviteCheck(c *fiber.Ctx) error {
	p, err := s.page(c, "", "")
	if err != nil {
		return err
	}
	text := c.Query("text")
	if utf8.RuneCountInString(text) > maxInviteText*2 {
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, "内容太长。")
	}
	fs, err := s.st.CheckInvitation(c.UserContext(), p.ShopID, text)
	if err != nil {
		return err
	}
	return c.JSON(complianceOut(fs))
}

func complianceOut(fs []risk.Finding) []complianceJSON {
	out := make([]complianceJSON, 0, len(fs))
	for _, f := range fs {
		out = append(out, complianceJSON{Word: f.Word, Suggestion: f.Suggestion})
	}
	return out
}

func (s *Server) inviteSent(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	self, err := s.viewerAgent(c)
	if err != nil {
		return err
	}
	if self != 0 && currentUser(c).ShopID != shop.ID {
		return errForbidden
	}
	back := func(ok bool, msg string) error {
		s.flash(c, ok, msg)
		return c.Redirect("/invites?shop="+itoa(shop.ID), fiber.StatusSeeOther)
	}
	order := strings.TrimSpace(c.FormValue("order"))
	ctx := c.UserContext()
	// Only a candidate of the viewer can be recorded: the queue is the rule.
	inv, err := s.inviteCandidates(ctx, shop, today(shop), self)
	if err != nil {
		return err
	}
	var found *store.Invite
	for i := range inv {
		if inv[i].OrderID == order {
			found = &inv[i]
		}
	}
	if found == nil {
		if self != 0 {
			return errForbidden
		}
		return back(false, "这个订单现在不在邀评队列里。")
	}
	tpls, err := s.st.InviteTemplates(ctx, shop.ID)
	if err != nil {
		return err
	}
	text := defaultInvitation
	if len(tpls) > 0 {
		text = tpls[0].Body
	}
	if err := s.st.RecordInvitation(ctx, shop.ID, order, found.AgentID, currentUser(c).Username, text); err != nil {
		return err
	}
	return back(true, "已记为已邀请："+order+"。")
}

func (s *Server) inviteTemplate(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	back := func(ok bool, msg string) error {
		s.flash(c, ok, msg)
		return c.Redirect("/invites?shop="+itoa(shop.ID)+"#templates", fiber.StatusSeeOther)
	}
	ctx, by := c.UserContext(), currentUser(c).Username
	id, _ := strconv.ParseInt(c.FormValue("id"), 10, 64)
	if c.FormValue("delete") != "" {
		if err := s.st.SaveInviteTemplate(ctx, shop.ID, id, "", "", by); err != nil {
			return err
		}
		return back(true, "已删除邀请语。")
	}
	name, body := strings.TrimSpace(c.FormValue("name")), strings.TrimSpace(c.FormValue("body"))
	switch {
	case name == "" || utf8.RuneCountInString(name) > 40:
		return back(false, "请填写名称（最多 40 字）。")
	case body == "" || utf8.RuneCountInString(body) > maxInviteText:
		return back(false, "请填写邀请语（最多 500 字）。")
	}
	fs, err := s.st.CheckInvitation(ctx, shop.ID, body)
	if err != nil {
		return err
	}
	if len(fs) > 0 {
		var words []string
		for _, f := range fs {
			words = append(words, "「"+f.Word+"」")
		}
		return back(false, "没有保存：邀请语含有平台禁止的好评返现用语 "+strings.Join(words, "、")+"。"+fs[0].Suggestion)
	}
	if err := s.st.SaveInviteTemplate(ctx, shop.ID, id, name, body, by); err != nil {
		return err
	}
	return back(true, "已保存邀请语。")
}
