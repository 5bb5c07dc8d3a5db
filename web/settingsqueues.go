package web

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/risk"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// wordHelp says where each word list is used.
var wordHelp = map[string]string{
	risk.Abuse:       "客服消息：辱骂买家",
	risk.OffPlatform: "客服消息：诱导站外交易",
	risk.OverPromise: "客服消息：过度承诺（如果「包退包换」是店铺政策，可以删掉）",
	risk.Anger:       "买家消息：有这些词的买家不邀评",
	risk.Thanks:      "买家消息：道谢或夸奖，作为邀评理由",
	risk.Compliance:  "邀请语：好评返现类用语，平台禁止",
}

// settingsQueues is the work-queue section of the settings page for a shop.
func (s *Server) settingsQueues(ctx context.Context, sh *store.Shop) (*views.SettingsQueues, error) {
	cw, err := s.st.CaseWindow(ctx, sh.Platform)
	if err != nil {
		return nil, err
	}
	iw, err := s.st.InviteWindow(ctx, sh.ID)
	if err != nil {
		return nil, err
	}
	q := &views.SettingsQueues{ShopID: itoa(sh.ID), ShopName: sh.Name, Platform: settingsPlatformName(sh.Platform),
		CaseWindow: strconv.Itoa(cw), InviteWindow: strconv.Itoa(iw)}
	for _, c := range store.WordCategories {
		words, custom, err := s.st.Words(ctx, sh.ID, c)
		if err != nil {
			return nil, err
		}
		q.Words = append(q.Words, views.SettingsWords{Category: c, Label: risk.Label(c), Help: wordHelp[c], Text: strings.Join(words, "、"), Custom: custom})
	}
	return q, nil
}

func (s *Server) settingsQueueWindows(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	cw, err1 := strconv.Atoi(strings.TrimSpace(c.FormValue("case_window")))
	iw, err2 := strconv.Atoi(strings.TrimSpace(c.FormValue("invite_window")))
	if err1 != nil || err2 != nil || cw < 1 || cw > 365 || iw < 1 || iw > 90 {
		return s.settingsBack(c, false, "期限应为 1–365 天，邀评天数 1–90 天。", "queues", shop.ID)
	}
	ctx := c.UserContext()
	if err := s.st.SetCaseWindow(ctx, shop.Platform, cw); err != nil {
		return err
	}
	if err := s.st.SetInviteWindow(ctx, shop.ID, iw); err != nil {
		return err
	}
	return s.settingsBack(c, true, "已保存工作队列设置。", "queues", shop.ID)
}

func (s *Server) settingsWords(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	cat := c.FormValue("category")
	if !slices.Contains(store.WordCategories, cat) {
		return fiber.NewError(fiber.StatusBadRequest, "未知的词表。")
	}
	var words []string // nil: back to the default
	if c.FormValue("reset") == "" {
		if words, err = risk.ParseList(c.FormValue("words")); err != nil {
			return s.settingsBack(c, false, "词表没有保存："+err.Error(), "queues", shop.ID)
		}
	}
	ctx := c.UserContext()
	if err := s.st.SetWords(ctx, shop.ID, cat, words); err != nil {
		return err
	}
	msg := "已保存「" + risk.Label(cat) + "」词表。"
	if slices.Contains(store.RiskCategories, cat) {
		if err := s.st.RescanRisks(ctx, shop); err != nil {
			return err
		}
		msg += "已重新扫描全部聊天记录。"
	}
	return s.settingsBack(c, true, msg, "queues", shop.ID)
}
