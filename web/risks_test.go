package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kefuboard/kefuboard/internal/store"
)

var riskRowRe = regexp.MustCompile(`data-testid="risk-row" data-category="([a-z_]+)" data-key="([^"]+)"`)

// The risk queue lists the period's items with their conversation; the
// owner marks one confirmed (kept across a recompute); an agent sees only
// their own, read-only; a shop without chats says what it needs.
func TestRisksPageAndRoles(t *testing.T) {
	f := newLeagueFixture(t)
	ctx := t.Context()
	owner := f.e.owner()
	q := "/risks" + f.query
	resp, body := owner.get(q)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /risks → %d", resp.StatusCode)
	}
	items, err := f.e.st.Risks(ctx, f.shop, f.from, f.to, store.RiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rows := riskRowRe.FindAllStringSubmatch(body, -1)
	if len(items) == 0 || len(rows) != min(len(items), maxRiskRows) {
		t.Fatalf("page lists %d items, store has %d", len(rows), len(items))
	}
	key := rows[0][2]
	if resp, _ := owner.post("/risks/mark", url.Values{"shop": {itoa(f.shop.ID)}, "key": {key}, "status": {store.RiskConfirmed}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark → %d", resp.StatusCode)
	}
	if err := f.e.st.Recompute(ctx, f.shop.Name); err != nil {
		t.Fatal(err)
	}
	if _, body := owner.get(q); !strings.Contains(body, "已确认违规") {
		t.Error("the mark is not shown after a recompute")
	}
	// The league's risk cell of each agent is their count of the period.
	_, league := owner.get("/league" + f.query)
	for _, a := range f.agents {
		n := 0
		for _, it := range items {
			if it.AgentID == a.ID {
				n++
			}
		}
		if cell := leagueCellsOf(league, a.Name)["risks"]; cell[0] != itoa(int64(n)) {
			t.Errorf("league risk cell of %s = %q, want %d", a.Name, cell[0], n)
		}
	}
	agent := f.e.agent()
	_, body = agent.get(q)
	for _, m := range riskRowRe.FindAllStringSubmatch(body, -1) {
		for _, it := range items {
			if it.Key == m[2] && it.AgentID != f.me.ID {
				t.Errorf("agent sees item %s of agent %d", it.Key, it.AgentID)
			}
		}
	}
	if strings.Contains(body, `action="/risks/mark"`) {
		t.Error("the agent's page has the mark form")
	}
	if resp, _ := agent.post("/risks/mark", url.Values{"shop": {itoa(f.shop.ID)}, "key": {key}, "status": {""}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent mark → %d", resp.StatusCode)
	}
	// A shop without chats.
	if _, err := f.e.st.EnsureShop(ctx, "空店", store.ShopSettings{Platform: "pdd"}); err != nil {
		t.Fatal(err)
	}
	shops, _ := f.e.st.Shops(ctx)
	for _, sh := range shops {
		if sh.Name == "空店" {
			if _, body := owner.get("/risks?shop=" + itoa(sh.ID)); !strings.Contains(body, `data-testid="risks-no-chats"`) {
				t.Error("a shop without chats does not say what it needs")
			}
		}
	}
}
