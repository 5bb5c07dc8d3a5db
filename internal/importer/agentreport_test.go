package importer

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// named copies a test file to a path with the given base name: agent
// reports read their period from the file name.
func named(t *testing.T, path, name string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func day(t *testing.T, s string) kpi.Day {
	t.Helper()
	d, err := kpi.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// reportRows reads an agent report whole: agent rows by name, benchmark rows
// by kind.
func reportRows(t *testing.T, path string, opts Options) (*Reader, map[string]kpi.AgentReportRow, map[string]kpi.AgentReportRow, []*RowError) {
	t.Helper()
	r, recs, rowErrs := openAll(t, path, opts)
	if r.Kind() != kpi.KindAgentReport {
		t.Fatalf("%s: kind %s, want agent_report", filepath.Base(path), r.Kind())
	}
	agents, bench := map[string]kpi.AgentReportRow{}, map[string]kpi.AgentReportRow{}
	for _, rec := range recs {
		a := rec.AgentReport
		if a == nil {
			t.Fatalf("record without agent report: %+v", rec)
		}
		if a.Benchmark != "" {
			bench[a.Benchmark] = *a
		} else {
			agents[a.Agent] = *a
		}
	}
	return r, agents, bench, rowErrs
}

// want checks one figure of a row: key (canonical, or the platform column
// for a platform-only metric) → value; NaN means "must be absent".
func want(t *testing.T, row kpi.AgentReportRow, figs map[string]float64) {
	t.Helper()
	got := map[string]kpi.PlatformValue{}
	for _, v := range row.Values {
		if _, dup := got[v.Metric()]; dup {
			t.Errorf("%s: %s twice", row.Agent, v.Metric())
		}
		got[v.Metric()] = v
	}
	for k, w := range figs {
		v, ok := got[k]
		switch {
		case math.IsNaN(w) && ok:
			t.Errorf("%s.%s = %v (%s), want empty", row.Agent, k, v.Value, v.Column)
		case math.IsNaN(w):
		case !ok:
			t.Errorf("%s.%s missing (have %v)", row.Agent, k, keysOf(got))
		case math.Abs(v.Value-w) > 1e-9:
			t.Errorf("%s.%s = %v, want %v", row.Agent, k, v.Value, w)
		}
	}
}

func keysOf(m map[string]kpi.PlatformValue) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

var nan = math.NaN()

func TestAgentReportPDD(t *testing.T) {
	header := []any{"序号", "客服账号", "客服服务分", "咨询人数", "询单人数", "最终成团人数", "询单转化率", "客服销售额 (元)", "去退销售额（元）",
		"需要人工回复的咨询人数", "人工接待人数", "3 分钟未回复人数", "3分钟人工回复率(8-23点)", "30秒应答率(8-23点)", "平均人工响应时长",
		"评分≤3 订单数", "纠纷退款数", "投诉数"}
	p := makeXLSX(t, false, sh("Sheet0", map[int][]any{
		1: header,
		2: {1, "水密码旗舰店:小樱", 4.8, 120, 73, 27, "36.99%", 11715.63, 11000.5, 100, 98, 2, "96.15%", "88.50%", "9秒", 1, 0, 0},
		3: {2, "水密码旗舰店:小雪", "--", 45, 0, 0, "--", 0, 0, 40, 40, 0, "100%", "90%", "1分5秒", 0, "-", 0},
		4: {nil, "店铺总计", nil, 165, 73, 27, "36.99%", 11715.63},
		5: {nil, "客服平均", nil, 82.5},
	}))
	p = named(t, p, "客服绩效_2026-04-20.xlsx")
	r, agents, bench, rowErrs := reportRows(t, p, Options{})
	if len(rowErrs) != 0 || len(bench) != 0 || len(agents) != 2 || r.Skipped() != 2 {
		t.Fatalf("agents %d bench %d skipped %d errors %v", len(agents), len(bench), r.Skipped(), rowErrs)
	}
	a := agents["水密码旗舰店:小樱"]
	if a.From != day(t, "2026-04-20") || a.To != a.From {
		t.Errorf("period %s..%s", a.From, a.To)
	}
	want(t, a, map[string]float64{
		"service_score": 4.8, "consulting_buyers": 120, "inquiries": 73, "converted_inquiries": 27,
		"inquiry_conversion_rate": 0.3699, "attributed_sales": 1171563, "attributed_sales_net": 1100050,
		"需要人工回复的咨询人数": 100, "人工接待人数": 98, "unreplied_buyers": 2, "reply_3m_rate": 0.9615,
		"reply_30s_rate": 0.885, "avg_response_seconds": 9, "bad_reviews": 1, "dispute_refunds": 0, "complaints": 0,
	})
	want(t, agents["水密码旗舰店:小雪"], map[string]float64{
		"service_score": nan, "inquiry_conversion_rate": nan, "dispute_refunds": nan, "reply_3m_rate": 1, "reply_30s_rate": 0.9,
		"avg_response_seconds": 65, "attributed_sales": 0,
	})
	for _, v := range a.Values {
		if v.Key == "attributed_sales" && v.Column != "客服销售额" {
			t.Errorf("column name kept as %q", v.Column)
		}
	}
}

func TestAgentReportTaobaoChituGBKRange(t *testing.T) {
	csv := "旺旺,旺旺分组,接待人数,询单->次日付款成功率,询单->最终付款转化率,询单->最终付款人数,客户满意率,销售额,答问比,上班天数,客单价修,转出人数,未回复人数,平均响应(秒),询单人数延\r\n" +
		"小迪,售前组,210,0.2,0.35,49,1.0,23456.7,1.25,7,478.7143,3,1,12.5,140\r\n" +
		"阿May,售前组,88,延迟统计,0.3,18,0.98,8000,1.1,6,444.444,0,0,20,延迟统计\r\n" +
		"汇总,,298,,,67,,31456.7\r\n均值,,149\r\n"
	p := writeFile(t, "自定义报表_1234567_2026-04-20至2026-04-26.csv", gbk(t, csv))
	r, agents, _, rowErrs := reportRows(t, p, Options{})
	if len(rowErrs) != 0 || len(agents) != 2 || r.Skipped() != 2 {
		t.Fatalf("agents %v skipped %d errors %v", agents, r.Skipped(), rowErrs)
	}
	if s, ok := r.Period(); !ok || s.From != day(t, "2026-04-20") || s.To != day(t, "2026-04-26") {
		t.Errorf("period %v %v", s, ok)
	}
	want(t, agents["小迪"], map[string]float64{
		"consulting_buyers": 210, "inquiry_conversion_rate": 0.35, "converted_inquiries": 49, "satisfaction_rate": 1,
		"attributed_sales": 2345670, "答问比": 1.25, "上班天数": 7, "aov": 47871, "unreplied_buyers": 1,
		"avg_response_seconds": 12.5, "inquiries": 140, "询单->次日付款成功率": 0.2, "转出人数": 3,
	})
	want(t, agents["阿May"], map[string]float64{"inquiries": nan, "询单->次日付款成功率": nan, "aov": 44444})
}

func TestAgentReportSycmBannersBenchmarks(t *testing.T) {
	p := makeXLSX(t, false, sh("数据信息", map[int][]any{
		1: {"下载数据最多5000条，超出部分会被截断！"},
		2: {"收藏网址：https://sycm.taobao.com/qos/service/frame/perf"},
		4: {"旺旺昵称", "旺旺分组", "有效接待人数", "当日询单人数", "询单人数", "下单人数", "销售人数", "净销售额", "销售额", "客单价",
			"询单流失人数", "首次响应时长（秒)", "平均响应时长（秒)", "答问比", "客户满意率", "询单最终付款转化率"},
		5: {"店铺:小迪", "默认", 300, 90, 100, 45, 40, 18000, 20000, 500, 55, 8, 15.5, 1.3, "97.5%", "40.00%"},
		6: {"全店平均值", nil, 300},
		7: {"全店汇总值", nil, 300},
		8: {"同行同层均值", nil, 250, 80, 90, 30, 28, nil, 15000, 420, nil, 10, 20, 1.1, "95%", "31.11%"},
		9: {"同行同层优秀", nil, 500, 160, 180, 80, 75, nil, 42000, 560, nil, 5, 11, 1.5, "99%", "41.67%"},
	}))
	p = named(t, p, "客服绩效_2026-04-01_2026-04-30.xlsx")
	r, agents, bench, rowErrs := reportRows(t, p, Options{})
	if len(rowErrs) != 0 || len(agents) != 1 || len(bench) != 2 || r.Skipped() != 2 {
		t.Fatalf("agents %d bench %d skipped %d errors %v", len(agents), len(bench), r.Skipped(), rowErrs)
	}
	a := agents["店铺:小迪"]
	if a.From != day(t, "2026-04-01") || a.To != day(t, "2026-04-30") {
		t.Errorf("period %s..%s", a.From, a.To)
	}
	want(t, a, map[string]float64{
		"consulting_buyers": 300, "inquiries": 100, "当日询单人数": 90, "converted_inquiries": 40, "下单人数": 45,
		"attributed_sales_net": 1800000, "attributed_sales": 2000000, "aov": 50000, "first_response_seconds": 8,
		"avg_response_seconds": 15.5, "satisfaction_rate": 0.975, "inquiry_conversion_rate": 0.4, "询单流失人数": 55,
	})
	want(t, bench[kpi.BenchmarkAvg], map[string]float64{"inquiry_conversion_rate": 0.3111, "avg_response_seconds": 20})
	want(t, bench[kpi.BenchmarkTop], map[string]float64{"inquiry_conversion_rate": 0.4167, "attributed_sales": 4200000})
}

func TestAgentReportJDDailyByFileName(t *testing.T) {
	p := makeXLSX(t, false, sh("整体数据", map[int][]any{
		1: {"客服", "接待量", "售前接待人数", "促成下单人数", "促成下单商品金额", "平均响应时长（新）", "30s应答率", "客服3分钟人工回复率", "好评量", "评价量"},
		2: {"麻大师旗舰-小王", 56, 30, 12, 3588.5, 18.2, 0.93, "97.3%", 8, 9},
		3: {"麻大师旗舰-小李", 0, 0, 0, 0, "NaN", "NaN", "NaN", 0, 0},
	}))
	p = named(t, p, "京东pop2026-08-25.xlsx")
	_, agents, _, rowErrs := reportRows(t, p, Options{})
	if len(rowErrs) != 0 || len(agents) != 2 {
		t.Fatalf("agents %v errors %v", agents, rowErrs)
	}
	a := agents["麻大师旗舰-小王"]
	if a.From != day(t, "2026-08-25") || a.To != a.From {
		t.Errorf("period %s..%s", a.From, a.To)
	}
	want(t, a, map[string]float64{"consulting_buyers": 56, "inquiries": 30, "converted_inquiries": 12, "attributed_sales": 358850,
		"avg_response_seconds": 18.2, "reply_30s_rate": 0.93, "reply_3m_rate": 0.973, "好评量": 8, "评价量": 9})
	want(t, agents["麻大师旗舰-小李"], map[string]float64{"avg_response_seconds": nan, "reply_30s_rate": nan, "consulting_buyers": 0})
}

func TestAgentReportDouyinStatedPeriod(t *testing.T) {
	csv := "客服账号,客服昵称,客服在线天数,接待会话量,待回复会话量,已接待人数,转出会话量,有效评价数,有效好评数,有效差评数,全天满意率,全天不满意率,全天平响时长,全天首响时长,全天3分钟回复率,工作时间平响时长,工作时间3分钟回复率,询单人数,下单人数,支付人数,退款人数,客服询单支付额,退款金额,退款后销售额,询单转化率\n" +
		"\t1234567,小美,1,80,2,75,1,10,9,1,90%,10%,7小时41分52秒,11秒,95%,2分30秒,97.5%,40,22,20,1,5000,100,4900,50%\n" +
		",阿杰,1,30,0,28,0,-,-,-,-,-,01:05,-,-,00:45,100%,10,5,4,0,800,0,800,40%\n" +
		",店铺汇总值,1,110,2,103,1,10,9,1,90%,10%,-,-,-,-,-,50,27,24,1,5800,100,5700,48%\n"
	span := kpi.Span{From: day(t, "2026-05-01"), To: day(t, "2026-05-31")}
	p := writeFile(t, "客服表现.csv", []byte(csv))
	if r, err := Open(p, Options{}); err != nil || !r.NeedsPeriod() {
		t.Fatalf("without a period: err %v, needs %v", err, r != nil && r.NeedsPeriod())
	} else {
		if _, _, err := r.Next(); err != ErrNoPeriod {
			t.Errorf("Next without a period: %v", err)
		}
		r.Close()
	}
	r, agents, _, rowErrs := reportRows(t, p, Options{Period: &span})
	if len(rowErrs) != 0 || len(agents) != 2 || r.Skipped() != 1 {
		t.Fatalf("agents %v skipped %d errors %v", agents, r.Skipped(), rowErrs)
	}
	a := agents["1234567"] // the account, tab trimmed
	if a.From != span.From || a.To != span.To {
		t.Errorf("period %s..%s", a.From, a.To)
	}
	want(t, a, map[string]float64{"consulting_buyers": 75, "unreplied_buyers": 2, "bad_reviews": 1, "satisfaction_rate": 0.9,
		"全天平响时长": 7*3600 + 41*60 + 52, "first_response_seconds": 11, "全天3分钟回复率": 0.95, "avg_response_seconds": 150,
		"reply_3m_rate": 0.975, "inquiries": 40, "converted_inquiries": 20, "attributed_sales": 500000, "attributed_sales_net": 490000,
		"inquiry_conversion_rate": 0.5, "退款金额": 10000, "下单人数": 22})
	want(t, agents["阿杰"], map[string]float64{"全天平响时长": 65, "avg_response_seconds": 45, "satisfaction_rate": nan, "bad_reviews": nan})
}

func TestAgentReportDateColumnAndTwoRowHeader(t *testing.T) {
	csv := "基础数据,,,响应\n日期,客服,接待量,首次平均响应时间,平均响应时间,30s应答率\n" +
		"2026-08-01,小王,20,10,15,0.9\n2026/8/2,小王,25,12,16,0.8\n2026-08-01,小李,5,30,40,0.5\n"
	p := writeFile(t, "dongdong.csv", []byte(csv))
	r, recs, rowErrs := openAll(t, p, Options{})
	if r.Kind() != kpi.KindAgentReport || len(rowErrs) != 0 || len(recs) != 3 || r.NeedsPeriod() {
		t.Fatalf("kind %s recs %d errors %v", r.Kind(), len(recs), rowErrs)
	}
	second := recs[1].AgentReport
	if second.From != day(t, "2026-08-02") || second.To != second.From || recs[1].Row != 4 {
		t.Errorf("row %d period %s..%s", recs[1].Row, second.From, second.To)
	}
	want(t, *second, map[string]float64{"consulting_buyers": 25, "first_response_seconds": 12, "avg_response_seconds": 16, "reply_30s_rate": 0.8})
}

func TestAgentReportQianniuAndDongdongSatisfaction(t *testing.T) {
	p := makeXLSX(t, false, sh("按客服查看", map[int][]any{
		1: {"旺旺账号名称", "平均响应时长", "人工接待会话量", "3分钟人工响应率", "满意评价量", "旺旺评价量"},
		2: {"店:小迪", "00:12", 300, "98.00%", 50, 60},
	}))
	_, agents, _, _ := reportRows(t, named(t, p, "服务报表20260420.xlsx"), Options{})
	want(t, agents["店:小迪"], map[string]float64{"avg_response_seconds": 12, "人工接待会话量": 300, "reply_3m_rate": 0.98})

	// No canonical figure at all: still a report, every figure kept.
	csv := "日期,UID,技能组,非常满意,满意,不满意,非常不满意,客服总消息数,客户总消息数\n2026-08-01,jd_xw,售前,10,5,1,0,300,280\n"
	_, agents, _, rowErrs := reportRows(t, writeFile(t, "满意度.csv", []byte(csv)), Options{})
	if len(rowErrs) != 0 {
		t.Fatal(rowErrs)
	}
	want(t, agents["jd_xw"], map[string]float64{"非常满意": 10, "客服总消息数": 300})
}

func TestAgentReportBadValues(t *testing.T) {
	csv := "客服账号,咨询人数,询单转化率,平均人工响应时长\n小樱,10,abc,9秒\n小雪,10,10%,很快\n,5,1%,1秒\n小月,8,5%,3秒\n"
	r, recs, rowErrs := openAll(t, writeFile(t, "客服绩效_20260420.csv", []byte(csv)), Options{})
	if len(recs) != 1 || len(rowErrs) != 3 {
		t.Fatalf("recs %d errors %v", len(recs), rowErrs)
	}
	for i, c := range []struct {
		row int
		col string
	}{{2, "询单转化率"}, {3, "平均人工响应时长"}, {4, "客服账号"}} {
		if e := rowErrs[i]; e.Row != c.row || e.Column != c.col || e.Reason == "" {
			t.Errorf("error %d: %+v", i, e)
		}
	}
	if s, _ := r.Period(); s.From != day(t, "2026-04-20") {
		t.Errorf("period from YYYYMMDD: %v", s)
	}
}

func TestNormaliseReportHeader(t *testing.T) {
	for _, c := range []struct{ in, name, unit string }{
		{"客服销售额 (元)", "客服销售额", "元"},
		{"去退销售额（元）", "去退销售额", "元"},
		{"30秒应答率(8-23点)", "30秒应答率(8-23点)", ""},
		{"3 分钟人工回复率（全天）", "3分钟人工回复率(全天)", ""},
		{"平均人工响应时长（分钟）", "平均人工响应时长", "分钟"},
		{"首次响应时长（秒)", "首次响应时长", "秒"},
		{"询单人数延", "询单人数", ""},
		{"客单价修", "客单价", ""},
		{"延", "延", ""},
		{"3分钟人工回复率 (会话)", "3分钟人工回复率(会话)", ""},
	} {
		if n, u := NormaliseReportHeader(c.in); n != c.name || u != c.unit {
			t.Errorf("%q: %q %q, want %q %q", c.in, n, u, c.name, c.unit)
		}
	}
}

func TestParseRateDuration(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
		bad  bool
	}{
		{"36.99%", 0.3699, true, false}, {"0.3699", 0.3699, true, false}, {"36.99", 0.3699, true, false},
		{"1", 1, true, false}, {"1.0", 1, true, false}, {"100%", 1, true, false}, {"--", 0, false, false},
		{"NaN", 0, false, false}, {"", 0, false, false}, {"#DIV/0!", 0, false, false}, {"x%", 0, false, true}, {"-5%", 0, false, true},
	} {
		v, ok, err := ParseRate(c.in)
		if ok != c.ok || (err != nil) != c.bad || math.Abs(v-c.want) > 1e-12 {
			t.Errorf("ParseRate(%q) = %v %v %v", c.in, v, ok, err)
		}
	}
	for _, c := range []struct {
		in, unit string
		want     float64
		ok, bad  bool
	}{
		{"9秒", "", 9, true, false}, {"2分30秒", "", 150, true, false}, {"7小时41分52秒", "", 27712, true, false},
		{"0.37 分钟", "", 22.2, true, false}, {"0.37", "分钟", 22.2, true, false}, {"12.5", "秒", 12.5, true, false},
		{"02:30", "", 150, true, false}, {"1:02:03", "", 3723, true, false}, {"45", "", 45, true, false},
		{"0.000104166666667", "", 9, true, false}, {"--分--秒", "", 0, false, false}, {"1分", "", 60, true, false},
		{"30秒2分", "", 0, false, true}, {"1:75", "", 0, false, true}, {"很快", "", 0, false, true}, {"-3", "", 0, false, true},
	} {
		v, ok, err := ParseDuration(c.in, c.unit)
		if ok != c.ok || (err != nil) != c.bad || math.Abs(v-c.want) > 1e-6 {
			t.Errorf("ParseDuration(%q, %q) = %v %v %v", c.in, c.unit, v, ok, err)
		}
	}
}

func TestPeriodFromName(t *testing.T) {
	for _, c := range []struct{ name, from, to string }{
		{"自定义报表_1234567_2026-04-20至2026-04-20.xlsx", "2026-04-20", "2026-04-20"},
		{"客服绩效_2026-04-01_2026-04-30.xlsx", "2026-04-01", "2026-04-30"},
		{"京东pop2026-08-25.xlsx", "2026-08-25", "2026-08-25"},
		{"report_20260401-20260430.xls", "2026-04-01", "2026-04-30"},
		{"客服数据2026年4月3日.xlsx", "2026-04-03", "2026-04-03"},
		{"客服表现 2026.5.1~2026.5.31.csv", "2026-05-01", "2026-05-31"},
		{"订单240420-123456789012345.csv", "", ""},
		{"客服绩效.xlsx", "", ""},
		{"a_2026-04-30_2026-04-01.xlsx", "", ""},
	} {
		s, ok := PeriodFromName(c.name)
		if c.from == "" {
			if ok {
				t.Errorf("%s: %s..%s, want none", c.name, s.From, s.To)
			}
			continue
		}
		if !ok || s.From.String() != c.from || s.To.String() != c.to {
			t.Errorf("%s: %s..%s %v, want %s..%s", c.name, s.From, s.To, ok, c.from, c.to)
		}
	}
	if s, err := ParsePeriod("2026-04-01..2026-04-30"); err != nil || s.Days() != 30 {
		t.Errorf("ParsePeriod: %v %v", s, err)
	}
	if _, err := ParsePeriod("2026-04-30..2026-04-01"); err == nil || !strings.Contains(err.Error(), "2026") {
		t.Errorf("backwards period accepted: %v", err)
	}
}

func FuzzParseReportValues(f *testing.F) {
	for _, s := range []string{"36.99%", "0.37 分钟", "7小时41分52秒", "01:02:03", "1,234", "--", "NaN", "9秒", "2分", "1e400", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok, err := ParseRate(s); ok && (err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("ParseRate(%q) = %v %v", s, v, err)
		}
		for _, unit := range []string{"", "秒", "分钟"} {
			if v, ok, err := ParseDuration(s, unit); ok && (err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0)) {
				t.Fatalf("ParseDuration(%q) = %v %v", s, v, err)
			}
		}
		if v, ok, err := parseReportMoney(s); ok && (err != nil || math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("parseReportMoney(%q) = %v %v", s, v, err)
		}
		_, _ = PeriodFromName(s)
		_, _ = NormaliseReportHeader(s)
	})
}

func TestCollectorChatRowsAndCells(t *testing.T) {
	// One row per message, role from 账号类型.
	csv := "客户名,消息序号,发送时间,发送内容,发送账号,账号类型\n" +
		"tb_小迪,1,2026-04-20 09:15:02,有货吗,tb_小迪,客户\n" +
		"tb_小迪,2,2026-04-20 09:15:40,有的亲,店铺:小王,客服\n"
	_, recs, errs := openAll(t, writeFile(t, "chat.csv", []byte(csv)), Options{})
	if len(errs) != 0 || len(recs) != 2 || recs[0].Message.Role != kpi.RoleBuyer || recs[1].Message.Role != kpi.RoleAgent || recs[1].Message.Agent != "店铺:小王" {
		t.Fatalf("rows: %+v %v", recs, errs)
	}
	// No 账号类型; times without a date, the date in the file name.
	csv = "客户名,发送时间,发送内容,发送账号\ntb_小迪,09:15:02,有货吗,tb_小迪\ntb_小迪,09:15:40,有的亲,店铺:小王\ntb_阿May,25:00,?,tb_阿May\n"
	_, recs, errs = openAll(t, writeFile(t, "聊天记录_2026-04-20.csv", []byte(csv)), Options{})
	if len(recs) != 2 || len(errs) != 1 || recs[1].Message.Role != kpi.RoleAgent || recs[1].Message.SentAt != at(t, "2026-04-20 09:15:40") {
		t.Fatalf("time-only rows: %+v %v", recs, errs)
	}
	if _, _, errs := openAll(t, writeFile(t, "chat.csv", []byte(csv)), Options{}); len(errs) != 3 || !strings.Contains(errs[0].Reason, "日期") {
		t.Errorf("time-only without a date: %v", errs)
	}
	// One cell per conversation.
	cell := "\"2026-04-20 09:15:02 tb_小迪：你好，这款有货吗\n已读\n2026-04-20 09:15:40 店铺:小王：亲，有货的哦\n可以今天发货\n店铺:小王 撤回了一条消息\n2026-04-20 09:16:10 tb_小迪: 好的\""
	_, recs, errs = openAll(t, writeFile(t, "conv.csv", []byte("客户ID,聊天记录\ntb_小迪,"+cell+"\n")), Options{})
	if len(errs) != 0 || len(recs) != 1 || len(recs[0].Messages) != 3 {
		t.Fatalf("conversation: %+v %v", recs, errs)
	}
	ms := recs[0].Messages
	if ms[1].Role != kpi.RoleAgent || ms[1].Agent != "店铺:小王" || ms[1].Content != "亲，有货的哦\n可以今天发货" || ms[2].Role != kpi.RoleBuyer || ms[2].SentAt != at(t, "2026-04-20 09:16:10") {
		t.Errorf("messages: %+v %+v %+v", *ms[0], *ms[1], *ms[2])
	}
	// The buyer id is not a sender: agents are in 店铺:子账号 form, the rest is the buyer.
	cell = "\"小迪 2026-4-20 9:15:02\n在吗\n店铺:小王 2026-4-20 9:15:30\n在的\""
	_, recs, _ = openAll(t, writeFile(t, "conv.csv", []byte("客户ID,聊天记录\n123456,"+cell+"\n")), Options{})
	if len(recs) != 1 || recs[0].Messages[0].Role != kpi.RoleBuyer || recs[0].Messages[1].Role != kpi.RoleAgent {
		t.Errorf("roles without the buyer id: %+v", recs)
	}
}
