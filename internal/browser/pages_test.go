package browser

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/chromedp"

	"github.com/kefuboard/kefuboard/internal/demoshop"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// TestBrowserSignIn signs in through the real form as the owner and as an
// agent, and refuses a wrong password.
func TestBrowserSignIn(t *testing.T) {
	e := newEnv(t)

	owner := e.newTab()
	owner.login(demoshop.OwnerUser)
	if who := owner.text(`[data-testid="whoami"]`); !strings.Contains(who, "店主") {
		t.Errorf("owner whoami = %q, want 店主", who)
	}

	agent := e.newTab()
	agent.login(demoshop.AgentUser)
	if who := agent.text(`[data-testid="whoami"]`); !strings.Contains(who, "客服") {
		t.Errorf("agent whoami = %q, want 客服", who)
	}
	// An agent's sidebar has no owner-only entries.
	nav := agent.text(`[data-testid="nav"]`)
	for _, owners := range []string{"数据导入", "设置"} {
		if strings.Contains(nav, owners) {
			t.Errorf("agent nav shows %s: %q", owners, nav)
		}
	}

	bad := e.newTab()
	bad.open("/login")
	bad.do("wrong password",
		chromedp.SendKeys(chromedp.CSS(`#username`), demoshop.OwnerUser),
		chromedp.SendKeys(chromedp.CSS(`#password`), "not-the-password"),
		chromedp.Click(chromedp.CSS(`[data-testid="login-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.err`)),
	)
	if n := bad.count(`[data-testid="whoami"]`); n != 0 {
		t.Errorf("wrong password signed in")
	}
	bad.takeProblems() // the browser logs the 401 of the refused sign-in
}

// TestBrowserAgentForbidden: an agent gets 403 on another agent's page and on
// the owner's pages, and 200 on their own.
func TestBrowserAgentForbidden(t *testing.T) {
	e := newEnv(t)
	me := e.agentUser().AgentID
	var other int64
	for _, a := range e.agents() {
		if a.ID != me {
			other = a.ID
			break
		}
	}
	if me == 0 || other == 0 {
		t.Fatalf("demo agents: me=%d other=%d", me, other)
	}
	b := e.newTab()
	b.login(demoshop.AgentUser)
	b.expectStatus(fmt.Sprintf("/agents/%d", other), 403)
	if n := b.count(`[data-testid="error"]`); n != 1 {
		t.Errorf("403 page has no error message")
	}
	b.expectStatus("/import", 403)
	b.expectStatus("/settings", 403)
	b.expectStatus("/targets", 403)
	b.expectStatus("/alerts", 403)
	b.expectStatus("/douyin", 403)
	b.visit(fmt.Sprintf("/agents/%d", me))
}

// pageCase is one page of the product as a role sees it.
type pageCase struct {
	name, path string
	wantPath   string // where the browser ends up when path redirects ("" = path)
}

// TestBrowserPages opens every page as the owner and as an agent at desktop
// and phone widths: status 200, every chart drawn by ECharts, nothing on the
// console, no sideways scrolling on a phone; a screenshot of each (set
// KEFUBOARD_SCREENSHOTS=dir to keep them).
func TestBrowserPages(t *testing.T) {
	e := newEnv(t)
	agents := e.agents()
	me := e.agentUser().AgentID
	dir := screenshotDir(t)
	shop := e.demoShop()
	cs, err := e.st.Cases(context.Background(), shop, kpi.Clock{Loc: shop.Location()}.DayOf(kpi.Millis(time.Now().UnixMilli())), store.CaseFilter{})
	if err != nil || len(cs) == 0 {
		t.Fatalf("demo cases: %d, %v", len(cs), err)
	}

	top, _, err := e.st.Customers(context.Background(), shop, store.CustomerQuery{Limit: 1})
	if err != nil || len(top) == 0 {
		t.Fatalf("demo customers: %d, %v", len(top), err)
	}

	roles := []struct {
		user  string
		pages []pageCase
	}{
		{demoshop.OwnerUser, []pageCase{
			{name: "overview", path: "/"},
			{name: "league", path: "/league"},
			{name: "agent", path: fmt.Sprintf("/agents/%d", agents[0].ID)},
			{name: "import", path: "/import"},
			{name: "settings", path: "/settings"},
			{name: "cases", path: "/cases"},
			{name: "case", path: fmt.Sprintf("/cases/%d", cs[0].ID)},
			{name: "invites", path: "/invites"},
			{name: "risks", path: "/risks"},
			{name: "customers", path: "/customers"},
			{name: "customer", path: fmt.Sprintf("/customers/%d", top[0].BuyerID)},
			{name: "care", path: "/care"},
			{name: "targets", path: "/targets"},
			{name: "alerts", path: "/alerts"},
			{name: "douyin", path: "/douyin"},
			{name: "account", path: "/account"},
		}},
		{demoshop.AgentUser, []pageCase{
			{name: "home", path: "/", wantPath: fmt.Sprintf("/agents/%d", me)},
			{name: "league", path: "/league"},
			{name: "cases", path: "/cases"},
			{name: "invites", path: "/invites"},
			{name: "risks", path: "/risks"},
			{name: "customers", path: "/customers"},
			{name: "care", path: "/care"},
			{name: "me", path: "/me", wantPath: fmt.Sprintf("/agents/%d", me)},
			{name: "account", path: "/account"},
		}},
	}
	charts := 0
	for _, r := range roles {
		b := e.newTab()
		b.login(r.user)
		for _, size := range [][2]int64{{desktopW, desktopH}, {phoneW, phoneH}} {
			b.resize(size[0], size[1])
			for _, p := range r.pages {
				where := fmt.Sprintf("%s %s at %dpx", r.user, p.path, size[0])
				if !b.visit(p.path) {
					continue
				}
				if p.wantPath != "" {
					loc := eval[string](b, `location.pathname`)
					if loc != p.wantPath {
						t.Errorf("%s: landed on %s, want %s", where, loc, p.wantPath)
					}
				}
				if b.count(`[data-testid="nav"]`) != 1 {
					t.Errorf("%s: no navigation", where)
				}
				charts += b.chartsReady(where)
				if size[0] == phoneW {
					if sw := eval[int](b, `document.documentElement.scrollWidth`); sw > int(phoneW) {
						t.Errorf("%s: the page scrolls sideways (%dpx wide): %v", where, sw, b.overflow())
					}
				}
				b.cjkFont(where, ".side .brand")
				path := b.screenshot(dir, r.user+"-"+p.name)
				t.Logf("screenshot %s", path)
			}
		}
	}
	t.Logf("%d charts drawn", charts)
}

// cjkFont checks that the Chinese text of sel is drawn with a CJK font
// (the platform fonts Chrome used for its text), not boxes of a Latin one.
func (b *tab) cjkFont(where, sel string) {
	b.t.Helper()
	fonts, err := run(b.ctx, chromedp.QueryAfter(chromedp.CSS(sel),
		func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) ([]*css.PlatformFontUsage, error) {
			res, err := cdp.Call(ctx, t, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: nodes[0].NodeID})
			return res.Fonts, err
		}))
	if err != nil {
		b.t.Errorf("%s: fonts of %s: %v", where, sel, err)
		return
	}
	var names []string
	for _, f := range fonts {
		names = append(names, f.FamilyName)
		if cjkFamily.MatchString(f.FamilyName) && f.GlyphCount > 0 {
			return
		}
	}
	b.t.Errorf("%s: Chinese text of %s drawn with %v, no CJK font (install fonts-wqy-microhei)", where, sel, names)
}

var cjkFamily = regexp.MustCompile(`(?i)wenquanyi|wqy|cjk|source han|han sans|pingfang|hiragino|yahei|simhei|simsun|droid sans fallback|ar pl|noto sans sc|noto serif sc`)
