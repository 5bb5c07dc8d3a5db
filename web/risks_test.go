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

// Editing a risk word list in settings rescans: a new word finds its
// messages at once; a bad list is refused with a message; reset restores
// the default; agents may not edit.
func TestSettingsWordLists(t *testing.T) {
	f := newLeagueFixture(t)
	ctx := t.Context()
	owner := f.e.owner()
	if _, body := owner.get("/settings?shop=" + itoa(f.shop.ID)); !strings.Contains(body, `data-testid="words-abuse"`) {
		t.Fatal("settings has no word-list editor")
	}
	before, _ := f.e.st.Risks(ctx, f.shop, 0, today(f.shop), store.RiskFilter{Category: "abuse"})
	// "亲" is in nearly every agent message of the demo.
	owner.post("/settings/words", url.Values{"shop": {itoa(f.shop.ID)}, "category": {"abuse"}, "words": {"亲\n滚"}})
	after, _ := f.e.st.Risks(ctx, f.shop, 0, today(f.shop), store.RiskFilter{Category: "abuse"})
	if len(after) <= len(before)+10 {
		t.Errorf("abuse items %d → %d after adding 亲: no rescan?", len(before), len(after))
	}
	resp, _ := owner.post("/settings/words", url.Values{"shop": {itoa(f.shop.ID)}, "category": {"abuse"}, "words": {strings.Repeat("长", 41)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("bad list → %d", resp.StatusCode)
	}
	if _, body := owner.get("/settings?shop=" + itoa(f.shop.ID)); !strings.Contains(body, "词表没有保存") {
		t.Error("no message for a refused list")
	}
	owner.post("/settings/words", url.Values{"shop": {itoa(f.shop.ID)}, "category": {"abuse"}, "reset": {"1"}})
	if _, custom, _ := f.e.st.Words(ctx, f.shop.ID, "abuse"); custom {
		t.Error("reset kept the custom list")
	}
	if again, _ := f.e.st.Risks(ctx, f.shop, 0, today(f.shop), store.RiskFilter{Category: "abuse"}); len(again) != len(before) {
		t.Errorf("after reset %d abuse items, before %d", len(again), len(before))
	}
	if resp, _ := f.e.agent().post("/settings/words", url.Values{"shop": {itoa(f.shop.ID)}, "category": {"abuse"}, "words": {"x"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent edits words → %d", resp.StatusCode)
	}
}
