package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var inviteRowRe = regexp.MustCompile(`data-testid="invite-row" data-order="([^"]+)"`)

// The invitation queue: the compliance check flags 好评返现 (and the save is
// refused), a clean text is saved; recording an invitation shows it; an
// agent sees only orders credited to them and cannot record another's or
// edit templates.
func TestInvitesPageAndRoles(t *testing.T) {
	f := newLeagueFixture(t)
	ctx := t.Context()
	owner := f.e.owner()
	resp, body := owner.get("/invites")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /invites → %d", resp.StatusCode)
	}
	rows := inviteRowRe.FindAllStringSubmatch(body, -1)
	inv, err := f.e.st.Invites(ctx, f.shop, today(f.shop), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(inv) || len(inv) == 0 {
		t.Fatalf("page lists %d candidates, store %d (the demo must have some)", len(rows), len(inv))
	}
	// Compliance as you type.
	_, js := owner.get("/invites/check?text=" + url.QueryEscape("亲，五星好评返现5元哦"))
	var fs []complianceJSON
	if err := json.Unmarshal([]byte(js), &fs); err != nil || len(fs) == 0 || fs[0].Suggestion == "" {
		t.Fatalf("check: %v %s", err, js)
	}
	if _, js := owner.get("/invites/check?text=" + url.QueryEscape("欢迎晒图分享使用感受")); strings.TrimSpace(js) != "[]" {
		t.Errorf("a clean text flagged: %s", js)
	}
	demoTemplates, _ := f.e.st.InviteTemplates(ctx, f.shop.ID)
	owner.post("/invites/templates", url.Values{"shop": {itoa(f.shop.ID)}, "name": {"返现"}, "body": {"好评返现5元"}})
	if tp, _ := f.e.st.InviteTemplates(ctx, f.shop.ID); len(tp) != len(demoTemplates) {
		t.Fatalf("a 好评返现 template was saved: %+v", tp)
	}
	if _, body := owner.get("/invites"); !strings.Contains(body, "没有保存") {
		t.Error("no message for the refused template")
	}
	owner.post("/invites/templates", url.Values{"shop": {itoa(f.shop.ID)}, "name": {"标准"}, "body": {"亲，欢迎晒图分享使用感受"}})
	if tp, _ := f.e.st.InviteTemplates(ctx, f.shop.ID); len(tp) != len(demoTemplates)+1 || tp[len(tp)-1].Name != "标准" {
		t.Fatalf("templates %+v", tp)
	}
	// Record an invitation.
	order := inv[0].OrderID
	if resp, _ := owner.post("/invites/sent", url.Values{"shop": {itoa(f.shop.ID)}, "order": {order}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("record → %d", resp.StatusCode)
	}
	if _, body := owner.get("/invites"); !strings.Contains(body, `data-testid="invited"`) {
		t.Error("the invitation is not shown")
	}
	// The agent.
	agent := f.e.agent()
	_, body = agent.get("/invites")
	var other string
	for _, v := range inv {
		mine := v.AgentID == f.me.ID
		if strings.Contains(body, `data-order="`+v.OrderID+`"`) != mine {
			t.Errorf("agent page shows order %s: %v, credited to the agent: %v", v.OrderID, !mine, mine)
		}
		if !mine && v.SentAt == 0 && v.OrderID != order {
			other = v.OrderID
		}
	}
	if other != "" {
		if resp, _ := agent.post("/invites/sent", url.Values{"shop": {itoa(f.shop.ID)}, "order": {other}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("agent records another's invitation → %d", resp.StatusCode)
		}
	}
	if resp, _ := agent.post("/invites/templates", url.Values{"shop": {itoa(f.shop.ID)}, "name": {"x"}, "body": {"y"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent edits templates → %d", resp.StatusCode)
	}
}
