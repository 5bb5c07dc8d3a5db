// Package demo writes the platform exports of an imaginary shop: chat
// messages, orders, refunds, reviews, complaints and member records, in the
// shapes docs/IMPORT-FORMATS.md says Chinese back-ends produce (Chinese headers, a GBK
// orders file, an XLSX refunds file, a TSV customers file). The data is
// shaped to exercise every metric of docs/METRICS.md — fast and slow agents,
// night messages, conversions, after-sales, bad reviews — so the dashboard
// looks alive on first start, and a handful of bad rows are planted (and
// listed) so the import report has something to show.
//
// Generation is deterministic (same Config, same bytes) and streams: messages
// are produced and written one day at a time, so memory does not grow with
// the number of messages.
package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Config describes the demo shop. Zero values mean the documented default.
type Config struct {
	Dir              string    // output folder (created)
	Days             int       // default 90
	Agents           int       // default 6, at most MaxAgents; first half 早班, second half 晚班
	Seed             int64     // default 1; same config => byte-identical files
	ChatsPerAgentDay int       // conversations (buyer-days) an agent receives on an ordinary day, default 40
	End              time.Time // last day (its date in Asia/Shanghai); default: yesterday
	ShopName         string    // default "示例旗舰店"
}

// Planted is a bad row written on purpose. Row is Excel-style: the header is
// row 1, so the first data row is 2. Column is the header as written.
type Planted struct {
	File   string
	Row    int
	Column string
	Why    string
}

// Manifest says what Generate wrote. Counts are of good rows only: planted
// rows are listed in Planted and not counted.
type Manifest struct {
	Files                                                     []string // Dir joined with the File* names, in that order
	Planted                                                   []Planted
	Messages, Orders, Refunds, Reviews, Complaints, Customers int
}

// Agent is one member of the demo team, as the settings page lists agents.
type Agent struct {
	Name  string
	Shift string // 早班 08:00–15:30, 晚班 15:30–23:00; 全天 for a one-person team
}

// Roster returns the team Generate uses for a given Agents value (0 means
// the default), so a caller can register agents and shifts before importing
// the demo files. It returns nil when n is out of range.
func Roster(n int) []Agent {
	if n == 0 {
		n = defaultAgents
	}
	if n < 0 || n > MaxAgents {
		return nil
	}
	team := make([]Agent, n)
	for i := range team {
		team[i] = Agent{Name: agentNames[i], Shift: "早班"}
		switch {
		case n == 1:
			team[i].Shift = "全天"
		case i >= (n+1)/2:
			team[i].Shift = "晚班"
		}
	}
	return team
}

// File names are fixed so tests and the first-start import can find them.
const (
	FileMessages   = "messages.csv"
	FileOrders     = "orders.csv"
	FileRefunds    = "refunds.xlsx"
	FileReviews    = "reviews.csv"
	FileComplaints = "complaints.csv"
	FileCustomers  = "customers.csv"
)

const (
	defaultDays   = 90
	defaultAgents = 6
	defaultChats  = 40
	defaultShop   = "示例旗舰店"
	maxDays       = 3660 // ten years; beyond that the buyer table outgrows a small machine
	maxChats      = 2000
)

// shanghai is a fixed +08:00 zone: China has had no daylight saving since
// 1991, and a fixed zone needs no tzdata on the target machine.
var shanghai = time.FixedZone("CST", 8*3600)

// normalize fills defaults and refuses what cannot be generated.
func (c Config) normalize(now time.Time) (Config, error) {
	if c.Dir == "" {
		return c, errors.New("demo: Config.Dir is required")
	}
	if c.Days <= 0 {
		c.Days = defaultDays
	}
	if c.Days > maxDays {
		return c, fmt.Errorf("demo: Days = %d, at most %d", c.Days, maxDays)
	}
	if c.Agents == 0 {
		c.Agents = defaultAgents
	}
	if c.Agents < 0 || c.Agents > MaxAgents {
		return c, fmt.Errorf("demo: Agents = %d, want 1..%d", c.Agents, MaxAgents)
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.ChatsPerAgentDay == 0 {
		c.ChatsPerAgentDay = defaultChats
	}
	if c.ChatsPerAgentDay < 0 || c.ChatsPerAgentDay > maxChats {
		return c, fmt.Errorf("demo: ChatsPerAgentDay = %d, want 1..%d", c.ChatsPerAgentDay, maxChats)
	}
	if c.End.IsZero() {
		c.End = now.In(shanghai).AddDate(0, 0, -1)
	}
	y, m, d := c.End.In(shanghai).Date()
	c.End = time.Date(y, m, d, 0, 0, 0, 0, shanghai)
	if c.ShopName == "" {
		c.ShopName = defaultShop
	}
	return c, nil
}

// Generate writes the six files into cfg.Dir and returns what it wrote.
func Generate(cfg Config) (Manifest, error) {
	cfg, err := cfg.normalize(time.Now())
	if err != nil {
		return Manifest{}, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return Manifest{}, fmt.Errorf("demo: %w", err)
	}
	g := newGen(cfg)
	if err := g.open(); err != nil {
		g.abort()
		return Manifest{}, err
	}
	for d := 0; d < g.days; d++ {
		g.runDay(d)
		if err := g.err(); err != nil {
			g.abort()
			return Manifest{}, err
		}
	}
	g.writeCustomers()
	if err := g.close(); err != nil {
		return Manifest{}, err
	}
	m := g.man
	for _, n := range []string{FileMessages, FileOrders, FileRefunds, FileReviews, FileComplaints, FileCustomers} {
		m.Files = append(m.Files, filepath.Join(cfg.Dir, n))
	}
	return m, nil
}
