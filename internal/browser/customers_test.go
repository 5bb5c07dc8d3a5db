package browser

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kefuboard/kefuboard/internal/demoshop"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/loyalty"
	"github.com/kefuboard/kefuboard/internal/store"
)

// TestBrowserCustomerCare: the owner finds a customer by the phone's last 4
// digits, opens the record with its timeline, logs a birthday contact from
// the care calendar's to-do list and sees the customer leave it (the
// frequency cap); an agent's list has only masked phones.
func TestBrowserCustomerCare(t *testing.T) {
	e := newEnv(t)
	dir := screenshotDir(t)
	ctx := context.Background()
	shop := e.demoShop()
	from := kpi.Clock{Loc: shop.Location()}.DayOf(kpi.Millis(time.Now().UnixMilli()))
	bdays, err := e.st.BirthdayCustomers(ctx, shop, loyalty.BirthdayKeys(from, from+6), 0)
	if err != nil || len(bdays) == 0 {
		t.Fatalf("the demo has no birthday in the coming week: %v", err)
	}
	var who store.CustomerRecord
	for _, r := range bdays {
		if len(r.Phone) == 11 {
			who = r
			break
		}
	}
	if who.BuyerID == 0 {
		t.Fatal("no birthday customer with a phone")
	}

	b := e.newTab()
	b.login(demoshop.OwnerUser)
	if !b.visit("/customers") {
		t.FailNow()
	}
	if b.chartsReady("customers") == 0 {
		t.Error("no Pareto chart drawn")
	}
	b.do("search the phone's last 4 digits", chromedp.SendKeys(chromedp.CSS(`[data-testid="customer-search"]`), who.Phone[7:]),
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.stale = '1'`),
		chromedp.Submit(chromedp.CSS(`[data-testid="customer-search"]`)),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-stale]) [data-testid="customer-total"]`)))
	names := eval[[]string](b, `Array.from(document.querySelectorAll('[data-testid="customer-link"]')).map(a => a.textContent)`)
	found := false
	for _, n := range names {
		found = found || n == who.Buyer
	}
	if !found {
		t.Fatalf("searching %s lists %v, not %s", who.Phone[7:], names, who.Buyer)
	}
	b.screenshot(dir, "owner-customer-search")
	b.do("open the record", chromedp.Click(chromedp.CSS(`a[data-testid="customer-link"][href^="/customers/`+strconv.FormatInt(who.BuyerID, 10)+`?"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="customer-timeline"]`)))
	if tl := b.text(`[data-testid="customer-timeline"]`); !strings.Contains(tl, "下单") {
		t.Errorf("the timeline has no order: %q", tl)
	}
	if f := b.text(`[data-testid="member-facts"]`); !strings.Contains(f, who.Phone) {
		t.Errorf("the owner does not see the phone: %q", f)
	}

	// From the care calendar's to-do list to a logged contact.
	if !b.visit("/care") {
		t.FailNow()
	}
	link := `[data-testid="occasion"][data-kind="birthday"] a[href^="/customers/` + strconv.FormatInt(who.BuyerID, 10) + `?"]`
	if b.count(link) != 1 {
		t.Fatalf("%s is not on the birthday to-do list", who.Buyer)
	}
	b.screenshot(dir, "owner-care")
	b.do("open from the to-do list", chromedp.Click(chromedp.CSS(link)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="care-form"]`)))
	if v := eval[string](b, `document.getElementById('care-type').value`); v != "birthday" {
		t.Errorf("the form's type is %q, want birthday", v)
	}
	b.do("log the birthday wish", chromedp.SendKeys(chromedp.CSS(`#care-note`), "祝生日快乐"),
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.stale = '1'`),
		chromedp.Click(chromedp.CSS(`[data-testid="care-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-stale]) [data-testid="care-log"]`)))
	if log := b.text(`[data-testid="care-log"]`); !strings.Contains(log, "生日祝福") || !strings.Contains(log, "祝生日快乐") {
		t.Errorf("the contact log %q", log)
	}
	if b.count(`[data-testid="capped"]`) != 1 {
		t.Error("the record does not say the cap applies now")
	}
	if !b.visit("/care") {
		t.FailNow()
	}
	if b.count(link) != 0 {
		t.Errorf("%s is still on the to-do list after the contact", who.Buyer)
	}
	b.noProblems("customers")

	// The agent: masked phones only.
	a := e.newTab()
	a.login(demoshop.AgentUser)
	if !a.visit("/customers") {
		t.FailNow()
	}
	phones := eval[[]string](a, `Array.from(document.querySelectorAll('[data-testid="customer-phone"]')).map(td => td.textContent)`)
	if len(phones) == 0 {
		t.Fatal("the agent's list is empty")
	}
	for _, p := range phones {
		if p != "—" && !strings.Contains(p, "****") {
			t.Errorf("the agent sees the phone %q", p)
		}
	}
	a.resize(phoneW, phoneH)
	a.visit("/customers")
	a.screenshot(dir, "agent-customers")
	a.noProblems("agent customers")
}
