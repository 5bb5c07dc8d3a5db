// Package demoshop builds a ready-to-browse demo: a generated shop imported
// through the real importer, an owner and an agent sign-in.
package demoshop

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"time"

	"github.com/kefuboard/kefuboard/internal/auth"
	"github.com/kefuboard/kefuboard/internal/demo"
	"github.com/kefuboard/kefuboard/internal/ingest"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// Config of a demo shop.
type Config struct {
	Dir      string // where the generated exports go
	Shop     string // default 示例旗舰店
	Days     int    // default 90
	Agents   int    // default 6
	Chats    int    // chats per agent-day; default 40
	Password string // both sign-ins' password; "" = random
	End      time.Time
	// PlatformShop adds the second demo shop (PlatformShop): a PDD shop fed
	// only by what the PDD back-end exports. serve --demo sets it.
	PlatformShop bool
}

// Logins are the demo's sign-ins, printed on the console.
type Logins struct {
	Owner, OwnerPassword string
	Agent, AgentPassword string
	AgentName            string
	Imported             bool // false when the shop already existed
}

// Demo user names.
const (
	OwnerUser = "owner"
	AgentUser = "agent"
)

// Setup imports the demo shop unless it exists, then (re)creates the two
// sign-ins with fresh passwords, so a restarted demo prints working ones.
func Setup(ctx context.Context, st *store.Store, cfg Config) (Logins, error) {
	if cfg.Shop == "" {
		cfg.Shop = "示例旗舰店"
	}
	if cfg.Days == 0 {
		cfg.Days = 90
	}
	if cfg.Agents == 0 {
		cfg.Agents = 6
	}
	if cfg.Chats == 0 {
		cfg.Chats = 40
	}
	var lg Logins
	shop, err := st.ShopByName(ctx, cfg.Shop)
	if errors.Is(err, store.ErrNotFound) {
		if err := importDemo(ctx, st, cfg); err != nil {
			return lg, err
		}
		lg.Imported = true
		shop, err = st.ShopByName(ctx, cfg.Shop)
	}
	if err != nil {
		return lg, err
	}
	if cfg.PlatformShop {
		if err := ensurePlatformShop(ctx, st, cfg); err != nil {
			return lg, err
		}
	}
	roster := demo.Roster(cfg.Agents)
	agent, err := st.AgentByName(ctx, shop.ID, roster[0].Name)
	if err != nil {
		return lg, fmt.Errorf("demo agent %s: %w", roster[0].Name, err)
	}
	lg.Owner, lg.Agent, lg.AgentName = OwnerUser, AgentUser, agent.Name
	if lg.OwnerPassword, err = ensureUser(ctx, st, OwnerUser, store.RoleOwner, 0, cfg.Password); err != nil {
		return lg, err
	}
	if lg.AgentPassword, err = ensureUser(ctx, st, AgentUser, store.RoleAgent, agent.ID, cfg.Password); err != nil {
		return lg, err
	}
	return lg, nil
}

func importDemo(ctx context.Context, st *store.Store, cfg Config) error {
	m, err := demo.Generate(demo.Config{Dir: cfg.Dir, Days: cfg.Days, Agents: cfg.Agents, Seed: 1,
		ChatsPerAgentDay: cfg.Chats, ShopName: cfg.Shop, End: cfg.End})
	if err != nil {
		return err
	}
	for _, f := range m.Files {
		if _, err := ingest.File(ctx, st, filepath.Join(cfg.Dir, filepath.Base(f)), ingest.Options{
			Shop: cfg.Shop, Settings: store.ShopSettings{Platform: "pdd"}}); err != nil {
			return fmt.Errorf("import demo %s: %w", f, err)
		}
	}
	shop, err := st.ShopByName(ctx, cfg.Shop)
	if err != nil {
		return err
	}
	// Shifts as the roster has them, so the league's shift filter has something to filter.
	for _, a := range demo.Roster(cfg.Agents) {
		if ag, err := st.AgentByName(ctx, shop.ID, a.Name); err == nil {
			if err := st.SetAgentShift(ctx, ag.ID, a.Shift); err != nil {
				return err
			}
		}
	}
	if err := stageBenchmarks(ctx, st, shop); err != nil {
		return err
	}
	return stageQueues(ctx, st, shop, cfg.Dir)
}

// demoBenchmarks are the KPIs the demo enters industry benchmarks for, as an
// owner would from the platform back-end.
var demoBenchmarks = []string{"reply_30s_rate", "reply_3m_rate", "avg_response_seconds", "inquiry_conversion_rate",
	"aov", "refund_rate", "bad_review_rate", "effective_reply_rate"}

// stageBenchmarks gives the demo shop industry benchmarks (an average a bit
// worse than the shop, a top 10% clearly better) read on its last day, and
// a 5-minute reply standard that the shop's worst three days fall short of,
// so 目标设定 has benchmarks and 规则提醒 has a few breaches to show.
func stageBenchmarks(ctx context.Context, st *store.Store, shop *store.Shop) error {
	_, last, ok, err := st.DataSpan(ctx, shop.ID)
	if err != nil || !ok {
		return err
	}
	p, err := st.Sums(ctx, shop, last-29, last)
	if err != nil {
		return err
	}
	v := p.ShopValues()
	for _, key := range demoBenchmarks {
		x, ok := v.Get(key)
		if !ok {
			continue
		}
		worse, better := 0.95, 1.10
		if kpi.Better[key] < 0 {
			worse, better = 1.05, 0.85
		}
		avg, top := x*worse, x*better
		if m, _ := kpi.MetricByKey(key); m.Unit == kpi.UnitRate {
			avg, top = min(avg, 0.999), min(top, 0.999)
		}
		if err := st.SetBenchmark(ctx, shop.ID, key, &avg, &top, last, "form"); err != nil {
			return err
		}
	}
	pts, err := st.Daily(ctx, shop, last-89, last, store.AllAgents)
	if err != nil {
		return err
	}
	var rates []float64
	for i := range pts {
		if r, ok := pts[i].Values(false).Get("reply_5m_rate"); ok {
			rates = append(rates, r)
		}
	}
	if len(rates) > 3 {
		sort.Float64s(rates)
		std := (rates[2] + rates[3]) / 2 // the worst three days fall short
		if err := st.SetBenchmark(ctx, shop.ID, "reply_5m_rate", &std, nil, last-89, "form"); err != nil {
			return err
		}
	}
	return st.RefreshAlerts(ctx, shop.Name)
}

// PlatformShop is the second demo shop: a PDD shop with only what the PDD
// back-end exports — a month of daily 客服绩效 files and the order export —
// so the platform-figures path (labelled 平台) is as visible as the computed one.
const PlatformShop = "拼多多示例店"

// ensurePlatformShop imports the second demo shop unless it exists.
func ensurePlatformShop(ctx context.Context, st *store.Store, cfg Config) error {
	if _, err := st.ShopByName(ctx, PlatformShop); err == nil || !errors.Is(err, store.ErrNotFound) {
		return err
	}
	days := min(cfg.Days, 30)
	m, err := demo.GeneratePlatform(demo.PlatformConfig{Dir: filepath.Join(cfg.Dir, "pdd"), Days: days, Shop: PlatformShop, End: cfg.End})
	if err != nil {
		return err
	}
	opt := ingest.Options{Shop: PlatformShop, Settings: store.ShopSettings{Platform: "pdd"}}
	for _, f := range append(m.ReportFiles, m.OrderFile) {
		if _, err := ingest.File(ctx, st, f, opt); err != nil {
			return fmt.Errorf("import demo %s: %w", filepath.Base(f), err)
		}
	}
	return nil
}

// ensureUser creates a demo sign-in once and returns its password; a
// sign-in that exists is left as it is (its owner may have changed the
// password) and "" is returned: the password is printed only when made.
func ensureUser(ctx context.Context, st *store.Store, name, role string, agentID int64, pw string) (string, error) {
	if _, err := st.UserByName(ctx, name); err == nil || !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	if pw == "" {
		pw = auth.RandomPassword()
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return "", err
	}
	_, err = st.CreateUser(ctx, name, hash, role, agentID)
	return pw, err
}
