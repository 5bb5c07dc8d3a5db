package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kefuboard cases: the JSON array of QUEUES.md, open cases by deadline,
// closed ones only with --all; a newer export with 5 stars closes a case.
func TestCasesCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := write("reviews1.csv", "评价ID,订单号,买家,评分,评价时间,评价内容\n"+
		"R1,O1,甲,1,2026-11-01 10:00:00,质量太差\n"+
		"R2,O2,乙,3,2026-10-20 09:00:00,一般般\n"+
		"R3,O3,丙,4,2026-11-02 10:00:00,还可以\n")
	if code, out, errs := run(t, nil, "import", "--db", db, "--shop", "店", "--platform", "taobao", "--tz", "Asia/Shanghai", first); code != 0 {
		t.Fatalf("import %d %s %s", code, out, errs)
	}
	type item struct {
		ReviewKey string  `json:"review_key"`
		Rating    int     `json:"rating"`
		CreatedAt string  `json:"created_at"`
		Deadline  string  `json:"deadline"`
		DaysLeft  int     `json:"days_left"`
		Urgency   *string `json:"urgency"`
		State     string  `json:"state"`
	}
	cases := func(args ...string) []item {
		t.Helper()
		code, out, errs := run(t, nil, append([]string{"cases", "--db", db, "--shop", "店", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("cases %d %s", code, errs)
		}
		var got []item
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return got
	}
	got := cases("--as-of", "2026-11-18")
	if len(got) != 2 || got[0].ReviewKey != "R2" || got[1].ReviewKey != "R1" {
		t.Fatalf("cases %+v: want R2 (deadline 11-18) then R1 (11-30)", got)
	}
	if g := got[0]; g.Deadline != "2026-11-18" || g.DaysLeft != 0 || g.Urgency == nil || *g.Urgency != "due" || g.CreatedAt != "2026-10-20T09:00:00+08:00" || g.State != "new" {
		t.Errorf("R2 %+v", g)
	}
	if g := cases("--as-of", "2026-11-19")[0]; g.Urgency == nil || *g.Urgency != "overdue" || g.DaysLeft != -1 {
		t.Errorf("R2 the day after: %+v", g)
	}
	second := write("reviews2.csv", "评价ID,订单号,买家,评分,评价时间,评价内容\nR1,O1,甲,5,2026-11-01 10:00:00,商家处理很好\n")
	run(t, nil, "import", "--db", db, "--shop", "店", second)
	if got := cases("--as-of", "2026-11-18"); len(got) != 1 || got[0].ReviewKey != "R2" {
		t.Errorf("open after R1 went to 5 stars: %+v", got)
	}
	all := cases("--as-of", "2026-11-18", "--all")
	if len(all) != 2 || all[1].ReviewKey != "R1" || all[1].State != "modified" || all[1].Urgency != nil || all[1].Rating != 5 {
		t.Errorf("--all: %+v", all)
	}
}

// kefuboard invites and risks: the thanked buyer's delivered order is a
// candidate with the thanks line as evidence, the angry buyer's is not; the
// agent's off-platform and abusive lines are risk items, the abuse one
// naming PDD's rule; a refund closed after the as-of day still blocks on it.
func TestInvitesAndRisksCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	orders := write("orders.csv", "order_id,buyer,created_at,paid_at,amount,product,delivered_at\n"+
		"O1,甲,2026-11-01 10:00:00,2026-11-01 10:05:00,99,杯子,2026-11-04 12:00:00\n"+
		"O2,乙,2026-11-01 11:00:00,2026-11-01 11:05:00,59,碗,2026-11-04 13:00:00\n"+
		"O3,丙,2026-11-01 12:00:00,2026-11-01 12:05:00,29,勺,2026-11-04 14:00:00\n")
	msgs := write("messages.csv", "buyer,role,agent,sent_at,content\n"+
		"甲,buyer,,2026-11-01 09:58:00,有货吗\n"+
		"甲,agent,小美,2026-11-01 09:58:30,有的亲，加我微信私聊更便宜\n"+
		"甲,buyer,,2026-11-05 09:00:00,收到了，很满意，谢谢\n"+
		"甲,agent,小美,2026-11-05 09:00:10,不客气\n"+
		"乙,buyer,,2026-11-05 10:00:00,谢谢，不过包装太差了\n"+
		"乙,agent,阿强,2026-11-05 10:00:20,爱买不买\n"+
		"丙,buyer,,2026-11-05 11:00:00,谢谢\n"+
		"丙,agent,阿强,2026-11-05 11:00:20,不客气\n")
	refunds := write("refunds.csv", "refund_id,order_id,type,status,requested_at,completed_at\n"+
		"F3,O3,refund_only,closed,2026-11-05 12:00:00,2026-11-12 12:00:00\n")
	if code, out, errs := run(t, nil, "import", "--db", db, "--shop", "店", "--platform", "pdd", "--tz", "Asia/Shanghai", orders, msgs, refunds); code != 0 {
		t.Fatalf("import %d %s %s", code, out, errs)
	}
	type invite struct {
		OrderID     string   `json:"order_id"`
		DeliveredAt string   `json:"delivered_at"`
		Agent       *string  `json:"agent"`
		Reasons     []string `json:"reasons"`
		Evidence    []struct {
			Text string `json:"text"`
		} `json:"evidence"`
	}
	invites := func(asOf string) []invite {
		t.Helper()
		code, out, errs := run(t, nil, "invites", "--db", db, "--shop", "店", "--as-of", asOf, "--json")
		if code != 0 {
			t.Fatalf("invites %d %s", code, errs)
		}
		var got []invite
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return got
	}
	got := invites("2026-11-10")
	if len(got) != 1 || got[0].OrderID != "O1" || got[0].DeliveredAt != "2026-11-04T12:00:00+08:00" ||
		len(got[0].Reasons) != 1 || got[0].Reasons[0] != "thanked" || got[0].Evidence[0].Text != "收到了，很满意，谢谢" {
		t.Fatalf("invites as of 11-10: %+v (want O1 only: 乙 was angry, 丙's refund was pending then)", got)
	}
	if got := invites("2026-11-12"); len(got) != 2 || got[1].OrderID != "O3" || len(got[1].Reasons) != 2 || got[1].Reasons[1] != "aftersale_solved" {
		t.Errorf("invites as of 11-12 (丙's refund closed that day): %+v", got)
	}

	type item struct {
		Category string   `json:"category"`
		Words    []string `json:"words"`
		Agent    *string  `json:"agent"`
		Buyer    string   `json:"buyer"`
		SentAt   string   `json:"sent_at"`
		Content  string   `json:"content"`
		Rule     string   `json:"rule"`
	}
	code, out, errs := run(t, nil, "risks", "--db", db, "--shop", "店", "--from", "2026-11-01", "--to", "2026-11-30", "--json")
	if code != 0 {
		t.Fatalf("risks %d %s", code, errs)
	}
	var items []item
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(items) != 2 {
		t.Fatalf("%d risk items, want the off-platform and the abusive line: %s", len(items), out)
	}
	if it := items[0]; it.Category != "off_platform" || it.Buyer != "甲" || it.Agent == nil || *it.Agent != "小美" ||
		it.SentAt != "2026-11-01T09:58:30+08:00" || len(it.Words) == 0 {
		t.Errorf("first item (by sent_at) %+v", it)
	}
	if it := items[1]; it.Category != "abuse" || it.Content != "爱买不买" || !strings.Contains(it.Rule, "下架 3 天") {
		t.Errorf("second item %+v", it)
	}
}

// printJSON streams an array byte for byte as json.MarshalIndent prints it.
func TestPrintJSONMatchesMarshalIndent(t *testing.T) {
	type item struct {
		A string   `json:"a"`
		B []string `json:"b"`
		C *int     `json:"c"`
	}
	one := 1
	for _, items := range [][]item{nil, {}, {{A: "<x>&"}}, {{A: "甲", B: []string{"1", "2"}, C: &one}, {B: []string{}}}} {
		var got bytes.Buffer
		if err := printJSON(Env{Stdout: &got}, items); err != nil {
			t.Fatal(err)
		}
		norm := items
		if norm == nil {
			norm = []item{}
		}
		want, _ := json.MarshalIndent(norm, "", "  ")
		if got.String() != string(want)+"\n" {
			t.Errorf("got\n%s\nwant\n%s", got.String(), want)
		}
	}
}
