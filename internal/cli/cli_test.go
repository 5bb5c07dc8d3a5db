package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// golden is the hand-checked fixture kept in the repository (testdata/golden/README.md).
const golden = "../../testdata/golden"

func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errb.String()
}

func TestImportAndReportGolden(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	files, _ := filepath.Glob(filepath.Join(golden, "*.csv"))
	code, out, errs := run(t, nil, append([]string{"import", "--db", db, "--shop", "示例旗舰店", "--platform", "pdd"}, files...)...)
	if code != 0 {
		t.Fatalf("import exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"messages.csv: messages（utf-8）新增 71 · 更新 0 · 未变 0 · 拒绝 0", "orders.csv: orders"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	// KEFUBOARD_DB instead of --db.
	code, out, errs = run(t, map[string]string{"KEFUBOARD_DB": db}, "report", "--shop", "示例旗舰店", "--from", "2024-03-02", "--to", "2024-03-04")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errs)
	}
	var got, want map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(filepath.Join(golden, "expected.json"))
	json.Unmarshal(b, &want)
	if got["metrics"].(map[string]any)["buyer_messages"] != want["metrics"].(map[string]any)["buyer_messages"] || len(got["agents"].([]any)) != 3 {
		t.Errorf("report differs from expected.json:\n%s", out)
	}
	// Re-import: nothing added or updated.
	_, out, _ = run(t, nil, "import", "--db", db, "--shop", "示例旗舰店", filepath.Join(golden, "messages.csv"))
	if !strings.Contains(out, "新增 0 · 更新 0 · 未变 71") {
		t.Errorf("re-import: %s", out)
	}
}

func TestErrorsAndExitCodes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("foo,bar\n1,2\n"), 0o644)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "用法"},
		{[]string{"frobnicate"}, 2, "未知命令"},
		{[]string{"import", "--db", db}, 1, "缺少参数 --shop"},
		{[]string{"import", "--db", db, "--shop", "s"}, 1, "请给出要导入的文件"},
		{[]string{"import", "--db", db, "--shop", "s", "--platform", "amazon", bad}, 1, "未知平台"},
		{[]string{"import", "--db", db, "--shop", "s", "--kind", "pets", bad}, 1, "未知文件类型"},
		{[]string{"import", "--db", db, "--shop", "s", bad}, 1, "无法识别文件类型"},
		{[]string{"import", "--db", db, "--shop", "s", filepath.Join(t.TempDir(), "missing.csv")}, 1, "导入失败"},
		{[]string{"report", "--db", db, "--shop", "s", "--from", "2024-03-01"}, 1, "缺少参数 --to"},
		{[]string{"report", "--db", db, "--shop", "s", "--from", "3/1", "--to", "2024-03-02"}, 1, "YYYY-MM-DD"},
		{[]string{"report", "--db", db, "--shop", "nope", "--from", "2024-03-01", "--to", "2024-03-02"}, 1, "not found"},
	}
	for _, tc := range cases {
		code, out, errs := run(t, nil, tc.args...)
		if code != tc.code || !strings.Contains(out+errs, tc.msg) {
			t.Errorf("%v: exit %d (want %d), output %q lacks %q", tc.args, code, tc.code, out+errs, tc.msg)
		}
	}
}

// TestPlatformExportsDemoAndImport: the PDD back-end's files import without
// --kind: each 客服绩效 file dated by its name, its totals skipped.
func TestPlatformExportsDemoAndImport(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "pdd")
	if code, stdout, errs := run(t, nil, "demo", "--out", out, "--days", "2", "--agents", "3", "--platform-exports"); code != 0 || !strings.Contains(stdout, "客服绩效报表 2 份") {
		t.Fatalf("demo exit %d\n%s\n%s", code, stdout, errs)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	db := filepath.Join(dir, "k.db")
	code, stdout, errs := run(t, nil, append([]string{"import", "--db", db, "--shop", "拼多多示例店", "--platform", "pdd"}, files...)...)
	if code != 0 {
		t.Fatalf("import exit %d\n%s\n%s", code, stdout, errs)
	}
	if n := strings.Count(stdout, "agent_report（xlsx）新增 3"); n != 2 || !strings.Contains(stdout, "跳过汇总/平均行 2 行") || !strings.Contains(stdout, "orders（gb18030）") {
		t.Errorf("import output:\n%s", stdout)
	}
	// --period is checked before anything is imported.
	if code, _, errs := run(t, nil, "import", "--db", db, "--shop", "x", "--period", "2026-13-01", files[0]); code == 0 || !strings.Contains(errs, "--period") {
		t.Errorf("bad --period: exit %d %s", code, errs)
	}
}

// An import next to another one holding the database (a server's web
// import) waits its turn and then imports; past its patience it fails
// clearly and writes nothing.
func TestImportWaitsForTheDatabase(t *testing.T) {
	store.BusyTimeout, busyWait = 100*time.Millisecond, 20*time.Second
	t.Cleanup(func() { store.BusyTimeout, busyWait = 10*time.Second, 30*time.Minute })
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	holder, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	tx, err := holder.BeginImport(context.Background(), "店", store.ShopSettings{}, store.ImportMeta{FileName: "x", Kind: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	go func() { time.Sleep(1500 * time.Millisecond); tx.Rollback() }()
	code, out, errs := run(t, nil, "import", "--db", db, "--shop", "示例旗舰店", filepath.Join(golden, "orders.csv"))
	if code != 0 || !strings.Contains(errs, "等待它完成") || !strings.Contains(out, "orders.csv: orders") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	// Held past the wait: a clear refusal.
	busyWait = 300 * time.Millisecond
	tx2, err := holder.BeginImport(context.Background(), "店", store.ShopSettings{}, store.ImportMeta{FileName: "x", Kind: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	defer tx2.Rollback()
	code, out, _ = run(t, nil, "import", "--db", db, "--shop", "示例旗舰店", filepath.Join(golden, "refunds.csv"))
	if code == 0 || !strings.Contains(out, "另一个导入占用") {
		t.Errorf("exit %d: %s", code, out)
	}
}

// pddDay writes a day of chats: n buyers each asking once at 10:00, the first
// answered ones within a minute, the others never.
func pddDay(t *testing.T, dir string, n, answered int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("buyer,role,agent,sent_at,content\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "b%03d,buyer,,2024-03-05 10:00:00,在吗\n", i)
		if i < answered {
			fmt.Fprintf(&b, "b%03d,agent,小美,2024-03-05 10:00:30,在的\n", i)
		}
	}
	p := filepath.Join(dir, fmt.Sprintf("chats-%d-%d.csv", n, answered))
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// kefuboard alerts and targets: a PDD day with 100 consulting buyers and
// 49% effective replies is a ¥1000 breach; a target set shows with its
// attainment.
func TestAlertsAndTargetsCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	if code, out, errs := run(t, nil, "import", "--db", db, "--shop", "拼多多店", "--platform", "pdd", pddDay(t, dir, 100, 49)); code != 0 {
		t.Fatalf("import %d %s %s", code, out, errs)
	}
	code, out, errs := run(t, nil, "alerts", "--db", db, "--shop", "拼多多店", "--from", "2024-03-01", "--to", "2024-03-31", "--json")
	if code != 0 {
		t.Fatalf("alerts %d %s", code, errs)
	}
	var got struct {
		Alerts []struct {
			Rule, Day, Consequence string
			Value, Threshold       float64
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Alerts) != 1 || got.Alerts[0].Rule != "pdd_effective_reply" ||
		got.Alerts[0].Day != "2024-03-05" || got.Alerts[0].Value != 0.49 || got.Alerts[0].Threshold != 0.5 || got.Alerts[0].Consequence == "" {
		t.Fatalf("alerts: %v\n%s", err, out)
	}
	// 99 buyers: no breach (a second shop, same day).
	run(t, nil, "import", "--db", db, "--shop", "拼多多店2", "--platform", "pdd", pddDay(t, dir, 99, 40))
	if _, out, _ := run(t, nil, "alerts", "--db", db, "--shop", "拼多多店2", "--from", "2024-03-01", "--to", "2024-03-31", "--json"); !strings.Contains(out, `"alerts": []`) {
		t.Errorf("99 buyers: %s", out)
	}
	// A target, then the targets view.
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := s.ShopByName(context.Background(), "拼多多店")
	if err := s.SetTarget(context.Background(), sh.ID, kpi.Target{Metric: "effective_reply_rate", Scope: kpi.ScopeShop, Value: 0.98, From: 19000}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, errs = run(t, nil, "targets", "--db", db, "--shop", "拼多多店", "--as-of", "2024-03-05", "--json")
	if code != 0 {
		t.Fatalf("targets %d %s", code, errs)
	}
	var tv struct {
		AsOf string `json:"as_of"`
		KPIs []struct {
			KPI        string
			Value      *float64
			Threshold  *float64
			Suggested  *float64
			Target     *struct{ Value float64 }
			Attainment *float64
		}
	}
	if err := json.Unmarshal([]byte(out), &tv); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, k := range tv.KPIs {
		if k.KPI == "effective_reply_rate" {
			found = true
			if k.Value == nil || *k.Value != 0.49 || k.Threshold == nil || *k.Threshold != 0.5 || k.Suggested == nil || *k.Suggested != 0.5 ||
				k.Target == nil || k.Target.Value != 0.98 || k.Attainment == nil || *k.Attainment != 0.49/0.98 {
				t.Errorf("effective_reply_rate row: %s", out)
			}
		}
	}
	if !found || tv.AsOf != "2024-03-05" {
		t.Errorf("targets: %s", out)
	}
}
