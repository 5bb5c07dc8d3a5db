package browser

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kefuboard/kefuboard/internal/demoshop"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/queues"
	"github.com/kefuboard/kefuboard/internal/store"
)

// demoShop is the computed demo shop of the browser tests' database.
func (e *env) demoShop() *store.Shop {
	e.t.Helper()
	sh, err := e.st.ShopByName(context.Background(), "示例旗舰店")
	if err != nil {
		e.t.Fatal(err)
	}
	return sh
}

// TestBrowserCaseWorkflow: the owner opens a new case from the queue and
// works it to closed through the page's form, every step landing in the
// timeline; the agent's queue holds only their cases and another's case
// answers 403.
func TestBrowserCaseWorkflow(t *testing.T) {
	e := newEnv(t)
	dir := screenshotDir(t)
	ctx := context.Background()
	shop := e.demoShop()
	asOf := kpi.Clock{Loc: shop.Location()}.DayOf(kpi.Millis(time.Now().UnixMilli()))
	cs, err := e.st.Cases(ctx, shop, asOf, store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	me := e.agentUser().AgentID
	var fresh, others *store.Case
	for i := range cs {
		if cs[i].State == queues.StateNew && fresh == nil {
			fresh = &cs[i]
		}
		if cs[i].AgentID != me && cs[i].AssignedID != me && others == nil {
			others = &cs[i]
		}
	}
	if fresh == nil || others == nil {
		t.Fatalf("demo cases lack a new case or another agent's: %d cases", len(cs))
	}

	b := e.newTab()
	b.login(demoshop.OwnerUser)
	if !b.visit("/cases") {
		t.FailNow()
	}
	b.screenshot(dir, "owner-cases-queue")
	b.do("open the case", chromedp.Click(chromedp.CSS(fmt.Sprintf(`tr[data-id="%d"] a[data-testid="case-link"]`, fresh.ID))),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="case-step-form"]`)))
	steps := []struct{ state, amount, note string }{
		{queues.StateContacted, "", "旺旺联系了买家"},
		{queues.StateCompensated, "15", "补偿15元"},
		{queues.StateExplained, "", "已在评价下回复"},
		{queues.StateClosed, "", "结案"},
	}
	for _, s := range steps {
		// The old page is marked, so the wait below is for the page the form loads.
		actions := []chromedp.Action[chromedp.Void]{chromedp.Evaluate[chromedp.Void](`document.body.dataset.stale = '1'`),
			chromedp.SetValue(chromedp.CSS(`#cs-state`), s.state)}
		if s.amount != "" {
			actions = append(actions, chromedp.SendKeys(chromedp.CSS(`#cs-amount`), s.amount))
		}
		actions = append(actions, chromedp.SendKeys(chromedp.CSS(`#cs-note`), s.note),
			chromedp.Click(chromedp.CSS(`[data-testid="case-step-form"] button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`body:not([data-stale]) .flash.ok`)))
		b.do("step "+s.state, actions...)
		if _, err := run(b.ctx, chromedp.Poll[bool](`document.readyState === 'complete'`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
			t.Fatal(err)
		}
		if tl := b.text(`[data-testid="case-timeline"]`); !strings.Contains(tl, s.note) {
			t.Errorf("after %s the timeline lacks %q: %q", s.state, s.note, tl)
		}
	}
	if st := b.text(`[data-testid="case-state"]`); !strings.Contains(st, "已结案") {
		t.Errorf("case state %q, want 已结案", st)
	}
	if tl := b.text(`[data-testid="case-timeline"]`); !strings.Contains(tl, "已补偿 ¥15.00") {
		t.Errorf("timeline lacks the compensation: %q", tl)
	}
	b.screenshot(dir, "owner-case-closed")
	b.noProblems("case workflow")

	a := e.newTab()
	a.login(demoshop.AgentUser)
	if !a.visit("/cases") {
		t.FailNow()
	}
	ids := eval[[]string](a, `Array.from(document.querySelectorAll('[data-testid="case-row"]')).map(r => r.dataset.id)`)
	for _, id := range ids {
		for _, c := range cs {
			if fmt.Sprint(c.ID) == id && c.AgentID != me && c.AssignedID != me {
				t.Errorf("the agent's queue shows case %s of agent %d", id, c.AgentID)
			}
		}
	}
	a.screenshot(dir, "agent-cases")
	a.expectStatus(fmt.Sprintf("/cases/%d", others.ID), 403)
}

// TestBrowserInviteCompliance: typing 好评返现 into a new invitation text
// flags it at once with the allowed phrasing; a clean text clears the flag.
func TestBrowserInviteCompliance(t *testing.T) {
	e := newEnv(t)
	dir := screenshotDir(t)
	b := e.newTab()
	b.login(demoshop.OwnerUser)
	if !b.visit("/invites") {
		t.FailNow()
	}
	if n := b.count(`[data-testid="invite-row"]`); n == 0 {
		t.Error("the demo's invitation queue is empty")
	}
	b.do("type a rewarded invitation", chromedp.SendKeys(chromedp.CSS(`#tpl-body`), "亲，五星好评返现5元哦"))
	if _, err := run(b.ctx, chromedp.Poll[bool](`document.querySelectorAll('ul.compliance li').length > 0`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("no compliance flag while typing: %v", err)
	}
	flag := b.text(`ul.compliance`)
	if !strings.Contains(flag, "返现") || !strings.Contains(flag, "晒图") {
		t.Errorf("flag %q: want the word and the allowed phrasing", flag)
	}
	b.screenshot(dir, "owner-invite-flagged")
	b.do("clear it", chromedp.Evaluate[chromedp.Void](`document.getElementById('tpl-body').value = ''`),
		chromedp.SendKeys(chromedp.CSS(`#tpl-body`), "欢迎晒图分享使用感受"))
	if _, err := run(b.ctx, chromedp.Poll[bool](`document.querySelectorAll('ul.compliance li').length === 0`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("a clean text stays flagged: %v", err)
	}
	b.noProblems("invites")
}

// TestBrowserRiskInContext: a planted off-platform message is in the risk
// queue and its conversation opens around it.
func TestBrowserRiskInContext(t *testing.T) {
	e := newEnv(t)
	dir := screenshotDir(t)
	b := e.newTab()
	b.login(demoshop.OwnerUser)
	if !b.visit("/risks?p=30d&category=off_platform") {
		t.FailNow()
	}
	sel := `[data-testid="risk-row"][data-category="off_platform"]`
	if b.count(sel) == 0 {
		t.Fatal("no off-platform item in the last 30 days of the demo")
	}
	b.do("open its chat", chromedp.Click(chromedp.CSS(sel+` details summary`)),
		chromedp.WaitVisible(chromedp.CSS(sel+` ol.chat li.focus`)))
	focus := b.text(sel + ` ol.chat li.focus`)
	words := b.text(sel + ` .muted`)
	if !strings.Contains(focus, "微信") && !strings.Contains(focus, "转账") {
		t.Errorf("the focused message %q is not the planted off-platform one", focus)
	}
	if n := eval[int](b, `document.querySelector('`+sel+` ol.chat').children.length`); n < 2 {
		t.Errorf("the conversation around it has %d messages", n)
	}
	t.Logf("matched %s in %q", words, focus)
	b.screenshot(dir, "owner-risk-context")
	b.resize(phoneW, phoneH)
	b.visit("/risks?p=30d&category=off_platform")
	b.screenshot(dir, "owner-risks")
	b.noProblems("risks")
}
