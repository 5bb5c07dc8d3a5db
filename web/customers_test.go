package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/loyalty"
	"github.com/kefuboard/kefuboard/internal/store"
)

var (
	customerRowRe   = regexp.MustCompile(`data-testid="customer-link">([^<]+)<`)
	customerPhoneRe = regexp.MustCompile(`data-testid="customer-phone">([^<]*)<`)
	customerTotalRe = regexp.MustCompile(`data-testid="customer-total">共 (\d+) 人`)
	careLogRe       = regexp.MustCompile(`(?s)data-testid="care-log">(.*?)</ol>`)
)

// The customer list: the owner finds a member by the last 4 digits of the
// phone and sees it in full; the segment filter and the pages agree with
// the store; an agent lists only the customers they served, phones masked,
// and gets 403 on another's record; the CSV has a BOM, neutralised cells
// and masked phones for agents.
func TestCustomersListAndRoles(t *testing.T) {
	f := newLeagueFixture(t)
	ctx := t.Context()
	all, total, err := f.e.st.Customers(ctx, f.shop, store.CustomerQuery{})
	if err != nil || total < customersPerPage+1 {
		t.Fatalf("demo customers: %d %v", total, err)
	}
	var member store.CustomerRecord
	for _, r := range all {
		if len(r.Phone) == 11 {
			member = r
			break
		}
	}
	if member.BuyerID == 0 {
		t.Fatal("no demo customer with a phone")
	}
	owner := f.e.owner()
	resp, body := owner.get("/customers")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /customers → %d", resp.StatusCode)
	}
	if m := customerTotalRe.FindStringSubmatch(body); m == nil || m[1] != itoa(int64(total)) {
		t.Errorf("total %v, store %d", m, total)
	}
	if n := len(customerRowRe.FindAllString(body, -1)); n != customersPerPage {
		t.Errorf("page 1 lists %d, want %d", n, customersPerPage)
	}
	for _, want := range []string{`data-testid="segment-table"`, `data-testid="chart-pareto"`, `data-testid="verdict"`, `data-testid="repurchase-rate"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	// Search by the phone's last 4 digits.
	_, body = owner.get("/customers?q=" + member.Phone[7:])
	if names := customerRowRe.FindAllStringSubmatch(body, -1); len(names) == 0 || !containsSub(names, member.Buyer) {
		t.Errorf("searching %s lists %v, want %s", member.Phone[7:], names, member.Buyer)
	}
	if !strings.Contains(body, member.Phone) {
		t.Error("the owner does not see the full phone")
	}
	// A segment and the last page.
	seg := all[0].Segment
	_, n, _ := f.e.st.Customers(ctx, f.shop, store.CustomerQuery{Segment: seg})
	_, body = owner.get("/customers?segment=" + seg)
	if m := customerTotalRe.FindStringSubmatch(body); m == nil || m[1] != itoa(int64(n)) {
		t.Errorf("segment %s: total %v, store %d", seg, m, n)
	}
	last := (total + customersPerPage - 1) / customersPerPage
	_, body = owner.get("/customers?page=" + itoa(int64(last)))
	if got := len(customerRowRe.FindAllString(body, -1)); got != total-(last-1)*customersPerPage {
		t.Errorf("last page lists %d", got)
	}

	// The agent: only their customers, phones masked, 403 on another's.
	agent := f.e.agent()
	mine, mineN, err := f.e.st.Customers(ctx, f.shop, store.CustomerQuery{AgentID: f.me.ID, Limit: 1000})
	if err != nil || mineN == 0 || mineN >= total {
		t.Fatalf("the agent's customers: %d of %d (%v)", mineN, total, err)
	}
	_, body = agent.get("/customers?sort=buyer&dir=asc")
	if strings.Contains(body, `data-testid="loyalty"`) {
		t.Error("an agent sees the shop's repurchase and 80/30 figures")
	}
	if m := customerTotalRe.FindStringSubmatch(body); m == nil || m[1] != itoa(int64(mineN)) {
		t.Errorf("agent total %v, want %d", m, mineN)
	}
	for _, ph := range customerPhoneRe.FindAllStringSubmatch(body, -1) {
		if ph[1] != "—" && !strings.Contains(ph[1], "****") {
			t.Errorf("the agent sees a phone in full: %s", ph[1])
		}
	}
	ids := map[int64]bool{}
	for _, r := range mine {
		ids[r.BuyerID] = true
	}
	var other store.CustomerRecord
	for _, r := range all {
		if !ids[r.BuyerID] {
			other = r
			break
		}
	}
	if resp, _ := agent.get("/customers/" + itoa(other.BuyerID)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent on another's customer → %d, want 403", resp.StatusCode)
	}
	if resp, _ := agent.post("/customers/"+itoa(other.BuyerID)+"/care", url.Values{"type": {"holiday"}, "channel": {"sms"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent logging care for another's customer → %d, want 403", resp.StatusCode)
	}
	if resp, _ := agent.get("/customers/" + itoa(mine[0].BuyerID)); resp.StatusCode != http.StatusOK {
		t.Errorf("agent on their customer → %d", resp.StatusCode)
	}
	for _, path := range []string{"/care/cap", "/care/campaigns"} {
		if resp, _ := agent.post(path, url.Values{"shop": {itoa(f.shop.ID)}, "days": {"3"}, "day": {"2026-12-01"}, "name": {"x"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("agent POST %s → %d, want 403", path, resp.StatusCode)
		}
	}

	// CSV: BOM, the owner's full phones, the agent's masked ones.
	resp, csvBody := owner.get("/customers.csv?q=" + member.Phone[7:])
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(csvBody, "\ufeff买家,") || !strings.Contains(csvBody, member.Phone) {
		t.Errorf("owner CSV → %d %q", resp.StatusCode, firstLine(csvBody))
	}
	_, csvBody = agent.get("/customers.csv")
	if strings.Count(csvBody, "\n") != mineN+1 {
		t.Errorf("agent CSV has %d lines, want %d customers + header", strings.Count(csvBody, "\n"), mineN)
	}
	if regexp.MustCompile(`,1[3-9]\d{9},`).MatchString(csvBody) {
		t.Error("the agent's CSV has a full phone number")
	}
}

func containsSub(ms [][]string, s string) bool {
	for _, m := range ms {
		if m[1] == s {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Care contacts: logged from the customer page; a second one inside the
// frequency cap is refused with a question (409, nothing written) and
// logged once confirmed; the off-platform channel does not exist.
func TestCareContactCap(t *testing.T) {
	f := newLeagueFixture(t)
	ctx := t.Context()
	mine, _, err := f.e.st.Customers(ctx, f.shop, store.CustomerQuery{AgentID: f.me.ID, Limit: 1})
	if err != nil || len(mine) == 0 {
		t.Fatal("no customer of the demo agent")
	}
	agent := f.e.agent()
	path := "/customers/" + itoa(mine[0].BuyerID)
	agent.get(path)
	form := url.Values{"shop": {itoa(f.shop.ID)}, "type": {"birthday"}, "channel": {"chat"}, "note": {"生日快乐"}}
	if resp, _ := agent.post(path+"/care", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first contact → %d", resp.StatusCode)
	}
	count := func() int {
		cs, err := f.e.st.CareContacts(ctx, f.shop.ID, mine[0].BuyerID, 0, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(cs)
	}
	if count() != 1 {
		t.Fatalf("%d contacts after one", count())
	}
	// Without a session, or without the CSRF token, nothing is written.
	f.e.anon().post(path+"/care", url.Values{"confirm": {"1"}, "type": {"birthday"}, "channel": {"chat"}})
	agent.post(path+"/care", url.Values{"_csrf": {"forged"}, "confirm": {"1"}, "type": {"birthday"}, "channel": {"chat"}})
	if count() != 1 {
		t.Fatalf("%d contacts after an anonymous and a forged post", count())
	}
	resp, body := agent.post(path+"/care", form)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `data-testid="care-confirm"`) || !strings.Contains(body, "生日快乐") || count() != 1 {
		t.Errorf("second contact inside the cap → %d, %d contacts", resp.StatusCode, count())
	}
	form.Set("confirm", "1")
	if resp, _ := agent.post(path+"/care", form); resp.StatusCode != http.StatusSeeOther || count() != 2 {
		t.Errorf("confirmed → %d, %d contacts", resp.StatusCode, count())
	}
	form.Set("channel", "wechat")
	if agent.post(path+"/care", form); count() != 2 {
		t.Error("a WeChat contact was logged")
	}
	for _, ch := range loyalty.ContactChannels {
		if ch.Key == "wechat" || strings.Contains(ch.Label, "微信") {
			t.Errorf("channel %v offered", ch)
		}
	}
	// The contact shows in the record's care log with who made it.
	owner := f.e.owner()
	_, body = owner.get(path)
	if m := careLogRe.FindStringSubmatch(body); m == nil || !strings.Contains(m[1], "生日快乐") || !strings.Contains(m[1], demoLogins.AgentName) {
		t.Errorf("the owner's care log lacks the agent's contact: %v", m)
	}
	// The calendar's recent contacts: the agent sees those with their own
	// customers only, the owner all of them.
	all, _, _ := f.e.st.Customers(ctx, f.shop, store.CustomerQuery{Limit: 1000})
	mineIDs := map[int64]bool{}
	served, _, _ := f.e.st.Customers(ctx, f.shop, store.CustomerQuery{AgentID: f.me.ID, Limit: 1000})
	for _, r := range served {
		mineIDs[r.BuyerID] = true
	}
	var other store.CustomerRecord
	for _, r := range all {
		if !mineIDs[r.BuyerID] {
			other = r
			break
		}
	}
	owner.get("/customers/" + itoa(other.BuyerID))
	if resp, _ := owner.post("/customers/"+itoa(other.BuyerID)+"/care", url.Values{"shop": {itoa(f.shop.ID)}, "type": {"holiday"},
		"channel": {"sms"}, "note": {"节日问候别人的客户"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner contact → %d", resp.StatusCode)
	}
	if _, body := agent.get("/care"); strings.Contains(body, other.Buyer) || !strings.Contains(body, mine[0].Buyer) {
		t.Error("the agent's recent contacts are not exactly their customers'")
	}
	if _, body := owner.get("/care"); !strings.Contains(body, other.Buyer) {
		t.Error("the owner's recent contacts lack one")
	}
}

// A shop whose orders were exported without buyers (PDD's order export)
// gets no invented customers: the page says why and which exports carry
// buyers, and the list is empty.
func TestCustomersWithoutBuyers(t *testing.T) {
	f := newLeagueFixture(t)
	tx, err := f.e.st.BeginImport(t.Context(), "拼多多测试店", store.ShopSettings{Platform: "pdd", TZ: "Asia/Shanghai"},
		store.ImportMeta{FileName: "orders.csv", Kind: kpi.KindOrders, Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	at := kpi.Millis(time.Now().Add(-48 * time.Hour).UnixMilli())
	if err := tx.AddOrder(&kpi.Order{OrderID: "261201-1", CreatedAt: at, PaidAt: at, Amount: 9900, Quantity: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	pdd, err := f.e.st.ShopByName(t.Context(), "拼多多测试店")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.e.st.BuyerlessOrders(t.Context(), pdd.ID); err != nil || n == 0 {
		t.Fatalf("the PDD demo shop has %d buyerless orders (%v)", n, err)
	}
	resp, body := f.e.owner().get("/customers?shop=" + itoa(pdd.ID))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="no-buyers"`) || !strings.Contains(body, "买家会员名") {
		t.Errorf("PDD shop → %d without the no-buyers notice", resp.StatusCode)
	}
	if m := customerTotalRe.FindStringSubmatch(body); m == nil || m[1] != "0" {
		t.Errorf("customers listed for a shop without buyers: %v", m)
	}
}

// Every column sorts, both ways, and the order is the column's: the
// average order value descending puts the biggest first.
func TestCustomersSortEveryColumn(t *testing.T) {
	f := newLeagueFixture(t)
	owner := f.e.owner()
	for key := range store.CustomerSorts {
		for _, dir := range []string{"asc", "desc"} {
			resp, body := owner.get("/customers?sort=" + key + "&dir=" + dir)
			if resp.StatusCode != http.StatusOK || len(customerRowRe.FindAllString(body, -1)) == 0 {
				t.Errorf("sort %s %s → %d", key, dir, resp.StatusCode)
			}
		}
	}
	rows, _, err := f.e.st.Customers(t.Context(), f.shop, store.CustomerQuery{Sort: "aov", Limit: 20})
	if err != nil || len(rows) < 2 {
		t.Fatal(err)
	}
	for i := 1; i < len(rows); i++ {
		a, _ := rows[i-1].AOVFen()
		b, _ := rows[i].AOVFen()
		if a+1 < b { // integer fen per order in SQL, rounded in Go
			t.Errorf("aov order: %d before %d", a, b)
		}
	}
}
