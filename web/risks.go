package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// The chat risk queue (风险会话, QUEUES §3). The owner sees every item and
// marks it confirmed or a false positive; an agent sees their own items,
// read-only.
//
//	GET  /risks        items of the period by category, each in its conversation
//	POST /risks/mark   confirmed / false_positive / cleared (owner)
func (s *Server) risksRoutes(a *fiber.App) {
	a.Get("/risks", s.risksPage)
	a.Post("/risks/mark", requireOwner, s.riskMark)
}

// maxRiskRows caps the items listed on the page (the newest first).
const maxRiskRows = 50

func (s *Server) risksPage(c *fiber.Ctx) error {
	return queuePage(s, c, "风险会话", "risks", "risks", views.RisksModel{NoChats: true}, views.RisksPage, func(shop *store.Shop, per Period, self int64) (views.RisksModel, error) {
		ctx, loc := c.UserContext(), shop.Location()
		m := views.RisksModel{ShopID: itoa(shop.ID), ShopName: shop.Name, Owner: self == 0, Category: c.Query("category"),
			Period: per.form(shop.ID)}
		has, err := s.st.HasChats(ctx, shop.ID)
		if err != nil {
			return m, err
		}
		if !has {
			m.NoChats = true
			return m, nil
		}
		filter := store.RiskFilter{AgentID: self}
		if self == 0 {
			filter.AgentID, _ = strconv.ParseInt(c.Query("agent"), 10, 64) // the owner may narrow to one agent
		}
		counts, err := s.st.RiskCategoryCounts(ctx, shop, per.From, per.To, filter.AgentID)
		if err != nil {
			return m, err
		}
		total := 0
		for _, cat := range store.RiskCategories {
			m.Counts = append(m.Counts, views.RiskCount{Key: cat, Label: store.RiskLabel(cat), N: counts[cat], Active: cat == m.Category})
			if m.Category == "" || cat == m.Category {
				total += counts[cat]
			}
		}
		filter.Category, filter.Newest = m.Category, maxRiskRows
		items, err := s.st.Risks(ctx, shop, per.From, per.To, filter)
		if err != nil {
			return m, err
		}
		m.Truncated = total - len(items)
		chats, err := s.st.RiskContexts(ctx, shop.ID, items)
		if err != nil {
			return m, err
		}
		at := func(ms kpi.Millis) string { return time.UnixMilli(int64(ms)).In(loc).Format("01-02 15:04:05") }
		for _, it := range items {
			r := views.RiskRow{ID: itoa(it.ID), Key: it.Key, Category: it.Category, Label: store.RiskLabel(it.Category), Agent: dash(it.Agent),
				Buyer: it.Buyer, At: at(it.SentAt), Content: it.Content, Status: it.Status, Rule: store.RiskRule(it.Category),
				Words: strings.Join(it.Words, "、")}
			if it.Category == store.RiskSlow {
				r.Words = itoa(int64(it.Count)) + " 条消息等待超过 5 分钟或没有回复"
			}
			r.StatusLabel = map[string]string{store.RiskConfirmed: "已确认违规", store.RiskFalsePositive: "误报"}[it.Status]
			r.Context = chatLines(chats[it.ID], it.Buyer, self, it.MessageID, at)
			m.Rows = append(m.Rows, r)
		}
		return m, nil
	})
}

func (s *Server) riskMark(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	status := c.FormValue("status")
	if status != "" && status != store.RiskConfirmed && status != store.RiskFalsePositive {
		return fiber.NewError(fiber.StatusBadRequest, "未知的标记。")
	}
	key := c.FormValue("key")
	if !strings.HasPrefix(key, "m:") && !strings.HasPrefix(key, "s:") || len(key) > 80 {
		return fiber.NewError(fiber.StatusBadRequest, "未知的风险会话。")
	}
	if err := s.st.MarkRisk(c.UserContext(), shop.ID, key, status, currentUser(c).Username, ""); err != nil {
		return err
	}
	// The abuse and off-platform rules count items not marked false positive.
	if err := s.st.RefreshAlerts(c.UserContext(), shop.Name); err != nil {
		return err
	}
	s.flash(c, true, "已标记。")
	return c.Redirect("/risks?shop="+itoa(shop.ID), fiber.StatusSeeOther)
}
