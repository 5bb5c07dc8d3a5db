package ingest

import (
	"path/filepath"
	"testing"

	"github.com/kefuboard/kefuboard/internal/demo"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// The daily series adds up to the period's sums for the shop and for each
// agent; per-day distinct buyers are each day's own count; the heat map
// adds up to the period too.
func TestDailyAndHourlyAddUp(t *testing.T) {
	dir := t.TempDir()
	m, err := demo.Generate(demo.Config{Dir: dir, Days: 14, Agents: 4, Seed: 5, ChatsPerAgentDay: 10, End: mustDate("2026-10-31")})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := openStore(t)
	for _, f := range m.Files {
		mustImport(t, st, filepath.Join(dir, filepath.Base(f)), Options{Shop: "s"})
	}
	ctx := t.Context()
	shop, err := st.ShopByName(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	from, to := day(t, "2026-10-18"), day(t, "2026-10-31")
	period, err := st.Sums(ctx, shop, from, to)
	if err != nil {
		t.Fatal(err)
	}
	pts, err := st.Daily(ctx, shop, from, to, store.AllAgents)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 14 || pts[0].Day != from || pts[13].Day != to {
		t.Fatalf("%d points", len(pts))
	}
	var total kpi.Sums
	var consulting int64
	for i := range pts {
		total.Add(&pts[i].Sums)
		consulting += pts[i].Dist.ConsultingBuyers
		one, err := st.Sums(ctx, shop, pts[i].Day, pts[i].Day)
		if err != nil {
			t.Fatal(err)
		}
		if pts[i].Dist != one.ShopDist {
			t.Errorf("%v: daily distinct %+v, one-day period %+v", pts[i].Day, pts[i].Dist, one.ShopDist)
		}
	}
	if total != period.Shop {
		t.Errorf("daily sums %+v\nperiod %+v", total, period.Shop)
	}
	if period.ShopDist.ConsultingBuyers == 0 || consulting < period.ShopDist.ConsultingBuyers {
		t.Errorf("per-day consulting %d, period distinct %d", consulting, period.ShopDist.ConsultingBuyers)
	}
	for id, a := range period.Agents {
		apts, err := st.Daily(ctx, shop, from, to, id)
		if err != nil {
			t.Fatal(err)
		}
		var at kpi.Sums
		for i := range apts {
			at.Add(&apts[i].Sums)
		}
		if at != *a {
			t.Errorf("agent %d: daily sums differ from the period's", id)
		}
	}
	hm, err := st.Hourly(ctx, shop, from, to, store.AllAgents)
	if err != nil {
		t.Fatal(err)
	}
	var msgs, w30 int64
	for wd := range hm {
		for h := range hm[wd] {
			msgs += hm[wd][h].BuyerMessages
			w30 += hm[wd][h].Within30s
		}
	}
	if msgs == 0 || msgs != period.Shop.BuyerMessages || w30 != period.Shop.Within30s {
		t.Errorf("heat map %d/%d, period %d/%d", msgs, w30, period.Shop.BuyerMessages, period.Shop.Within30s)
	}
}
