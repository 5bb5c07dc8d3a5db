package demo

// The second demo shop: a small Pinduoduo (拼多多) shop that has no chat logs,
// only what the PDD back-end lets it download —
//
//   - the daily per-agent performance report (多多客服 → 客服数据 → 客服绩效),
//     one xlsx per day, sheet Sheet0, one row per agent plus PDD's summary rows;
//   - the order export of the back-end (订单查询 → 批量导出), one GBK CSV for
//     the whole period, with no buyer column and no creation time, refunds
//     visible only through 售后状态.
//
// Both come from the same simulation: an agent's 最终成团人数 on a day are
// real paid orders of that day in the order export, and 客服销售额 is the sum
// of what those buyers paid, so the two files agree the way real downloads do
// (agents' sales are 40–70% of the shop's paid sales). Same config, same bytes.

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// PlatformConfig describes the second demo shop: a PDD shop that has only what
// the PDD back-end exports. Zero values mean the documented default.
type PlatformConfig struct {
	Dir    string    // output folder (created)
	Days   int       // default 30, at most 366
	Agents int       // default 5, at most MaxPlatformAgents
	Seed   int64     // default 1; same config => byte-identical files
	End    time.Time // last day (Asia/Shanghai date); default yesterday
	Shop   string    // default "拼多多示例店"
}

// PlatformManifest says what GeneratePlatform wrote. Paths are Dir joined
// with the file names (PlatformReportName, PlatformOrderName).
type PlatformManifest struct {
	ReportFiles []string    // one per day, in day order
	OrderFile   string      // the order export for the whole period
	Agents      []string    // agent account names as written in the reports, e.g. "拼多多示例店:小樱"
	Days        []time.Time // 00:00 Asia/Shanghai of each day, in order
}

const (
	defaultPlatformDays   = 30
	defaultPlatformAgents = 5
	defaultPlatformShop   = "拼多多示例店"
	maxPlatformDays       = 366 // one report file per day: a year is plenty for a demo

	// PlatformSheet is the sheet name of the 客服绩效 download.
	PlatformSheet = "Sheet0"
	// PlatformTotalRow and PlatformAverageRow are the 客服账号 of the summary
	// rows that follow the agent rows of a 客服绩效 file.
	PlatformTotalRow   = "店铺总计"
	PlatformAverageRow = "客服平均"
)

// platformAgentNames are the PDD shop's sub-accounts: the roster style of
// agentNames, other names, so the two demo shops are told apart at a glance.
var platformAgentNames = []string{"小樱", "小桃", "阿泽", "小柚", "阿凯", "小橙", "阿宁", "小茉", "阿源", "小棠", "阿卓", "小芸"}

// MaxPlatformAgents is the largest PDD demo team.
const MaxPlatformAgents = 12

// hdrPlatformReport is the header of 客服绩效, spellings as PDD writes them
// (a space in "客服销售额 (元)", full-width parentheses in "去退销售额（元）").
var hdrPlatformReport = []string{
	"序号", "客服账号", "客服服务分", "咨询人数", "询单人数", "最终成团人数", "询单转化率",
	"客服销售额 (元)", "去退销售额（元）", "需要人工回复的咨询人数", "人工接待人数", "3 分钟未回复人数",
	"3分钟人工回复率(8-23点)", "30秒应答率(8-23点)", "平均人工响应时长", "评分≤3 订单数", "纠纷退款数", "投诉数",
}

// PlatformReportName is the file name of the 客服绩效 download of one day:
// 客服绩效_2024-04-20.xlsx (the importer reads the day from it).
func PlatformReportName(d time.Time) string {
	return "客服绩效_" + d.In(shanghai).Format("2006-01-02") + ".xlsx"
}

// PlatformOrderName is the file name of the order export of a period:
// 订单导出_2024-03-22_2024-04-20.csv.
func PlatformOrderName(from, to time.Time) string {
	return "订单导出_" + from.In(shanghai).Format("2006-01-02") + "_" + to.In(shanghai).Format("2006-01-02") + ".csv"
}

func (c PlatformConfig) normalize(now time.Time) (PlatformConfig, error) {
	if c.Dir == "" {
		return c, errors.New("demo: PlatformConfig.Dir is required")
	}
	if c.Days <= 0 {
		c.Days = defaultPlatformDays
	}
	if c.Days > maxPlatformDays {
		return c, fmt.Errorf("demo: Days = %d, at most %d", c.Days, maxPlatformDays)
	}
	if c.Agents == 0 {
		c.Agents = defaultPlatformAgents
	}
	if c.Agents < 0 || c.Agents > MaxPlatformAgents {
		return c, fmt.Errorf("demo: Agents = %d, want 1..%d", c.Agents, MaxPlatformAgents)
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.End.IsZero() {
		c.End = now.In(shanghai).AddDate(0, 0, -1)
	}
	y, m, d := c.End.In(shanghai).Date()
	c.End = time.Date(y, m, d, 0, 0, 0, 0, shanghai)
	if c.Shop == "" {
		c.Shop = defaultPlatformShop
	}
	return c, nil
}

// GeneratePlatform writes one 客服绩效 xlsx per day and the order export CSV
// into cfg.Dir and returns what it wrote.
func GeneratePlatform(cfg PlatformConfig) (PlatformManifest, error) {
	cfg, err := cfg.normalize(time.Now())
	if err != nil {
		return PlatformManifest{}, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return PlatformManifest{}, fmt.Errorf("demo: %w", err)
	}
	g := newPlatformGen(cfg)
	man := PlatformManifest{Days: g.days}
	for _, a := range g.agents {
		man.Agents = append(man.Agents, a.account)
	}
	man.OrderFile = filepath.Join(cfg.Dir, PlatformOrderName(g.days[0], g.days[len(g.days)-1]))
	ow, err := newPlatformOrderWriter(man.OrderFile)
	if err != nil {
		return PlatformManifest{}, err
	}
	for d := range g.days {
		stats := g.dayStats(d)
		orders := g.dayOrders(d, stats)
		if err := ow.write(g, orders); err != nil {
			ow.abort()
			return PlatformManifest{}, err
		}
		path := filepath.Join(cfg.Dir, PlatformReportName(g.days[d]))
		if err := g.writeReport(path, d, stats); err != nil {
			ow.abort()
			return PlatformManifest{}, err
		}
		man.ReportFiles = append(man.ReportFiles, path)
	}
	if err := ow.close(); err != nil {
		return PlatformManifest{}, err
	}
	return man, nil
}

// pfAgent is one member of the PDD team. q (0–1) drives everything at once:
// a good agent answers fast and converts, the weak one does neither.
type pfAgent struct {
	name, account string
	q             float64
	busy          float64 // share of the shop's traffic, around 1
	weak          bool
}

// pfStat is one row of a 客服绩效 file. Money in fen, score in hundredths.
type pfStat struct {
	agent                       int
	score                       int
	consult, inquiry, groups    int
	sales, netSales             int64
	needHuman, received         int
	noReply3, within30, avgResp int // avgResp in seconds
	lowRated, disputes, compl   int
}

type platformGen struct {
	cfg       PlatformConfig
	days      []time.Time
	exportT   int64 // last second of the last day: the moment of the downloads
	agents    []pfAgent
	weak      int   // index of the visibly weaker agent, -1 for a one-person team
	off       []int // per day: the agent on a day off, -1 for none
	zeroDay   int   // the day one agent had no 询单 (after-sales only) …
	zeroAgent int   // … and who
	rs        rng   // report numbers
	ro        rng   // orders
	hours     weighted
	prods     weighted
	goodsID   []int64
	orderIDs  map[int64]bool
}

func newPlatformGen(cfg PlatformConfig) *platformGen {
	g := &platformGen{cfg: cfg, rs: newRNG(cfg.Seed, 101), ro: newRNG(cfg.Seed, 102), orderIDs: map[int64]bool{}}
	first := cfg.End.AddDate(0, 0, -(cfg.Days - 1))
	for d := 0; d < cfg.Days; d++ {
		g.days = append(g.days, first.AddDate(0, 0, d))
	}
	g.exportT = cfg.End.AddDate(0, 0, 1).Unix() - 1
	g.hours = newWeighted(hourWeights)
	w := make([]float64, len(catalogue))
	for i, p := range catalogue {
		w[i] = p.weight
		g.goodsID = append(g.goodsID, g.ro.between64(100000000000, 699999999999))
	}
	g.prods = newWeighted(w)

	r := newRNG(cfg.Seed, 100)
	g.weak = -1
	if cfg.Agents > 1 {
		g.weak = 1 + r.intn(cfg.Agents-1) // never the first: the list opens with a good one
	}
	for i := 0; i < cfg.Agents; i++ {
		a := pfAgent{name: platformAgentNames[i], account: cfg.Shop + ":" + platformAgentNames[i],
			q: 0.45 + 0.55*r.float(), busy: 0.75 + 0.55*r.float()}
		if i == g.weak {
			a.q, a.busy, a.weak = 0.05+0.1*r.float(), 0.8, true
		}
		g.agents = append(g.agents, a)
	}

	// Days off: now and then one agent is missing from a day's file (never
	// two on the same day, never the whole team), at least once a period.
	g.off = make([]int, cfg.Days)
	gotOff := false
	for d := range g.off {
		g.off[d] = -1
		if cfg.Agents > 1 && r.chance(0.2) {
			g.off[d] = r.intn(cfg.Agents)
			gotOff = true
		}
	}
	if !gotOff && cfg.Agents > 1 && cfg.Days >= 3 {
		g.off[1+r.intn(cfg.Days-2)] = r.intn(cfg.Agents)
	}
	// One agent spends one day on after-sales only: 询单人数 0, 询单转化率 "--"
	// (not in a one-day period, whose only file would look broken).
	g.zeroDay, g.zeroAgent = -1, -1
	if cfg.Days > 1 {
		g.zeroDay = r.intn(cfg.Days)
		g.zeroAgent = r.intn(cfg.Agents)
		if g.zeroAgent == g.off[g.zeroDay] {
			g.zeroAgent = (g.zeroAgent + 1) % cfg.Agents
		}
	}
	return g
}

// dayStats draws the report numbers of day d that do not depend on orders;
// sales are filled in by dayOrders.
func (g *platformGen) dayStats(d int) []pfStat {
	r := &g.rs
	weekend := 1.0
	if wd := g.days[d].Weekday(); wd == time.Saturday || wd == time.Sunday {
		weekend = 1.3
	}
	var out []pfStat
	for i, a := range g.agents {
		if i == g.off[d] {
			continue
		}
		s := pfStat{agent: i}
		s.consult = min(max(int(62*a.busy*weekend*(0.85+0.3*r.float())+0.5), 30), 120)
		s.inquiry = int(float64(s.consult)*(0.45+0.25*r.float()) + 0.5)
		conv := 0.26 + 0.2*a.q
		if a.weak {
			conv = 0.13 + 0.06*r.float()
		}
		if d == g.zeroDay && i == g.zeroAgent {
			s.inquiry = 0
		}
		for k := 0; k < s.inquiry; k++ {
			if r.chance(conv) {
				s.groups++
			}
		}
		s.needHuman = int(float64(s.consult)*(0.8+0.15*r.float()) + 0.5)
		s.received = max(s.needHuman-r.intn(3), 0)
		// Response: seconds, slower on busy days; the weak agent often over a minute.
		if a.weak {
			s.avgResp = 38 + r.intn(41)
			s.noReply3 = 1 + r.intn(5)
		} else {
			s.avgResp = 6 + int((1-a.q)*24) + r.intn(9)
			if r.chance(0.25) {
				s.noReply3 = 1
			}
		}
		if weekend > 1 {
			s.avgResp += s.avgResp / 5
		}
		s.noReply3 = min(s.noReply3, s.needHuman)
		p30 := min(max(1.05-float64(s.avgResp)/150-0.04*r.float(), 0.3), 1)
		s.within30 = int(float64(s.received)*p30 + 0.5)
		if a.weak {
			s.score = 405 + r.intn(31)
		} else {
			s.score = min(450+int(45*a.q)+r.intn(11)-5, 500)
		}
		low, disp, comp := 0.08, 0.03, 0.02
		if a.weak {
			low, disp, comp = 0.35, 0.08, 0.06
		}
		if r.chance(low) {
			s.lowRated = 1 + r.intn(2)
		}
		s.lowRated = min(s.lowRated, s.groups)
		if r.chance(disp) {
			s.disputes = 1
		}
		if r.chance(comp) {
			s.compl = 1
		}
		out = append(out, s)
	}
	return out
}

// pct renders num/den as PDD does: "36.99%", rounded half up to two decimals
// of percent; "--" when den is 0.
func pct(num, den int) string {
	if den <= 0 {
		return "--"
	}
	return bpText((int64(num)*20000 + int64(den)) / (2 * int64(den)))
}

// bpText renders basis points: 3699 → "36.99%".
func bpText(bp int64) string {
	return strconv.FormatInt(bp/100, 10) + "." + string(append2(nil, int(bp%100))) + "%"
}

// respText renders a response time as PDD does: "9秒", "1分5秒".
func respText(sec int) string {
	if sec < 60 {
		return strconv.Itoa(sec) + "秒"
	}
	return strconv.Itoa(sec/60) + "分" + strconv.Itoa(sec%60) + "秒"
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// writeReport writes the 客服绩效 file of day d: the agent rows, then the
// 店铺总计 row (sums; rates and times weighted) and the 客服平均 row (means
// over the agents in the file).
func (g *platformGen) writeReport(path string, d int, stats []pfStat) (err error) {
	f := excelize.NewFile()
	defer func() { err = errors.Join(err, f.Close()) }()
	const sheet = PlatformSheet
	fail := func(e error) error { return fmt.Errorf("demo: %s: %w", path, e) }
	if e := f.SetSheetName("Sheet1", sheet); e != nil {
		return fail(e)
	}
	twoDec := "0.00"
	num2, e := f.NewStyle(&excelize.Style{CustomNumFmt: &twoDec})
	if e != nil {
		return fail(e)
	}
	// The download time: the morning after the day, fixed so the bytes are.
	dl := g.days[d].AddDate(0, 0, 1).Add(9*time.Hour + time.Duration(g.rs.intn(3600))*time.Second).UTC().Format(time.RFC3339)
	if e := f.SetDocProps(&excelize.DocProperties{Created: dl, Modified: dl}); e != nil {
		return fail(e)
	}
	hdr := make([]any, len(hdrPlatformReport))
	for i, h := range hdrPlatformReport {
		hdr[i] = h
	}
	rows := [][]any{hdr}
	money := func(fen int64) float64 { return float64(fen) / 100 }
	score := round2

	var t pfStat
	var wScore, wResp, bpConv, bp3, bp30, nConv int64
	var sumScore, sumResp int
	for i, s := range stats {
		rows = append(rows, []any{
			i + 1, g.agents[s.agent].account, score(float64(s.score) / 100), s.consult, s.inquiry, s.groups,
			pct(s.groups, s.inquiry), money(s.sales), money(s.netSales), s.needHuman, s.received, s.noReply3,
			pct(s.needHuman-s.noReply3, s.needHuman), pct(s.within30, s.received), respText(s.avgResp),
			s.lowRated, s.disputes, s.compl,
		})
		t.consult += s.consult
		t.inquiry += s.inquiry
		t.groups += s.groups
		t.sales += s.sales
		t.netSales += s.netSales
		t.needHuman += s.needHuman
		t.received += s.received
		t.noReply3 += s.noReply3
		t.within30 += s.within30
		t.lowRated += s.lowRated
		t.disputes += s.disputes
		t.compl += s.compl
		wScore += int64(s.score * s.received)
		wResp += int64(s.avgResp * s.received)
		sumScore += s.score
		sumResp += s.avgResp
		if s.inquiry > 0 {
			bpConv += (int64(s.groups)*20000 + int64(s.inquiry)) / (2 * int64(s.inquiry))
			nConv++
		}
		bp3 += (int64(s.needHuman-s.noReply3)*20000 + int64(s.needHuman)) / (2 * int64(max(s.needHuman, 1)))
		bp30 += (int64(s.within30)*20000 + int64(s.received)) / (2 * int64(max(s.received, 1)))
	}
	if n := len(stats); n > 0 {
		rec := max(t.received, 1)
		rows = append(rows, []any{
			nil, PlatformTotalRow, score(float64(wScore) / float64(rec) / 100), t.consult, t.inquiry, t.groups,
			pct(t.groups, t.inquiry), money(t.sales), money(t.netSales), t.needHuman, t.received, t.noReply3,
			pct(t.needHuman-t.noReply3, t.needHuman), pct(t.within30, t.received),
			respText(int((wResp + int64(rec)/2) / int64(rec))), t.lowRated, t.disputes, t.compl,
		})
		fn := float64(n)
		mean := func(x int) float64 { return round2(float64(x) / fn) }
		conv := "--"
		if nConv > 0 {
			conv = bpText((bpConv + nConv/2) / nConv)
		}
		rows = append(rows, []any{
			nil, PlatformAverageRow, score(float64(sumScore) / fn / 100), mean(t.consult), mean(t.inquiry), mean(t.groups),
			conv, money((t.sales + int64(n)/2) / int64(n)), money((t.netSales + int64(n)/2) / int64(n)),
			mean(t.needHuman), mean(t.received), mean(t.noReply3),
			bpText((bp3 + int64(n)/2) / int64(n)), bpText((bp30 + int64(n)/2) / int64(n)),
			respText((sumResp + n/2) / n), mean(t.lowRated), mean(t.disputes), mean(t.compl),
		})
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if e := f.SetSheetRow(sheet, cell, &row); e != nil {
			return fail(e)
		}
	}
	// Score and money columns show two decimals, as PDD formats them.
	last := strconv.Itoa(len(rows))
	for _, c := range []string{"C", "H", "I"} {
		if e := f.SetCellStyle(sheet, c+"2", c+last, num2); e != nil {
			return fail(e)
		}
	}
	if e := f.SetColWidth(sheet, "B", "B", 24); e != nil {
		return fail(e)
	}
	if e := f.SetColWidth(sheet, "C", "R", 14); e != nil {
		return fail(e)
	}
	if e := f.SaveAs(path); e != nil {
		return fail(e)
	}
	return nil
}
