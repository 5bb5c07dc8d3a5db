package web

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/importer"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// The targets page (目标设定), owners only:
//
//	GET  /targets                   every KPI: value, spread, past, benchmarks, line, suggestion, target
//	POST /targets                   set a target (or accept a suggestion)
//	POST /targets/benchmarks        enter a benchmark
//	POST /targets/benchmarks.csv    import benchmarks: kpi,avg,top10,read_on
func (s *Server) targetsRoutes(a *fiber.App) {
	a.Get("/targets", requireOwner, s.targetsPage)
	a.Post("/targets", requireOwner, s.setTarget)
	a.Post("/targets/benchmarks", requireOwner, s.setBenchmark)
	a.Post(benchmarkCSVPath, requireOwner, s.importBenchmarks)
}

// A benchmark CSV is a few KB (one row per KPI and reading day); bodyGate
// refuses a larger upload to its path before reading it.
const (
	benchmarkCSVPath     = "/targets/benchmarks.csv"
	maxBenchmarkCSVBytes = 1 << 20
)

func (s *Server) targetsPage(c *fiber.Ctx) error {
	p, shop, per, err := s.shopPeriod(c, "目标设定", "targets")
	if err != nil {
		return err
	}
	if shop == nil {
		return render(c, views.TargetsPage(p, views.TargetsModel{}))
	}
	ctx, asOf := c.UserContext(), shop.Yesterday(time.Now())
	key := targetsKey{overviewKey{shop.ID, shop.DataVersion, shop.Name, shop.Platform, per}, asOf}
	m, err := s.targetViews.Get(key, func() (views.TargetsModel, error) { return s.targetsModel(ctx, shop, per, asOf) })
	if err != nil {
		return err
	}
	return render(c, views.TargetsPage(p, m))
}

// targetsKey is everything the targets page's model depends on: the shop's
// data (targets and benchmarks included), the period and the last complete
// day.
type targetsKey struct {
	overviewKey
	asOf kpi.Day
}

func (s *Server) targetsModel(ctx context.Context, shop *store.Shop, per Period, asOf kpi.Day) (views.TargetsModel, error) {
	m := views.TargetsModel{ShopID: itoa(shop.ID), ShopName: shop.Name, AsOf: asOf.String(),
		Period: per.form(shop.ID),
		Form:   views.TargetForm{From: (asOf + 1).String()}, Bench: views.BenchForm{ReadOn: asOf.String()}}
	rows, err := s.st.TargetsView(ctx, shop, asOf)
	if err != nil {
		return m, err
	}
	cur, err := s.st.Sums(ctx, shop, per.From, per.To)
	if err != nil {
		return m, err
	}
	prev, err := s.st.Sums(ctx, shop, per.PrevFrom, per.PrevTo)
	if err != nil {
		return m, err
	}
	ly, err := s.st.Sums(ctx, shop, per.From-365, per.To-365)
	if err != nil {
		return m, err
	}
	agents, err := s.st.Agents(ctx, shop.ID)
	if err != nil {
		return m, err
	}
	curV, prevV, lyV := cur.ShopValues(), prev.ShopValues(), ly.ShopValues()
	var team []kpi.Values
	shiftOf := map[int64]string{}
	for _, a := range agents {
		shiftOf[a.ID] = a.Shift
	}
	byShift := map[string][]kpi.Values{}
	for _, id := range cur.Listed() {
		v := cur.AgentValues(id)
		team = append(team, v)
		if sh := shiftOf[id]; sh != "" {
			byShift[sh] = append(byShift[sh], v)
		}
	}
	shifts := orderedShifts(byShift)
	m.ShiftHeader = strings.Join(shifts, " / ")
	for _, r := range rows {
		key, unit := r.Metric.Key, r.Metric.Unit
		f := func(v float64, ok bool) string { return views.FormatMetric(unit, v, ok) }
		fp := func(p *float64) string {
			if p == nil {
				return "—"
			}
			return f(*p, true)
		}
		row := views.TargetsRow{Key: key, Name: r.Metric.Name, Value30: f(r.Value, r.ValueOK), Avg: fp(r.Avg), Top: fp(r.Top),
			Threshold: fp(r.Threshold), Unit: inputUnit(unit)}
		row.Source, row.SourceNote = sourceNote(curV, key)
		if r.ReadOn != 0 {
			row.ReadOn = "读取于 " + r.ReadOn.String()
		}
		row.ValuePeriod = f(curV.Get(key))
		row.Prev = f(prevV.Get(key))
		row.LastYear = f(lyV.Get(key))
		row.Best, row.Median, row.Worst = spread(team, key, unit)
		if len(shifts) > 0 {
			meds := make([]string, len(shifts))
			for i, sh := range shifts {
				meds[i] = f(kpi.Median(byShift[sh], key))
			}
			row.ByShift = strings.Join(meds, " / ")
		}
		if r.Suggestion.OK {
			row.Suggested, row.Reason = f(r.Suggestion.Value, true), r.Suggestion.Reason
			row.SuggestedInput = toInput(unit, r.Suggestion.Value)
		}
		if r.Target != nil {
			row.Target, row.TargetScope = f(r.Target.Value, true), "全店 · "+r.Target.From.String()+" 起"
		}
		if r.Attainment != nil {
			row.Attainment = strconv.FormatFloat(*r.Attainment*100, 'f', 0, 64) + "%"
			switch {
			case *r.Attainment >= 1:
				row.AttainmentClass = "good"
			case *r.Attainment >= 0.9:
				row.AttainmentClass = "warn"
			default:
				row.AttainmentClass = "bad"
			}
		}
		m.Rows = append(m.Rows, row)
		m.Metrics = append(m.Metrics, views.ImportChoice{Value: key, Label: r.Metric.Name})
	}
	for _, sh := range store.Shifts {
		m.Shifts = append(m.Shifts, views.ImportChoice{Value: sh, Label: sh})
	}
	names := map[int64]string{}
	for _, a := range agents {
		names[a.ID] = a.Name
		if a.MergedInto == 0 {
			m.Agents = append(m.Agents, views.ImportChoice{Value: itoa(a.ID), Label: a.Name})
		}
	}
	targets, err := s.st.Targets(ctx, shop.ID)
	if err != nil {
		return m, err
	}
	for _, t := range targets {
		mt, _ := kpi.MetricByKey(t.Metric)
		scope := "全店"
		switch t.Scope {
		case kpi.ScopeShift:
			scope = "班次：" + t.Shift
		case kpi.ScopeAgent:
			scope = "客服：" + names[t.Agent]
		}
		m.History = append(m.History, views.TargetHistory{Name: mt.Name, Value: views.FormatMetric(mt.Unit, t.Value, true), Scope: scope,
			From: t.From.String(), SetAt: time.UnixMilli(int64(t.SetAt)).In(shop.Location()).Format("2006-01-02 15:04"), SetBy: t.SetBy, Note: t.Note})
	}
	return m, nil
}

// orderedShifts are the shifts present, in the settings' order (早班 before
// 晚班), unknown names after them.
func orderedShifts(present map[string][]kpi.Values) []string {
	var out []string
	for _, sh := range store.Shifts {
		if present[sh] != nil {
			out = append(out, sh)
		}
	}
	var other []string
	for sh := range present {
		if !slices.Contains(store.Shifts, sh) {
			other = append(other, sh)
		}
	}
	slices.Sort(other)
	return append(out, other...)
}

// spread is the best, median and worst agent value of a KPI.
func spread(team []kpi.Values, key string, unit kpi.Unit) (best, median, worst string) {
	var xs []float64
	for _, v := range team {
		if x, ok := v.Get(key); ok {
			xs = append(xs, x)
		}
	}
	if len(xs) == 0 {
		return "—", "—", "—"
	}
	lo, hi := xs[0], xs[0]
	for _, x := range xs {
		lo, hi = min(lo, x), max(hi, x)
	}
	med, _ := kpi.MedianOf(xs)
	if kpi.Better[key] < 0 {
		lo, hi = hi, lo
	}
	return views.FormatMetric(unit, hi, true), views.FormatMetric(unit, med, true), views.FormatMetric(unit, lo, true)
}

// inputUnit is the unit a KPI's value is typed in.
func inputUnit(u kpi.Unit) string {
	switch u {
	case kpi.UnitRate:
		return "%"
	case kpi.UnitSeconds:
		return "秒"
	case kpi.UnitHours:
		return "小时"
	case kpi.UnitYuan:
		return "元"
	}
	return ""
}

// toInput writes a KPI value as the form takes it (rates as percentages).
func toInput(u kpi.Unit, v float64) string {
	if u == kpi.UnitRate {
		v *= 100
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// fromInput reads a KPI value as typed in a form: a rate as a percentage
// ("85" or "85%" is 85%; the form says so), money with or without ¥,
// durations in the KPI's unit.
func fromInput(u kpi.Unit, s string) (float64, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "¥"), "￥"))
	if u == kpi.UnitRate {
		v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "%")), 64)
		if err != nil || !(v >= 0 && v <= 100) { // NaN fails both
			return 0, errBadNumber
		}
		return v / 100, nil
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s, "元"), "秒"), "小时"), ",", ""), 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errBadNumber
	}
	return v, nil
}

var errBadNumber = errors.New("不是有效的数字")

// targetShop is the shop a targets form names.
func (s *Server) targetShop(c *fiber.Ctx) (*store.Shop, error) {
	id, err := strconv.ParseInt(c.FormValue("shop"), 10, 64)
	if err != nil {
		return nil, fiber.NewError(fiber.StatusBadRequest, "没有指定店铺。")
	}
	shop, err := s.shopByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if shop == nil {
		return nil, fiber.NewError(fiber.StatusNotFound, "没有这个店铺。")
	}
	return shop, nil
}

func (s *Server) targetsBack(c *fiber.Ctx, shop *store.Shop, ok bool, msg, anchor string) error {
	s.flash(c, ok, msg)
	return c.Redirect("/targets?shop="+itoa(shop.ID)+"#"+anchor, fiber.StatusSeeOther)
}

func (s *Server) setTarget(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	mt, ok := kpi.MetricByKey(c.FormValue("metric"))
	if !ok || kpi.Better[mt.Key] == 0 {
		return s.targetsBack(c, shop, false, "目标未保存：请选择指标。", "set-target")
	}
	t := kpi.Target{Metric: mt.Key, Scope: c.FormValue("scope"), Shift: strings.TrimSpace(c.FormValue("shift")),
		SetBy: currentUser(c).Username, Note: strings.TrimSpace(c.FormValue("note"))}
	if t.Value, err = fromInput(mt.Unit, c.FormValue("value")); err != nil {
		return s.targetsBack(c, shop, false, "目标未保存："+mt.Name+" 的目标值"+err.Error()+"。", "set-target")
	}
	if f := strings.TrimSpace(c.FormValue("floor")); f != "" {
		v, err := fromInput(mt.Unit, f)
		if err != nil {
			return s.targetsBack(c, shop, false, "目标未保存：需改进线"+err.Error()+"。", "set-target")
		}
		t.Floor = &v
	}
	if t.From, err = kpi.ParseDay(c.FormValue("from")); err != nil {
		return s.targetsBack(c, shop, false, "目标未保存：生效日期应为 YYYY-MM-DD。", "set-target")
	}
	if t.Scope == kpi.ScopeAgent {
		id, _ := strconv.ParseInt(c.FormValue("agent"), 10, 64)
		a, err := s.st.AgentByID(c.UserContext(), id)
		if err != nil || a.ShopID != shop.ID {
			return s.targetsBack(c, shop, false, "目标未保存：请选择这个店铺的客服。", "set-target")
		}
		t.Agent = a.ID
	}
	if err := s.st.SetTarget(c.UserContext(), shop.ID, t); errors.Is(err, store.ErrBadTarget) {
		return s.targetsBack(c, shop, false, "目标未保存：请选择适用范围（班次或客服）。", "set-target")
	} else if err != nil {
		return err
	}
	return s.targetsBack(c, shop, true, "已保存「"+mt.Name+"」的目标："+views.FormatMetric(mt.Unit, t.Value, true)+"，"+t.From.String()+" 起生效。", "set-target")
}

func (s *Server) setBenchmark(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	mt, ok := kpi.MetricByKey(c.FormValue("metric"))
	if !ok {
		return s.targetsBack(c, shop, false, "基准未保存：请选择指标。", "benchmarks")
	}
	avg, top, day, msg := parseBenchmark(mt, c.FormValue("avg"), c.FormValue("top10"), c.FormValue("read_on"), false)
	if msg != "" {
		return s.targetsBack(c, shop, false, "基准未保存："+msg, "benchmarks")
	}
	if err := s.st.SetBenchmark(c.UserContext(), shop.ID, mt.Key, avg, top, day, "form"); err != nil {
		return err
	}
	if err := s.st.RefreshAlerts(c.UserContext(), shop.Name); err != nil {
		return err
	}
	return s.targetsBack(c, shop, true, "已保存「"+mt.Name+"」的同行基准（"+day.String()+" 读取）。", "benchmarks")
}

// parseBenchmark reads a benchmark's cells; msg says what is wrong.
func parseBenchmark(mt kpi.Metric, avgS, topS, day string, csvRates bool) (avg, top *float64, d kpi.Day, msg string) {
	for _, c := range []struct {
		s   string
		dst **float64
		nm  string
	}{{avgS, &avg, "同行均值"}, {topS, &top, "同行优秀"}} {
		if strings.TrimSpace(c.s) == "" {
			continue
		}
		v, err := fromInput(mt.Unit, c.s)
		if mt.Unit == kpi.UnitRate && csvRates {
			// In a file, as in the platforms' exports: "35%", or a plain
			// number ≤ 1 is a fraction and > 1 a percentage.
			var ok bool
			v, ok, err = importer.ParseRate(c.s)
			if err == nil && !ok {
				err = errBadNumber
			}
		}
		if err != nil {
			return nil, nil, 0, c.nm + err.Error() + "。"
		}
		*c.dst = &v
	}
	if avg == nil && top == nil {
		return nil, nil, 0, "同行均值和同行优秀至少填一个。"
	}
	d, err := kpi.ParseDay(strings.TrimSpace(day))
	if err != nil {
		if sp, ok := importer.PeriodFromName(day); ok && sp.From == sp.To {
			return avg, top, sp.From, ""
		}
		return nil, nil, 0, "读取日期应为 YYYY-MM-DD。"
	}
	return avg, top, d, ""
}

// benchmarkColumns are the CSV's columns and their aliases.
var benchmarkColumns = map[string][]string{
	"kpi":     {"kpi", "指标", "指标名称"},
	"avg":     {"avg", "同行均值", "行业均值", "均值"},
	"top10":   {"top10", "同行优秀", "行业优秀", "优秀"},
	"read_on": {"read_on", "读取日期", "日期"},
}

// importBenchmarks reads a CSV of benchmarks: every good row is saved, every
// bad row explained (row, column, why); nothing is saved when the header is
// wrong.
func (s *Server) importBenchmarks(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return s.targetsBack(c, shop, false, "请选择 CSV 文件。", "benchmarks")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	rows, bad, msg := readBenchmarkCSV(io.LimitReader(f, maxBenchmarkCSVBytes))
	if msg != "" {
		return s.targetsBack(c, shop, false, "基准未导入："+msg, "benchmarks")
	}
	for _, r := range rows {
		if err := s.st.SetBenchmark(c.UserContext(), shop.ID, r.metric, r.avg, r.top, r.day, "csv"); err != nil {
			return err
		}
	}
	if err := s.st.RefreshAlerts(c.UserContext(), shop.Name); err != nil {
		return err
	}
	text := "已导入 " + strconv.Itoa(len(rows)) + " 条同行基准。"
	if len(bad) > 0 {
		const shown = 10 // the first few explain what is wrong; a flash is not a report
		text += "未导入 " + strconv.Itoa(len(bad)) + " 行：" + strings.Join(bad[:min(len(bad), shown)], "；")
		if len(bad) > shown {
			text += "；……"
		}
	}
	return s.targetsBack(c, shop, len(bad) == 0, text, "benchmarks")
}

type benchRow struct {
	metric   string
	avg, top *float64
	day      kpi.Day
}

// readBenchmarkCSV parses kpi,avg,top10,read_on (Chinese aliases, a KPI by key
// or Chinese name, values as the form takes them). bad explains each refused
// row; msg refuses the whole file.
func readBenchmarkCSV(r io.Reader) (rows []benchRow, bad []string, msg string) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, "文件是空的或不是 CSV。"
	}
	idx := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		for col, aliases := range benchmarkColumns {
			for _, a := range aliases {
				if strings.EqualFold(h, a) {
					if _, seen := idx[col]; !seen {
						idx[col] = i
					}
				}
			}
		}
	}
	for _, col := range []string{"kpi", "read_on"} {
		if _, ok := idx[col]; !ok {
			return nil, nil, "缺少列 " + col + "（表头应为 kpi,avg,top10,read_on 或 指标,同行均值,同行优秀,读取日期）。"
		}
	}
	cell := func(rec []string, col string) string {
		if i, ok := idx[col]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			bad = append(bad, "第 "+strconv.Itoa(line)+" 行无法读取")
			continue
		}
		name := cell(rec, "kpi")
		mt, ok := metricByName(name)
		if !ok {
			bad = append(bad, "第 "+strconv.Itoa(line)+" 行「指标」："+name+" 不是已知指标")
			continue
		}
		avg, top, day, m := parseBenchmark(mt, cell(rec, "avg"), cell(rec, "top10"), cell(rec, "read_on"), true)
		if m != "" {
			bad = append(bad, "第 "+strconv.Itoa(line)+" 行："+m)
			continue
		}
		rows = append(rows, benchRow{mt.Key, avg, top, day})
		if len(rows) > 5000 {
			return nil, nil, "行数太多（最多 5000 行）。"
		}
	}
	return rows, bad, ""
}

// metricByName finds a KPI by its key or Chinese name.
func metricByName(s string) (kpi.Metric, bool) {
	if m, ok := kpi.MetricByKey(s); ok {
		return m, true
	}
	for _, m := range kpi.Metrics {
		if m.Name == s {
			return m, true
		}
	}
	return kpi.Metric{}, false
}
