package web

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/auth"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// The settings page (the product card, page 9): shops, agents, sign-ins and the
// database backup. Owners only; every change is a POST with the CSRF token,
// answered with a redirect back and a flash message.
func (s *Server) settingsRoutes(a *fiber.App) {
	a.Get("/settings", requireOwner, s.settingsPage)
	a.Post("/settings/shops/:id", requireOwner, s.settingsShop)
	a.Post("/settings/agents/:id", requireOwner, s.settingsAgent)
	a.Post("/settings/agents/:id/merge", requireOwner, s.settingsMerge)
	a.Post("/settings/agents/:id/unmerge", requireOwner, s.settingsUnmerge)
	a.Post("/settings/users", requireOwner, s.settingsInvite)
	a.Post("/settings/users/:id/reset", requireOwner, s.settingsReset)
	a.Post("/settings/users/:id/active", requireOwner, s.settingsActive)
	a.Post("/settings/users/:id/agent", requireOwner, s.settingsLink)
	a.Get("/settings/backup", requireOwner, s.settingsBackup)
	a.Post("/settings/queues", requireOwner, s.settingsQueueWindows)
	a.Post("/settings/words", requireOwner, s.settingsWords)
}

var settingsPlatformNames = map[string]string{
	"pdd": "拼多多", "taobao": "淘宝", "tmall": "天猫", "jd": "京东", "douyin": "抖音", "other": "其他",
}

func settingsPlatformName(p string) string {
	if n, ok := settingsPlatformNames[p]; ok {
		return n
	}
	return p
}

// importPlatformChoices are store.Platforms for an import page select.
func importPlatformChoices(sel string) []views.ImportChoice {
	out := make([]views.ImportChoice, 0, len(store.Platforms))
	for _, p := range store.Platforms {
		out = append(out, views.ImportChoice{Value: p, Label: settingsPlatformName(p), Selected: p == sel})
	}
	return out
}

// settingsPasswordKey holds "username\x00password" for the one page view that shows it.
const settingsPasswordKey = "settings_new_password"

func (s *Server) settingsPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := s.page(c, "设置", "settings")
	if err != nil {
		return err
	}
	me := currentUser(c)
	shops, err := s.st.Shops(ctx)
	if err != nil {
		return err
	}
	users, err := s.st.Users(ctx)
	if err != nil {
		return err
	}
	v := views.SettingsPage{Page: p}
	if np := s.sm.PopString(ctx, settingsPasswordKey); np != "" {
		if user, pw, ok := strings.Cut(np, "\x00"); ok {
			v.NewPassword = &views.SettingsPassword{Username: user, Password: pw}
		}
	}
	logins := map[int64][]string{}
	for _, u := range users {
		if u.AgentID != 0 {
			logins[u.AgentID] = append(logins[u.AgentID], u.Username)
		}
	}
	var allAgents []views.SettingsChoice
	for _, sh := range shops {
		v.Shops = append(v.Shops, views.SettingsShop{ID: itoa(sh.ID), Name: sh.Name, TZ: sh.TZ,
			PlatformLabel: settingsPlatformName(sh.Platform), Platforms: settingsChoices(store.Platforms, sh.Platform, settingsPlatformName),
			Start: settingsClock(sh.Window.Start), End: settingsClock(sh.Window.End)})
		agents, err := s.st.Agents(ctx, sh.ID)
		if err != nil {
			return err
		}
		names := map[int64]string{}
		for _, a := range agents {
			names[a.ID] = a.Name
		}
		for _, a := range agents {
			label := a.Name
			if len(shops) > 1 {
				label = sh.Name + " · " + a.Name
			}
			allAgents = append(allAgents, views.SettingsChoice{Value: itoa(a.ID), Label: label})
			if sh.ID != p.ShopID {
				continue
			}
			v.AgentShop = sh.Name
			row := views.SettingsAgent{ID: itoa(a.ID), Name: a.Name,
				Shifts: settingsChoices(append([]string{""}, store.Shifts...), a.Shift, settingsShiftLabel),
				Logins: strings.Join(logins[a.ID], "、"), MergedInto: names[a.MergedInto]}
			if a.MergedInto == 0 {
				for _, b := range agents {
					if b.ID != a.ID && b.MergedInto == 0 {
						row.MergeTargets = append(row.MergeTargets, views.SettingsChoice{Value: itoa(b.ID), Label: b.Name})
					}
				}
			}
			v.Agents = append(v.Agents, row)
		}
		if sh.ID == p.ShopID {
			v.AgentShop = sh.Name
		}
	}
	v.AgentChoices = allAgents
	for _, u := range users {
		uv := views.SettingsUser{ID: itoa(u.ID), Username: u.Username, Role: u.Role, RoleLabel: settingsRoleName(u.Role),
			Agent: u.AgentName, Active: u.Active, Self: me.ID == u.ID, IsAgent: u.Role == store.RoleAgent, LastLogin: "从未登录"}
		if !u.LastLoginAt.IsZero() {
			uv.LastLogin = u.LastLoginAt.In(settingsLoc()).Format("2006-01-02 15:04")
		}
		for _, a := range allAgents {
			uv.Agents = append(uv.Agents, views.SettingsChoice{Value: a.Value, Label: a.Label, Selected: a.Value == itoa(u.AgentID)})
		}
		v.Users = append(v.Users, uv)
	}
	for _, sh := range shops {
		if sh.ID == p.ShopID {
			if v.Queues, err = s.settingsQueues(ctx, sh); err != nil {
				return err
			}
		}
	}
	return render(c, views.Settings(v))
}

func settingsChoices(values []string, sel string, label func(string) string) []views.SettingsChoice {
	out := make([]views.SettingsChoice, 0, len(values))
	for _, x := range values {
		out = append(out, views.SettingsChoice{Value: x, Label: label(x), Selected: x == sel})
	}
	return out
}

func settingsShiftLabel(s string) string {
	if s == "" {
		return "未设置"
	}
	return s
}

func settingsRoleName(r string) string {
	if r == store.RoleOwner {
		return "店主"
	}
	return "客服"
}

// settingsLoc is the zone sign-in times and backup names are shown in.
func settingsLoc() *time.Location {
	if loc, err := time.LoadLocation(importDefaultTZ); err == nil {
		return loc
	}
	return time.Local
}

// settingsClock is a time of day in ms as HH:MM (24:00 for the end of the day).
func settingsClock(ms int64) string {
	m := ms / 60000
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// settingsParseClock reads HH:MM (or H:MM) as ms since midnight; 24:00 is allowed.
func settingsParseClock(s string) (int64, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(strings.ReplaceAll(s, "：", ":")), ":")
	if !ok || len(m) != 2 || len(h) < 1 || len(h) > 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return int64(hh*60+mm) * 60000, true
}

// back redirects to a section of the settings page with a flash message.
func (s *Server) settingsBack(c *fiber.Ctx, ok bool, msg, anchor string, shopID int64) error {
	s.flash(c, ok, msg)
	to := "/settings"
	if shopID != 0 {
		to += "?shop=" + itoa(shopID)
	}
	return c.Redirect(to+"#"+anchor, fiber.StatusSeeOther)
}

func settingsParamID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fiber.NewError(fiber.StatusNotFound, "没有这一项。")
	}
	return id, nil
}

func (s *Server) settingsShop(c *fiber.Ctx) error {
	id, err := settingsParamID(c)
	if err != nil {
		return err
	}
	start, ok1 := settingsParseClock(c.FormValue("window_start"))
	end, ok2 := settingsParseClock(c.FormValue("window_end"))
	if !ok1 || !ok2 {
		return s.settingsBack(c, false, "服务时段应写成 HH:MM，例如 08:00 和 23:00（结束可以是 24:00）。", "shops", id)
	}
	recomputed, err := s.st.UpdateShop(c.UserContext(), id, store.ShopUpdate{Name: c.FormValue("name"),
		Platform: c.FormValue("platform"), TZ: c.FormValue("tz"), Window: kpi.Window{Start: start, End: end}})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fiber.NewError(fiber.StatusNotFound, "没有这个店铺。")
	case errors.Is(err, store.ErrInvalid):
		return s.settingsBack(c, false, err.Error(), "shops", id)
	case errors.Is(err, store.ErrDuplicate):
		return s.settingsBack(c, false, "已有同名的店铺，请换一个名称。", "shops", id)
	case err != nil:
		return err
	}
	s.log.Info("shop settings changed", "shop", id, "recomputed", recomputed, "by", currentUser(c).Username)
	if recomputed {
		return s.settingsBack(c, true, "已保存并重新计算：该店铺的全部指标已按新的时区和服务时段重新统计。", "shops", id)
	}
	return s.settingsBack(c, true, "已保存。", "shops", id)
}

func (s *Server) settingsAgent(c *fiber.Ctx) error {
	a, err := s.settingsAgentTarget(c)
	if err != nil {
		return err
	}
	id, ctx := a.ID, c.UserContext()
	shift := strings.TrimSpace(c.FormValue("shift"))
	valid := shift == ""
	for _, x := range store.Shifts {
		valid = valid || x == shift
	}
	if !valid {
		return s.settingsBack(c, false, "未知的班次："+shift, "agents", a.ShopID)
	}
	if err := s.st.SetAgentShift(ctx, id, shift); err != nil {
		return err
	}
	return s.settingsBack(c, true, "已保存客服「"+a.Name+"」的班次。", "agents", a.ShopID)
}

// settingsAgentTarget is the agent of a /settings/agents/:id route (404 when unknown).
func (s *Server) settingsAgentTarget(c *fiber.Ctx) (*store.Agent, error) {
	id, err := settingsParamID(c)
	if err != nil {
		return nil, err
	}
	a, err := s.st.AgentByID(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fiber.NewError(fiber.StatusNotFound, "没有这个客服。")
	}
	return a, err
}

// settingsAgentParam reads an agent id from a form ("" or 0 = none) and checks it exists.
func (s *Server) settingsAgentParam(c *fiber.Ctx, key string) (int64, bool, error) {
	v := strings.TrimSpace(c.FormValue(key))
	if v == "" || v == "0" {
		return 0, true, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, nil
	}
	if _, err := s.st.AgentByID(c.UserContext(), id); errors.Is(err, store.ErrNotFound) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, err
	}
	return id, true, nil
}

func (s *Server) settingsInvite(c *fiber.Ctx) error {
	ctx := c.UserContext()
	username := strings.TrimSpace(c.FormValue("username"))
	role := c.FormValue("role")
	if auth.CheckUsername(username) != nil {
		return s.settingsBack(c, false, "用户名需 2–32 个字符，只能包含字母、汉字、数字和 _ - . @。", "users", 0)
	}
	if role != store.RoleOwner && role != store.RoleAgent {
		return s.settingsBack(c, false, "请选择角色：店主或客服。", "users", 0)
	}
	agentID, ok, err := s.settingsAgentParam(c, "agent_id")
	if err != nil {
		return err
	}
	if !ok {
		return s.settingsBack(c, false, "所选客服不存在。", "users", 0)
	}
	if role == store.RoleOwner {
		agentID = 0
	}
	pw := auth.RandomPassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	u, err := s.st.CreateUser(ctx, username, hash, role, agentID)
	if errors.Is(err, store.ErrDuplicate) {
		return s.settingsBack(c, false, "用户名「"+username+"」已存在。", "users", 0)
	}
	if err != nil {
		return err
	}
	s.log.Info("user created", "user", u.Username, "role", u.Role, "by", currentUser(c).Username)
	s.sm.Put(ctx, settingsPasswordKey, u.Username+"\x00"+pw)
	msg := "已创建账号「" + u.Username + "」（" + settingsRoleName(u.Role) + "）。"
	if u.Role == store.RoleAgent && u.AgentID == 0 {
		msg += "该账号还没有关联客服名称，关联后才能看到自己的绩效。"
	}
	return s.settingsBack(c, true, msg, "users", 0)
}

// settingsUserParam is the user of :id, or a 404.
func (s *Server) settingsUserParam(c *fiber.Ctx) (*store.User, error) {
	id, err := settingsParamID(c)
	if err != nil {
		return nil, err
	}
	u, err := s.st.UserByID(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fiber.NewError(fiber.StatusNotFound, "没有这个账号。")
	}
	return u, err
}

func (s *Server) settingsReset(c *fiber.Ctx) error {
	u, err := s.settingsUserParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	pw := auth.RandomPassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.st.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	s.log.Info("password reset", "user", u.Username, "by", currentUser(c).Username)
	s.sm.Put(ctx, settingsPasswordKey, u.Username+"\x00"+pw)
	return s.settingsBack(c, true, "已重置账号「"+u.Username+"」的密码。", "users", 0)
}

func (s *Server) settingsActive(c *fiber.Ctx) error {
	u, err := s.settingsUserParam(c)
	if err != nil {
		return err
	}
	active := c.FormValue("active") == "1"
	if !active && u.ID == currentUser(c).ID {
		return s.settingsBack(c, false, "不能停用自己正在使用的账号。", "users", 0)
	}
	if err := s.st.SetUserActive(c.UserContext(), u.ID, active); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fiber.NewError(fiber.StatusNotFound, "没有这个账号。")
		}
		return s.settingsBack(c, false, err.Error(), "users", 0)
	}
	s.log.Info("user active changed", "user", u.Username, "active", active, "by", currentUser(c).Username)
	if active {
		return s.settingsBack(c, true, "已启用账号「"+u.Username+"」。", "users", 0)
	}
	return s.settingsBack(c, true, "已停用账号「"+u.Username+"」：该账号已无法登录。", "users", 0)
}

func (s *Server) settingsLink(c *fiber.Ctx) error {
	u, err := s.settingsUserParam(c)
	if err != nil {
		return err
	}
	agentID, ok, err := s.settingsAgentParam(c, "agent_id")
	if err != nil {
		return err
	}
	if !ok {
		return s.settingsBack(c, false, "所选客服不存在。", "users", 0)
	}
	if err := s.st.LinkUserAgent(c.UserContext(), u.ID, agentID); err != nil {
		return err
	}
	if agentID == 0 {
		return s.settingsBack(c, true, "已取消账号「"+u.Username+"」的客服关联。", "users", 0)
	}
	return s.settingsBack(c, true, "已关联账号「"+u.Username+"」。", "users", 0)
}

// settingsBackup downloads a consistent copy of the database (VACUUM INTO a
// temporary file, streamed, then removed).
func (s *Server) settingsBackup(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if err := os.MkdirAll(s.cfg.DataDir, 0o755); err != nil {
		return err
	}
	dir, err := os.MkdirTemp(s.cfg.DataDir, "backup-")
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "kefuboard.db")
	if err := s.st.Backup(ctx, path); err != nil {
		os.RemoveAll(dir)
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		os.RemoveAll(dir)
		return err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		os.RemoveAll(dir)
		return err
	}
	// The open file outlives its name: the copy is gone from disk once sent.
	os.RemoveAll(dir)
	name := "kefuboard-backup-" + time.Now().In(settingsLoc()).Format("20060102-1504") + ".db"
	s.log.Info("backup downloaded", "bytes", info.Size(), "by", currentUser(c).Username)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentType, "application/vnd.sqlite3")
	return c.SendStream(f, int(info.Size()))
}

// settingsMerge merges an agent into another of the same shop: the same
// person written two ways across files ("店铺:小迪" and "小迪"). Every number
// follows (the shop is recomputed); undone by settingsUnmerge.
func (s *Server) settingsMerge(c *fiber.Ctx) error {
	a, err := s.settingsAgentTarget(c)
	if err != nil {
		return err
	}
	id, ctx := a.ID, c.UserContext()
	into, ok, err := s.settingsAgentParam(c, "into")
	if err != nil {
		return err
	}
	if !ok || into == 0 {
		return s.settingsBack(c, false, "请选择要合并到的客服。", "agents", a.ShopID)
	}
	b, err := s.st.AgentByID(ctx, into)
	if err != nil {
		return err
	}
	switch err := s.st.MergeAgents(ctx, id, into); {
	case errors.Is(err, store.ErrMergeSelf):
		return s.settingsBack(c, false, err.Error()+"。", "agents", a.ShopID)
	case err != nil && b.ShopID != a.ShopID:
		return s.settingsBack(c, false, "只能合并同一店铺的客服。", "agents", a.ShopID)
	case err != nil:
		return err
	}
	return s.settingsBack(c, true, "已把「"+a.Name+"」合并到「"+b.Name+"」：所有数字已按合并后重新计算，可随时撤销。", "agents", a.ShopID)
}

// settingsUnmerge undoes a merge.
func (s *Server) settingsUnmerge(c *fiber.Ctx) error {
	a, err := s.settingsAgentTarget(c)
	if err != nil {
		return err
	}
	id, ctx := a.ID, c.UserContext()
	if err := s.st.UnmergeAgent(ctx, id); err != nil {
		return err
	}
	return s.settingsBack(c, true, "已撤销「"+a.Name+"」的合并：它的数字重新单独计算。", "agents", a.ShopID)
}
