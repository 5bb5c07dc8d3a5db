package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kefuboard/kefuboard/internal/store"
)

func TestLoginFlow(t *testing.T) {
	e := newTestEnv(t)
	c := e.anon()
	resp, _ := c.get("/")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous / → %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	c.get("/login")
	resp, body := c.post("/login", url.Values{"username": {"owner"}, "password": {"wrong-password"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") {
		t.Fatalf("wrong password → %d", resp.StatusCode)
	}
	before := c.cookies["kefuboard_session"]
	resp, _ = c.post("/login", url.Values{"username": {"OWNER"}, "password": {testPassword}, "next": {"//evil.example/"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("login → %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if c.cookies["kefuboard_session"] == before {
		t.Error("session token not renewed on sign-in")
	}
	c.get("/") // the page after the redirect carries the new CSRF token
	resp, _ = c.get("/healthz")
	if resp.StatusCode != 200 {
		t.Errorf("healthz %d", resp.StatusCode)
	}
	resp, _ = c.post("/logout", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout %d", resp.StatusCode)
	}
	if resp, _ = c.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout / → %d", resp.StatusCode)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	e := newTestEnv(t)
	c := e.anon()
	resp, _ := c.get("/login")
	// Not signed in: only the anonymous CSRF cookie, no session.
	ck := resp.Header.Get("Set-Cookie")
	if !strings.HasPrefix(ck, anonCSRFCookie+"=") || !strings.Contains(ck, "HttpOnly") || !strings.Contains(strings.ToLower(ck), "samesite=strict") {
		t.Errorf("cookie %q", ck)
	}
	resp, _ = c.post("/login", url.Values{"username": {"owner"}, "password": {testPassword}})
	ck = resp.Header.Get("Set-Cookie")
	if !strings.HasPrefix(ck, "kefuboard_session=") || !strings.Contains(ck, "HttpOnly") || !strings.Contains(strings.ToLower(ck), "samesite=lax") {
		t.Errorf("session cookie %q", ck)
	}
	if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Error("security headers missing")
	}
}

func TestCSRFRejected(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	for _, tok := range []string{"", "forged"} {
		resp, body := c.post("/logout", url.Values{"_csrf": {tok}})
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
			t.Errorf("token %q: %d", tok, resp.StatusCode)
		}
	}
	// A login form posted without the session's token is refused too.
	a := e.anon()
	resp, _ := a.post("/login", url.Values{"username": {"owner"}, "password": {testPassword}, "_csrf": {"x"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("login without token: %d", resp.StatusCode)
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newTestEnv(t)
	c := e.anon()
	c.get("/login")
	var last int
	for i := 0; i < 12; i++ {
		resp, _ := c.post("/login", url.Values{"username": {"owner"}, "password": {"nope-nope"}})
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("12th attempt: %d", last)
	}
}

func TestDeactivatedUserSignedOut(t *testing.T) {
	e := newTestEnv(t)
	c := e.agent()
	u, err := e.st.UserByName(t.Context(), "agent")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetUserActive(t.Context(), u.ID, false); err != nil {
		t.Fatal(err)
	}
	if resp, _ := c.get("/me"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("deactivated user → %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if err := e.st.SetUserActive(t.Context(), u.ID, true); err != nil {
		t.Fatal(err)
	}
	owner, _ := e.st.UserByName(t.Context(), "owner")
	if err := e.st.SetUserActive(t.Context(), owner.ID, false); err == nil {
		t.Error("last owner deactivated")
	}
}

func TestFirstRunSetup(t *testing.T) {
	e := newTestEnv(t)
	if _, err := e.st.DB().Exec(`DELETE FROM users`); err != nil {
		t.Fatal(err)
	}
	c := e.anon()
	if resp, _ := c.get("/login"); resp.Header.Get("Location") != "/setup" {
		t.Fatalf("empty db /login → %q", resp.Header.Get("Location"))
	}
	c.get("/setup")
	resp, body := c.post("/setup", url.Values{"username": {"boss"}, "password": {"short"}, "password2": {"short"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "至少 8 位") {
		t.Fatalf("weak password → %d", resp.StatusCode)
	}
	resp, _ = c.post("/setup", url.Values{"username": {"boss"}, "password": {"long-enough-pw"}, "password2": {"long-enough-pw"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup → %d", resp.StatusCode)
	}
	u, err := e.st.UserByName(t.Context(), "boss")
	if err != nil || u.Role != store.RoleOwner {
		t.Fatalf("owner %+v %v", u, err)
	}
	// Once an owner exists, setup is closed.
	d := e.anon()
	d.get("/login")
	if resp, _ := d.post("/setup", url.Values{"username": {"evil"}, "password": {"long-enough-pw"}, "password2": {"long-enough-pw"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("second setup → %d", resp.StatusCode)
	}
}

func TestAPIReport(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	resp, body := c.get("/api/v1/report?shop=" + url.QueryEscape("示例旗舰店") + "&from=2020-01-01&to=2030-01-01")
	if resp.StatusCode != 200 || !strings.Contains(body, `"shop": "示例旗舰店"`) || !strings.Contains(body, `"buyer_messages":`) {
		t.Fatalf("report %d %.200s", resp.StatusCode, body)
	}
	if resp, _ := c.get("/api/v1/report?shop=nope&from=2020-01-01&to=2020-01-02"); resp.StatusCode != 404 {
		t.Errorf("unknown shop %d", resp.StatusCode)
	}
	if resp, _ := c.get("/api/v1/report?shop=x&from=bad&to=2020-01-02"); resp.StatusCode != 400 {
		t.Errorf("bad date %d", resp.StatusCode)
	}
	if resp, _ := e.agent().get("/api/v1/report?shop=x&from=2020-01-01&to=2020-01-02"); resp.StatusCode != 403 {
		t.Errorf("agent → %d", resp.StatusCode)
	}
	if resp, _ := e.anon().get("/api/v1/report?shop=x&from=2020-01-01&to=2020-01-02"); resp.StatusCode != 401 {
		t.Errorf("anonymous → %d", resp.StatusCode)
	}
}
