package web

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kefuboard/kefuboard/internal/demo"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

const setShopName = "示例旗舰店"

func setShop(t *testing.T, e *testEnv) *store.Shop {
	t.Helper()
	sh, err := e.st.ShopByName(t.Context(), setShopName)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

var setAllDays = [2]kpi.Day{kpi.DayOf(2000, 1, 1), kpi.DayOf(2100, 1, 1)}

// setBuyerMessages is the report's buyer_messages over all days.
func setBuyerMessages(t *testing.T, e *testEnv, shop string) float64 {
	t.Helper()
	r, err := e.st.Report(t.Context(), shop, setAllDays[0], setAllDays[1])
	if err != nil {
		t.Fatal(err)
	}
	v, ok := r.Metrics.Get("buyer_messages")
	if !ok {
		t.Fatal("buyer_messages is null")
	}
	return v
}

// setRawWindow counts buyer messages whose Shanghai time of day falls in
// [start, end) hours, straight from the raw rows.
func setRawWindow(t *testing.T, e *testEnv, shopID int64, start, end int) float64 {
	t.Helper()
	var n int
	err := e.st.DB().QueryRow(`SELECT count(*) FROM messages WHERE shop_id = ? AND role = ?
		AND (sent_at + 8*3600000) % 86400000 >= ? AND (sent_at + 8*3600000) % 86400000 < ?`,
		shopID, int(kpi.RoleBuyer), start*3600000, end*3600000).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return float64(n)
}

func TestSettingsPageSections(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	resp, body := c.get("/settings")
	if resp.StatusCode != 200 {
		t.Fatalf("settings %d", resp.StatusCode)
	}
	for _, id := range []string{"settings-shops", "settings-agents", "settings-users", "settings-backup", "invite-form", "backup-link", "user-owner", "user-agent"} {
		if !strings.Contains(body, `data-testid="`+id+`"`) {
			t.Errorf("settings page lacks %s", id)
		}
	}
	for _, a := range demo.Roster(4) {
		if !strings.Contains(body, a.Name) {
			t.Errorf("agent %s not listed", a.Name)
		}
	}
	if !strings.Contains(body, `value="08:00"`) || !strings.Contains(body, `value="23:00"`) || !strings.Contains(body, `value="Asia/Shanghai"`) {
		t.Error("shop window/time zone not shown")
	}
	if !strings.Contains(body, `<option value="pdd" selected>拼多多</option>`) {
		t.Error("platform not selected")
	}
	if strings.Count(body, `name="_csrf"`) < 5 {
		t.Error("forms without CSRF token")
	}
}

func TestSettingsShopWindowRecomputes(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	sh := setShop(t, e)
	before := setBuyerMessages(t, e, setShopName)
	if want := setRawWindow(t, e, sh.ID, 8, 23); before != want || before == 0 {
		t.Fatalf("buyer_messages %v, raw 08–23 count %v", before, want)
	}
	path := "/settings/shops/" + itoa(sh.ID)
	form := url.Values{"name": {setShopName}, "platform": {"pdd"}, "tz": {"Asia/Shanghai"}, "window_start": {"10:00"}, "window_end": {"12:00"}}
	resp, _ := c.post(path, form)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/settings") {
		t.Fatalf("save → %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := c.get(resp.Header.Get("Location"))
	if !strings.Contains(body, "已保存并重新计算") || !strings.Contains(body, `value="10:00"`) || !strings.Contains(body, `value="12:00"`) {
		t.Fatal("no recompute message or window not shown")
	}
	after := setBuyerMessages(t, e, setShopName)
	if want := setRawWindow(t, e, sh.ID, 10, 12); after != want || after >= before {
		t.Errorf("after 10–12 window: buyer_messages %v, raw count %v (before %v)", after, want, before)
	}
	sh2 := setShop(t, e)
	if sh2.DataVersion <= sh.DataVersion {
		t.Error("data version not bumped")
	}

	// Platform only: saved, no recompute.
	form.Set("platform", "taobao")
	c.post(path, form)
	if _, body := c.get("/settings"); !strings.Contains(body, "已保存。") || strings.Contains(body, "重新计算：") {
		t.Error("platform change message")
	}
	if setShop(t, e).Platform != "taobao" {
		t.Error("platform not saved")
	}

	// Bad input changes nothing.
	for _, bad := range []url.Values{
		{"name": {setShopName}, "platform": {"pdd"}, "tz": {"Asia/Shanghai"}, "window_start": {"25:00"}, "window_end": {"12:00"}},
		{"name": {setShopName}, "platform": {"pdd"}, "tz": {"Asia/Shanghai"}, "window_start": {"12:00"}, "window_end": {"10:00"}},
		{"name": {setShopName}, "platform": {"pdd"}, "tz": {"Nowhere/City"}, "window_start": {"08:00"}, "window_end": {"23:00"}},
		{"name": {setShopName}, "platform": {"ebay"}, "tz": {"Asia/Shanghai"}, "window_start": {"08:00"}, "window_end": {"23:00"}},
		{"name": {" "}, "platform": {"pdd"}, "tz": {"Asia/Shanghai"}, "window_start": {"08:00"}, "window_end": {"23:00"}},
	} {
		resp, _ := c.post(path, bad)
		_, body := c.get(resp.Header.Get("Location"))
		if !strings.Contains(body, `class="flash err"`) {
			t.Errorf("%v: no error shown", bad)
		}
	}
	if got := setBuyerMessages(t, e, setShopName); got != after {
		t.Errorf("bad input changed the numbers: %v → %v", after, got)
	}
	if resp, _ := c.post("/settings/shops/99999", form); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown shop %d", resp.StatusCode)
	}
}

func TestSettingsAgentShift(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	sh := setShop(t, e)
	a, err := e.st.AgentByName(t.Context(), sh.ID, demo.Roster(4)[0].Name)
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := c.post("/settings/agents/"+itoa(a.ID), url.Values{"shift": {"晚班"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("shift → %d", resp.StatusCode)
	}
	if got, _ := e.st.AgentByID(t.Context(), a.ID); got.Shift != "晚班" {
		t.Errorf("shift %q", got.Shift)
	}
	_, body := c.get(resp.Header.Get("Location"))
	if !strings.Contains(body, "已保存客服") {
		t.Error("no message")
	}
	// The agent login is shown linked to its agent.
	if !strings.Contains(body, `data-testid="agent-`+itoa(a.ID)+`"`) {
		t.Error("agent row missing")
	}
	c.post("/settings/agents/"+itoa(a.ID), url.Values{"shift": {"夜猫班"}})
	if got, _ := e.st.AgentByID(t.Context(), a.ID); got.Shift != "晚班" {
		t.Errorf("unknown shift saved: %q", got.Shift)
	}
	if resp, _ := c.post("/settings/agents/99999", url.Values{"shift": {""}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown agent %d", resp.StatusCode)
	}
}

// TestSettingsAgentMerge: the owner merges one name into another; the league
// lists one agent with both names' numbers; the merged name's sign-in sees the
// merged agent's page; undo restores both.
func TestSettingsAgentMerge(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	sh := setShop(t, e)
	me, _ := e.st.UserByName(t.Context(), "agent")
	agents, _ := e.st.Agents(t.Context(), sh.ID)
	var into store.Agent
	for _, a := range agents {
		if a.ID != me.AgentID {
			into = a
			break
		}
	}
	from, _ := e.st.AgentByID(t.Context(), me.AgentID)
	resp, _ := c.post("/settings/agents/"+itoa(from.ID)+"/merge", url.Values{"into": {itoa(into.ID)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("merge → %d", resp.StatusCode)
	}
	if _, body := c.get(resp.Header.Get("Location")); !strings.Contains(body, "已把「"+from.Name+"」合并到「"+into.Name+"」") || !strings.Contains(body, `data-testid="merged-into"`) {
		t.Error("no merge message or merged row")
	}
	_, body := c.get("/league?p=30d")
	if names := leagueNames(body); len(names) != len(agents)-1 || strings.Contains(strings.Join(names, ","), from.Name) {
		t.Errorf("league after merge: %v", names)
	}
	// The merged name's sign-in sees the agent it is merged into.
	ag := e.agent()
	if resp, body := ag.get("/agents/" + itoa(into.ID)); resp.StatusCode != http.StatusOK || !strings.Contains(body, into.Name) {
		t.Errorf("merged agent's own page → %d", resp.StatusCode)
	}
	if resp, _ := c.post("/settings/agents/"+itoa(into.ID)+"/merge", url.Values{"into": {itoa(into.ID)}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("merge into itself → %d", resp.StatusCode)
	}
	if resp, _ := c.post("/settings/agents/"+itoa(from.ID)+"/unmerge", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unmerge → %d", resp.StatusCode)
	}
	_, body = c.get("/league?p=30d")
	if names := leagueNames(body); len(names) != len(agents) {
		t.Errorf("league after undo: %v", names)
	}
	if resp, _ := ag.get("/agents/" + itoa(into.ID)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("after undo, another agent's page → %d", resp.StatusCode)
	}
}

var setPasswordRe = regexp.MustCompile(`data-testid="password">([A-Za-z0-9]{12})<`)

// setSignIn tries a username and password in a fresh browser.
func setSignIn(e *testEnv, user, pw string) (*client, int) {
	c := e.anon()
	c.get("/login")
	resp, _ := c.post("/login", url.Values{"username": {user}, "password": {pw}})
	return c, resp.StatusCode
}

func TestSettingsUsers(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	ctx := t.Context()
	sh := setShop(t, e)
	ag, err := e.st.AgentByName(ctx, sh.ID, demo.Roster(4)[1].Name)
	if err != nil {
		t.Fatal(err)
	}

	resp, _ := c.post("/settings/users", url.Values{"username": {"xiaowang"}, "role": {"agent"}, "agent_id": {itoa(ag.ID)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite → %d", resp.StatusCode)
	}
	_, body := c.get(resp.Header.Get("Location"))
	m := setPasswordRe.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "已创建账号「xiaowang」") {
		t.Fatal("password not shown after invite")
	}
	pw := m[1]
	if _, again := c.get("/settings"); setPasswordRe.MatchString(again) {
		t.Error("password shown twice")
	}
	u, err := e.st.UserByName(ctx, "xiaowang")
	if err != nil || u.Role != store.RoleAgent || u.AgentID != ag.ID || u.PasswordHash == pw {
		t.Fatalf("user %+v %v", u, err)
	}
	// The new user signs in with the shown password and sees their agent.
	xw, code := setSignIn(e, "xiaowang", pw)
	if code != http.StatusSeeOther {
		t.Fatalf("sign-in with the shown password → %d", code)
	}
	if resp, _ := xw.get("/me"); resp.Header.Get("Location") != "/agents/"+itoa(ag.ID) {
		t.Errorf("/me → %s", resp.Header.Get("Location"))
	}
	// The agents table shows the linked login.
	if _, body := c.get("/settings"); !strings.Contains(body, "xiaowang") {
		t.Error("login not shown")
	}

	// Duplicate and malformed names are refused.
	for _, bad := range []url.Values{
		{"username": {"XiaoWang"}, "role": {"agent"}},
		{"username": {"a b"}, "role": {"agent"}},
		{"username": {"zhang"}, "role": {"admin"}},
		{"username": {"zhang"}, "role": {"agent"}, "agent_id": {"99999"}},
	} {
		resp, _ := c.post("/settings/users", bad)
		if _, body := c.get(resp.Header.Get("Location")); !strings.Contains(body, `class="flash err"`) {
			t.Errorf("%v accepted", bad)
		}
	}
	if _, err := e.st.UserByName(ctx, "zhang"); err == nil {
		t.Error("bad invite created a user")
	}

	// Deactivate: the session ends and sign-in is refused.
	resp, _ = c.post("/settings/users/"+itoa(u.ID)+"/active", url.Values{"active": {"0"}})
	if _, body := c.get(resp.Header.Get("Location")); !strings.Contains(body, "已停用账号「xiaowang」") {
		t.Error("no deactivation message")
	}
	if resp, _ := xw.get("/me"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("deactivated session → %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, code := setSignIn(e, "xiaowang", pw); code != http.StatusUnauthorized {
		t.Errorf("deactivated sign-in → %d", code)
	}
	// Reactivate, reset the password: the old one stops working.
	c.post("/settings/users/"+itoa(u.ID)+"/active", url.Values{"active": {"1"}})
	resp, _ = c.post("/settings/users/"+itoa(u.ID)+"/reset", nil)
	_, body = c.get(resp.Header.Get("Location"))
	m = setPasswordRe.FindStringSubmatch(body)
	if m == nil || m[1] == pw {
		t.Fatal("no new password after reset")
	}
	if _, code := setSignIn(e, "xiaowang", pw); code != http.StatusUnauthorized {
		t.Errorf("old password → %d", code)
	}
	if _, code := setSignIn(e, "xiaowang", m[1]); code != http.StatusSeeOther {
		t.Errorf("new password → %d", code)
	}

	// Link to another agent, then unlink.
	other, _ := e.st.AgentByName(ctx, sh.ID, demo.Roster(4)[2].Name)
	c.post("/settings/users/"+itoa(u.ID)+"/agent", url.Values{"agent_id": {itoa(other.ID)}})
	if u, _ := e.st.UserByID(ctx, u.ID); u.AgentID != other.ID {
		t.Errorf("link: agent %d", u.AgentID)
	}
	c.post("/settings/users/"+itoa(u.ID)+"/agent", url.Values{"agent_id": {"0"}})
	if u, _ := e.st.UserByID(ctx, u.ID); u.AgentID != 0 {
		t.Errorf("unlink: agent %d", u.AgentID)
	}

	// An owner cannot deactivate themself; the last owner cannot be deactivated.
	owner, _ := e.st.UserByName(ctx, "owner")
	resp, _ = c.post("/settings/users/"+itoa(owner.ID)+"/active", url.Values{"active": {"0"}})
	if _, body := c.get(resp.Header.Get("Location")); !strings.Contains(body, "不能停用自己") {
		t.Error("self-deactivation not refused")
	}
	if u, _ := e.st.UserByID(ctx, owner.ID); !u.Active {
		t.Fatal("owner deactivated")
	}
	// A second owner invited, then deactivated by the first: fine.
	resp, _ = c.post("/settings/users", url.Values{"username": {"boss2"}, "role": {"owner"}, "agent_id": {itoa(ag.ID)}})
	_, body = c.get(resp.Header.Get("Location"))
	boss2, err := e.st.UserByName(ctx, "boss2")
	if err != nil || boss2.Role != store.RoleOwner || boss2.AgentID != 0 {
		t.Fatalf("owner invite %+v %v", boss2, err)
	}
	b2pw := setPasswordRe.FindStringSubmatch(body)[1]
	b2, code := setSignIn(e, "boss2", b2pw)
	if code != http.StatusSeeOther {
		t.Fatalf("boss2 sign-in %d", code)
	}
	b2.get("/settings")
	// boss2 deactivates owner; then owner's session is gone and boss2 is the last owner.
	b2.post("/settings/users/"+itoa(owner.ID)+"/active", url.Values{"active": {"0"}})
	if u, _ := e.st.UserByID(ctx, owner.ID); u.Active {
		t.Error("boss2 could not deactivate owner")
	}
	if err := e.st.SetUserActive(context.Background(), boss2.ID, false); err == nil || !strings.Contains(err.Error(), "最后一个店主") {
		t.Errorf("last owner: %v", err)
	}
	if resp, _ := b2.post("/settings/users/99999/reset", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown user %d", resp.StatusCode)
	}
}

var setBackupNameRe = regexp.MustCompile(`attachment; filename="kefuboard-backup-\d{8}-\d{4}\.db"`)

func TestSettingsBackup(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	resp, body := c.get("/settings/backup")
	if resp.StatusCode != 200 || !setBackupNameRe.MatchString(resp.Header.Get("Content-Disposition")) {
		t.Fatalf("backup %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	if !strings.HasPrefix(body, "SQLite format 3\x00") {
		t.Fatal("not an SQLite file")
	}
	path := filepath.Join(t.TempDir(), "restored.db")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.CountUsers(t.Context())
	if err != nil || n != 2 {
		t.Errorf("users in backup %d %v", n, err)
	}
	if r, err := st.Report(t.Context(), setShopName, setAllDays[0], setAllDays[1]); err != nil || len(r.Agents) == 0 {
		t.Errorf("backup report %v", err)
	}
	// The temporary copy is gone.
	entries, _ := os.ReadDir(e.srv.cfg.DataDir)
	for _, en := range entries {
		if strings.HasPrefix(en.Name(), "backup-") {
			t.Errorf("backup left behind: %s", en.Name())
		}
	}
}

func TestSettingsCSRFAndRoles(t *testing.T) {
	e := newTestEnv(t)
	owner := e.owner()
	sh := setShop(t, e)
	ownerUser, _ := e.st.UserByName(t.Context(), "owner")
	agents, _ := e.st.Agents(t.Context(), sh.ID)
	posts := map[string]url.Values{
		"/settings/shops/" + itoa(sh.ID):                      {"name": {"x"}, "platform": {"jd"}, "tz": {"UTC"}, "window_start": {"00:00"}, "window_end": {"24:00"}},
		"/settings/agents/" + itoa(agents[0].ID):              {"shift": {"早班"}},
		"/settings/agents/" + itoa(agents[0].ID) + "/merge":   {"into": {itoa(agents[1].ID)}},
		"/settings/agents/" + itoa(agents[1].ID) + "/unmerge": {},
		"/settings/users": {"username": {"eve"}, "role": {"owner"}},
		"/settings/users/" + itoa(ownerUser.ID) + "/reset":  {},
		"/settings/users/" + itoa(ownerUser.ID) + "/active": {"active": {"0"}},
		"/settings/users/" + itoa(ownerUser.ID) + "/agent":  {"agent_id": {"0"}},
	}
	gets := []string{"/settings", "/settings/backup"}
	before := impFingerprint(t, e)
	users := func() string {
		var s string
		e.st.DB().QueryRow(`SELECT group_concat(username || password_hash || active || COALESCE(agent_id, 0)) FROM users`).Scan(&s)
		return s
	}
	u0 := users()
	for p, form := range posts {
		f := url.Values{"_csrf": {""}}
		for k, v := range form {
			f[k] = v
		}
		if resp, body := owner.post(p, f); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
			t.Errorf("owner POST %s without token → %d", p, resp.StatusCode)
		}
	}
	ag := e.agent()
	for p, form := range posts {
		if resp, _ := ag.post(p, setCloneForm(form)); resp.StatusCode != http.StatusForbidden {
			t.Errorf("agent POST %s → %d", p, resp.StatusCode)
		}
	}
	for _, p := range gets {
		if resp, _ := ag.get(p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("agent GET %s → %d", p, resp.StatusCode)
		}
	}
	anon := e.anon()
	anon.get("/login")
	for p, form := range posts {
		if resp, _ := anon.post(p, setCloneForm(form)); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous POST %s → %d", p, resp.StatusCode)
		}
	}
	for _, p := range gets {
		if resp, _ := anon.get(p); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("anonymous GET %s → %d", p, resp.StatusCode)
		}
	}
	if impFingerprint(t, e) != before || users() != u0 {
		t.Error("refused requests changed something")
	}
	if got := setShop(t, e); got.Name != setShopName || got.Platform != sh.Platform {
		t.Error("shop changed")
	}
}

func setCloneForm(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	return out
}
