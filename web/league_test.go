package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/demo"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// leagueFixture is the demo shop, its agents and a period with data.
type leagueFixture struct {
	e        *testEnv
	shop     *store.Shop
	agents   []store.Agent
	me       store.Agent // the agent login's agent
	from, to kpi.Day
	query    string // ?p=custom&from=…&to=…
}

func newLeagueFixture(t *testing.T) *leagueFixture {
	t.Helper()
	e := newTestEnv(t)
	ctx := context.Background()
	shop, err := e.st.ShopByName(ctx, "示例旗舰店")
	if err != nil {
		t.Fatal(err)
	}
	agents, err := e.st.Agents(ctx, shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := &leagueFixture{e: e, shop: shop, agents: agents}
	for _, a := range agents {
		if a.Name == demoLogins.AgentName {
			f.me = a
		}
	}
	if f.me.ID == 0 || len(agents) != 4 {
		t.Fatalf("demo agents %v, agent login %q", agents, demoLogins.AgentName)
	}
	today := kpi.Clock{Loc: shop.Location()}.DayOf(kpi.Millis(time.Now().UnixMilli()))
	f.from, f.to = today-7, today-1
	f.query = "?p=custom&from=" + f.from.String() + "&to=" + f.to.String()
	return f
}

func (f *leagueFixture) sums(t *testing.T, from, to kpi.Day) *store.PeriodSums {
	t.Helper()
	p, err := f.e.st.Sums(context.Background(), f.shop, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	leagueRowRe = regexp.MustCompile(`(?s)<tr data-testid="league-row"[^>]*>(.*?)</tr>`)
	agentLinkRe = regexp.MustCompile(`data-testid="agent-link">([^<]*)</a>`)
	cellRe      = regexp.MustCompile(`(?s)<td class="([^"]*)" data-key="([a-z0-9_]+)"[^>]*>(.*?)</td>`)
	drillRowRe  = regexp.MustCompile(`data-testid="drill-row"`)
	tagRe       = regexp.MustCompile(`<[^>]+>`)
)

// leagueNames are the agent names of the table's rows, in order.
func leagueNames(body string) []string {
	var out []string
	for _, r := range leagueRowRe.FindAllStringSubmatch(body, -1) {
		if m := agentLinkRe.FindStringSubmatch(r[1]); m != nil {
			out = append(out, html.UnescapeString(m[1]))
		}
	}
	return out
}

// leagueCellsOf maps metric key → (text, class) of the row of name.
func leagueCellsOf(body, name string) map[string][2]string {
	for _, r := range leagueRowRe.FindAllStringSubmatch(body, -1) {
		if m := agentLinkRe.FindStringSubmatch(r[1]); m == nil || html.UnescapeString(m[1]) != name {
			continue
		}
		out := map[string][2]string{}
		for _, c := range cellRe.FindAllStringSubmatch(r[1], -1) {
			out[c[2]] = [2]string{html.UnescapeString(strings.TrimSpace(tagRe.ReplaceAllString(c[3], ""))), c[1]}
		}
		return out
	}
	return nil
}

func TestLeagueOwnerTable(t *testing.T) {
	f := newLeagueFixture(t)
	c := f.e.owner()
	resp, body := c.get("/league" + f.query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /league → %d", resp.StatusCode)
	}
	for _, id := range []string{`data-testid="league-table"`, `data-testid="league-median"`, `data-testid="league-csv"`, `data-testid="weights-form"`, `data-testid="period"`} {
		if !strings.Contains(body, id) {
			t.Errorf("league page lacks %s", id)
		}
	}
	names := leagueNames(body)
	if len(names) != 4 {
		t.Fatalf("rows %v, want the 4 demo agents", names)
	}
	// Every number matches kpi.Evaluate over the store's sums, and is
	// coloured against the platform's lines.
	p := f.sums(t, f.from, f.to)
	lines := kpi.Thresholds(f.shop.Platform)
	for _, a := range f.agents {
		cells := leagueCellsOf(body, a.Name)
		if cells == nil {
			t.Fatalf("no row for %s", a.Name)
		}
		v := kpi.Evaluate(p.Agents[a.ID], p.AgentDist[a.ID], true)
		for _, key := range leagueMetrics {
			mt, _ := kpi.MetricByKey(key)
			x, ok := v.Get(key)
			if want := views.FormatMetric(mt.Unit, x, ok); cells[key][0] != want {
				t.Errorf("%s %s = %q, want %q", a.Name, key, cells[key][0], want)
			}
			if th, has := lines[key]; has && ok {
				if want := th.Judge(x, kpi.Better[key]).Class(); cells[key][1] != want {
					t.Errorf("%s %s class %q, want %q", a.Name, key, cells[key][1], want)
				}
			}
		}
	}
	// Rows come in rank order, which is the composite score's order.
	vals := make([]kpi.Values, 0, 4)
	byName := map[string]float64{}
	var ids []int64
	for _, a := range f.agents {
		vals = append(vals, kpi.Evaluate(p.Agents[a.ID], p.AgentDist[a.ID], true))
		ids = append(ids, a.ID)
	}
	for i, sc := range kpi.Scores(vals, kpi.DefaultWeights()) {
		byName[f.agents[i].Name] = sc.Value
	}
	for i := 1; i < len(names); i++ {
		if byName[names[i-1]] < byName[names[i]] {
			t.Errorf("row order %v is not by score %v", names, byName)
		}
	}
	// Drill links on the numbers that have rows behind them.
	me := f.me.ID
	for _, kind := range []string{drillSlow, drillUnconverted, drillRefunds, drillReviews} {
		if !strings.Contains(body, `href="/agents/`+itoa(me)+`/drill/`+kind+`?`) {
			t.Errorf("no %s drill link for %s", kind, f.me.Name)
		}
	}
	if !strings.Contains(body, `href="/agents/`+itoa(me)+`?`) {
		t.Error("agent name does not link to the agent page")
	}
}

func TestLeagueSortChangesOrder(t *testing.T) {
	f := newLeagueFixture(t)
	c := f.e.owner()
	p := f.sums(t, f.from, f.to)
	_, desc := c.get("/league" + f.query + "&sort=sales&dir=desc")
	_, asc := c.get("/league" + f.query + "&sort=sales&dir=asc")
	d, a := leagueNames(desc), leagueNames(asc)
	if len(d) != 4 || len(a) != 4 {
		t.Fatalf("rows %v / %v", d, a)
	}
	sales := map[string]int64{}
	for _, ag := range f.agents {
		sales[ag.Name] = p.Agents[ag.ID].SalesFen
	}
	for i := 1; i < 4; i++ {
		if sales[d[i-1]] < sales[d[i]] {
			t.Errorf("sales desc order %v (%v)", d, sales)
		}
		if sales[a[i-1]] > sales[a[i]] {
			t.Errorf("sales asc order %v (%v)", a, sales)
		}
	}
	if strings.Join(d, ",") == strings.Join(a, ",") {
		t.Errorf("asc and desc give the same order %v", d)
	}
	// The header links to the other direction of the sorted column.
	if !strings.Contains(desc, `sort=sales`) || !strings.Contains(desc, "▼") {
		t.Error("sorted column not marked")
	}
	// Name sort is alphabetical; an unknown key falls back to the rank.
	_, byName := c.get("/league" + f.query + "&sort=name&dir=asc")
	n := leagueNames(byName)
	for i := 1; i < len(n); i++ {
		if n[i-1] > n[i] {
			t.Errorf("name order %v", n)
		}
	}
	if resp, _ := c.get("/league" + f.query + "&sort=nope&dir=sideways"); resp.StatusCode != http.StatusOK {
		t.Errorf("bad sort → %d", resp.StatusCode)
	}
}

func TestLeagueShiftFilter(t *testing.T) {
	f := newLeagueFixture(t)
	c := f.e.owner()
	early := map[string]bool{}
	for _, a := range demo.Roster(4) {
		if a.Shift == "早班" {
			early[a.Name] = true
		}
	}
	_, body := c.get("/league" + f.query + "&shift=" + url.QueryEscape("早班"))
	names := leagueNames(body)
	if len(names) != len(early) || len(names) == 0 {
		t.Fatalf("早班 rows %v, want %v", names, early)
	}
	for _, n := range names {
		if !early[n] {
			t.Errorf("%s is not on 早班", n)
		}
	}
	if !strings.Contains(body, `data-testid="shift-picker"`) {
		t.Error("no shift picker")
	}
	// Ranks are the team's: the filtered rows keep their team rank.
	_, all := c.get("/league" + f.query)
	rank := func(body, name string) string {
		for _, r := range leagueRowRe.FindAllStringSubmatch(body, -1) {
			if strings.Contains(r[1], ">"+name+"</a>") {
				m := regexp.MustCompile(`<td class="rank">(\d+)</td>`).FindStringSubmatch(r[1])
				return m[1]
			}
		}
		return ""
	}
	for _, n := range names {
		if rank(body, n) != rank(all, n) || rank(all, n) == "" {
			t.Errorf("%s rank %s filtered, %s in the team", n, rank(body, n), rank(all, n))
		}
	}
}

func TestLeagueCSV(t *testing.T) {
	f := newLeagueFixture(t)
	c := f.e.owner()
	resp, body := c.get("/league.csv" + f.query + "&sort=sales&dir=desc")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /league.csv → %d", resp.StatusCode)
	}
	if !strings.HasPrefix(body, "\ufeff") {
		t.Fatal("CSV does not start with the UTF-8 BOM")
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	cd := resp.Header.Get("Content-Disposition")
	wantName := "客服排行_" + f.from.String() + "_" + f.to.String() + ".csv"
	if !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape(wantName)) {
		t.Errorf("Content-Disposition %q, want filename* of %s", cd, wantName)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+4 {
		t.Fatalf("%d CSV lines, want header + 4 agents", len(recs))
	}
	if recs[0][0] != "排名" || recs[0][2] != "客服" || recs[0][5] != "销售额(元)" {
		t.Errorf("header %v", recs[0])
	}
	if strings.ContainsAny(body, "¥") {
		t.Error("CSV carries ¥")
	}
	// Same order as the page sorted the same way; sales as plain yuan.
	_, page := c.get("/league" + f.query + "&sort=sales&dir=desc")
	names := leagueNames(page)
	p := f.sums(t, f.from, f.to)
	for i, rec := range recs[1:] {
		if rec[2] != names[i] {
			t.Errorf("CSV row %d is %s, page row %s", i, rec[2], names[i])
		}
		a, err := f.e.st.AgentByName(context.Background(), f.shop.ID, rec[2])
		if err != nil {
			t.Fatal(err)
		}
		if want := strconv.FormatFloat(float64(p.Agents[a.ID].SalesFen)/100, 'f', 2, 64); rec[5] != want {
			t.Errorf("%s sales %q, want %q", rec[2], rec[5], want)
		}
		if strings.Contains(rec[5], ",") {
			t.Errorf("thousands separator in %q", rec[5])
		}
	}
	// The shift filter applies to the export too.
	_, body = c.get("/league.csv" + f.query + "&shift=" + url.QueryEscape("晚班"))
	recs, _ = csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if len(recs) != 1+2 {
		t.Errorf("晚班 CSV has %d lines, want header + 2", len(recs))
	}
}

func TestLeagueAgentSeesOnlyThemself(t *testing.T) {
	f := newLeagueFixture(t)
	c := f.e.agent()
	resp, body := c.get("/league" + f.query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("agent GET /league → %d", resp.StatusCode)
	}
	for _, a := range demo.Roster(4) {
		if a.Name == f.me.Name {
			continue
		}
		if strings.Contains(body, a.Name) {
			t.Errorf("agent's league page names %s", a.Name)
		}
	}
	if n := len(leagueRowRe.FindAllString(body, -1)); n != 1 {
		t.Errorf("agent sees %d rows, want only their own", n)
	}
	if names := leagueNames(body); len(names) != 1 || names[0] != f.me.Name {
		t.Errorf("agent rows %v", names)
	}
	if !strings.Contains(body, `data-testid="league-median"`) || !strings.Contains(body, "团队中位数") {
		t.Error("no team median row")
	}
	if !regexp.MustCompile(`第 \d / 4 名`).MatchString(body) {
		t.Error("no 第 N / 4 名")
	}
	for _, id := range []string{`data-testid="league-csv"`, `data-testid="weights-form"`, `sort=`} {
		if strings.Contains(body, id) {
			t.Errorf("agent's league page has %s", id)
		}
	}
	if resp, _ := c.get("/league.csv" + f.query); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent GET /league.csv → %d, want 403", resp.StatusCode)
	}
	if resp, _ := c.post("/league/weights", url.Values{"shop": {itoa(f.shop.ID)}, "w_sales": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent POST /league/weights → %d, want 403", resp.StatusCode)
	}
}

func TestLeagueWeights(t *testing.T) {
	f := newLeagueFixture(t)
	ctx := context.Background()
	c := f.e.owner()
	c.get("/league" + f.query)
	form := func(vals map[string]string) url.Values {
		v := url.Values{"shop": {itoa(f.shop.ID)}, "back": {"/league" + f.query}}
		for _, k := range kpi.ScoreKeys {
			v.Set("w_"+k, "0")
		}
		for k, x := range vals {
			v.Set("w_"+k, x)
		}
		return v
	}
	// Without the CSRF token: refused.
	bad := form(map[string]string{"sales": "1"})
	bad.Set("_csrf", "")
	if resp, _ := c.post("/league/weights", bad); resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without CSRF → %d, want 403", resp.StatusCode)
	}
	// Bad values: refused with a message, nothing stored.
	for _, tc := range []struct {
		vals map[string]string
		msg  string
	}{
		{map[string]string{"sales": "-5"}, "不能为负数"},
		{map[string]string{}, "至少要有一个指标的权重大于 0"},
		{map[string]string{"sales": "abc"}, "不是数字"},
		{map[string]string{"sales": "5000"}, "不能大于"},
	} {
		resp, _ := c.post("/league/weights", form(tc.vals))
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%v → %d", tc.vals, resp.StatusCode)
		}
		_, body := c.get("/league" + f.query)
		if !strings.Contains(body, tc.msg) || !strings.Contains(body, "权重未保存") {
			t.Errorf("%v: no message %q", tc.vals, tc.msg)
		}
		if raw, _ := f.e.st.Setting(ctx, weightsKey(f.shop.ID)); raw != "" {
			t.Errorf("%v stored %q", tc.vals, raw)
		}
	}
	// Weighting sales alone ranks by sales.
	resp, _ := c.post("/league/weights", form(map[string]string{"sales": "1"}))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/league?") {
		t.Fatalf("save → %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	raw, _ := f.e.st.Setting(ctx, weightsKey(f.shop.ID))
	var w kpi.Weights
	if err := json.Unmarshal([]byte(raw), &w); err != nil || w["sales"] != 1 || len(w) != 1 {
		t.Fatalf("stored weights %q", raw)
	}
	_, body := c.get("/league" + f.query)
	if !strings.Contains(body, "综合得分权重和计分方式已保存") || !strings.Contains(body, "已自定义") {
		t.Error("no confirmation")
	}
	p := f.sums(t, f.from, f.to)
	names := leagueNames(body)
	for i := 1; i < len(names); i++ {
		a, _ := f.e.st.AgentByName(ctx, f.shop.ID, names[i-1])
		b, _ := f.e.st.AgentByName(ctx, f.shop.ID, names[i])
		if p.Agents[a.ID].SalesFen < p.Agents[b.ID].SalesFen {
			t.Errorf("with sales-only weights the order %v is not by sales", names)
		}
	}
	// Restore the defaults.
	v := url.Values{"shop": {itoa(f.shop.ID)}, "reset": {"1"}}
	if resp, _ := c.post("/league/weights", v); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("reset → %d", resp.StatusCode)
	}
	if _, custom, _ := f.e.srv.scoreWeights(ctx, f.shop.ID); custom {
		t.Error("reset kept the custom weights")
	}
}

var scoreCellRe = regexp.MustCompile(`<td class="score">([^<]*)</td>`)

// TestLeagueAttainmentScore: with the score by target attainment chosen,
// each agent's score is their attainment of the target in force × 100,
// capped at 120; the page says how it is computed; reset restores the
// team-relative score.
func TestLeagueAttainmentScore(t *testing.T) {
	f := newLeagueFixture(t)
	ctx := context.Background()
	const target = 0.6
	if err := f.e.st.SetTarget(ctx, f.shop.ID, kpi.Target{Metric: "reply_30s_rate", Scope: kpi.ScopeShop, Value: target, From: f.from - 30, SetBy: "test"}); err != nil {
		t.Fatal(err)
	}
	c := f.e.owner()
	c.get("/league" + f.query)
	v := url.Values{"shop": {itoa(f.shop.ID)}, "back": {"/league" + f.query}, "mode": {scoreAttainment}}
	for _, k := range kpi.ScoreKeys {
		v.Set("w_"+k, "0")
	}
	v.Set("w_reply_30s_rate", "1")
	if resp, _ := c.post("/league/weights", v); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save → %d", resp.StatusCode)
	}
	if mode, _ := f.e.srv.scoreMode(ctx, f.shop.ID); mode != scoreAttainment {
		t.Fatalf("stored mode %q", mode)
	}
	_, body := c.get("/league" + f.query)
	if !strings.Contains(body, "综合得分（按目标达成）") {
		t.Error("the page does not say the score is by attainment")
	}
	p := f.sums(t, f.from, f.to)
	rows := leagueRowRe.FindAllStringSubmatch(body, -1)
	if len(rows) != len(f.agents) {
		t.Fatalf("%d league rows, want %d", len(rows), len(f.agents))
	}
	capped := 0
	for _, r := range rows {
		name := agentLinkRe.FindStringSubmatch(r[1])
		score := scoreCellRe.FindStringSubmatch(r[1])
		if name == nil || score == nil {
			t.Fatalf("row without name or score: %s", r[1])
		}
		a, _ := f.e.st.AgentByName(ctx, f.shop.ID, name[1])
		rate, ok := p.AgentValues(a.ID).Get("reply_30s_rate")
		want := 0.0
		if ok {
			want = math.Min(rate/target, 1.2) * 100
		}
		if want == 120 {
			capped++
		}
		got, err := strconv.ParseFloat(score[1], 64)
		if err != nil || math.Abs(got-want) > 0.05+1e-9 {
			t.Errorf("%s: score %q, want %.2f (30s rate %.4f ÷ target %.2f)", name[1], score[1], want, rate, target)
		}
	}
	t.Logf("%d of %d agents at the 120 cap", capped, len(rows))
	// Reset: back to the team-relative score.
	if resp, _ := c.post("/league/weights", url.Values{"shop": {itoa(f.shop.ID)}, "reset": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset → %d", resp.StatusCode)
	}
	if mode, _ := f.e.srv.scoreMode(ctx, f.shop.ID); mode != scoreRelative {
		t.Errorf("after reset mode %q", mode)
	}
}

func TestAgentPageRoles(t *testing.T) {
	f := newLeagueFixture(t)
	var other store.Agent
	for _, a := range f.agents {
		if a.ID != f.me.ID {
			other = a
			break
		}
	}
	owner := f.e.owner()
	for _, a := range f.agents {
		resp, body := owner.get("/agents/" + itoa(a.ID) + f.query)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("owner /agents/%d → %d", a.ID, resp.StatusCode)
		}
		for _, id := range []string{`data-testid="agent-rank"`, `data-testid="cards"`, `data-testid="agent-vs-median"`, `data-testid="chart-agent-score"`, `data-testid="chart-agent-trend-response"`} {
			if !strings.Contains(body, id) {
				t.Errorf("agent page of %s lacks %s", a.Name, id)
			}
		}
	}
	if resp, _ := owner.get("/agents/999999"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("owner unknown agent → %d", resp.StatusCode)
	}
	ag := f.e.agent()
	resp, body := ag.get("/agents/" + itoa(f.me.ID) + f.query)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, f.me.Name) {
		t.Fatalf("agent own page → %d", resp.StatusCode)
	}
	if !regexp.MustCompile(`第 \d / 4 名`).MatchString(body) {
		t.Error("agent page has no rank")
	}
	for _, a := range demo.Roster(4) {
		if a.Name != f.me.Name && strings.Contains(body, a.Name) {
			t.Errorf("agent's own page names %s", a.Name)
		}
	}
	for _, path := range []string{"/agents/" + itoa(other.ID), "/agents/999999", "/agents/" + itoa(other.ID) + "/drill/slow"} {
		if resp, _ := ag.get(path + f.query); resp.StatusCode != http.StatusForbidden {
			t.Errorf("agent GET %s → %d, want 403", path, resp.StatusCode)
		}
	}
	// The cards show the agent's values from the store.
	p := f.sums(t, f.from, f.to)
	v := kpi.Evaluate(p.Agents[f.me.ID], p.AgentDist[f.me.ID], true)
	x, ok := v.Get("sales")
	if want := views.FormatMetric(kpi.UnitYuan, x, ok); !strings.Contains(body, want) {
		t.Errorf("agent page lacks sales %s", want)
	}
}

func TestDrillRolesAndKinds(t *testing.T) {
	f := newLeagueFixture(t)
	var other store.Agent
	for _, a := range f.agents {
		if a.ID != f.me.ID {
			other = a
			break
		}
	}
	ag := f.e.agent()
	owner := f.e.owner()
	for _, kind := range []string{drillSlow, drillUnconverted, drillRefunds, drillReviews} {
		if resp, _ := ag.get("/agents/" + itoa(other.ID) + "/drill/" + kind + f.query); resp.StatusCode != http.StatusForbidden {
			t.Errorf("agent drill %s of another agent → %d, want 403", kind, resp.StatusCode)
		}
		resp, body := ag.get("/agents/" + itoa(f.me.ID) + "/drill/" + kind + f.query)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("agent own drill %s → %d", kind, resp.StatusCode)
		}
		// Chat context never names another agent to an agent.
		for _, a := range demo.Roster(4) {
			if a.Name != f.me.Name && strings.Contains(body, a.Name) {
				t.Errorf("agent's %s drill names %s", kind, a.Name)
			}
		}
		if resp, _ := owner.get("/agents/" + itoa(other.ID) + "/drill/" + kind + f.query); resp.StatusCode != http.StatusOK {
			t.Errorf("owner drill %s → %d", kind, resp.StatusCode)
		}
	}
	if resp, _ := owner.get("/agents/" + itoa(f.me.ID) + "/drill/nope"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown drill kind → %d", resp.StatusCode)
	}
}

// Drill pages list exactly the rows their number counts (the store's sums),
// over a period short enough that every row is shown.
func TestDrillRowsMatchSums(t *testing.T) {
	f := newLeagueFixture(t)
	owner := f.e.owner()
	checked := map[string]int{}
	for _, days := range []kpi.Day{0, 2, 6} {
		from, to := f.to-days, f.to
		p := f.sums(t, from, to)
		q := "?p=custom&from=" + from.String() + "&to=" + to.String()
		for _, a := range f.agents {
			s := p.Agents[a.ID]
			if s == nil {
				continue
			}
			want := map[string]int64{
				drillSlow:        s.BuyerMessages - s.Within3m,
				drillUnconverted: s.Inquiries - s.Converted,
				drillReviews:     s.BadReviews + s.MediumReviews,
			}
			for kind, n := range want {
				if n > drillLimit {
					continue
				}
				_, body := owner.get("/agents/" + itoa(a.ID) + "/drill/" + kind + q)
				if got := int64(len(drillRowRe.FindAllString(body, -1))); got != n {
					t.Errorf("%s %s %s..%s: %d rows, sums say %d", a.Name, kind, from, to, got, n)
				}
				checked[kind] += int(n)
				if kind == drillSlow && !strings.Contains(body, "其中未回复 "+itoa(s.Unreplied)+" 条") {
					t.Errorf("%s slow drill: unreplied count is not %d", a.Name, s.Unreplied)
				}
			}
			_, body := owner.get("/agents/" + itoa(a.ID) + "/drill/refunds" + q)
			if got := strings.Count(body, ">期内退款成功<"); int64(got) != s.RefundsDone {
				t.Errorf("%s refunds: %d completed in the period, sums say %d", a.Name, got, s.RefundsDone)
			}
			checked[drillRefunds] += int(s.RefundsDone)
		}
	}
	for _, kind := range []string{drillSlow, drillUnconverted, drillRefunds, drillReviews} {
		if checked[kind] == 0 {
			t.Errorf("the demo gave no %s rows to check", kind)
		}
	}
}

func TestDrillSlowContext(t *testing.T) {
	f := newLeagueFixture(t)
	owner := f.e.owner()
	_, body := owner.get("/agents/" + itoa(f.me.ID) + "/drill/slow" + f.query)
	if !strings.Contains(body, `class="buyer focus"`) {
		t.Error("slow message not marked in its chat context")
	}
	if !strings.Contains(body, "前后 10 分钟的聊天") {
		t.Error("no chat context")
	}
}

func TestLeagueContentDisposition(t *testing.T) {
	got := contentDisposition("客服排行_2026-11-01_2026-11-07.csv", "league.csv")
	want := `attachment; filename="league.csv"; filename*=UTF-8''%E5%AE%A2%E6%9C%8D%E6%8E%92%E8%A1%8C_2026-11-01_2026-11-07.csv`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// Null values sort last in both directions; ties keep the rank order.
func TestLeagueSortNullsLast(t *testing.T) {
	mk := func(name string, rank int, s kpi.Sums) *teamMember {
		return &teamMember{agent: store.Agent{Name: name}, rank: rank, vals: kpi.Evaluate(&s, &kpi.Distinct{}, true)}
	}
	tm := &team{members: []*teamMember{
		mk("a", 1, kpi.Sums{Reviews: 10, BadReviews: 1}),
		mk("b", 2, kpi.Sums{}), // no reviews: bad-review rate null
		mk("c", 3, kpi.Sums{Reviews: 10, BadReviews: 3}),
		mk("d", 4, kpi.Sums{Reviews: 10, BadReviews: 1}),
	}}
	names := func(ms []*teamMember) string {
		var s []string
		for _, m := range ms {
			s = append(s, m.agent.Name)
		}
		return strings.Join(s, "")
	}
	if got := names(tm.rows(leagueView{Sort: "bad_review_rate", Dir: "asc"})); got != "adcb" {
		t.Errorf("asc %s, want adcb", got)
	}
	if got := names(tm.rows(leagueView{Sort: "bad_review_rate", Dir: "desc"})); got != "cadb" {
		t.Errorf("desc %s, want cadb", got)
	}
	tm.members[1].agent.Shift = "晚班"
	if got := names(tm.rows(leagueView{Sort: "shift", Dir: "desc", Shift: ""})); got != "bacd" {
		t.Errorf("shift desc %s, want bacd (blank shifts last)", got)
	}
	if got := names(tm.rows(leagueView{Sort: "rank", Dir: "asc", Shift: "晚班"})); got != "b" {
		t.Errorf("shift filter %s", got)
	}
}

func TestLeagueMedianAndEmpty(t *testing.T) {
	f := newLeagueFixture(t)
	_, body := f.e.owner().get("/league" + f.query)
	m := regexp.MustCompile(`(?s)<tr data-testid="league-median"[^>]*>(.*?)</tr>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no median row")
	}
	p := f.sums(t, f.from, f.to)
	var vals []kpi.Values
	for _, a := range f.agents {
		vals = append(vals, kpi.Evaluate(p.Agents[a.ID], p.AgentDist[a.ID], true))
	}
	for _, c := range cellRe.FindAllStringSubmatch(m[1], -1) {
		mt, _ := kpi.MetricByKey(c[2])
		v, ok := kpi.Median(vals, c[2])
		if want := views.FormatMetric(mt.Unit, v, ok); html.UnescapeString(strings.TrimSpace(c[3])) != want {
			t.Errorf("median %s = %q, want %q", c[2], c[3], want)
		}
	}
	// A period without data: an empty state for both roles, no table.
	for _, c := range []*client{f.e.owner(), f.e.agent()} {
		resp, body := c.get("/league?p=custom&from=2020-01-01&to=2020-01-07")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="league-empty"`) || strings.Contains(body, `data-testid="league-table"`) {
			t.Errorf("empty period → %d, no empty state", resp.StatusCode)
		}
	}
	resp, body := f.e.agent().get("/agents/" + itoa(f.me.ID) + "?p=custom&from=2020-01-01&to=2020-01-07")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="agent-empty"`) {
		t.Errorf("agent page, empty period → %d, no empty state", resp.StatusCode)
	}
}
