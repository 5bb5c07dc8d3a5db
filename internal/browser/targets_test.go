package browser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kefuboard/kefuboard/internal/demoshop"
)

// leagueConv is the league's inquiry-conversion cells: their classes and
// tooltips, one per agent row.
const leagueConv = `table[data-testid="league-table"] tbody td[data-key="inquiry_conversion_rate"]`

// TestBrowserTargets sets a shop target through the /targets form and sees it
// judge the league cells and draw the overview's trend line; the agent sees
// the target on their own page and may not open /targets.
func TestBrowserTargets(t *testing.T) {
	e := newEnv(t)
	dir := screenshotDir(t)
	b := e.newTab()
	b.login(demoshop.OwnerUser)

	if !b.visit("/league") {
		t.FailNow()
	}
	before := eval[[]string](b, `Array.from(document.querySelectorAll('`+leagueConv+`')).map(td => td.className)`)
	for _, c := range before {
		if strings.Contains(c, "good") {
			t.Fatalf("league conversion cells %v: the demo has no agent above the reference value any more; pick another metric", before)
		}
	}
	if len(before) < 2 {
		t.Fatalf("league conversion cells %v: want one per demo agent", before)
	}

	if !b.visit("/targets") {
		t.FailNow()
	}
	// A 20% conversion target from long before the demo data: every demo agent
	// converts better, so every cell turns good (none is good against the
	// reference value).
	b.do("set a target",
		chromedp.SetValue(chromedp.CSS(`#t-metric`), "inquiry_conversion_rate"),
		chromedp.SendKeys(chromedp.CSS(`#t-value`), "20"),
		chromedp.SetValue(chromedp.CSS(`#t-scope`), "shop"),
		chromedp.SetValue(chromedp.CSS(`#t-from`), "2020-01-01"),
		chromedp.SendKeys(chromedp.CSS(`#t-note`), "浏览器测试"),
		chromedp.Click(chromedp.CSS(`[data-testid="target-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)),
	)
	if h := b.text(`[data-testid="target-history"]`); !strings.Contains(h, "20") || !strings.Contains(h, "浏览器测试") {
		t.Errorf("target history does not show the new target: %q", h)
	}
	if cell := b.text(`[data-testid="target-row-inquiry_conversion_rate"] [data-testid="target"]`); !strings.Contains(cell, "20") {
		t.Errorf("targets table: conversion target cell %q, want 20%%", cell)
	}
	b.screenshot(dir, "owner-targets-set")

	b.visit("/league")
	after := eval[[]string](b, `Array.from(document.querySelectorAll('`+leagueConv+`')).map(td => td.className + '|' + td.title)`)
	for i, c := range after {
		class, title, _ := strings.Cut(c, "|")
		if !strings.Contains(class, "good") || !strings.Contains(title, "目标") {
			t.Errorf("league row %d conversion cell class %q title %q: want good, judged against the target (before: %v)", i, class, title, before)
		}
	}

	b.visit("/")
	mark := eval[string](b, `(() => {
  const el = document.getElementById('trend-conversion');
  const c = el && echarts.getInstanceByDom(el);
  if (!c) return 'no chart';
  return JSON.stringify(c.getOption().series.map(s => s.markLine || null));
})()`)
	if !strings.Contains(mark, "目标") || !strings.Contains(mark, "20") {
		t.Errorf("overview conversion trend: mark lines %s, want the 20%% target line", mark)
	}

	agent := e.newTab()
	agent.login(demoshop.AgentUser)
	me := e.agentUser().AgentID
	agent.visit(fmt.Sprintf("/agents/%d", me))
	if row := agent.text(`[data-testid="agent-targets"] tr[data-key="inquiry_conversion_rate"]`); !strings.Contains(row, "20.0%") || !strings.Contains(row, "全店") {
		t.Errorf("agent page 我的目标 row %q: want the shop's 20%% target", row)
	}
	agent.expectStatus("/targets", 403)
	agent.screenshot(dir, "agent-targets")
	b.noProblems("targets")
}
