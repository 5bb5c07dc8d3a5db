package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/demo"
	"github.com/kefuboard/kefuboard/internal/importer"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// reportDoc is the JSON report decoded.
type reportDoc struct {
	Metrics map[string]*float64 `json:"metrics"`
	Sources map[string]string   `json:"sources"`
	Agents  []struct {
		Agent   string              `json:"agent"`
		Metrics map[string]*float64 `json:"metrics"`
		Sources map[string]string   `json:"sources"`
	} `json:"agents"`
}

func decodeReport(t *testing.T, s *store.Store, shop, from, to string) reportDoc {
	t.Helper()
	var r reportDoc
	if err := json.Unmarshal([]byte(reportJSON(t, s, shop, from, to)), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// platformRows reads the agent rows of report files through the importer:
// agent → its rows. The expected report numbers are added up from these by
// the rules of docs/METRICS.md, independently of the store.
func platformRows(t *testing.T, files []string) map[string][]kpi.AgentReportRow {
	t.Helper()
	out := map[string][]kpi.AgentReportRow{}
	for _, f := range files {
		r, err := importer.Open(f, importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, rowErr, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || rowErr != nil {
				t.Fatalf("%s: %v %v", f, err, rowErr)
			}
			out[rec.AgentReport.Agent] = append(out[rec.AgentReport.Agent], *rec.AgentReport)
		}
		r.Close()
	}
	return out
}

func fig(row kpi.AgentReportRow, key string) (float64, bool) {
	for _, v := range row.Values {
		if v.Key == key {
			return v.Value, true
		}
	}
	return 0, false
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6*math.Max(1, math.Abs(b)) }

// TestAgentReportsPDD imports a month of PDD 客服绩效 files (the demo's
// second shop) and checks the report: every agent from the platform's
// figures, counts and money summed, conversion rebuilt from its parts, reply
// rates weighted by consulting buyers, every value labelled "platform".
func TestAgentReportsPDD(t *testing.T) {
	dir := t.TempDir()
	end := time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)
	man, err := demo.GeneratePlatform(demo.PlatformConfig{Dir: dir, Days: 7, Agents: 4, End: end})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := openStore(t)
	opt := Options{Shop: "拼多多示例店", Settings: store.ShopSettings{Platform: "pdd", TZ: "Asia/Shanghai"}}
	var added int64
	for _, f := range man.ReportFiles {
		res := mustImport(t, s, f, opt)
		if res.Kind != kpi.KindAgentReport || res.Rejected != 0 || res.Skipped != 2 || res.Period == nil || res.Period.From != res.Period.To {
			t.Fatalf("%s: %+v", filepath.Base(f), res)
		}
		added += res.Added
	}
	rows := platformRows(t, man.ReportFiles)
	if n := int64(len(rows["拼多多示例店:小樱"])); added < 7 || n == 0 {
		t.Fatalf("added %d rows, 小樱 has %d days", added, n)
	}
	// Re-importing changes nothing.
	for _, f := range man.ReportFiles {
		if res := mustImport(t, s, f, opt); res.Added != 0 || res.Updated != 0 || res.Unchanged == 0 {
			t.Fatalf("re-import %s: %+v", filepath.Base(f), res.Counts)
		}
	}
	from, to := man.Days[0].Format(time.DateOnly), man.Days[len(man.Days)-1].Format(time.DateOnly)
	r := decodeReport(t, s, "拼多多示例店", from, to)
	if len(r.Agents) != len(rows) {
		t.Fatalf("%d agents listed, files have %d", len(r.Agents), len(rows))
	}
	var shopInq, shopConv, shopSales float64
	for _, a := range r.Agents {
		days := rows[a.Agent]
		var inq, conv, sales, cons, w3m float64
		for _, d := range days {
			x, _ := fig(d, "inquiries")
			y, _ := fig(d, "converted_inquiries")
			z, _ := fig(d, "attributed_sales")
			c, _ := fig(d, "consulting_buyers")
			r3, _ := fig(d, "reply_3m_rate")
			inq, conv, sales, cons, w3m = inq+x, conv+y, sales+z, cons+c, w3m+r3*c
		}
		shopInq, shopConv, shopSales = shopInq+inq, shopConv+conv, shopSales+sales
		for key, want := range map[string]float64{
			"inquiries": inq, "converted_inquiries": conv, "inquiry_conversion_rate": conv / inq,
			"attributed_sales": math.Round(sales) / 100, "sales": math.Round(sales) / 100, "consulting_buyers": cons, "reply_3m_rate": w3m / cons,
		} {
			got := a.Metrics[key]
			if got == nil || !near(*got, want) {
				t.Errorf("%s %s = %v, want %v", a.Agent, key, got, want)
			}
			if a.Sources[key] != "platform" {
				t.Errorf("%s %s source %q", a.Agent, key, a.Sources[key])
			}
		}
		// An agent known only from platform reports has no computed numbers:
		// null, not a "0" kefuboard never counted.
		if a.Metrics["buyer_messages"] != nil || a.Sources["buyer_messages"] != "" || a.Metrics["attributed_orders"] != nil {
			t.Errorf("%s buyer_messages %v source %q: no chats, no number", a.Agent, a.Metrics["buyer_messages"], a.Sources["buyer_messages"])
		}
	}
	for key, want := range map[string]float64{"inquiries": shopInq, "inquiry_conversion_rate": shopConv / shopInq, "attributed_sales": math.Round(shopSales) / 100} {
		if got := r.Metrics[key]; got == nil || !near(*got, want) || r.Sources[key] != "platform" {
			t.Errorf("shop %s = %v (%s), want %v", key, got, r.Sources[key], want)
		}
	}
	// A weekly report over the same days is not added to the daily ones.
	weekly := filepath.Join(t.TempDir(), "客服绩效_"+from+"_"+to+".xlsx")
	copyFile(t, man.ReportFiles[0], weekly)
	mustImport(t, s, weekly, opt)
	if again := decodeReport(t, s, "拼多多示例店", from, to); *again.Metrics["inquiries"] != *r.Metrics["inquiries"] {
		t.Errorf("weekly report double-counted: %v, was %v", *again.Metrics["inquiries"], *r.Metrics["inquiries"])
	}
	// Alone, a range report is used only for a period containing all of it.
	first := decodeReport(t, s, "拼多多示例店", from, from)
	if len(first.Agents) == 0 {
		t.Error("the first day lists no agent")
	}
}

// TestAgentReportUpdatesAndIdentity: a newer download of the same day
// replaces the values; "店铺:小美" is 小美 of the chat data; the computation
// wins where chats exist and the platform fills what kefuboard cannot compute.
func TestAgentReportUpdatesAndIdentity(t *testing.T) {
	s, _ := openStore(t)
	for _, f := range goldenFiles {
		mustImport(t, s, filepath.Join(goldenDir, f), goldenOpts())
	}
	before := decodeReport(t, s, "示例旗舰店", "2024-03-03", "2024-03-03")
	csv := "客服账号,客服服务分,咨询人数,询单人数,最终成团人数,询单转化率,客服销售额(元),3分钟人工回复率(8-23点)\n" +
		"示例旗舰店:小美,4.8,99,50,20,40%,1234.5,90%\n店铺总计,,99,50,20,40%,1234.5,90%\n"
	dir := t.TempDir()
	p := filepath.Join(dir, "客服绩效_2024-03-03.csv")
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	res := mustImport(t, s, p, goldenOpts())
	if res.Added != 1 || res.Skipped != 1 {
		t.Fatalf("first download: %+v", res)
	}
	r := decodeReport(t, s, "示例旗舰店", "2024-03-03", "2024-03-03")
	var mei *struct {
		Agent   string              `json:"agent"`
		Metrics map[string]*float64 `json:"metrics"`
		Sources map[string]string   `json:"sources"`
	}
	for i := range r.Agents {
		if r.Agents[i].Agent == "小美" {
			mei = &r.Agents[i]
		}
		if strings.Contains(r.Agents[i].Agent, ":") {
			t.Errorf("agent %q listed: 示例旗舰店:小美 should be 小美", r.Agents[i].Agent)
		}
	}
	if mei == nil {
		t.Fatalf("小美 not listed: %+v", r.Agents)
	}
	var was map[string]*float64
	for _, a := range before.Agents {
		if a.Agent == "小美" {
			was = a.Metrics
		}
	}
	if *mei.Metrics["inquiries"] != *was["inquiries"] || mei.Sources["inquiries"] != "computed" {
		t.Errorf("小美 inquiries %v (%s), computed %v: chats win", *mei.Metrics["inquiries"], mei.Sources["inquiries"], *was["inquiries"])
	}
	if v := mei.Metrics["service_score"]; v == nil || *v != 4.8 || mei.Sources["service_score"] != "platform" {
		t.Errorf("小美 service_score %v (%s)", v, mei.Sources["service_score"])
	}
	// The shop's computed numbers are unchanged: the platform only fills
	// what kefuboard has no value for.
	for k, v := range before.Metrics {
		if v != nil && (r.Metrics[k] == nil || *v != *r.Metrics[k] || r.Sources[k] != "computed") {
			t.Errorf("shop %s changed: %v -> %v (%s)", k, *v, r.Metrics[k], r.Sources[k])
		}
		if v == nil && r.Metrics[k] != nil && r.Sources[k] != "platform" {
			t.Errorf("shop %s: %v from %q", k, *r.Metrics[k], r.Sources[k])
		}
	}
	// A newer download with a corrected figure replaces it.
	if err := os.WriteFile(p, []byte(strings.Replace(csv, "4.8", "4.9", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := mustImport(t, s, p, goldenOpts()); res.Updated != 1 || res.Added != 0 {
		t.Errorf("newer download: %+v", res.Counts)
	}
	r = decodeReport(t, s, "示例旗舰店", "2024-03-03", "2024-03-03")
	for _, a := range r.Agents {
		if a.Agent == "小美" && (a.Metrics["service_score"] == nil || *a.Metrics["service_score"] != 4.9) {
			t.Errorf("service_score after the newer download: %v", a.Metrics["service_score"])
		}
	}
}

// An agent report without any period is refused whole, with nothing written.
func TestAgentReportNeedsPeriod(t *testing.T) {
	s, path := openStore(t)
	mustImport(t, s, filepath.Join(goldenDir, "orders.csv"), goldenOpts())
	before := fingerprint(t, path)
	p := filepath.Join(t.TempDir(), "客服绩效.csv")
	os.WriteFile(p, []byte("客服账号,咨询人数,询单人数\n小美,10,5\n"), 0o644)
	if _, err := File(context.Background(), s, p, goldenOpts()); !errors.Is(err, importer.ErrNoPeriod) {
		t.Fatalf("err %v, want ErrNoPeriod", err)
	}
	sameFingerprint(t, before, fingerprint(t, path))
	sp := kpi.Span{From: day(t, "2024-03-03"), To: day(t, "2024-03-03")}
	opt := goldenOpts()
	opt.Period = &sp
	if res := mustImport(t, s, p, opt); res.Added != 1 {
		t.Errorf("with --period: %+v", res)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAgentMerge: merging two names of one person moves every number (computed
// and platform) to the agent merged into; undoing it restores the report exactly.
func TestAgentMerge(t *testing.T) {
	s, _ := openStore(t)
	for _, f := range goldenFiles {
		mustImport(t, s, filepath.Join(goldenDir, f), goldenOpts())
	}
	p := filepath.Join(t.TempDir(), "客服绩效_2024-03-03.csv")
	os.WriteFile(p, []byte("客服账号,客服服务分,咨询人数,询单人数\n美美,4.7,12,6\n"), 0o644)
	mustImport(t, s, p, goldenOpts())
	ctx := context.Background()
	before := reportJSON(t, s, "示例旗舰店", "2024-03-02", "2024-03-04")
	shop, _ := s.ShopByName(ctx, "示例旗舰店")
	mei, _ := s.AgentByName(ctx, shop.ID, "小美")
	mm, _ := s.AgentByName(ctx, shop.ID, "美美")
	xue, _ := s.AgentByName(ctx, shop.ID, "小雪")
	agentOf := func(r reportDoc, name string) map[string]*float64 {
		for _, a := range r.Agents {
			if a.Agent == name {
				return a.Metrics
			}
		}
		return nil
	}
	r0 := decodeReport(t, s, "示例旗舰店", "2024-03-02", "2024-03-04")
	if agentOf(r0, "美美") == nil || agentOf(r0, "小美")["service_score"] != nil {
		t.Fatalf("before the merge: 美美 %v, 小美 service_score %v", agentOf(r0, "美美"), agentOf(r0, "小美")["service_score"])
	}
	// The platform's name: its figures join 小美's.
	if err := s.MergeAgents(ctx, mm.ID, mei.ID); err != nil {
		t.Fatal(err)
	}
	r1 := decodeReport(t, s, "示例旗舰店", "2024-03-02", "2024-03-04")
	if agentOf(r1, "美美") != nil || agentOf(r1, "小美")["service_score"] == nil || *agentOf(r1, "小美")["service_score"] != 4.7 {
		t.Errorf("after merging 美美 into 小美: %+v", r1.Agents)
	}
	// Two computed agents: 小雪's chats, orders and refunds count as 小美's.
	if err := s.MergeAgents(ctx, xue.ID, mei.ID); err != nil {
		t.Fatal(err)
	}
	r2 := decodeReport(t, s, "示例旗舰店", "2024-03-02", "2024-03-04")
	for _, k := range []string{"buyer_messages", "inquiries", "attributed_orders", "complaints"} {
		want := *agentOf(r0, "小美")[k] + *agentOf(r0, "小雪")[k]
		if got := agentOf(r2, "小美")[k]; got == nil || *got != want {
			t.Errorf("merged %s = %v, want %v", k, got, want)
		}
	}
	if *r2.Metrics["buyer_messages"] != *r0.Metrics["buyer_messages"] {
		t.Error("the shop's numbers changed with a merge")
	}
	if err := s.MergeAgents(ctx, mei.ID, xue.ID); err != store.ErrMergeSelf {
		t.Errorf("merging into an agent merged into itself: %v", err)
	}
	for _, id := range []int64{xue.ID, mm.ID} {
		if err := s.UnmergeAgent(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if after := reportJSON(t, s, "示例旗舰店", "2024-03-02", "2024-03-04"); after != before {
		t.Errorf("undo did not restore the report:\n%s\n%s", before, after)
	}
}
