package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/kefuboard/kefuboard/internal/auth"
	"github.com/kefuboard/kefuboard/internal/demoshop"
	"github.com/kefuboard/kefuboard/internal/store"
)

// The demo database is built once (a real import of generated exports) and
// copied for every test, so tests can change it freely.
var (
	templateDB string
	demoLogins demoshop.Logins
)

const testPassword = "demo-password-1"

func TestMain(m *testing.M) {
	auth.Cost = bcrypt.MinCost
	dir, err := os.MkdirTemp("", "kefuboard-web-test")
	if err != nil {
		panic(err)
	}
	templateDB = filepath.Join(dir, "template.db")
	ctx := context.Background()
	st, err := store.Open(ctx, templateDB)
	if err != nil {
		panic(err)
	}
	demoLogins, err = demoshop.Setup(ctx, st, demoshop.Config{Dir: filepath.Join(dir, "demo"), Days: 21, Agents: 4, Chats: 12, Password: testPassword})
	if err != nil {
		panic(err)
	}
	if err := st.Close(); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testEnv is a server over a private copy of the demo database.
type testEnv struct {
	t   *testing.T
	st  *store.Store
	srv *Server
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	b, err := os.ReadFile(templateDB)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "k.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := New(Config{Store: st, Log: log, DataDir: t.TempDir(), MaxUploadBytes: 8 << 20})
	return &testEnv{t: t, st: st, srv: srv}
}

// client is a browser-like session: it keeps cookies and the CSRF token.
type client struct {
	e       *testEnv
	cookies map[string]string
	csrf    string
}

func (e *testEnv) anon() *client { return &client{e: e, cookies: map[string]string{}} }

// login signs in and fails the test if it does not work.
func (e *testEnv) login(user string) *client {
	e.t.Helper()
	c := e.anon()
	c.get("/login")
	resp, _ := c.post("/login", url.Values{"username": {user}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d", user, resp.StatusCode)
	}
	c.get("/") // a signed-in page, for a fresh CSRF token
	return c
}

func (e *testEnv) owner() *client { return e.login(demoshop.OwnerUser) }
func (e *testEnv) agent() *client { return e.login(demoshop.AgentUser) }

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.e.t.Helper()
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := c.e.srv.App().Test(req, -1)
	if err != nil {
		c.e.t.Fatal(err)
	}
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(b)
	if m := csrfRe.FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	return resp, body
}

func (c *client) get(path string) (*http.Response, string) {
	c.e.t.Helper()
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends a form with the session's CSRF token (unless the form has one).
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", c.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}
