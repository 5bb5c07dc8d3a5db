package demo

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The headers as PDD writes them, spelled out again here so a change to the
// generator's tables has to be a deliberate one.
var (
	wantPDDReportHeader = []string{"序号", "客服账号", "客服服务分", "咨询人数", "询单人数", "最终成团人数", "询单转化率",
		"客服销售额 (元)", "去退销售额（元）", "需要人工回复的咨询人数", "人工接待人数", "3 分钟未回复人数",
		"3分钟人工回复率(8-23点)", "30秒应答率(8-23点)", "平均人工响应时长", "评分≤3 订单数", "纠纷退款数", "投诉数"}
	wantPDDOrderHeader = []string{"商品", "订单号", "订单状态", "商品总价(元)", "店铺优惠折扣(元)", "平台优惠折扣(元)", "邮费(元)",
		"用户实付金额(元)", "商家实收金额(元)", "商品数量(件)", "收货人", "手机", "支付时间", "拼单成功时间", "订单确认时间",
		"承诺发货时间", "发货时间", "确认收货时间", "商品id", "商品规格", "快递单号", "快递公司", "商家备注", "售后状态", "买家留言"}
)

var platformTestEnd = time.Date(2024, 4, 20, 0, 0, 0, 0, shanghai)

func genPlatform(t testing.TB, cfg PlatformConfig) PlatformManifest {
	t.Helper()
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	m, err := GeneratePlatform(cfg)
	if err != nil {
		t.Fatalf("GeneratePlatform(%+v): %v", cfg, err)
	}
	return m
}

// pddReport is one 客服绩效 file read back: rows as text (formatted as Excel
// shows them), and whether each cell is stored as a number.
type pddReport struct {
	rows    [][]string
	numeric [][]bool
}

func readPDDReport(t *testing.T, path string) pddReport {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{PlatformSheet}) {
		t.Fatalf("%s: sheets %v, want [Sheet0]", path, got)
	}
	rows, err := f.GetRows(PlatformSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	rep := pddReport{rows: rows}
	for i, row := range rows {
		num := make([]bool, len(row))
		for j := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			typ, err := f.GetCellType(PlatformSheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			num[j] = typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber
		}
		rep.numeric = append(rep.numeric, num)
	}
	return rep
}

func readPDDOrders(t *testing.T, path string) [][]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(raw) {
		t.Fatalf("%s is valid UTF-8: want GBK", path)
	}
	text, err := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func fen(t *testing.T, s string) int64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("money %q: %v", s, err)
	}
	return int64(math.Round(x * 100))
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("count %q: %v", s, err)
	}
	return n
}

var (
	rePDDRate  = regexp.MustCompile(`^\d{1,3}\.\d\d%$`)
	rePDDResp  = regexp.MustCompile(`^(\d+分)?\d+秒$`)
	rePDDID    = regexp.MustCompile(`^\d{6}-\d{15}$`)
	rePDDPhone = regexp.MustCompile(`^1\d\d\*{4}\d{4}$`)
	rePDDTime  = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`)
)

func TestPlatformReports(t *testing.T) {
	const days, agents = 21, 5
	m := genPlatform(t, PlatformConfig{Days: days, Agents: agents, Seed: 7, End: platformTestEnd})
	if len(m.ReportFiles) != days || len(m.Days) != days || len(m.Agents) != agents {
		t.Fatalf("manifest: %d reports, %d days, %d agents", len(m.ReportFiles), len(m.Days), len(m.Agents))
	}
	if !m.Days[days-1].Equal(platformTestEnd) {
		t.Errorf("last day %v, want %v", m.Days[days-1], platformTestEnd)
	}
	for _, a := range m.Agents {
		if !strings.HasPrefix(a, defaultPlatformShop+":") || utf8.RuneCountInString(a) != utf8.RuneCountInString(defaultPlatformShop)+3 {
			t.Errorf("agent account %q, want 拼多多示例店:<two-character name>", a)
		}
	}

	type tally struct{ inq, groups, resp, rows int }
	per := map[string]*tally{}
	daysOff, zeroInquiry := 0, 0
	for d, path := range m.ReportFiles {
		if want := "客服绩效_" + m.Days[d].Format("2006-01-02") + ".xlsx"; filepath.Base(path) != want {
			t.Fatalf("report %d is %s, want %s", d, filepath.Base(path), want)
		}
		if d > 0 && !m.Days[d].Equal(m.Days[d-1].AddDate(0, 0, 1)) {
			t.Fatalf("days %v and %v are not consecutive", m.Days[d-1], m.Days[d])
		}
		rep := readPDDReport(t, path)
		name := filepath.Base(path)
		if len(rep.rows) < 4 || !slices.Equal(rep.rows[0], wantPDDReportHeader) {
			t.Fatalf("%s: header %q", name, rep.rows[0])
		}
		n := len(rep.rows) - 3 // header, agents, 店铺总计, 客服平均
		if n < agents-1 || n > agents {
			t.Fatalf("%s: %d agent rows", name, n)
		}
		if n < agents {
			daysOff++
		}
		var sumConsult, sumGroups int
		var sumSales, sumNet int64
		seen := map[string]bool{}
		for i, row := range rep.rows[1 : 1+n] {
			if len(row) != len(wantPDDReportHeader) {
				t.Fatalf("%s row %d: %d cells", name, i+2, len(row))
			}
			if row[0] != strconv.Itoa(i+1) || !slices.Contains(m.Agents, row[1]) || seen[row[1]] {
				t.Fatalf("%s row %d: 序号 %q 客服账号 %q", name, i+2, row[0], row[1])
			}
			seen[row[1]] = true
			for j, num := range rep.numeric[i+1] {
				wantNum := j != 1 && j != 6 && j != 12 && j != 13 && j != 14
				if num != wantNum {
					t.Fatalf("%s row %d %s: numeric cell = %v", name, i+2, wantPDDReportHeader[j], num)
				}
			}
			consult, inq, groups := atoi(t, row[3]), atoi(t, row[4]), atoi(t, row[5])
			need, recv, noReply := atoi(t, row[9]), atoi(t, row[10]), atoi(t, row[11])
			sales, net := fen(t, row[7]), fen(t, row[8])
			if consult < 30 || consult > 120 || inq > consult || groups > inq || need > consult || recv > need || recv < need-3 || noReply > need {
				t.Fatalf("%s row %d: counts out of order: %q", name, i+2, row)
			}
			if inq == 0 {
				zeroInquiry++
				if row[6] != "--" {
					t.Fatalf("%s row %d: 询单人数 0 but 询单转化率 %q", name, i+2, row[6])
				}
			} else if want := strconv.FormatFloat(math.Round(float64(groups)*10000/float64(inq))/100, 'f', 2, 64) + "%"; row[6] != want {
				t.Fatalf("%s row %d: 询单转化率 %q, %d/%d gives %s", name, i+2, row[6], groups, inq, want)
			}
			if net > sales || net < 0 || (groups > 0) != (sales > 0) {
				t.Fatalf("%s row %d: 成团 %d, 客服销售额 %d, 去退 %d", name, i+2, groups, sales, net)
			}
			if !rePDDRate.MatchString(row[12]) || !rePDDRate.MatchString(row[13]) || !rePDDResp.MatchString(row[14]) {
				t.Fatalf("%s row %d: rates %q %q, time %q", name, i+2, row[12], row[13], row[14])
			}
			if want := strconv.FormatFloat(math.Round(float64(need-noReply)*10000/float64(need))/100, 'f', 2, 64) + "%"; row[12] != want {
				t.Fatalf("%s row %d: 3分钟人工回复率 %q, want %s", name, i+2, row[12], want)
			}
			if score, _ := strconv.ParseFloat(row[2], 64); score < 3 || score > 5 {
				t.Fatalf("%s row %d: 客服服务分 %q", name, i+2, row[2])
			}
			resp := 0
			if mm, s, ok := strings.Cut(strings.TrimSuffix(row[14], "秒"), "分"); ok {
				resp = atoi(t, mm)*60 + atoi(t, s)
			} else {
				resp = atoi(t, mm)
			}
			tl := per[row[1]]
			if tl == nil {
				tl = &tally{}
				per[row[1]] = tl
			}
			tl.inq += inq
			tl.groups += groups
			tl.resp += resp
			tl.rows++
			sumConsult += consult
			sumGroups += groups
			sumSales += sales
			sumNet += net
		}
		total, avg := rep.rows[1+n], rep.rows[2+n]
		if total[0] != "" || total[1] != PlatformTotalRow || avg[0] != "" || avg[1] != PlatformAverageRow {
			t.Fatalf("%s: summary rows %q / %q", name, total[:2], avg[:2])
		}
		if atoi(t, total[3]) != sumConsult || atoi(t, total[5]) != sumGroups || fen(t, total[7]) != sumSales || fen(t, total[8]) != sumNet {
			t.Fatalf("%s: 店铺总计 %q does not sum the agent rows", name, total)
		}
		if got := fen(t, avg[7]); math.Abs(float64(got)-float64(sumSales)/float64(n)) > 1 {
			t.Fatalf("%s: 客服平均 客服销售额 %d, want about %d", name, got, sumSales/int64(n))
		}
	}
	if daysOff == 0 {
		t.Error("no agent ever had a day off")
	}
	if zeroInquiry != 1 {
		t.Errorf("%d agent rows with 询单人数 0, want exactly 1", zeroInquiry)
	}
	// The league has a story: the slowest agent also converts worst, clearly.
	var slow, poor string
	var slowResp, poorConv, nextConv = 0.0, 2.0, 2.0
	for a, tl := range per {
		resp, conv := float64(tl.resp)/float64(tl.rows), float64(tl.groups)/float64(tl.inq)
		if resp > slowResp {
			slow, slowResp = a, resp
		}
		if conv < poorConv {
			poor, poorConv, nextConv = a, conv, poorConv
		} else if conv < nextConv {
			nextConv = conv
		}
	}
	if slow != poor || nextConv < poorConv*1.5 {
		t.Errorf("weak agent unclear: slowest %s (%.0fs), worst conversion %s (%.2f; next %.2f)", slow, slowResp, poor, poorConv, nextConv)
	}
}

func TestPlatformOrders(t *testing.T) {
	const days = 21
	m := genPlatform(t, PlatformConfig{Days: days, Seed: 7, End: platformTestEnd})
	if want := "订单导出_" + m.Days[0].Format("2006-01-02") + "_" + m.Days[days-1].Format("2006-01-02") + ".csv"; filepath.Base(m.OrderFile) != want {
		t.Fatalf("order file %s, want %s", filepath.Base(m.OrderFile), want)
	}
	recs := readPDDOrders(t, m.OrderFile)
	if !slices.Equal(recs[0], wantPDDOrderHeader) {
		t.Fatalf("header %q", recs[0])
	}
	for _, h := range recs[0] {
		if (strings.Contains(h, "买家") && h != "买家留言") || strings.Contains(h, "下单") || strings.Contains(h, "创建") {
			t.Errorf("header %q: the PDD export has no buyer column and no creation time", h)
		}
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	get := func(r []string, h string) string { return r[col[h]] }
	statuses := []string{pddShipped, pddSigned, pddToShip, pddCancelled}
	afters := []string{pddNoAfter, pddRefunded, pddAfterOpen, pddRefundOpen}
	count := map[string]int{}
	ids := map[string]bool{}
	dailyPaid := map[string]int64{}
	dailyOrders := map[string]int{}
	unpaidCancelled := 0
	for i, r := range recs[1:] {
		row := i + 2
		if len(r) != len(wantPDDOrderHeader) {
			t.Fatalf("row %d: %d fields", row, len(r))
		}
		id, status, after := get(r, "订单号"), get(r, "订单状态"), get(r, "售后状态")
		if !rePDDID.MatchString(id) || ids[id] {
			t.Fatalf("row %d: order id %q bad or repeated", row, id)
		}
		ids[id] = true
		if !slices.Contains(statuses, status) || !slices.Contains(afters, after) {
			t.Fatalf("row %d: status %q / %q", row, status, after)
		}
		count[status]++
		count[after]++
		if !slices.ContainsFunc(catalogue, func(p product) bool { return p.name == get(r, "商品") }) {
			t.Fatalf("row %d: product %q not in the catalogue", row, get(r, "商品"))
		}
		if !rePDDPhone.MatchString(get(r, "手机")) || !strings.Contains(get(r, "收货人"), "*") {
			t.Fatalf("row %d: receiver %q %q not masked", row, get(r, "收货人"), get(r, "手机"))
		}
		total, shop, plat, post := fen(t, get(r, "商品总价(元)")), fen(t, get(r, "店铺优惠折扣(元)")), fen(t, get(r, "平台优惠折扣(元)")), fen(t, get(r, "邮费(元)"))
		paid, recv := fen(t, get(r, "用户实付金额(元)")), fen(t, get(r, "商家实收金额(元)"))
		if paid != total-shop-plat+post || recv != paid+plat || paid <= 0 {
			t.Fatalf("row %d: amounts %q", row, r[3:9])
		}
		var times []time.Time
		for _, h := range []string{"支付时间", "拼单成功时间", "订单确认时间", "承诺发货时间", "发货时间", "确认收货时间"} {
			s := get(r, h)
			var tm time.Time
			if s != "" {
				if !rePDDTime.MatchString(s) {
					t.Fatalf("row %d: %s %q", row, h, s)
				}
				tm, _ = time.ParseInLocation("2006-01-02 15:04:05", s, shanghai)
			}
			times = append(times, tm)
		}
		pay, ship, confirm := times[0], times[4], times[5]
		if pay.IsZero() {
			if status != pddCancelled || get(r, "发货时间") != "" || get(r, "拼单成功时间") != "" {
				t.Fatalf("row %d: unpaid but %q", row, r)
			}
			unpaidCancelled++
			continue
		}
		if !strings.HasPrefix(id, pay.Format("060102")+"-") {
			t.Fatalf("row %d: id %s, paid %v", row, id, pay)
		}
		if pay.Before(m.Days[0]) || !pay.Before(platformTestEnd.AddDate(0, 0, 1)) {
			t.Fatalf("row %d: paid %v outside the period", row, pay)
		}
		if ship.IsZero() != (get(r, "快递单号") == "") || (!ship.IsZero() && !ship.After(pay)) || (!confirm.IsZero() && !confirm.After(ship)) {
			t.Fatalf("row %d: times %q", row, r[12:18])
		}
		if (status == pddShipped || status == pddSigned) == ship.IsZero() {
			t.Fatalf("row %d: %s with 发货时间 %q", row, status, get(r, "发货时间"))
		}
		dailyPaid[pay.Format("2006-01-02")] += paid
		dailyOrders[pay.Format("2006-01-02")]++
	}
	if unpaidCancelled == 0 || count[pddRefunded] == 0 || count[pddSigned] == 0 || count[pddToShip] == 0 {
		t.Errorf("statuses too uniform: %v, %d cancelled before payment", count, unpaidCancelled)
	}
	if count[pddNoAfter] < 8*count[pddRefunded] {
		t.Errorf("too many after-sales: %v", count)
	}
	// Agents' sales are 40–70% of the shop's paid sales of the same day.
	for d, path := range m.ReportFiles {
		rows := readPDDReport(t, path).rows
		total := rows[len(rows)-2]
		day := m.Days[d].Format("2006-01-02")
		agents, shop := fen(t, total[7]), dailyPaid[day]
		if shop == 0 || float64(agents) < 0.39*float64(shop) || float64(agents) > 0.71*float64(shop) {
			t.Errorf("%s: agents sold %d fen, the shop %d", day, agents, shop)
		}
		if atoi(t, total[5]) > dailyOrders[day] {
			t.Errorf("%s: %s 成团 but %d paid orders", day, total[5], dailyOrders[day])
		}
	}
}

func TestPlatformDeterministic(t *testing.T) {
	cfg := PlatformConfig{Days: 10, Agents: 4, Seed: 42, End: platformTestEnd}
	a := genPlatform(t, cfg)
	b := genPlatform(t, cfg)
	cfg.Seed = 43
	c := genPlatform(t, cfg)
	same := func(x, y string) bool {
		bx, err := os.ReadFile(x)
		if err != nil {
			t.Fatal(err)
		}
		by, err := os.ReadFile(y)
		if err != nil {
			t.Fatal(err)
		}
		return len(bx) > 0 && bytes.Equal(bx, by)
	}
	if !same(a.OrderFile, b.OrderFile) {
		t.Error("same seed: order exports differ")
	}
	if same(a.OrderFile, c.OrderFile) {
		t.Error("seeds 42 and 43: same order export")
	}
	differ := 0
	for d := range a.ReportFiles {
		ra, rb, rc := readPDDReport(t, a.ReportFiles[d]), readPDDReport(t, b.ReportFiles[d]), readPDDReport(t, c.ReportFiles[d])
		if !slices.EqualFunc(ra.rows, rb.rows, slices.Equal) {
			t.Errorf("%s: same seed, different cells", filepath.Base(a.ReportFiles[d]))
		}
		if !same(a.ReportFiles[d], b.ReportFiles[d]) {
			t.Errorf("%s: same seed, different bytes", filepath.Base(a.ReportFiles[d]))
		}
		if !slices.EqualFunc(ra.rows, rc.rows, slices.Equal) {
			differ++
		}
	}
	if differ < len(a.ReportFiles)-1 {
		t.Errorf("seeds 42 and 43: only %d of %d reports differ", differ, len(a.ReportFiles))
	}
}

func TestPlatformConfig(t *testing.T) {
	now := time.Date(2024, 4, 21, 0, 30, 0, 0, shanghai)
	c, err := PlatformConfig{Dir: "x"}.normalize(now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Days != 30 || c.Agents != 5 || c.Seed != 1 || c.Shop != "拼多多示例店" || !c.End.Equal(platformTestEnd) {
		t.Errorf("defaults: %+v", c)
	}
	for _, bad := range []PlatformConfig{{}, {Dir: "x", Agents: MaxPlatformAgents + 1}, {Dir: "x", Agents: -1}, {Dir: "x", Days: maxPlatformDays + 1}} {
		if _, err := bad.normalize(now); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	if len(platformAgentNames) != MaxPlatformAgents {
		t.Errorf("%d names for MaxPlatformAgents = %d", len(platformAgentNames), MaxPlatformAgents)
	}
	// The smallest shop: one agent, one day.
	m := genPlatform(t, PlatformConfig{Days: 1, Agents: 1, Shop: "小店", End: platformTestEnd})
	rows := readPDDReport(t, m.ReportFiles[0]).rows
	if len(rows) != 4 || rows[1][1] != "小店:小樱" || rows[2][1] != PlatformTotalRow || rows[3][1] != PlatformAverageRow {
		t.Errorf("one-agent report: %q", rows)
	}
	// A maximal team generates too.
	genPlatform(t, PlatformConfig{Days: 3, Agents: MaxPlatformAgents, End: platformTestEnd})
}

func BenchmarkGeneratePlatform(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := GeneratePlatform(PlatformConfig{Dir: dir, End: platformTestEnd}); err != nil {
			b.Fatal(err)
		}
	}
}
