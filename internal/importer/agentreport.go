package importer

import (
	"strings"
	"unicode"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// The platforms' per-agent performance reports (客服绩效). Their columns are
// not a fixed table like the tidy kinds: each platform prints its own metric
// names, Taobao lets the user choose them. A header is an agent report when it
// has an agent column and at least two columns that fill a canonical key
// (kpi.PlatformColumn). Every numeric column is kept: under its canonical key
// where one fits, else as a platform metric under its own name.

// reportIdentity are the columns that name the agent, in priority order: the
// first non-blank one of a row is the agent (Douyin: 客服账号, else 客服昵称
// when the account is blank).
var reportIdentity = []string{"客服账号", "旺旺", "旺旺昵称", "旺旺账号名称", "客服", "账号名称", "客服名称", "子账号", "UID", "客服昵称"}

// reportDate are the columns that date a row (a daily detail file).
var reportDate = []string{"日期", "统计日期", "时间", "统计时间", "统计周期"}

// reportIgnore are columns that are neither the agent nor a figure.
var reportIgnore = map[string]bool{
	"序号": true, "排名": true, "名次": true, "旺旺分组": true, "分组": true, "客服分组": true, "技能组": true,
	"店铺": true, "店铺名称": true, "备注": true, "角色": true, "状态": true, "在线状态": true,
}

// reportUnits are the units a header may end with; they are noted and dropped
// ("客服销售额(元)" is 客服销售额, in yuan). Qualifiers such as (8-23点),
// (全天), (会话), (新) are part of the name: they are different metrics.
var reportUnits = []string{"元", "件", "秒", "分钟", "人", "次", "个", "%"}

// NormaliseReportHeader is a platform column name as kefuboard stores it:
// spaces dropped, full-width brackets made half-width, a trailing unit
// removed (and returned), a 延 / 修 marker stripped (赤兔 marks delayed and
// corrected columns so: "询单人数延", "客单价修").
func NormaliseReportHeader(h string) (name, unit string) {
	var b strings.Builder
	for _, r := range h {
		switch {
		case unicode.IsSpace(r), r == '\ufeff', r == '\u200b', r == '*', r == '＊':
			continue
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		case r == '【', r == '［':
			r = '['
		case r == '】', r == '］':
			r = ']'
		case r == '％':
			r = '%'
		case r == '：':
			r = ':'
		case r == '－' || r == '—':
			r = '-'
		case r == '＞':
			r = '>'
		}
		b.WriteRune(r)
	}
	name = strings.Trim(b.String(), ":\"'“”")
	for _, u := range reportUnits {
		for _, form := range []string{"(" + u + ")", "[" + u + ")", "(" + u + "]", "[" + u + "]"} {
			if strings.HasSuffix(name, form) && len(name) > len(form) {
				name, unit = name[:len(name)-len(form)], u
			}
		}
		if unit != "" {
			break
		}
	}
	for _, m := range []string{"延", "修"} {
		if t := strings.TrimSuffix(name, m); t != name && t != "" {
			name = t
		}
		if t := strings.TrimPrefix(name, m); t != name && t != "" {
			name = t
		}
	}
	return name, unit
}

// reportCol is one figure column of an agent report.
type reportCol struct {
	idx        int
	name       string // normalised platform name
	headerUnit string
	key        string // canonical key, "" for a platform-only metric
	unit       kpi.PlatformUnit
}

// reportLayout is an agent-report header resolved.
type reportLayout struct {
	ids     []int // identity columns in priority order
	date    int   // -1 without a date column
	cols    []reportCol
	matched int // columns with a canonical key
}

// layoutReport resolves a header as an agent report. Several columns that
// fill the same key: the one earliest in the key's priority list wins, the
// others are kept as platform metrics under their own names.
func layoutReport(header []string) *reportLayout {
	l := &reportLayout{date: -1}
	idPos := map[string]int{}
	type cand struct {
		col  reportCol
		prio int
	}
	best := map[string]int{} // key -> index into cands of the winner
	var cands []cand
	for i, h := range header {
		name, unit := NormaliseReportHeader(h)
		if name == "" {
			continue
		}
		if _, dup := idPos[name]; !dup && inList(reportIdentity, name) {
			idPos[name] = i
			continue
		}
		if l.date < 0 && inList(reportDate, name) {
			l.date = i
			continue
		}
		if reportIgnore[name] || inList(reportIdentity, name) {
			continue
		}
		c := reportCol{idx: i, name: name, headerUnit: unit}
		if key, u, prio, ok := kpi.PlatformColumn(name); ok {
			c.key, c.unit = key, u
			if j, seen := best[key]; !seen || prio < cands[j].prio {
				best[key] = len(cands)
			}
			cands = append(cands, cand{c, prio})
			continue
		}
		c.unit = kpi.GuessPlatformUnit(name, unit)
		cands = append(cands, cand{c, -1})
	}
	for j, c := range cands {
		if c.col.key != "" && best[c.col.key] != j {
			c.col.key = "" // a second column of the same key: a platform metric
		}
		if c.col.key != "" {
			l.matched++
		}
		l.cols = append(l.cols, c.col)
	}
	for _, n := range reportIdentity {
		if i, ok := idPos[n]; ok {
			l.ids = append(l.ids, i)
		}
	}
	return l
}

func inList(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// isAgentReport reports a header that reads as an agent report: an agent
// column and at least two figures with a canonical key.
func (l *reportLayout) isAgentReport() bool { return len(l.ids) > 0 && l.matched >= 2 }

// summaryWords mark the shop's total and average rows, which are not agents.
var summaryWords = []string{"总计", "合计", "汇总", "统计", "平均", "均值", "总值", "主账号"}

// benchmarkRow names 生意参谋's industry rows: 同行同层均值 (the category
// average) and 同行同层优秀 (the category's best).
func benchmarkRow(s string) string {
	switch {
	case strings.Contains(s, "同行") && strings.Contains(s, "均值"):
		return kpi.BenchmarkAvg
	case strings.Contains(s, "同行") && strings.Contains(s, "优秀"):
		return kpi.BenchmarkTop
	}
	return ""
}

func isSummary(s string) bool {
	for _, w := range summaryWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// buildAgentReport reads one row of an agent report. Summary rows are
// skipped (Record with no pointer set); benchmark rows come back as rows
// with Benchmark set.
func buildAgentReport(r *Reader, cells []string, row int) (Record, *RowError) {
	l := r.report
	cell := func(i int) string {
		if i < 0 || i >= len(cells) {
			return ""
		}
		v := trimCell(cells[i])
		if isPlaceholder(v) {
			return ""
		}
		return v
	}
	var agent string
	for _, i := range l.ids {
		if agent = cell(i); agent != "" {
			break
		}
	}
	// The label of a total row may sit in any of the first columns (Douyin
	// puts 店铺汇总值 in column B, PDD 店铺总计 in 客服账号).
	label := agent
	for i := 0; i < 2 && label == ""; i++ {
		label = cell(i)
	}
	out := kpi.AgentReportRow{Agent: agent}
	if bm := benchmarkRow(label); bm != "" {
		out.Agent, out.Benchmark = "", bm
	} else if isSummary(label) || (agent == "" && l.date >= 0 && isSummary(cell(l.date))) {
		r.skipped++
		return Record{}, nil
	}
	fail := func(col, value, reason string) (Record, *RowError) {
		return Record{}, &RowError{Row: row, Column: col, Value: value, Reason: reason, Raw: append([]string(nil), cells...)}
	}
	if out.Agent == "" && out.Benchmark == "" {
		return fail(r.header[l.ids[0]], "", "客服账号不能为空（这一行没有客服名称）")
	}
	span, ok := r.period, r.hasPeriod
	if l.date >= 0 {
		if v := cell(l.date); v != "" {
			s, ok2 := parseSpan(v, r)
			if !ok2 {
				return fail(r.header[l.date], v, "无法识别的日期：应为 2026-04-20 或 2026-04-20~2026-04-26")
			}
			span, ok = s, true
		}
	}
	if !ok {
		return fail("", "", errNoPeriod.Error())
	}
	out.From, out.To = span.From, span.To
	for _, c := range l.cols {
		raw := ""
		if c.idx < len(cells) {
			raw = cells[c.idx]
		}
		v, ok, err := parseReportValue(raw, c.unit, c.headerUnit)
		if err != nil {
			if c.key == "" {
				continue // a text column we do not know: not a figure
			}
			return fail(strings.TrimSpace(r.header[c.idx]), trimCell(raw), err.Error())
		}
		if ok {
			out.Values = append(out.Values, kpi.PlatformValue{Key: c.key, Column: c.name, Unit: c.unit, Value: v})
		}
	}
	return Record{AgentReport: &out}, nil
}

// parseSpan reads a date cell: one day, or a range "A~B" / "A至B".
func parseSpan(v string, r *Reader) (kpi.Span, bool) {
	for _, sep := range []string{"~", "～", "至", "到", " - ", "—"} {
		if a, b, ok := strings.Cut(v, sep); ok {
			from, ok1 := dayOf(trimCell(a), r)
			to, ok2 := dayOf(trimCell(b), r)
			if ok1 && ok2 && from <= to {
				return kpi.Span{From: from, To: to}, true
			}
			return kpi.Span{}, false
		}
	}
	d, ok := dayOf(v, r)
	return kpi.Span{From: d, To: d}, ok
}

func dayOf(v string, r *Reader) (kpi.Day, bool) {
	if d, err := kpi.ParseDay(v); err == nil {
		return d, true
	}
	if s, ok := PeriodFromName(v); ok && s.From == s.To {
		return s.From, true
	}
	ms, err := r.parseTime(v)
	if err != nil || ms == 0 {
		return 0, false
	}
	return kpi.Clock{Loc: r.loc}.DayOf(ms), true
}
