package web

import (
	"context"
	"encoding/json"
	"html"
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/demoshop"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

var (
	chartRe = regexp.MustCompile(`data-testid="chart-([^"]+)" data-echarts="([^"]*)"`)
	cardRe  = regexp.MustCompile(`data-testid="card-([a-z0-9_]+)"[^>]*><div class="label">(?:[^<]|<span[^>]*>[^<]*</span>)*</div><div class="value">([^<]*)</div>`)
)

// pageCharts returns every chart of a page: id → parsed option.
func pageCharts(t *testing.T, body string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, m := range chartRe.FindAllStringSubmatch(body, -1) {
		var opt map[string]any
		if err := json.Unmarshal([]byte(html.UnescapeString(m[2])), &opt); err != nil {
			t.Fatalf("chart %s: data-echarts is not JSON: %v", m[1], err)
		}
		out[m[1]] = opt
	}
	return out
}

func demoShop(t *testing.T, e *testEnv) *store.Shop {
	t.Helper()
	sh, err := e.st.ShopByName(context.Background(), "示例旗舰店")
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func TestOverviewOwner(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	sh := demoShop(t, e)
	today := kpi.Clock{Loc: sh.Location()}.DayOf(kpi.Millis(time.Now().UnixMilli()))
	from, to := today-7, today-1 // the 7d period
	resp, body := c.get("/?p=custom&from=" + from.String() + "&to=" + to.String())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / → %d", resp.StatusCode)
	}
	cards := map[string]string{}
	for _, m := range cardRe.FindAllStringSubmatch(body, -1) {
		cards[m[1]] = html.UnescapeString(m[2])
	}
	for _, key := range overviewCards {
		if _, ok := cards[key]; !ok {
			t.Errorf("card %s missing", key)
		}
	}
	// The sales card shows the store's sums for the same period.
	ps, err := e.st.Sums(context.Background(), sh, from, to)
	if err != nil {
		t.Fatal(err)
	}
	v, ok := kpi.Evaluate(&ps.Shop, &ps.ShopDist, false).Get("sales")
	if want := views.FormatMetric(kpi.UnitYuan, v, ok); cards["sales"] != want || want == "—" || v == 0 {
		t.Errorf("sales card %q, want %q", cards["sales"], want)
	}
	charts := pageCharts(t, body)
	for _, id := range []string{"trend-response", "trend-conversion", "trend-sales", "trend-aftersales", "trend-reviews", "heatmap-30s", "funnel", "bridge"} {
		opt, ok := charts[id]
		if !ok {
			t.Errorf("chart %s missing", id)
			continue
		}
		series, _ := opt["series"].([]any)
		if len(series) == 0 {
			t.Errorf("chart %s has no series", id)
		}
		if strings.HasPrefix(id, "trend-") {
			for _, s := range series {
				if n := len(s.(map[string]any)["data"].([]any)); n != 7 {
					t.Errorf("chart %s: %d points for 7 days", id, n)
				}
			}
		}
	}
	if len(charts) != 8 {
		t.Errorf("%d charts, want 8", len(charts))
	}
	// Rate trends carry the threshold's Good line, dashed.
	resp0 := charts["trend-response"]["series"].([]any)[0].(map[string]any)
	if ml, ok := resp0["markLine"].(map[string]any); !ok || ml["lineStyle"].(map[string]any)["type"] != "dashed" {
		t.Errorf("30s rate trend has no dashed target line: %v", resp0["markLine"])
	}
	// Every chart has its one-line definition.
	if n := strings.Count(body, `<p class="help">`); n < 8 {
		t.Errorf("%d chart explanations, want ≥ 8", n)
	}
	for _, s := range []string{`data-testid="period"`, `data-testid="bridge-factors"`, "LMDI", "客服销售额 ÷ 询单成交人数"} {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %s", s)
		}
	}
	if strings.Contains(body, "<script>") {
		t.Error("inline script on the page")
	}
}

func TestOverviewPeriods(t *testing.T) {
	e := newTestEnv(t)
	c := e.owner()
	for _, q := range []string{"", "?p=today", "?p=yesterday", "?p=7d", "?p=30d", "?p=month", "?p=custom&from=2020-01-01&to=2020-01-31"} {
		resp, body := c.get("/" + q)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET /%s → %d", q, resp.StatusCode)
		}
		if !strings.Contains(body, `data-testid="cards"`) && !strings.Contains(body, `data-testid="overview-empty"`) {
			t.Errorf("GET /%s: neither cards nor an empty state", q)
		}
	}
	// Long ago: no data, an empty state pointing to the import page.
	_, body := c.get("/?p=custom&from=2020-01-01&to=2020-01-31")
	if !strings.Contains(body, "该时段没有数据") || !strings.Contains(body, `href="/import"`) {
		t.Error("empty period without the empty state")
	}
	for q, msg := range map[string]string{
		"?p=custom&from=2024-13-01&to=2024-12-31": "YYYY-MM-DD",
		"?p=custom&from=2024-02-01":               "YYYY-MM-DD",
		"?p=custom&from=2024-03-01&to=2024-02-01": "结束日期不能早于开始日期",
		"?p=custom&from=2020-01-01&to=2024-01-01": "时段最长",
		"?p=week": "未知的时段",
	} {
		resp, body := c.get("/" + q)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, msg) {
			t.Errorf("GET /%s → %d, want 400 with %q", q, resp.StatusCode, msg)
		}
	}
}

func TestOverviewRoles(t *testing.T) {
	e := newTestEnv(t)
	resp, _ := e.anon().get("/")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("anonymous / → %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	a := e.agent()
	u, err := e.st.UserByName(context.Background(), demoshop.AgentUser)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := a.get("/?p=7d")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/agents/"+itoa(u.AgentID) {
		t.Errorf("agent / → %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if strings.Contains(body, "data-echarts") || strings.Contains(body, "card-sales") {
		t.Error("agent sees the overview")
	}
}

func TestOverviewEmptyShopAndPicker(t *testing.T) {
	e := newTestEnv(t)
	sh, err := e.st.EnsureShop(context.Background(), "新开的店", store.ShopSettings{Platform: "taobao"})
	if err != nil {
		t.Fatal(err)
	}
	c := e.owner()
	resp, body := c.get("/?p=30d&shop=" + itoa(sh.ID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("→ %d", resp.StatusCode)
	}
	if !strings.Contains(body, `data-testid="overview-empty"`) || !strings.Contains(body, `href="/import"`) {
		t.Error("shop without data: no empty state with an import link")
	}
	if !strings.Contains(body, `data-testid="shop-picker"`) || !strings.Contains(body, "新开的店") {
		t.Error("several shops but no shop picker")
	}
	if strings.Contains(body, "data-echarts=") {
		t.Error("blank charts drawn for an empty shop")
	}
	// The chosen shop is remembered; the demo shop comes back on request.
	_, body = c.get("/?p=7d")
	if !strings.Contains(body, `data-testid="overview-empty"`) {
		t.Error("chosen shop not remembered")
	}
	_, body = c.get("/?p=7d&shop=" + itoa(demoShop(t, e).ID))
	if !strings.Contains(body, `data-testid="card-sales"`) {
		t.Error("demo shop not shown")
	}
}

// The overview lists the open platform-rule alerts at the top (the rule
// itself is tested in kpi and through kefuboard alerts).
func TestOverviewAlertsRendered(t *testing.T) {
	m := views.OverviewModel{ShopName: "x", Cards: []views.KPICard{{Key: "sales"}}, AlertsHref: "/alerts?shop=1",
		Alerts: []views.AlertRow{{When: "2025-03-04", Name: "有效回复率", Value: "49.0%", Threshold: "50.0%", Consequence: "罚款 ¥1000", Seed: "000"}}}
	var b strings.Builder
	if err := views.Overview(views.Page{}, m).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if !strings.Contains(s, `data-testid="open-alerts"`) || !strings.Contains(s, "罚款 ¥1000") || !strings.Contains(s, "2025-03-04") {
		t.Error("open alerts not rendered")
	}
}

// factors builds a period's bridge factors from raw counts (yuan sales).
func factors(inquiries, converted int64, sales float64) bridgeFactors {
	s := kpi.Sums{Inquiries: inquiries, Converted: converted, AttributedFen: int64(math.Round(sales * 100))}
	return bridgeFactorsOf(kpi.Evaluate(&s, &kpi.Distinct{}, false))
}

func TestOverviewDecompose(t *testing.T) {
	for _, tc := range []struct {
		name        string
		prev, cur   bridgeFactors
		method      string
		n, r, a     float64 // expected effects (NaN: only the sum is checked)
		prevS, curS float64
	}{
		{"only inquiries change", factors(100, 40, 8000), factors(150, 60, 12000), "lmdi", 4000, 0, 0, 8000, 12000},
		{"only conversion changes", factors(100, 40, 8000), factors(100, 50, 10000), "lmdi", 0, 2000, 0, 8000, 10000},
		{"only sales per converted inquiry changes", factors(100, 40, 8000), factors(100, 40, 6000), "lmdi", 0, 0, -2000, 8000, 6000},
		{"all change", factors(120, 30, 5000.5), factors(90, 45, 9100.25), "lmdi", math.NaN(), math.NaN(), math.NaN(), 5000.5, 9100.25},
		{"same", factors(10, 5, 100), factors(10, 5, 100), "lmdi", 0, 0, 0, 100, 100},
		{"zero previous", factors(0, 0, 0), factors(80, 20, 3000), "zero", 3000, 0, 0, 0, 3000},
		{"zero current", factors(80, 20, 3000), factors(0, 0, 0), "zero", -3000, 0, 0, 3000, 0},
		{"zero converted previous", factors(50, 0, 0), factors(80, 20, 3000), "zero", 0, 3000, 0, 0, 3000},
		{"zero converted current", factors(50, 10, 700), factors(80, 0, 0), "zero", 0, -700, 0, 700, 0},
		{"zero converted, attributed sales anyway", factors(50, 0, 500), factors(60, 12, 1200), "zero", 0, 1200, 0, 0, 1200},
		{"zero sales per converted inquiry", factors(50, 10, 0), factors(60, 12, 1200), "zero", 0, 0, 1200, 0, 1200},
		{"both empty", factors(0, 0, 0), factors(0, 0, 0), "zero", 0, 0, 0, 0, 0},
		{"inquiries but nothing converted in either", factors(30, 0, 0), factors(40, 0, 0), "zero", 0, 0, 0, 0, 0},
		{"negative sales", factors(50, 10, -200), factors(60, 12, 1200), "ordered", math.NaN(), math.NaN(), math.NaN(), -200, 1200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := decompose(tc.prev, tc.cur)
			if b.Method != tc.method {
				t.Errorf("method %s, want %s", b.Method, tc.method)
			}
			near := func(x, y float64) bool { return math.Abs(x-y) < 1e-6 }
			if !near(b.Prev, tc.prevS) || !near(b.Cur, tc.curS) {
				t.Errorf("sales %v → %v, want %v → %v", b.Prev, b.Cur, tc.prevS, tc.curS)
			}
			if sum := b.Inquiries + b.Conversion + b.PerConverted; !near(sum, b.Cur-b.Prev) {
				t.Errorf("effects sum to %v, change is %v", sum, b.Cur-b.Prev)
			}
			for _, e := range []struct {
				name      string
				got, want float64
			}{{"inquiries", b.Inquiries, tc.n}, {"conversion", b.Conversion, tc.r}, {"per converted", b.PerConverted, tc.a}} {
				if !math.IsNaN(e.want) && !near(e.got, e.want) {
					t.Errorf("%s effect %v, want %v", e.name, e.got, e.want)
				}
				if math.IsNaN(e.got) || math.IsInf(e.got, 0) {
					t.Errorf("%s effect %v", e.name, e.got)
				}
			}
		})
	}
}

func TestOverviewDecomposeMatchesAttributedSales(t *testing.T) {
	// The identity's product is the attributed sales when inquiries converted.
	e := newTestEnv(t)
	sh := demoShop(t, e)
	today := kpi.Clock{Loc: sh.Location()}.DayOf(kpi.Millis(time.Now().UnixMilli()))
	ps, err := e.st.Sums(context.Background(), sh, today-7, today-1)
	if err != nil {
		t.Fatal(err)
	}
	v := kpi.Evaluate(&ps.Shop, &ps.ShopDist, false)
	f := bridgeFactorsOf(v)
	want, _ := v.Get("attributed_sales")
	if math.Abs(f.Sales()-want) > 1e-6 || want == 0 {
		t.Errorf("inquiries × conversion × per converted = %v, attributed sales %v", f.Sales(), want)
	}
}
