package demoshop

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/kefuboard/kefuboard/internal/auth"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/queues"
	"github.com/kefuboard/kefuboard/internal/store"
)

// TestSetupBothShops: serve --demo's data — the computed shop and the PDD
// shop fed only by platform exports, whose agents come from the 客服绩效 files.
func TestSetupBothShops(t *testing.T) {
	auth.Cost = bcrypt.MinCost
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	end := time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
	lg, err := Setup(ctx, st, Config{Dir: filepath.Join(dir, "demo"), Days: 30, Agents: 3, Chats: 10, Password: "pw-123456", End: end, PlatformShop: true})
	if err != nil || !lg.Imported {
		t.Fatalf("setup: %v %+v", err, lg)
	}
	from, _ := kpi.ParseDay("2026-10-25")
	to, _ := kpi.ParseDay("2026-10-31")
	r, err := st.Report(ctx, PlatformShop, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Agents) < 3 {
		t.Fatalf("%d agents in the PDD shop", len(r.Agents))
	}
	for _, a := range r.Agents {
		if src, col, _ := a.Metrics.SourceOf("inquiry_conversion_rate"); src != kpi.SourcePlatform || col != "询单转化率" {
			t.Errorf("%s conversion from %v %q", a.Agent, src, col)
		}
	}
	if v, ok := r.Metrics.Get("sales"); !ok || v <= 0 {
		t.Errorf("the PDD shop's sales from its order export: %v %v", v, ok)
	}
	// A second start finds both shops and imports nothing.
	// Benchmarks and a few breaches of the 5-minute standard, for the pages.
	sh, _ := st.ShopByName(ctx, "示例旗舰店")
	if bs, err := st.Benchmarks(ctx, sh.ID); err != nil || len(bs) < 5 {
		t.Errorf("demo benchmarks: %d %v", len(bs), err)
	}
	from, _ = kpi.ParseDay("2026-01-01")
	alerts, err := st.Alerts(ctx, sh, from, to)
	byRule := map[string]int{}
	for _, a := range alerts {
		byRule[a.Rule]++
	}
	if err != nil || byRule["pdd_reply_5m"] != 3 || byRule["off_platform"] == 0 {
		t.Errorf("demo alerts: %v %+v %v (want three 5-minute breaches and the off-platform lines)", byRule, alerts, err)
	}
	// The work queues: a second export closed some cases as modified, a few
	// are being worked, invitations have a template.
	today := kpi.Clock{Loc: sh.Location()}.DayOf(kpi.Millis(time.Now().UnixMilli()))
	cs, err := st.Cases(ctx, sh, today, store.CaseFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	byData, worked := 0, 0
	for _, c := range cs {
		if c.ByData {
			byData++
		} else if c.State != queues.StateNew {
			worked++
		}
	}
	if byData == 0 || byData > modifiedReviews || worked < 3 {
		t.Errorf("demo cases: %d closed by a second export, %d worked (of %d)", byData, worked, len(cs))
	}
	if tp, _ := st.InviteTemplates(ctx, sh.ID); len(tp) != 1 {
		t.Errorf("demo invitation templates: %d", len(tp))
	}
	// The sign-ins are made once: a second start neither resets nor shows
	// their passwords.
	if lg, err := Setup(ctx, st, Config{Dir: filepath.Join(dir, "demo"), Days: 30, Agents: 3, Chats: 10, End: end, PlatformShop: true}); err != nil ||
		lg.Imported || lg.OwnerPassword != "" || lg.AgentPassword != "" {
		t.Errorf("second start: %v %+v", err, lg)
	}
	if u, err := st.UserByName(ctx, OwnerUser); err != nil || !auth.CheckPassword(u.PasswordHash, "pw-123456") {
		t.Errorf("the owner's password changed on a second start: %v", err)
	}
}
