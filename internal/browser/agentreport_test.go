package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/kefuboard/kefuboard/internal/demoshop"
)

// sycmReport writes a Taobao 生意参谋 客服绩效 download: two banner rows and a
// blank row above the header, the period only in the file name, the shop's
// total and the industry's rows below the agents.
func sycmReport(t *testing.T, dir string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "数据信息"); err != nil {
		t.Fatal(err)
	}
	rows := map[int][]any{
		1: {"下载数据最多5000条，超出部分会被截断！"},
		2: {"收藏网址：https://sycm.taobao.com/qos/service/frame/perf"},
		4: {"旺旺昵称", "旺旺分组", "有效接待人数", "当日询单人数", "询单人数", "下单人数", "销售人数", "净销售额", "销售额", "客单价",
			"询单流失人数", "首次响应时长（秒)", "平均响应时长（秒)", "答问比", "客户满意率", "询单最终付款转化率"},
		5: {"浏览器测试店:小迪", "售前", 310, 95, 120, 60, 52, 18800, 21000, 403.85, 68, 9, 16.5, 1.3, "97.50%", "43.33%"},
		6: {"浏览器测试店:阿May", "售前", 240, 70, 90, 35, 28, 9900, 11200, 400, 62, 14, 24, 1.1, "95.00%", "31.11%"},
		7: {"全店汇总值", nil, 550, 165, 210, 95, 80, 28700, 32200},
		8: {"同行同层均值", nil, 260, 80, 100, 40, 33, nil, 15000, 380, nil, 12, 20, 1.2, "96.00%", "33.00%"},
		9: {"同行同层优秀", nil, 480, 150, 190, 90, 80, nil, 40000, 520, nil, 6, 12, 1.5, "99.00%", "42.10%"},
	}
	for r, cells := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := f.SetSheetRow("数据信息", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "客服绩效_2026-10-01_2026-10-31.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBrowserAgentReportUpload: the owner uploads a 生意参谋 report into a
// new Taobao shop; the preview finds the header under the banner rows and
// fills the period from the file name; after the import the league shows the
// agents from the platform's figures, each number labelled 平台.
func TestBrowserAgentReportUpload(t *testing.T) {
	e := newEnv(t)
	b := e.newTab()
	b.login(demoshop.OwnerUser)
	if !b.visit("/import") {
		t.FailNow()
	}
	dir := screenshotDir(t)
	file := sycmReport(t, t.TempDir())
	b.need(`[data-testid="upload-input"]`)
	b.do("new shop and file",
		chromedp.SetValue(chromedp.CSS(`#import-shop`), "new"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#import-shop').dispatchEvent(new Event('change'))`),
		chromedp.SendKeys(chromedp.CSS(`#new_shop`), "浏览器测试店"),
		chromedp.SetValue(chromedp.CSS(`#platform`), "taobao"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"][data-testid="upload-input"]`), []string{file}),
	)
	b.do("preview", chromedp.Click(chromedp.CSS(`[data-testid="upload-preview"]`)))
	b.need(`[data-testid="upload-commit"]`)
	b.need(`[data-testid="period-input"]`)
	if got := eval[string](b, `document.querySelector('[data-testid="period-input"]').value`); got != "2026-10-01..2026-10-31" {
		t.Errorf("period field %q, want it filled from the file name", got)
	}
	preview := b.text("main")
	for _, want := range []string{"客服绩效报表", "浏览器测试店:小迪", "同行同层均值（行业基准）", "跳过"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	b.noProblems("report preview")
	t.Logf("screenshot %s", b.screenshot(dir, "owner-report-preview"))

	b.do("commit", chromedp.Click(chromedp.CSS(`[data-testid="upload-commit"]`)))
	b.need(`[data-testid="import-report"] [data-testid="job-period"]`, 60*time.Second)
	if text := b.text(`[data-testid="import-report"]`); !strings.Contains(text, "2026-10-01..2026-10-31") {
		t.Errorf("import report: %q", text)
	}
	shop, err := e.st.ShopByName(context.Background(), "浏览器测试店")
	if err != nil {
		t.Fatal(err)
	}
	if !b.visit(fmt.Sprintf("/league?shop=%d&p=custom&from=2026-10-01&to=2026-10-31", shop.ID)) {
		t.FailNow()
	}
	rows := eval[[]string](b, `[...document.querySelectorAll('[data-testid="league-row"] [data-testid="agent-link"]')].map(a => a.innerText.trim())`)
	if len(rows) != 2 || !strings.Contains(strings.Join(rows, ","), "浏览器测试店:小迪") {
		t.Errorf("league rows %v, want the report's two agents", rows)
	}
	if n := b.count(`[data-testid="league-row"] td[data-src="平台"] .src-platform`); n < 2*4 {
		t.Errorf("%d cells labelled 平台", n)
	}
	conv := eval[string](b, `(() => { const r = [...document.querySelectorAll('[data-testid="league-row"]')].find(r => r.innerText.includes('小迪'));
		const c = r && r.querySelector('td[data-key="inquiry_conversion_rate"]'); return c ? c.innerText + '|' + c.title : ''; })()`)
	if !strings.Contains(conv, "43.3%") || !strings.Contains(conv, "询单最终付款转化率") {
		t.Errorf("小迪's conversion cell %q: the platform's 43.33%% with its column name in the tooltip", conv)
	}
	b.noProblems("league from the platform's figures")
	t.Logf("screenshot %s", b.screenshot(dir, "owner-league-platform"))
	// The agent page of a platform-only agent draws its cards from the report.
	ids := eval[[]string](b, `[...document.querySelectorAll('[data-testid="agent-link"]')].map(a => a.getAttribute('href'))`)
	if len(ids) == 0 || !b.visit(ids[0]) {
		t.FailNow()
	}
	if b.count(`[data-testid="card-source"]`) == 0 || !strings.Contains(b.text("main"), "平台") {
		t.Error("the agent page shows no 平台 source")
	}
	t.Logf("screenshot %s", b.screenshot(dir, "owner-agent-platform"))
	// The overview of a shop fed only by the report: its cards say 平台.
	if !b.visit(fmt.Sprintf("/?shop=%d&p=custom&from=2026-10-01&to=2026-10-31", shop.ID)) {
		t.FailNow()
	}
	if n := b.count(`[data-testid="card-source"].src-platform`); n < 3 {
		t.Errorf("overview: %d cards labelled 平台", n)
	}
	t.Logf("screenshot %s", b.screenshot(dir, "owner-overview-platform"))
	b.resize(phoneW, phoneH)
	for _, p := range []string{fmt.Sprintf("/league?shop=%d&p=custom&from=2026-10-01&to=2026-10-31", shop.ID), fmt.Sprintf("/?shop=%d&p=custom&from=2026-10-01&to=2026-10-31", shop.ID)} {
		if b.visit(p) {
			if sw := eval[int](b, `document.documentElement.scrollWidth`); sw > int(phoneW) {
				t.Errorf("%s at %dpx scrolls sideways: %v", p, phoneW, b.overflow())
			}
		}
	}
	t.Logf("screenshot %s", b.screenshot(dir, "owner-overview-platform"))
	_ = os.Remove(file)
}
