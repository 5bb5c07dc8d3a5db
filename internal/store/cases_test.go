package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/queues"
)

// importReviews imports reviews into shop 店一 (PDD, Asia/Shanghai) in one file.
func importReviews(t *testing.T, s *Store, rs ...kpi.Review) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.BeginImport(ctx, "店一", ShopSettings{Platform: "pdd", TZ: "Asia/Shanghai"}, ImportMeta{FileName: "reviews.csv", Kind: kpi.KindReviews, Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range rs {
		if err := tx.AddReview(&rs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func shanghai(t *testing.T, s string) kpi.Millis {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	tm, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return kpi.Millis(tm.UnixMilli())
}

// Cases open for ratings 1–3 (not 4), once; the clock counts the review's
// day as day 1; a newer export rating the review 4+ closes its case as
// modified by itself; re-import and recompute keep the work state.
func TestCasesLifecycle(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	day := shanghai(t, "2026-11-01 23:30:00")
	reviews := []kpi.Review{
		{ReviewID: "R1", OrderID: "O1", Buyer: "甲", Rating: 1, CreatedAt: day, Content: "太差了"},
		{ReviewID: "R3", OrderID: "O3", Buyer: "乙", Rating: 3, CreatedAt: day + 1000, Content: "一般"},
		{ReviewID: "R4", OrderID: "O4", Buyer: "丙", Rating: 4, CreatedAt: day, Content: "还行"},
		{OrderID: "O5", Buyer: "丁", Rating: 2, CreatedAt: shanghai(t, "2026-11-20 08:00:00"), Content: "没有评价ID"},
	}
	importReviews(t, s, reviews...)
	shop, _ := s.ShopByName(ctx, "店一")
	asOf, _ := kpi.ParseDay("2026-11-30")
	cs, err := s.Cases(ctx, shop, asOf, CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 {
		t.Fatalf("%d cases, want 3 (ratings 1, 3, 2; not 4): %+v", len(cs), cs)
	}
	byKey := map[string]Case{}
	for _, c := range cs {
		byKey[c.ReviewKey] = c
	}
	r1 := byKey["R1"]
	// Reviewed 2026-11-01 (Shanghai; 15:30 UTC): day 30 is 11-30, the as-of day.
	if r1.Deadline.String() != "2026-11-30" || r1.DaysLeft != 0 || r1.Urgency != queues.Due || r1.State != queues.StateNew {
		t.Errorf("R1: deadline %s, days left %d, urgency %q, state %q", r1.Deadline, r1.DaysLeft, r1.Urgency, r1.State)
	}
	if c := byKey["O5|丁|2026-11-20T08:00:00+08:00"]; c.ID == 0 || c.Urgency != queues.Open || c.DaysLeft != 19 {
		t.Errorf("review without an id: key or clock wrong: %+v (keys %v)", c, keys(byKey))
	}
	if cs[0].ReviewKey != "R1" || cs[1].ReviewKey != "R3" {
		t.Errorf("order %s, %s: want by deadline then time", cs[0].ReviewKey, cs[1].ReviewKey)
	}
	// The day after the deadline: overdue.
	if cs, _ := s.Cases(ctx, shop, asOf+1, CaseFilter{}); cs[0].Urgency != queues.Overdue || cs[0].DaysLeft != -1 {
		t.Errorf("as of 12-01: %+v", cs[0])
	}

	// Work on R3, then a newer export: R1 rated 5 (modified), R3 unchanged.
	r3 := byKey["R3"]
	if err := s.CaseStep(ctx, r3.ID, r3.Version, queues.Step{State: queues.StateContacted, Note: "电话联系"}, "owner"); err != nil {
		t.Fatal(err)
	}
	// A second save at the old version is refused, not silently applied.
	if err := s.CaseStep(ctx, r3.ID, r3.Version, queues.Step{State: queues.StateDeclined}, "agent"); !errors.Is(err, ErrCaseChanged) {
		t.Errorf("stale save: %v, want ErrCaseChanged", err)
	}
	reviews[0].Rating = 5
	importReviews(t, s, reviews...)
	importReviews(t, s, reviews...)
	if err := s.Recompute(ctx, "店一"); err != nil {
		t.Fatal(err)
	}
	all, _ := s.Cases(ctx, shop, asOf, CaseFilter{All: true})
	open, _ := s.Cases(ctx, shop, asOf, CaseFilter{})
	if len(all) != 3 || len(open) != 2 {
		t.Fatalf("after re-imports: %d cases, %d open; want 3 and 2", len(all), len(open))
	}
	for _, c := range all {
		switch c.ReviewKey {
		case "R1":
			if c.State != queues.StateModified || !c.Closed || !c.ByData || c.Urgency != "" || c.Rating != 5 || c.FirstRating != 1 {
				t.Errorf("R1 after the 5-star export: %+v", c)
			}
			ev, _ := s.CaseEvents(ctx, c.ID)
			if len(ev) != 2 || ev[0].Kind != "opened" || ev[1].Kind != queues.StateModified || ev[1].By != "" {
				t.Errorf("R1 timeline %+v", ev)
			}
		case "R3":
			if c.State != queues.StateContacted || c.FirstContactAt == 0 || c.Closed {
				t.Errorf("R3 lost its state: %+v", c)
			}
		}
	}
	// A rating back to 2 does not reopen or duplicate the closed case.
	reviews[0].Rating = 2
	importReviews(t, s, reviews...)
	if all, _ := s.Cases(ctx, shop, asOf, CaseFilter{All: true}); len(all) != 3 {
		t.Errorf("%d cases after R1 went back to 2 stars, want 3", len(all))
	}
}

func keys(m map[string]Case) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// The queue's filters and counts agree with the rule applied to every case.
func TestCaseFiltersAndCounts(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var rs []kpi.Review
	for i := 0; i < 40; i++ {
		day := fmt.Sprintf("2026-10-%02d 10:00:00", 1+i%31)
		if i >= 31 {
			day = fmt.Sprintf("2026-11-%02d 10:00:00", i-30)
		}
		rs = append(rs, kpi.Review{ReviewID: fmt.Sprintf("R%02d", i), OrderID: fmt.Sprintf("O%02d", i), Buyer: "买家" + fmt.Sprint(i%7),
			Rating: int8(1 + i%4), CreatedAt: shanghai(t, day), Product: []string{"杯子", "毛巾"}[i%2]})
	}
	importReviews(t, s, rs...)
	shop, _ := s.ShopByName(ctx, "店一")
	asOf, _ := kpi.ParseDay("2026-11-05")
	all, _ := s.Cases(ctx, shop, asOf, CaseFilter{})
	count := func(pred func(Case) bool) int {
		n := 0
		for _, c := range all {
			if pred(c) {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct {
		f    CaseFilter
		want int
	}{
		{CaseFilter{Urgency: queues.Overdue}, count(func(c Case) bool { return c.DaysLeft < 0 })},
		{CaseFilter{Urgency: queues.Due}, count(func(c Case) bool { return c.DaysLeft >= 0 && c.DaysLeft <= 3 })},
		{CaseFilter{Urgency: queues.Open}, count(func(c Case) bool { return c.DaysLeft > 3 })},
		{CaseFilter{Rating: 2}, count(func(c Case) bool { return c.Rating == 2 })},
		{CaseFilter{Product: "毛"}, count(func(c Case) bool { return c.Product == "毛巾" })},
		{CaseFilter{Limit: 5, Offset: 2}, 5},
	} {
		got, err := s.Cases(ctx, shop, asOf, tc.f)
		if err != nil || len(got) != tc.want {
			t.Errorf("%+v: %d cases, want %d (%v)", tc.f, len(got), tc.want, err)
		}
	}
	if page, _ := s.Cases(ctx, shop, asOf, CaseFilter{Limit: 5, Offset: 2}); page[0].ID != all[2].ID {
		t.Error("a page does not continue the queue's order")
	}
	for i := 1; i < len(all); i++ {
		if all[i].Deadline < all[i-1].Deadline {
			t.Fatalf("not by deadline at %d", i)
		}
	}
	n, err := s.CaseCounts(ctx, shop, asOf, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := CaseCounts{Overdue: count(func(c Case) bool { return c.Urgency == queues.Overdue }),
		Due: count(func(c Case) bool { return c.Urgency == queues.Due }), Open: count(func(c Case) bool { return c.Urgency == queues.Open })}
	if n != want || n.Overdue == 0 || n.Due == 0 || n.Open == 0 {
		t.Errorf("counts %+v, want %+v (each non-zero)", n, want)
	}
}

// A case keeps its last outcome through explained and closed: the modified
// share counts a case the buyer changed whether the data closed it or a
// person recorded it and went on; a database from before the outcome column
// gets it filled from the timeline.
func TestCaseOutcomeKept(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := shanghai(t, "2026-11-10 10:00:00")
	reviews := []kpi.Review{
		{ReviewID: "A", OrderID: "OA", Buyer: "甲", Rating: 2, CreatedAt: at},
		{ReviewID: "B", OrderID: "OB", Buyer: "乙", Rating: 1, CreatedAt: at},
		{ReviewID: "C", OrderID: "OC", Buyer: "丙", Rating: 3, CreatedAt: at},
		{ReviewID: "D", OrderID: "OD", Buyer: "丁", Rating: 3, CreatedAt: at},
	}
	importReviews(t, s, reviews...)
	shop, _ := s.ShopByName(ctx, "店一")
	asOf, _ := kpi.ParseDay("2026-11-20")
	work := func(key string, steps ...queues.Step) {
		t.Helper()
		for _, st := range steps {
			cs, _ := s.Cases(ctx, shop, asOf, CaseFilter{All: true})
			var c *Case
			for i := range cs {
				if cs[i].ReviewKey == key {
					c = &cs[i]
				}
			}
			if err := s.CaseStep(ctx, c.ID, c.Version, st, "owner"); err != nil {
				t.Fatalf("%s %s: %v", key, st.State, err)
			}
		}
	}
	contacted, explained, closed := queues.Step{State: queues.StateContacted}, queues.Step{State: queues.StateExplained}, queues.Step{State: queues.StateClosed}
	work("A", contacted, queues.Step{State: queues.StateModified}, explained, closed)
	work("C", contacted, queues.Step{State: queues.StateCompensated, CompensationFen: 1500}, closed)
	work("D", contacted, queues.Step{State: queues.StateModified}, queues.Step{State: queues.StateDeclined}) // revised: declined
	reviews[1].Rating = 5
	importReviews(t, s, reviews...) // B closed by the data

	check := func(when string) {
		t.Helper()
		cs, err := s.Cases(ctx, shop, asOf, CaseFilter{All: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range cs {
			got[c.ReviewKey] = c.State + "/" + c.Outcome
		}
		want := map[string]string{"A": "closed/modified", "B": "modified/modified", "C": "closed/compensated", "D": "declined/declined"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: state/outcome %v, want %v", when, got, want)
		}
		k := CaseKPIs(cs, asOf-30, asOf, shop.Location())[0]
		if k.Cases != 4 || k.Modified != 2 || k.CompensationFen != 1500 {
			t.Errorf("%s: KPIs %+v, want 4 cases, 2 modified (A recorded, B by data), ¥15 compensation", when, k)
		}
	}
	check("as worked")

	// The database as it was before migration 011: no outcome column.
	if _, err := s.write.ExecContext(ctx, `ALTER TABLE cases DROP COLUMN outcome`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, `DELETE FROM schema_migrations WHERE name = '011_case_outcome.sql'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check("after the upgrade")
}
