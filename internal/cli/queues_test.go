package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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
