package web

import (
	"bufio"
	"bytes"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/store"
)

// Regression tests of the security and load probe (issue 8), one per finding.

// Finding 1: a redirect target from a request never leaves the site and never
// writes a header of its own.
func TestRedirectTargetsStayLocal(t *testing.T) {
	evil := []string{
		"/%0d%0aSet-Cookie:%20injected=1",
		"/%0d%0a%0d%0a<html>split</html>",
		"/%09/evil.example/x",
		"//evil.example/x",
		"/\\evil.example",
		"/%5Cevil.example",
		"https://evil.example/",
		"javascript:alert(1)",
		"/\x7f/x",
		"%2F%2Fevil.example",
		"/%E2%80%A8//evil.example",
	}
	e := newTestEnv(t)
	owner := e.owner()
	check := func(where string, resp *http.Response) {
		t.Helper()
		loc := resp.Header.Get("Location")
		if resp.Header.Get("Set-Cookie") != "" && strings.Contains(resp.Header.Get("Set-Cookie"), "injected") {
			t.Errorf("%s: injected Set-Cookie", where)
		}
		u, err := url.Parse(loc)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") ||
			strings.ContainsAny(loc, "\r\n\t\\") {
			t.Errorf("%s: Location %q leaves the site", where, loc)
		}
	}
	for i, n := range evil {
		// Signed in: GET /login?next= redirects at once.
		resp, _ := owner.get("/login?next=" + url.QueryEscape(mustUnescape(n)))
		check("GET /login?next="+n, resp)
		// A victim signing in through a crafted link (within the sign-in limit).
		if i < 8 {
			c := e.anon()
			c.get("/login")
			resp, _ = c.post("/login", url.Values{"username": {"owner"}, "password": {testPassword}, "next": {mustUnescape(n)}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign-in → %d", resp.StatusCode)
			}
			check("POST /login next="+n, resp)
		}
		// The league weights form's back.
		resp, _ = owner.post("/league/weights", url.Values{"shop": {"1"}, "reset": {"1"}, "back": {"/league?x=1" + mustUnescape(n)}})
		check("POST /league/weights back="+n, resp)
		resp, _ = owner.post("/league/weights", url.Values{"shop": {"1"}, "reset": {"1"}, "back": {mustUnescape(n)}})
		check("POST /league/weights back="+n, resp)
	}
	// A local target survives, re-encoded.
	if resp, _ := owner.get("/login?next=" + url.QueryEscape("/league?p=7d&shop=1")); resp.Header.Get("Location") != "/league?p=7d&shop=1" {
		t.Errorf("local next → %q", resp.Header.Get("Location"))
	}
}

func mustUnescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

func TestLocalTarget(t *testing.T) {
	for _, c := range []struct {
		in, out string
		ok      bool
	}{
		{"/", "/", true},
		{"/league?p=7d", "/league?p=7d", true},
		{"/agents/3?from=2024-03-01&to=2024-03-31", "/agents/3?from=2024-03-01&to=2024-03-31", true},
		{"/a b", "/a%20b", true},
		{"/\r\nSet-Cookie: x", "", false},
		{"/\t/evil.example", "", false},
		{"//evil", "", false},
		{"/\\evil", "", false},
		{"http://x/", "", false},
		{"x", "", false},
		{"", "", false},
	} {
		got, ok := localTarget(c.in)
		if ok != c.ok || got != c.out {
			t.Errorf("localTarget(%q) = %q %v, want %q %v", c.in, got, ok, c.out, c.ok)
		}
	}
}

// Finding 2: a multipart body is refused from its headers, before a byte of
// it is read, unless a signed-in owner sends it; and its length must be
// declared and within the limit. Over a real connection: the server answers
// while the client has sent 64 KiB of a declared 2 GiB.
func TestMultipartRefusedBeforeReading(t *testing.T) {
	e := newTestEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = e.srv.App().Shutdown() })
	anon := e.anon()
	anon.get("/login") // a session cookie and a CSRF token, as an attacker would have
	agent := e.agent()
	for who, c := range map[string]*client{"anonymous": anon, "agent": agent} {
		var cookie string
		for k, v := range c.cookies {
			cookie += k + "=" + v + "; "
		}
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST /import/preview HTTP/1.1\r\nHost: x\r\nCookie: %s\r\nX-CSRF-Token: %s\r\nContent-Type: multipart/form-data; boundary=zz\r\nContent-Length: %d\r\n\r\n", cookie, c.csrf, int64(2)<<30)
		conn.Write(bytes.Repeat([]byte("a"), 64<<10))
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: no answer before the body was sent: %v", who, err)
		}
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s upload → %d, want 403", who, resp.StatusCode)
		}
		conn.Close()
	}
	// An owner's upload over the limit: 413 from the Content-Length alone.
	owner := e.owner()
	req := httptest.NewRequest(http.MethodPost, "/import/preview", strings.NewReader("--zz--\r\n"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=zz")
	req.Header.Set("X-CSRF-Token", owner.csrf)
	req.ContentLength = e.srv.cfg.MaxUploadBytes + 1
	if resp, _ := owner.do(req); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("owner over the limit → %d", resp.StatusCode)
	}
	// A benchmark CSV has its own, smaller limit (it is a few KB).
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "bench.csv")
	fw.Write(bytes.Repeat([]byte("kpi,avg,top10,read_on\n"), maxBenchmarkCSVBytes/20))
	mw.Close()
	req = httptest.NewRequest(http.MethodPost, benchmarkCSVPath, &mp)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", owner.csrf)
	if resp, body := owner.do(req); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "超过上限 1.0 MB") {
		t.Errorf("owner benchmark CSV over 1 MiB → %d", resp.StatusCode)
	}
	// A form's body is capped too.
	big := url.Values{"username": {strings.Repeat("x", 2<<20)}}
	if resp, _ := anon.post("/login", big); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB form → %d", resp.StatusCode)
	}
}

// The CSRF token counts from the header or the body, never from the URL.
func TestCSRFNotFromQuery(t *testing.T) {
	e := newTestEnv(t)
	owner := e.owner()
	req := httptest.NewRequest(http.MethodPost, "/league/weights?_csrf="+url.QueryEscape(owner.csrf), strings.NewReader("shop=1&reset=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, _ := owner.do(req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("token in the query → %d, want 403", resp.StatusCode)
	}
	if resp, _ := owner.post("/league/weights", url.Values{"shop": {"1"}, "reset": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("token in the body → %d", resp.StatusCode)
	}
}

// Finding 6: a request of someone not signed in writes nothing: no session
// row (the sign-in form's CSRF token is a cookie), no database change.
func TestAnonymousRequestsWriteNothing(t *testing.T) {
	e := newTestEnv(t)
	before := impFingerprint(t, e)
	sessions := func() int {
		n, err := e.st.Sessions().Count(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	n0 := sessions()
	for i := 0; i < 50; i++ {
		for _, p := range []string{"/", "/login", "/nope-404", "/league", "/api/v1/report", "/setup", "/static/css/app.css", "/customers", "/care", "/customers.csv"} {
			e.anon().get(p)
		}
	}
	// A failed sign-in writes nothing either.
	c := e.anon()
	c.get("/login")
	c.post("/login", url.Values{"username": {"owner"}, "password": {"wrong-password"}})
	if n := sessions(); n != n0 {
		t.Errorf("anonymous requests made %d session rows", n-n0)
	}
	if after := impFingerprint(t, e); after != before {
		t.Errorf("anonymous requests changed the database:\n%s\n%s", before, after)
	}
	// Signing in makes the one session.
	e.owner()
	if n := sessions(); n != n0+1 {
		t.Errorf("sign-in: %d sessions, want %d", n, n0+1)
	}
}

// Finding 7: the backup holds no session token; finding 8: downloads and
// signed-in pages keep "private, no-store" (the session cookie no longer
// overwrites it).
func TestBackupWithoutSessionsAndNoStore(t *testing.T) {
	e := newTestEnv(t)
	owner := e.owner()
	token := owner.cookies["kefuboard_session"]
	if token == "" {
		t.Fatal("no session cookie")
	}
	resp, body := owner.get("/settings/backup")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("backup → %d", resp.StatusCode)
	}
	if strings.Contains(body, token) {
		t.Error("the backup contains the live session token")
	}
	p := filepath.Join(t.TempDir(), "backup.db")
	os.WriteFile(p, []byte(body), 0o600)
	db, err := sql.Open("sqlite", "file:"+p+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'sessions'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("backup has a sessions table (%d, %v)", n, err)
	}
	for path, want := range map[string]string{
		"/settings/backup": "private, no-store",
		"/league.csv":      "private, no-store",
		"/league":          "private, no-store",
		"/":                "private, no-store",
	} {
		resp, _ := owner.get(path)
		if cc := resp.Header.Get("Cache-Control"); cc != want {
			t.Errorf("%s: Cache-Control %q, want %q", path, cc, want)
		}
	}
}

// Finding 9: a password reset ends the user's sessions; every user changes
// their own password, which ends their other sessions and keeps this one.
func TestPasswordResetAndChangeEndSessions(t *testing.T) {
	e := newTestEnv(t)
	owner := e.owner()
	agentA := e.agent()
	agentB := e.agent()
	if resp, body := e.agent().get("/account"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="password-form"`) {
		t.Errorf("an agent's account page → %d", resp.StatusCode)
	}

	u, _ := e.st.UserByName(t.Context(), "agent")
	if resp, _ := owner.post("/settings/users/"+itoa(u.ID)+"/reset", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset → %d", resp.StatusCode)
	}
	for _, c := range []*client{agentA, agentB} {
		if resp, _ := c.get("/me"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
			t.Errorf("after the reset the agent's session still works: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	// Self-service: the owner changes the password in one browser.
	other := e.owner()
	if resp, body := owner.get("/account"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="password-form"`) {
		t.Fatalf("account page → %d", resp.StatusCode)
	}
	for _, bad := range []url.Values{
		{"current": {"wrong-password"}, "new": {"a-new-pass-2026"}, "new2": {"a-new-pass-2026"}},
		{"current": {testPassword}, "new": {"12345678"}, "new2": {"12345678"}},
		{"current": {testPassword}, "new": {"a-new-pass-2026"}, "new2": {"a-new-pass-2027"}},
	} {
		if resp, _ := owner.post("/account/password", bad); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%v → %d", bad, resp.StatusCode)
		}
	}
	resp, _ := owner.post("/account/password", url.Values{"current": {testPassword}, "new": {"a-new-pass-2026"}, "new2": {"a-new-pass-2026"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change → %d", resp.StatusCode)
	}
	if resp, _ := owner.get("/settings"); resp.StatusCode != http.StatusOK {
		t.Errorf("this session after the change → %d", resp.StatusCode)
	}
	if resp, _ := other.get("/settings"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session after the change → %d", resp.StatusCode)
	}
	c := e.anon()
	c.get("/login")
	if resp, _ := c.post("/login", url.Values{"username": {"owner"}, "password": {"a-new-pass-2026"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in with the new password → %d", resp.StatusCode)
	}
	if resp, _ := e.anon().post("/account/password", url.Values{"current": {"x"}}); resp.StatusCode == http.StatusSeeOther {
		t.Error("anonymous password change accepted")
	}
}

// emptyEnv is the server over a new, empty database (first run).
func emptyEnv(t *testing.T) *testEnv {
	t.Helper()
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := New(Config{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), DataDir: t.TempDir(), MaxUploadBytes: 8 << 20})
	return &testEnv{t: t, st: st, srv: srv}
}

// Findings 10 and 11: first-run forms sent at once make one owner; the
// first owner follows the one user-name and password rule.
func TestSetupRaceAndRules(t *testing.T) {
	e := emptyEnv(t)
	setup := func(user, pw string) int {
		c := e.anon()
		c.get("/setup")
		resp, _ := c.post("/setup", url.Values{"username": {user}, "password": {pw}, "password2": {pw}})
		return resp.StatusCode
	}
	for _, bad := range [][2]string{{"boss", "12345678"}, {"boss", "password"}, {"<b>", "a-good-pass-1"}, {"b", "a-good-pass-1"}} {
		if code := setup(bad[0], bad[1]); code != http.StatusUnprocessableEntity {
			t.Errorf("setup %q/%q → %d", bad[0], bad[1], code)
		}
	}
	clients := make([]*client, 6)
	for i := range clients {
		clients[i] = e.anon()
		clients[i].get("/setup")
	}
	var wg sync.WaitGroup
	codes := make([]int, len(clients))
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodPost, "/setup", strings.NewReader(url.Values{"_csrf": {c.csrf}, "username": {"owner" + itoa(int64(i))},
				"password": {"a-good-pass-1"}, "password2": {"a-good-pass-1"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range c.cookies {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			resp, err := e.srv.App().Test(req, -1)
			if err == nil {
				codes[i] = resp.StatusCode
			}
		}()
	}
	wg.Wait()
	if n, _ := e.st.CountUsers(t.Context()); n != 1 {
		t.Errorf("%d owners after six simultaneous setups (codes %v)", n, codes)
	}
}

// Finding 12: behind a trusted proxy, sign-in limits follow the real client
// (X-Forwarded-For) and the account; one client's bad guesses lock neither
// everyone else nor another account.
func TestSigninLimitsPerClientAndAccount(t *testing.T) {
	e := newTestEnv(t)
	proxy, _ := ParseProxies("0.0.0.0") // app.Test's connections come from 0.0.0.0
	e.srv.signins = newSigninLimits(100, proxy)
	attempt := func(from, user, pw string) int {
		c := e.anon()
		c.get("/login")
		form := url.Values{"_csrf": {c.csrf}, "username": {user}, "password": {pw}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "203.0.113.99, "+from) // the first entry is the client's to forge
		resp, _ := c.do(req)
		return resp.StatusCode
	}
	for i := 0; i < 5; i++ {
		if code := attempt("198.51.100.1", "owner", "wrong-password"); code != http.StatusUnauthorized {
			t.Fatalf("bad guess %d → %d", i, code)
		}
	}
	if code := attempt("198.51.100.1", "owner", testPassword); code != http.StatusTooManyRequests {
		t.Errorf("6th attempt from the guesser → %d, want 429", code)
	}
	if code := attempt("198.51.100.2", "owner", testPassword); code != http.StatusSeeOther {
		t.Errorf("the owner from another client → %d, want a sign-in", code)
	}
	if code := attempt("198.51.100.1", "agent", testPassword); code != http.StatusSeeOther {
		t.Errorf("another account from the guesser's address → %d", code)
	}
	// Without a trusted proxy the header is the client's to forge: ignored.
	l := newSigninLimits(10, nil)
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString(l.clientIP(c)) })
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("X-Forwarded-For", "198.51.100.7")
	resp, _ := app.Test(req)
	if b, _ := io.ReadAll(resp.Body); string(b) != "0.0.0.0" {
		t.Errorf("untrusted X-Forwarded-For believed: %q", b)
	}
}

// Finding 3: a signed-in page needs only reads of the database. While an
// import holds the database's one write connection, pages (whose sessions
// are written to their own file) still answer.
func TestPagesAnswerWhileAnImportHoldsTheDatabase(t *testing.T) {
	e := newTestEnv(t)
	owner := e.owner()
	agent := e.agent()
	tx, err := e.st.BeginImport(t.Context(), "示例旗舰店", store.ShopSettings{}, store.ImportMeta{FileName: "held", Kind: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	done := make(chan string, 1)
	go func() {
		var out []string
		for _, c := range []struct {
			c    *client
			path string
		}{{owner, "/"}, {owner, "/league?p=30d"}, {owner, "/settings"}, {agent, "/me"}, {e.anon(), "/login"}} {
			resp, _ := c.c.get(c.path)
			if resp.StatusCode >= 400 {
				out = append(out, fmt.Sprintf("%s → %d", c.path, resp.StatusCode))
			}
		}
		done <- strings.Join(out, "; ")
	}()
	select {
	case bad := <-done:
		if bad != "" {
			t.Error(bad)
		}
	case <-time.After(30 * time.Second): // a deadlock, not a timing: the pages would wait for the rollback
		t.Fatal("pages did not answer while an import held the database")
	}
}
