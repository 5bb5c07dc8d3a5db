package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/importer"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/risk"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// leagueRoutes: the agent league table (the product card, page 2), its CSV export
// and score weights, and the agent pages with their drill-downs (page 3,
// agent.go). Every handler checks the role itself: owners see every agent,
// an agent only their own row, page and drill-downs.
func (s *Server) leagueRoutes(a *fiber.App) {
	a.Get("/league", s.league)
	a.Get("/league.csv", s.leagueCSV)
	a.Post("/league/weights", requireOwner, s.leagueWeights)
	a.Get("/agents/:id", s.agentPage)
	a.Get("/agents/:id/drill/:kind", s.agentDrill)
}

// leagueMetrics are the table's metric columns: seed 001's per-agent list
// (sales, conversion, bad-review rate, refund rate, AOV, dispute rate,
// response time) with the response and complaint numbers next to them.
var leagueMetrics = []string{
	"sales", "attributed_orders", "inquiries", "inquiry_conversion_rate", "aov",
	"reply_30s_rate", "avg_response_seconds", "first_response_seconds", "effective_reply_rate",
	"bad_review_rate", "refund_rate", "dispute_refund_rate", "complaint_rate",
}

// drillOf says which drill-down lists the rows behind a metric.
var drillOf = map[string]string{
	"reply_30s_rate": drillSlow, "reply_3m_rate": drillSlow, "avg_response_seconds": drillSlow,
	"first_response_seconds": drillSlow, "effective_reply_rate": drillSlow, "unreplied_messages": drillSlow,
	"inquiries": drillUnconverted, "inquiry_conversion_rate": drillUnconverted,
	"refund_rate": drillRefunds, "dispute_refund_rate": drillRefunds,
	"bad_review_rate": drillReviews, "medium_bad_review_rate": drillReviews,
}

// teamMember is one agent listed in a period.
type teamMember struct {
	agent    store.Agent
	sums     *kpi.Sums
	vals     kpi.Values
	prev     kpi.Values // the previous period's values (all null when absent)
	score    kpi.Score
	rank     int
	prevRank int            // 0: not listed in the previous period
	risks    map[string]int // risk items of the period by category
}

// team is a shop's listed agents in a period, scored and ranked.
type team struct {
	shop    *store.Shop
	per     Period
	weights kpi.Weights
	custom  bool
	mode    string        // scoreRelative or scoreAttainment
	members []*teamMember // by rank, then name
}

func (t *team) member(id int64) *teamMember {
	for _, m := range t.members {
		if m.agent.ID == id {
			return m
		}
	}
	return nil
}

// loadTeam scores and ranks the agents listed in the period and in the
// previous one, under the shop's weights.
func (s *Server) loadTeam(ctx context.Context, shop *store.Shop, per Period) (*team, error) {
	w, custom, err := s.scoreWeights(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	mode, err := s.scoreMode(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	cur, err := s.st.Sums(ctx, shop, per.From, per.To)
	if err != nil {
		return nil, err
	}
	prev, err := s.st.Sums(ctx, shop, per.PrevFrom, per.PrevTo)
	if err != nil {
		return nil, err
	}
	agents, err := s.st.Agents(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]store.Agent, len(agents))
	for _, a := range agents {
		byID[a.ID] = a
	}
	t := &team{shop: shop, per: per, weights: w, custom: custom, mode: mode}
	for _, id := range cur.Listed() {
		a, ok := byID[id]
		if !ok {
			a = store.Agent{ID: id, ShopID: shop.ID, Name: cur.AgentNames[id]}
		}
		sums := cur.Agents[id]
		if sums == nil {
			sums = &kpi.Sums{}
		}
		m := &teamMember{agent: a, sums: sums, vals: cur.AgentValues(id), prev: prev.AgentValues(id)}
		t.members = append(t.members, m)
	}
	risks, err := s.st.RiskCounts(ctx, shop, per.From, per.To)
	if err != nil {
		return nil, err
	}
	for _, m := range t.members {
		m.risks = risks[m.agent.ID]
	}
	score, err := s.scorer(ctx, shop, w, mode, byID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(t.members))
	vals := make([]kpi.Values, len(t.members))
	for i, m := range t.members {
		ids[i], vals[i] = m.agent.ID, m.vals
	}
	scores, err := score(per.To, ids, vals)
	if err != nil {
		return nil, err
	}
	values := make([]float64, len(scores))
	for i := range scores {
		t.members[i].score = scores[i]
		values[i] = scores[i].Value
	}
	for i, r := range kpi.Ranks(values) {
		t.members[i].rank = r
	}
	prevRanks, err := periodRanks(prev, per.PrevTo, score)
	if err != nil {
		return nil, err
	}
	for _, m := range t.members {
		m.prevRank = prevRanks[m.agent.ID]
	}
	sort.Slice(t.members, func(i, j int) bool {
		a, b := t.members[i], t.members[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return a.agent.Name < b.agent.Name
	})
	return t, nil
}

// periodRanks ranks the agents listed in a period ending on last by
// composite score.
func periodRanks(p *store.PeriodSums, last kpi.Day, score scoreFunc) (map[int64]int, error) {
	var ids []int64
	var vals []kpi.Values
	for _, id := range p.Listed() {
		ids = append(ids, id)
		vals = append(vals, p.AgentValues(id))
	}
	scores, err := score(last, ids, vals)
	if err != nil {
		return nil, err
	}
	values := make([]float64, len(scores))
	for i := range scores {
		values[i] = scores[i].Value
	}
	out := make(map[int64]int, len(ids))
	for i, r := range kpi.Ranks(values) {
		out[ids[i]] = r
	}
	return out, nil
}

// The two ways of computing the composite score (a per-shop setting):
// relative to the team (the default) or by attainment of each agent's lines.
const (
	scoreRelative   = ""
	scoreAttainment = "attainment"
)

// scoreModeKey is the setting holding a shop's score mode.
func scoreModeKey(shopID int64) string { return "league_score_mode:" + itoa(shopID) }

func (s *Server) scoreMode(ctx context.Context, shopID int64) (string, error) {
	raw, err := s.st.Setting(ctx, scoreModeKey(shopID))
	if err != nil || raw != scoreAttainment {
		return scoreRelative, err
	}
	return scoreAttainment, nil
}

// scoreFunc scores agents (ids, their values) of a period ending on last.
type scoreFunc func(last kpi.Day, ids []int64, vals []kpi.Values) ([]kpi.Score, error)

// scorer is the shop's composite score: kpi.Scores, or kpi.AttainmentScores
// against each agent's lines (target in force on the period's last day, else
// the platform or reference line) — the same lines that colour the cells.
func (s *Server) scorer(ctx context.Context, shop *store.Shop, w kpi.Weights, mode string, agents map[int64]store.Agent) (scoreFunc, error) {
	if mode != scoreAttainment {
		return func(_ kpi.Day, _ []int64, vals []kpi.Values) ([]kpi.Score, error) { return kpi.Scores(vals, w), nil }, nil
	}
	return func(last kpi.Day, ids []int64, vals []kpi.Values) ([]kpi.Score, error) {
		ls, err := s.lineSet(ctx, shop, last)
		if err != nil {
			return nil, err
		}
		lines := make([]map[string]kpi.Threshold, len(ids))
		for i, id := range ids {
			lines[i] = ls.For(id, agents[id].Shift)
		}
		return kpi.AttainmentScores(vals, w, func(i int, key string) (float64, bool) {
			t, ok := lines[i][key]
			return t.Good, ok
		}), nil
	}, nil
}

// weightsKey is the setting holding a shop's score weights.
func weightsKey(shopID int64) string { return "league_weights:" + itoa(shopID) }

// scoreWeights are the shop's weights, or the defaults (custom=false) when
// the owner has set none (or the stored ones no longer validate).
func (s *Server) scoreWeights(ctx context.Context, shopID int64) (kpi.Weights, bool, error) {
	raw, err := s.st.Setting(ctx, weightsKey(shopID))
	if err != nil {
		return nil, false, err
	}
	if raw != "" {
		var w kpi.Weights
		if err := json.Unmarshal([]byte(raw), &w); err == nil && w.Validate() == nil {
			return w, true, nil
		}
		s.log.Warn("league weights unreadable, using the defaults", "shop", shopID)
	}
	return kpi.DefaultWeights(), false, nil
}

// leagueView is what the query asks of the table: sort, direction, shift.
type leagueView struct {
	Sort, Dir, Shift string
}

// sortKeys are the table's columns that are not metrics.
var fixedColumns = []struct{ Key, Label, Help string }{
	{"rank", "排名", "按综合得分排名（得分相同名次相同）"},
	{"change", "名次变化", "上期名次 − 本期名次：↑ 上升，↓ 下降，新 = 上期没有数据"},
	{"name", "客服", ""},
	{"shift", "班次", ""},
	{"score", "综合得分", "各指标 0–100 分按权重加权平均，见页面下方“综合得分权重”"},
}

func validSortKey(k string) bool {
	for _, c := range fixedColumns {
		if c.Key == k {
			return true
		}
	}
	for _, m := range leagueMetrics {
		if m == k {
			return true
		}
	}
	return false
}

// defaultDir is the direction a first click sorts in: best first for
// metrics, A→Z for text, first place first for the rank.
func defaultDir(key string) string {
	switch key {
	case "rank", "name", "shift":
		return "asc"
	case "change", "score":
		return "desc"
	}
	if kpi.Better[key] < 0 {
		return "asc"
	}
	return "desc"
}

func parseLeagueView(c *fiber.Ctx) leagueView {
	v := leagueView{Sort: c.Query("sort", "rank"), Dir: c.Query("dir"), Shift: strings.TrimSpace(c.Query("shift"))}
	if !validSortKey(v.Sort) {
		v.Sort = "rank"
	}
	if v.Dir != "asc" && v.Dir != "desc" {
		v.Dir = defaultDir(v.Sort)
	}
	if len([]rune(v.Shift)) > 20 {
		v.Shift = ""
	}
	return v
}

// rows are the members a view shows: filtered by shift, sorted (nulls last
// whatever the direction; ties by rank, then name).
func (t *team) rows(v leagueView) []*teamMember {
	var out []*teamMember
	for _, m := range t.members {
		if v.Shift == "" || m.agent.Shift == v.Shift {
			out = append(out, m)
		}
	}
	num := func(m *teamMember) (float64, bool) {
		switch v.Sort {
		case "rank":
			return float64(m.rank), true
		case "change":
			return float64(m.prevRank - m.rank), m.prevRank != 0
		case "score":
			return m.score.Value, true
		}
		return m.vals.Get(v.Sort)
	}
	text := func(m *teamMember) (string, bool) {
		if v.Sort == "name" {
			return m.agent.Name, true
		}
		return m.agent.Shift, m.agent.Shift != ""
	}
	less := func(a, b *teamMember) int { // -1, 0, 1 in ascending order; nulls handled by caller
		if v.Sort == "name" || v.Sort == "shift" {
			x, _ := text(a)
			y, _ := text(b)
			return strings.Compare(x, y)
		}
		x, _ := num(a)
		y, _ := num(b)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	present := func(m *teamMember) bool {
		if v.Sort == "name" || v.Sort == "shift" {
			_, ok := text(m)
			return ok
		}
		_, ok := num(m)
		return ok
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		pa, pb := present(a), present(b)
		if pa != pb {
			return pa
		}
		if pa {
			if c := less(a, b); c != 0 {
				return (c < 0) == (v.Dir == "asc")
			}
		}
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return a.agent.Name < b.agent.Name
	})
	return out
}

// periodQuery is the period of a page as query parameters, for links.
func periodQuery(per Period) url.Values {
	q := url.Values{"p": {per.Key}}
	if per.Key == "custom" {
		q.Set("from", per.From.String())
		q.Set("to", per.To.String())
	}
	return q
}

func rankChange(m *teamMember) (string, string) {
	if m.prevRank == 0 {
		return "新", "new"
	}
	d := m.prevRank - m.rank
	switch {
	case d > 0:
		return "↑" + strconv.Itoa(d), "up"
	case d < 0:
		return "↓" + strconv.Itoa(-d), "down"
	}
	return "持平", "flat"
}

func scoreText(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// drillHref links a metric of an agent to its drill-down ("" when none).
func drillHref(agentID int64, key string, per Period) string {
	kind, ok := drillOf[key]
	if !ok {
		return ""
	}
	return "/agents/" + itoa(agentID) + "/drill/" + kind + "?" + periodQuery(per).Encode()
}

// leagueCells are a row's metric cells, coloured against the shop's lines.
func leagueCells(v kpi.Values, lines map[string]kpi.Threshold, href func(key string) string) []views.LeagueCell {
	out := make([]views.LeagueCell, 0, len(leagueMetrics))
	for _, key := range leagueMetrics {
		mt, _ := kpi.MetricByKey(key)
		x, ok := v.Get(key)
		c := views.LeagueCell{Key: key, Text: views.FormatMetric(mt.Unit, x, ok)}
		c.Src, c.Title = sourceNote(v, key)
		if ok {
			if t, has := lines[key]; has {
				c.Status = t.Judge(x, kpi.Better[key]).Class()
				c.Title = strings.TrimPrefix(c.Title+"；判断依据："+t.Source, "；")
			}
			if href != nil {
				c.Href = href(key)
			}
		}
		out = append(out, c)
	}
	return out
}

// memberRow is an agent's row of the table.
func memberRow(m *teamMember, per Period, lines map[string]kpi.Threshold, links bool) views.LeagueRow {
	r := views.LeagueRow{Name: m.agent.Name, Shift: m.agent.Shift, Rank: strconv.Itoa(m.rank), Score: scoreText(m.score.Value)}
	r.Change, r.ChangeClass = rankChange(m)
	var href func(string) string
	if links {
		r.Href = "/agents/" + itoa(m.agent.ID) + "?" + periodQuery(per).Encode()
		href = func(key string) string { return drillHref(m.agent.ID, key, per) }
	}
	r.Cells = leagueCells(m.vals, lines, href)
	r.Risk, r.RiskTitle, r.RiskClass = riskCell(m.risks)
	if links {
		r.RiskHref = "/risks?" + periodQuery(per).Encode()
	}
	return r
}

// riskCell is an agent's risk items: the total, and per category in the
// tooltip; red when any is abuse or off-platform trading.
func riskCell(n map[string]int) (text, title, class string) {
	total := 0
	var parts []string
	for _, c := range store.RiskCategories {
		total += n[c]
		parts = append(parts, store.RiskLabel(c)+" "+strconv.Itoa(n[c]))
	}
	if n[risk.Abuse]+n[risk.OffPlatform] > 0 {
		class = "bad"
	} else if total > 0 {
		class = "warn"
	}
	return strconv.Itoa(total), strings.Join(parts, " · "), class
}

// medianRow is the team median of the given members.
func medianRow(ms []*teamMember, lines map[string]kpi.Threshold) *views.LeagueRow {
	if len(ms) == 0 {
		return nil
	}
	vals := make([]kpi.Values, len(ms))
	scores := make([]float64, len(ms))
	for i, m := range ms {
		vals[i], scores[i] = m.vals, m.score.Value
	}
	med, _ := kpi.MedianOf(scores)
	return &views.LeagueRow{Name: "团队中位数", Score: scoreText(med), Cells: leagueCells(kpi.MedianValues(vals), lines, nil), Risk: "—"}
}

const scoreHelpAttainment = "综合得分（按目标达成）：每个指标的得分 = 达成 × 100（本人数值 ÷ 目标，越低越好的指标反过来算，最高 120 分）；目标取本时段最后一天生效的目标（本人 > 班次 > 全店），没有目标时取平台规则线或参考线；没有任何线的指标（如销售额未设目标）不计入，有线但无数据记 0 分；再按权重加权平均。"

const scoreHelp = "综合得分 0–100：每个指标在本时段有数据的客服之间换算成 0–100 分（最好 100、最差 0，越低越好的指标反向），无数据记 0 分，再按权重加权平均；排名与得分按全队计算，筛选班次只隐藏其他行。"

const agentScoreHelp = "综合得分 0–100：每个指标在本时段有数据的客服之间换算成 0–100 分（最好 100、最差 0，越低越好的指标反向），无数据记 0 分，再按店主设定的权重加权平均；团队中位数是全队每个指标排在中间的值。"

// league is the league table: every agent for the owner; the agent's own
// row and the team median for an agent.
func (s *Server) league(c *fiber.Ctx) error {
	u := currentUser(c)
	owner := u.Role == store.RoleOwner
	if !owner && u.AgentID == 0 {
		return fiber.NewError(fiber.StatusForbidden, "你的账号还没有关联客服名称，请联系店主在「设置 → 账号」中关联。")
	}
	ctx := c.UserContext()
	p, shop, per, err := s.shopPeriod(c, "客服排行", "league")
	if err != nil {
		return err
	}
	if shop != nil && !owner && shop.ID != u.ShopID {
		return errForbidden
	}
	if shop == nil {
		return render(c, views.League(p, views.LeagueModel{NoShop: true, Owner: owner}))
	}
	t, err := s.loadTeam(ctx, shop, per)
	if err != nil {
		return err
	}
	v := parseLeagueView(c)
	ls, err := s.lineSet(ctx, shop, per.To)
	if err != nil {
		return err
	}
	if owner {
		return render(c, views.League(p, s.ownerLeague(c, t, v, ls)))
	}
	self, err := s.st.CanonicalAgent(ctx, u.AgentID) // a merged name's row is the agent it is merged into
	if err != nil {
		return err
	}
	return render(c, views.League(p, agentLeague(t, self, ls)))
}

func leagueBase(t *team) views.LeagueModel {
	return views.LeagueModel{
		ShopName:  t.shop.Name,
		Compare:   t.per.PrevFrom.String() + " 至 " + t.per.PrevTo.String(),
		Period:    t.per.form(t.shop.ID),
		ScoreHelp: scoreHelpFor(t.mode),
	}
}

func scoreHelpFor(mode string) string {
	if mode == scoreAttainment {
		return scoreHelpAttainment
	}
	return scoreHelp
}

// ownerLeague is the whole table with sort links, shift filter, CSV and weights.
func (s *Server) ownerLeague(c *fiber.Ctx, t *team, v leagueView, ls *lineSet) views.LeagueModel {
	m := leagueBase(t)
	m.Owner = true
	m.Shift = v.Shift
	base := periodQuery(t.per)
	base.Set("shop", itoa(t.shop.ID))
	if v.Shift != "" {
		base.Set("shift", v.Shift)
		m.Period.Extra["shift"] = v.Shift
	}
	if v.Sort != "rank" || v.Dir != defaultDir("rank") {
		m.Period.Extra["sort"], m.Period.Extra["dir"] = v.Sort, v.Dir
	}
	m.Shifts = shiftOptions(t, v.Shift)
	for _, col := range leagueColumns(t.mode) {
		q := cloneQuery(base)
		dir := defaultDir(col.Key)
		if col.Key == v.Sort {
			if v.Dir == "asc" {
				dir, col.Arrow = "desc", "▲"
			} else {
				dir, col.Arrow = "asc", "▼"
			}
		}
		q.Set("sort", col.Key)
		q.Set("dir", dir)
		col.Href = "/league?" + q.Encode()
		m.Columns = append(m.Columns, col)
	}
	rows := t.rows(v)
	for _, r := range rows {
		m.Rows = append(m.Rows, memberRow(r, t.per, ls.For(r.agent.ID, r.agent.Shift), true))
	}
	m.Median = medianRow(rows, ls.For(0, v.Shift))
	m.Empty = len(rows) == 0
	csvQ := cloneQuery(base)
	csvQ.Set("sort", v.Sort)
	csvQ.Set("dir", v.Dir)
	m.CSVHref = "/league.csv?" + csvQ.Encode()
	m.Weights = weightsForm(t, c.OriginalURL())
	return m
}

// agentLeague is an agent's view: their own row, their rank in the team and
// the team median; no other agent's name or row.
func agentLeague(t *team, agentID int64, ls *lineSet) views.LeagueModel {
	m := leagueBase(t)
	m.ScoreHelp = agentScoreHelp
	if t.mode == scoreAttainment {
		m.ScoreHelp = scoreHelpAttainment
	}
	m.Columns = leagueColumns(t.mode)
	if me := t.member(agentID); me != nil {
		m.Rows = []views.LeagueRow{memberRow(me, t.per, ls.For(me.agent.ID, me.agent.Shift), true)}
		m.Rows[0].Me = true
		m.MyRank = "第 " + strconv.Itoa(me.rank) + " / " + strconv.Itoa(len(t.members)) + " 名"
	} else {
		m.NotRanked = true
	}
	m.Median = medianRow(t.members, ls.For(0, ""))
	m.Empty = len(t.members) == 0
	return m
}

// leagueColumns are the header cells: the fixed columns, then the metrics.
func leagueColumns(mode string) []views.LeagueColumn {
	var out []views.LeagueColumn
	for _, c := range fixedColumns {
		if c.Key == "score" && mode == scoreAttainment {
			c.Help = "各指标按目标达成得分（达成 × 100，最高 120）按权重加权平均，见页面下方“综合得分权重”"
		}
		out = append(out, views.LeagueColumn{Key: c.Key, Label: c.Label, Help: c.Help})
	}
	for _, key := range leagueMetrics {
		mt, _ := kpi.MetricByKey(key)
		out = append(out, views.LeagueColumn{Key: key, Label: mt.Name, Help: mt.Help})
	}
	return out
}

func cloneQuery(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// shiftOptions are "all" and every shift an agent of the shop has.
func shiftOptions(t *team, cur string) []views.LeagueOption {
	seen := map[string]bool{}
	var shifts []string
	for _, m := range t.members {
		if sh := m.agent.Shift; sh != "" && !seen[sh] {
			seen[sh] = true
			shifts = append(shifts, sh)
		}
	}
	order := func(s string) int {
		for i, x := range store.Shifts {
			if x == s {
				return i
			}
		}
		return len(store.Shifts)
	}
	sort.Slice(shifts, func(i, j int) bool {
		if oi, oj := order(shifts[i]), order(shifts[j]); oi != oj {
			return oi < oj
		}
		return shifts[i] < shifts[j]
	})
	out := []views.LeagueOption{{Value: "", Label: "全部班次", Selected: cur == ""}}
	for _, sh := range shifts {
		out = append(out, views.LeagueOption{Value: sh, Label: sh, Selected: sh == cur})
	}
	if cur != "" && !seen[cur] {
		out = append(out, views.LeagueOption{Value: cur, Label: cur, Selected: true})
	}
	return out
}

// weightsForm shows the weights in use.
func weightsForm(t *team, back string) views.WeightsForm {
	f := views.WeightsForm{ShopID: t.shop.ID, Back: back, Custom: t.custom, Attainment: t.mode == scoreAttainment}
	var parts []string
	for _, key := range kpi.ScoreKeys {
		mt, _ := kpi.MetricByKey(key)
		dir := "越高越好"
		if kpi.Better[key] < 0 {
			dir = "越低越好"
		}
		w := t.weights[key]
		f.Fields = append(f.Fields, views.WeightField{Key: key, Label: mt.Name, Value: strconv.FormatFloat(w, 'f', -1, 64), Direction: dir})
		if w > 0 {
			parts = append(parts, mt.Name+" "+strconv.FormatFloat(w, 'f', -1, 64))
		}
	}
	f.Summary = strings.Join(parts, " · ")
	if f.Attainment {
		f.Summary = "按目标达成 · " + f.Summary
	}
	return f
}

// leagueWeights saves the owner's score weights for a shop (or restores
// the defaults); bad values are refused with a message.
func (s *Server) leagueWeights(c *fiber.Ctx) error {
	if err := ownerOnly(c); err != nil {
		return err
	}
	ctx := c.UserContext()
	id, err := strconv.ParseInt(c.FormValue("shop"), 10, 64)
	if err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "没有指定店铺。")
	}
	shop, err := s.shopByID(ctx, id)
	if err != nil {
		return err
	}
	if shop == nil {
		return fiber.NewError(fiber.StatusNotFound, "没有这个店铺。")
	}
	back, ok := localTarget(c.FormValue("back"))
	if !ok || !(back == "/league" || strings.HasPrefix(back, "/league?")) {
		back = "/league"
	}
	back += "#weights"
	if c.FormValue("reset") != "" {
		if err := s.st.SetSetting(ctx, weightsKey(shop.ID), ""); err != nil {
			return err
		}
		if err := s.st.SetSetting(ctx, scoreModeKey(shop.ID), scoreRelative); err != nil {
			return err
		}
		s.flash(c, true, "已恢复默认权重和计分方式。")
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	w := kpi.Weights{}
	for _, key := range kpi.ScoreKeys {
		v, err := kpi.ParseWeight(strings.TrimSpace(c.FormValue("w_" + key)))
		if err != nil {
			mt, _ := kpi.MetricByKey(key)
			s.flash(c, false, "权重未保存："+mt.Name+" 的权重不是数字。")
			return c.Redirect(back, fiber.StatusSeeOther)
		}
		if v != 0 {
			w[key] = v
		}
	}
	if err := w.Validate(); err != nil {
		s.flash(c, false, "权重未保存："+err.Error()+"。")
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	mode := scoreRelative
	if c.FormValue("mode") == scoreAttainment {
		mode = scoreAttainment
	}
	if err := s.st.SetSetting(ctx, weightsKey(shop.ID), string(b)); err != nil {
		return err
	}
	if err := s.st.SetSetting(ctx, scoreModeKey(shop.ID), mode); err != nil {
		return err
	}
	s.flash(c, true, "综合得分权重和计分方式已保存。")
	return c.Redirect(back, fiber.StatusSeeOther)
}

// leagueCSV exports the owner's table as shown (period, shift, sort): UTF-8
// with a BOM so that Excel reads the Chinese, plain numbers (rates in
// percent with one decimal, money in yuan, no ¥ or separators).
func (s *Server) leagueCSV(c *fiber.Ctx) error {
	if err := ownerOnly(c); err != nil {
		return err
	}
	ctx := c.UserContext()
	_, shop, per, err := s.shopPeriod(c, "客服排行", "league")
	if err != nil {
		return err
	}
	if shop == nil {
		return fiber.NewError(fiber.StatusNotFound, "还没有任何数据。")
	}
	t, err := s.loadTeam(ctx, shop, per)
	if err != nil {
		return err
	}
	v := parseLeagueView(c)
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	head := []string{"排名", "名次变化", "客服", "班次", "综合得分"}
	for _, key := range leagueMetrics {
		mt, _ := kpi.MetricByKey(key)
		head = append(head, mt.Name+csvUnit(mt.Unit))
	}
	_ = w.Write(head)
	for _, m := range t.rows(v) {
		change, _ := rankChange(m)
		if m.prevRank != 0 {
			change = strconv.Itoa(m.prevRank - m.rank)
			if m.prevRank > m.rank {
				change = "+" + change
			}
		}
		rec := []string{strconv.Itoa(m.rank), change, csvText(m.agent.Name), csvText(m.agent.Shift), scoreText(m.score.Value)}
		for _, key := range leagueMetrics {
			mt, _ := kpi.MetricByKey(key)
			x, ok := m.vals.Get(key)
			rec = append(rec, csvNumber(mt.Unit, x, ok))
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	name := "客服排行_"
	if v.Shift != "" {
		name += v.Shift + "_"
	}
	name += per.From.String() + "_" + per.To.String() + ".csv"
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, contentDisposition(name, "league_"+per.From.String()+"_"+per.To.String()+".csv"))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(buf.Bytes())
}

// csvUnit is the unit a CSV header names, since the cells carry none.
func csvUnit(u kpi.Unit) string {
	switch u {
	case kpi.UnitRate:
		return "(%)"
	case kpi.UnitYuan:
		return "(元)"
	case kpi.UnitSeconds:
		return "(秒)"
	case kpi.UnitHours:
		return "(小时)"
	}
	return ""
}

// csvNumber writes a value for a spreadsheet: no ¥, no separators; rates as
// percentages with one decimal; empty when there is no value.
func csvNumber(u kpi.Unit, v float64, ok bool) string {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	switch u {
	case kpi.UnitCount:
		return strconv.FormatInt(int64(math.Round(v)), 10)
	case kpi.UnitRate:
		return strconv.FormatFloat(v*100, 'f', 1, 64)
	case kpi.UnitYuan, kpi.UnitScore, kpi.UnitRatio:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// csvText keeps a name from being read as a formula by a spreadsheet.
func csvText(s string) string { return importer.SafeCSVCell(s) }

// contentDisposition names a download: an ASCII fallback and the real name
// in RFC 5987 encoding (filename*, UTF-8 percent-encoded), which every
// current browser uses.
func contentDisposition(name, fallback string) string {
	const attrChar = "!#$&+-.^_`|~"
	var b strings.Builder
	for _, by := range []byte(name) {
		switch {
		case by >= 'a' && by <= 'z', by >= 'A' && by <= 'Z', by >= '0' && by <= '9', strings.IndexByte(attrChar, by) >= 0:
			b.WriteByte(by)
		default:
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(by)|0x100, 16)[1:]))
		}
	}
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + b.String()
}
