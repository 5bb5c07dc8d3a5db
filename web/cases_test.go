package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/queues"
	"github.com/kefuboard/kefuboard/internal/store"
)

var (
	caseRowRe  = regexp.MustCompile(`data-testid="case-row" data-id="(\d+)"`)
	navCasesRe = regexp.MustCompile(`data-testid="nav-cases">(\d+)<`)
)

// The owner works a case from new to closed (every step in the timeline);
// a stale save is refused with a message; an agent sees only the cases they
// served or were assigned and gets 403 on another's, and cannot assign.
func TestCasesWorkflowAndRoles(t *testing.T) {
	f := newLeagueFixture(t)
	ctx := t.Context()
	asOf := today(f.shop)
	all, err := f.e.st.Cases(ctx, f.shop, asOf, store.CaseFilter{})
	if err != nil || len(all) < 3 {
		t.Fatalf("demo cases: %d %v", len(all), err)
	}
	owner := f.e.owner()
	resp, body := owner.get("/cases")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /cases → %d", resp.StatusCode)
	}
	if n := len(caseRowRe.FindAllString(body, -1)); n != len(all) {
		t.Errorf("owner queue lists %d cases, store has %d open", n, len(all))
	}
	urgent := 0
	for _, c := range all {
		if c.Urgency == queues.Overdue || c.Urgency == queues.Due {
			urgent++
		}
	}
	if m := navCasesRe.FindStringSubmatch(body); urgent > 0 && (m == nil || m[1] != itoa(int64(urgent))) {
		t.Errorf("nav case count %v, want %d overdue or due", m, urgent)
	}
	// Pick a case the demo agent did not serve, and one they did.
	var mine, other store.Case
	for _, c := range all {
		if c.AgentID == f.me.ID && mine.ID == 0 {
			mine = c
		}
		if c.AgentID != f.me.ID && other.ID == 0 {
			other = c
		}
	}
	if mine.ID == 0 || other.ID == 0 {
		t.Fatalf("no case of the demo agent and another: %d %d", mine.ID, other.ID)
	}
	path := "/cases/" + itoa(other.ID)
	steps := []url.Values{
		{"state": {queues.StateContacted}, "note": {"电话联系了买家"}},
		{"state": {queues.StateCompensated}, "amount": {"20"}, "note": {"补偿20元"}},
		{"state": {queues.StateExplained}, "note": {"已在评价下解释"}},
		{"state": {queues.StateClosed}},
	}
	version := other.Version
	for _, st := range steps {
		st.Set("version", itoa(version))
		resp, _ := owner.post(path+"/step", st)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("step %s → %d", st.Get("state"), resp.StatusCode)
		}
		version++
	}
	_, body = owner.get(path)
	for _, want := range []string{"已联系", "电话联系了买家", "已补偿 ¥20.00", "已解释", "已结案", "登记为中差评案件"} {
		if !strings.Contains(body, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	// The queue (a memoised page) drops the closed case at once.
	if _, body := owner.get("/cases"); strings.Contains(body, `data-id="`+itoa(other.ID)+`"`) {
		t.Error("the closed case is still in the queue")
	}
	c, _ := f.e.st.Cases(ctx, f.shop, asOf, store.CaseFilter{All: true, CaseID: other.ID})
	if c[0].State != queues.StateClosed || !c[0].Closed || c[0].CompensationFen != 2000 || c[0].FirstContactAt == 0 {
		t.Errorf("after the workflow: %+v", c[0])
	}
	// A save at an old version: a clear message, nothing written.
	resp, _ = owner.post("/cases/"+itoa(mine.ID)+"/step", url.Values{"state": {queues.StateContacted}, "version": {itoa(mine.Version + 5)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("stale step → %d", resp.StatusCode)
	}
	if _, body := owner.get("/cases/" + itoa(mine.ID)); !strings.Contains(body, "刚被别人修改过") {
		t.Error("no 'changed meanwhile' message")
	}

	agent := f.e.agent()
	_, body = agent.get("/cases")
	for _, m := range caseRowRe.FindAllStringSubmatch(body, -1) {
		cs, _ := f.e.st.Cases(ctx, f.shop, asOf, store.CaseFilter{All: true, CaseID: int64(atoiT(t, m[1]))})
		if cs[0].AgentID != f.me.ID && cs[0].AssignedID != f.me.ID {
			t.Errorf("agent's queue shows case %s of agent %d", m[1], cs[0].AgentID)
		}
	}
	if resp, _ := agent.get(path); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent GET another's case → %d, want 403", resp.StatusCode)
	}
	if resp, _ := agent.post(path+"/step", url.Values{"state": {queues.StateContacted}, "version": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent POST another's case → %d, want 403", resp.StatusCode)
	}
	if resp, _ := agent.get("/cases/" + itoa(mine.ID)); resp.StatusCode != http.StatusOK {
		t.Errorf("agent GET own case → %d", resp.StatusCode)
	}
	if resp, _ := agent.post("/cases/"+itoa(mine.ID)+"/assign", url.Values{"agent": {"0"}, "version": {itoa(mine.Version)}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent assign → %d, want 403", resp.StatusCode)
	}
	// Assigned to the agent, another's case becomes theirs to see.
	third := all[len(all)-1]
	for _, c := range all {
		if c.AgentID != f.me.ID && c.ID != other.ID {
			third = c
		}
	}
	owner.post("/cases/"+itoa(third.ID)+"/assign", url.Values{"agent": {itoa(f.me.ID)}, "version": {itoa(third.Version)}})
	if resp, _ := agent.get("/cases/" + itoa(third.ID)); resp.StatusCode != http.StatusOK {
		t.Errorf("agent GET a case assigned to them → %d", resp.StatusCode)
	}
	// A case by hand: the order's last 10 digits find the order and its buyer.
	order := all[0].OrderID
	owner.post("/cases/new", url.Values{"shop": {itoa(f.shop.ID)}, "order": {order[len(order)-10:]}, "rating": {"2"},
		"day": {asOf.String()}, "text": {"手工登记的差评"}})
	cs, _ := f.e.st.Cases(ctx, f.shop, asOf, store.CaseFilter{})
	found := false
	for _, c := range cs {
		if c.Content == "手工登记的差评" {
			found = c.OrderID == order && c.Buyer == all[0].Buyer && c.DaysLeft == 29
		}
	}
	if !found {
		t.Errorf("the hand-made case is missing or lacks its order/buyer/clock")
	}
	_ = time.Now
}

func atoiT(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
