package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
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
