package kpi

import (
	"sort"
	"strings"
)

// KindAgentReport is the platforms' per-agent performance report (客服绩效):
// one row per agent and period, figures as the platform computed them.
const KindAgentReport Kind = "agent_report"

// Source says where a KPI's value comes from.
type Source int8

const (
	SourceNone     Source = iota
	SourceComputed        // kefuboard's computation from raw rows (计算)
	SourcePlatform        // the platform's agent report (平台)
)

// String is the JSON name of the source.
func (s Source) String() string {
	switch s {
	case SourceComputed:
		return "computed"
	case SourcePlatform:
		return "platform"
	}
	return ""
}

// Label is the source as the pages show it.
func (s Source) Label() string {
	switch s {
	case SourceComputed:
		return "计算"
	case SourcePlatform:
		return "平台"
	}
	return ""
}

// PlatformUnit is how a platform figure is measured, as stored.
type PlatformUnit int8

const (
	PUnitNumber  PlatformUnit = iota // any other number (a score, a ratio such as 答问比)
	PUnitCount                       // people, orders, sessions
	PUnitFen                         // money in fen
	PUnitRate                        // a fraction in [0, 1]
	PUnitSeconds                     // a duration in seconds
)

// PlatformValue is one figure of one agent's report row.
type PlatformValue struct {
	Key    string // canonical metric key, or "" for a platform-only column
	Column string // the platform's column name, normalised (NormaliseReportHeader)
	Unit   PlatformUnit
	Value  float64 // fen for money
}

// Metric is the key the value is stored under: the canonical key, else the
// platform's column name.
func (v PlatformValue) Metric() string {
	if v.Key != "" {
		return v.Key
	}
	return v.Column
}

// Benchmark kinds of a 生意参谋 report: 同行同层均值 and 同行同层优秀 rows.
const (
	BenchmarkAvg = "avg"
	BenchmarkTop = "top"
)

// AgentReportRow is one row of a platform agent report.
type AgentReportRow struct {
	Agent     string // "" on a benchmark row
	Benchmark string // "" for an agent; BenchmarkAvg / BenchmarkTop for industry rows
	From, To  Day
	Values    []PlatformValue
}

// platformKey is one canonical key a platform column can fill.
type platformKey struct {
	key     string
	unit    PlatformUnit
	columns []string // normalised platform column names, in priority order
}

// platformKeys maps the platforms' column names to kefuboard's keys. Within a
// key, earlier names win when a file has several (生意参谋 has both 询单人数
// and 当日询单人数: the first fills inquiries, the other stays a platform
// metric). Names are as NormaliseReportHeader leaves them: no spaces,
// half-width brackets, units dropped.
var platformKeys = []platformKey{
	{"consulting_buyers", PUnitCount, []string{"咨询人数", "接待人数", "有效接待人数", "已接待人数", "人工已接待人数", "接待量"}},
	{"inquiries", PUnitCount, []string{"询单人数", "当日询单人数", "售前接待人数"}},
	{"converted_inquiries", PUnitCount, []string{"最终成团人数", "询单->最终付款人数", "销售人数", "促成下单人数", "支付人数"}},
	{"inquiry_conversion_rate", PUnitRate, []string{"询单转化率", "询单->最终付款转化率", "询单最终付款转化率"}},
	{"attributed_sales", PUnitFen, []string{"客服销售额", "销售额", "促成下单商品金额", "客服询单支付额"}},
	{"attributed_sales_net", PUnitFen, []string{"去退销售额", "净销售额", "退款后销售额"}},
	{"reply_3m_rate", PUnitRate, []string{"3分钟人工回复率(8-23点)", "3分钟人工回复率", "3分钟人工响应率", "客服3分钟人工回复率", "工作时间3分钟回复率"}},
	{"reply_30s_rate", PUnitRate, []string{"30秒应答率(8-23点)", "30秒应答率", "30s应答率"}},
	{"avg_response_seconds", PUnitSeconds, []string{"平均人工响应时长", "平均响应", "平均响应时长", "平均响应时长(新)", "工作时间平响时长", "平均响应时间"}},
	{"first_response_seconds", PUnitSeconds, []string{"首次响应时长", "首次响应", "首次平均响应时间", "全天首响时长"}},
	{"unreplied_buyers", PUnitCount, []string{"3分钟未回复人数", "未回复人数", "待回复会话量"}},
	{"satisfaction_rate", PUnitRate, []string{"客户满意率", "全天满意率", "满意率"}},
	{"aov", PUnitFen, []string{"客单价"}},
	{"bad_reviews", PUnitCount, []string{"评分≤3订单数", "有效差评数"}},
	{"dispute_refunds", PUnitCount, []string{"纠纷退款数"}},
	{"complaints", PUnitCount, []string{"投诉数"}},
	{"service_score", PUnitNumber, []string{"客服服务分"}},
}

var platformColumn = func() map[string]struct {
	key  string
	unit PlatformUnit
	prio int
} {
	m := map[string]struct {
		key  string
		unit PlatformUnit
		prio int
	}{}
	for _, k := range platformKeys {
		for i, c := range k.columns {
			m[c] = struct {
				key  string
				unit PlatformUnit
				prio int
			}{k.key, k.unit, i}
		}
	}
	return m
}()

// PlatformColumn maps a normalised platform column name to its canonical key,
// unit and priority within the key (0 first). ok is false for a column with
// no canonical key.
func PlatformColumn(name string) (key string, unit PlatformUnit, prio int, ok bool) {
	c, ok := platformColumn[name]
	return c.key, c.unit, c.prio, ok
}

// GuessPlatformUnit is the unit of a platform-only column, from its name and
// the unit its header named ("元", "秒", "分钟", "%", or ""): rates say 率,
// durations 时长 / 响应 / 时间, money 额 / 金额 / 客单价 / 元.
func GuessPlatformUnit(name, headerUnit string) PlatformUnit {
	switch headerUnit {
	case "元":
		return PUnitFen
	case "秒", "分钟":
		return PUnitSeconds
	case "%":
		return PUnitRate
	case "人", "次", "件", "个", "单":
		return PUnitCount
	}
	switch {
	case strings.Contains(name, "率"):
		return PUnitRate
	case strings.Contains(name, "时长"), strings.Contains(name, "响应"), strings.HasSuffix(name, "时间"):
		return PUnitSeconds
	case strings.Contains(name, "金额"), strings.HasSuffix(name, "额"), strings.Contains(name, "客单价"):
		return PUnitFen
	case strings.HasSuffix(name, "数"), strings.HasSuffix(name, "量"), strings.HasSuffix(name, "人数"), strings.HasSuffix(name, "天数"):
		return PUnitCount
	}
	return PUnitNumber
}

// rateParts names, for a platform rate that can be rebuilt exactly from two
// counts of the same report, its numerator and denominator keys. Other rates
// and averages are weighted by their base (rateBase).
var rateParts = map[string][2]string{
	"inquiry_conversion_rate": {"converted_inquiries", "inquiries"},
}

// rateBase is the count a platform rate or average is weighted by when a
// report over several days is built from daily rows and the rate cannot be
// rebuilt from its parts: the people the rate is a share of.
var rateBase = map[string]string{
	"inquiry_conversion_rate": "inquiries",
	"reply_3m_rate":           "consulting_buyers",
	"reply_30s_rate":          "consulting_buyers",
	"avg_response_seconds":    "consulting_buyers",
	"first_response_seconds":  "consulting_buyers",
	"satisfaction_rate":       "consulting_buyers",
	"service_score":           "consulting_buyers",
	"aov":                     "converted_inquiries",
}

// PlatformAggregation says, in Chinese, how a platform figure of this key and
// unit is added up over several reports (for the pages' help text).
func PlatformAggregation(key string, unit PlatformUnit) string {
	if p, ok := rateParts[key]; ok {
		return "多天合计时按" + metricName(p[0]) + " ÷ " + metricName(p[1]) + "重新计算"
	}
	switch unit {
	case PUnitCount, PUnitFen:
		if !isAverage(key, "") {
			return "多天合计时相加"
		}
	}
	if b, ok := rateBase[key]; ok {
		return "多天合计时按" + metricName(b) + "加权平均"
	}
	return "多天合计时按咨询人数加权平均（无咨询人数时简单平均）"
}

func metricName(key string) string {
	if m, ok := MetricByKey(key); ok {
		return m.Name
	}
	return key
}

// PlatformFigure is a platform figure over a period: the value, the platform
// column it came from, and how many reports it adds up.
type PlatformFigure struct {
	Value   float64 // fen for money
	Unit    PlatformUnit
	Column  string
	Reports int
}

// AggregatePlatform adds up the rows of one agent (or of a whole shop's
// agents) over several reports, metric by metric: counts and money are
// summed; a rate with both of its parts in every row is rebuilt from the
// summed parts; other rates and averages are weighted by their base count
// (rateBase, else consulting_buyers) where every row has it, else averaged
// plainly. Rows must not overlap in time (ChooseReports).
func AggregatePlatform(rows []AgentReportRow) map[string]PlatformFigure {
	type acc struct {
		fig          PlatformFigure
		sum, wsum, w float64
		weighted     bool
		n            int
	}
	accs := map[string]*acc{}
	var order []string
	n := 0
	for _, r := range rows {
		n++
		vals := map[string]float64{}
		for _, v := range r.Values {
			vals[v.Metric()] = v.Value
		}
		for _, v := range r.Values {
			m := v.Metric()
			a := accs[m]
			if a == nil {
				a = &acc{fig: PlatformFigure{Unit: v.Unit, Column: v.Column}, weighted: true}
				accs[m] = a
				order = append(order, m)
			}
			a.n++
			a.sum += v.Value
			base, ok := vals[baseOf(v.Key)]
			if ok {
				a.wsum += v.Value * base
				a.w += base
			} else {
				a.weighted = false
			}
		}
	}
	out := make(map[string]PlatformFigure, len(accs))
	for _, m := range order {
		a := accs[m]
		f := a.fig
		f.Reports = a.n
		switch {
		case (f.Unit == PUnitCount || f.Unit == PUnitFen) && !isAverage(m, f.Column):
			f.Value = a.sum
		case a.n == 1:
			f.Value = a.sum
		case a.weighted && a.w > 0:
			f.Value = a.wsum / a.w
		default:
			f.Value = a.sum / float64(a.n)
		}
		out[m] = f
	}
	// Rates rebuilt from their parts where every row has both parts (a day
	// without inquiries has no conversion rate, but its zeros still count).
	for key, parts := range rateParts {
		f, ok := out[key]
		if !ok || n < 2 {
			continue
		}
		num, okn := out[parts[0]]
		den, okd := out[parts[1]]
		if okn && okd && num.Reports == n && den.Reports == n && den.Value > 0 {
			f.Value, f.Reports = num.Value/den.Value, n
			out[key] = f
		}
	}
	return out
}

// isAverage reports a money or count figure that is itself an average (客单价,
// 平均…): weighted like a rate, never summed.
func isAverage(metric, column string) bool {
	return metric == "aov" || strings.Contains(column, "客单价") || strings.Contains(column, "平均") || strings.Contains(column, "均值")
}

func baseOf(key string) string {
	if b, ok := rateBase[key]; ok {
		return b
	}
	return "consulting_buyers"
}

// Span is a report's period.
type Span struct{ From, To Day }

// Days is the number of days of the span.
func (s Span) Days() int { return int(s.To-s.From) + 1 }

// ChooseReports picks, among report periods inside [from, to], a set that
// does not overlap, preferring the shortest (daily reports over a weekly
// one that covers the same days), then the earliest. A report is used only
// when the period contains its whole range; a range is never split.
func ChooseReports(spans []Span, from, to Day) []Span {
	var in []Span
	seen := map[Span]bool{}
	for _, s := range spans {
		if s.From >= from && s.To <= to && s.From <= s.To && !seen[s] {
			seen[s] = true
			in = append(in, s)
		}
	}
	sort.Slice(in, func(i, j int) bool {
		if in[i].Days() != in[j].Days() {
			return in[i].Days() < in[j].Days()
		}
		return in[i].From < in[j].From
	})
	var out []Span
	for _, s := range in {
		clash := false
		for _, o := range out {
			if s.From <= o.To && o.From <= s.To {
				clash = true
				break
			}
		}
		if !clash {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].From < out[j].From })
	return out
}

// AgentPlatform adds to an agent's platform figures the keys that mean the
// same thing at agent level: an agent's sales are the sales credited to the
// agent (docs/METRICS.md), which is what the platforms call 客服销售额.
func AgentPlatform(figs map[string]PlatformFigure) map[string]PlatformFigure {
	if f, ok := figs["attributed_sales"]; ok {
		if _, has := figs["sales"]; !has {
			figs["sales"] = f
		}
	}
	return figs
}
