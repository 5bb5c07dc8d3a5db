package ingest

import (
	"path/filepath"
	"testing"

	"github.com/kefuboard/kefuboard/internal/demo"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// checkDrills asserts that every drill-down of every agent lists exactly the
// rows its number counts: slow messages = buyer_messages − within 3 minutes
// (unreplied among them = unreplied_messages), unconverted inquiries =
// inquiries − converted, refunds completed / disputes / requested, and bad +
// medium reviews.
func checkDrills(t *testing.T, st *store.Store, shop *store.Shop, from, to kpi.Day) (slow, unconv, refunds, reviews int64) {
	t.Helper()
	ctx := t.Context()
	p, err := st.Sums(ctx, shop, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for id, s := range p.Agents {
		if id == 0 || !store.AgentListed(s) {
			continue
		}
		name := p.AgentNames[id]
		sd, err := st.SlowMessages(ctx, shop, id, from, to, 0)
		if err != nil {
			t.Fatal(err)
		}
		if sd.Total != s.BuyerMessages-s.Within3m || int64(len(sd.Items)) != sd.Total {
			t.Errorf("%s: %d slow messages listed (total %d), sums say %d", name, len(sd.Items), sd.Total, s.BuyerMessages-s.Within3m)
		}
		if sd.Unreplied != s.Unreplied {
			t.Errorf("%s: %d unreplied listed, sums say %d", name, sd.Unreplied, s.Unreplied)
		}
		var unreplied int64
		for i, m := range sd.Items {
			if m.WaitMs < 0 {
				unreplied++
			} else if m.WaitMs <= 180000 || m.ReplyID == 0 {
				t.Errorf("%s: %+v is not slow", name, m)
			}
			if i > 0 && m.At > sd.Items[i-1].At {
				t.Errorf("%s: slow messages not newest first", name)
			}
			found := false
			for _, c := range m.Context {
				found = found || c.ID == m.ID
				if c.At < m.At-store.ContextMs || c.At > m.At+store.ContextMs {
					t.Errorf("%s: context message at %d outside ±10 min of %d", name, c.At, m.At)
				}
			}
			if !found || m.Buyer == "" {
				t.Errorf("%s: slow message %d missing from its own context or buyer (%q)", name, m.ID, m.Buyer)
			}
		}
		if unreplied != sd.Unreplied {
			t.Errorf("%s: items say %d unreplied, drill %d", name, unreplied, sd.Unreplied)
		}
		slow += sd.Total

		in, err := st.UnconvertedInquiries(ctx, shop, id, from, to, 0)
		if err != nil {
			t.Fatal(err)
		}
		if in.Total != s.Inquiries-s.Converted || int64(len(in.Items)) != in.Total {
			t.Errorf("%s: %d unconverted inquiries listed (total %d), sums say %d", name, len(in.Items), in.Total, s.Inquiries-s.Converted)
		}
		for _, q := range in.Items {
			if q.Day < from || q.Day > to || q.FirstMsg == "" || q.Buyer == "" {
				t.Errorf("%s: inquiry %+v", name, q)
			}
		}
		unconv += in.Total

		rd, err := st.AgentRefunds(ctx, shop, id, from, to, 0)
		if err != nil {
			t.Fatal(err)
		}
		if rd.Done != s.RefundsDone || rd.Disputes != s.Disputes || rd.Requested != s.RefundsRequested {
			t.Errorf("%s: refunds done/disputes/requested %d/%d/%d, sums %d/%d/%d", name, rd.Done, rd.Disputes, rd.Requested,
				s.RefundsDone, s.Disputes, s.RefundsRequested)
		}
		var done, req int64
		for _, r := range rd.Items {
			if r.Done {
				done++
			}
			if r.Requested {
				req++
			}
			if !r.Done && !r.Requested {
				t.Errorf("%s: refund %s neither completed nor requested in the period", name, r.RefundID)
			}
		}
		if int64(len(rd.Items)) != rd.Total || done != rd.Done || req != rd.Requested {
			t.Errorf("%s: %d refund rows (%d done, %d requested), drill %+v", name, len(rd.Items), done, req, rd)
		}
		refunds += rd.Total

		rv, err := st.AgentBadReviews(ctx, shop, id, from, to, 0)
		if err != nil {
			t.Fatal(err)
		}
		if rv.Total != s.BadReviews+s.MediumReviews || rv.Bad != s.BadReviews || rv.Medium != s.MediumReviews || int64(len(rv.Items)) != rv.Total {
			t.Errorf("%s: %d reviews ≤ 3 listed (%d bad, %d medium), sums %d bad %d medium", name, len(rv.Items), rv.Bad, rv.Medium,
				s.BadReviews, s.MediumReviews)
		}
		for _, r := range rv.Items {
			if r.Rating > 3 {
				t.Errorf("%s: review rated %d", name, r.Rating)
			}
		}
		reviews += rv.Total
	}
	return
}

// The golden fixture: a small case whose every edge rule is planted.
func TestDrillGolden(t *testing.T) {
	st, _ := openStore(t)
	for _, f := range goldenFiles {
		mustImport(t, st, filepath.Join(goldenDir, f), goldenOpts())
	}
	shop, err := st.ShopByName(t.Context(), "示例旗舰店")
	if err != nil {
		t.Fatal(err)
	}
	slow, unconv, refunds, reviews := checkDrills(t, st, shop, day(t, "2024-03-02"), day(t, "2024-03-04"))
	if slow == 0 || unconv == 0 || refunds == 0 || reviews == 0 {
		t.Errorf("golden drills empty: slow %d unconverted %d refunds %d reviews %d", slow, unconv, refunds, reviews)
	}
}

// The demo: many buyers, several agents, chats across days.
func TestDrillDemo(t *testing.T) {
	dir := t.TempDir()
	m, err := demo.Generate(demo.Config{Dir: dir, Days: 14, Agents: 4, Seed: 7, ChatsPerAgentDay: 10, End: mustDate("2026-10-31")})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := openStore(t)
	for _, f := range m.Files {
		mustImport(t, st, filepath.Join(dir, filepath.Base(f)), Options{Shop: "s"})
	}
	shop, err := st.ShopByName(t.Context(), "s")
	if err != nil {
		t.Fatal(err)
	}
	from, to := day(t, "2026-10-25"), day(t, "2026-10-31")
	slow, unconv, refunds, reviews := checkDrills(t, st, shop, from, to)
	if slow == 0 || unconv == 0 || refunds == 0 || reviews == 0 {
		t.Errorf("demo drills empty: slow %d unconverted %d refunds %d reviews %d", slow, unconv, refunds, reviews)
	}
	// A limit keeps the newest and the totals.
	p, err := st.Sums(t.Context(), shop, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for id, s := range p.Agents {
		if id == 0 || s.BuyerMessages-s.Within3m < 3 {
			continue
		}
		all, _ := st.SlowMessages(t.Context(), shop, id, from, to, 0)
		two, err := st.SlowMessages(t.Context(), shop, id, from, to, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(two.Items) != 2 || two.Total != all.Total || two.Items[0].ID != all.Items[0].ID || two.Items[1].ID != all.Items[1].ID {
			t.Errorf("limit 2: %d items, total %d (all %d)", len(two.Items), two.Total, all.Total)
		}
		break
	}
}
