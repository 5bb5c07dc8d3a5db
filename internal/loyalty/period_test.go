package loyalty

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func day(s string) kpi.Day {
	d, err := kpi.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestPeriod(t *testing.T) {
	from, to := day("2026-11-01"), day("2026-11-30")
	o := func(b, d string, amt int64) PaidOrder { return PaidOrder{b, day(d), amt} }
	nBuyers := func(n int) []PaidOrder {
		var os []PaidOrder
		for i := 0; i < n; i++ {
			os = append(os, o(fmt.Sprintf("b%02d", i), "2026-11-10", int64(100*(i+1))))
		}
		return os
	}
	tests := []struct {
		name  string
		in    []PaidOrder
		check func(t *testing.T, s PeriodStats)
	}{
		{"zero buyers: all null", []PaidOrder{o("a", "2026-10-01", 100), o("b", "2026-12-01", 100)},
			func(t *testing.T, s PeriodStats) {
				if s.Buyers != 0 || s.RepurchaseOK || s.ReturningOK || s.Top30OK || s.Pareto != nil || s.Top30Buyers != 0 {
					t.Errorf("%+v", s)
				}
			}},
		{"no orders at all", nil, func(t *testing.T, s PeriodStats) {
			if s.Buyers != 0 || s.RepurchaseOK || s.ReturningOK || s.Top30OK {
				t.Errorf("%+v", s)
			}
		}},
		{"ceil(0.3×1) = 1", nBuyers(1), func(t *testing.T, s PeriodStats) {
			if s.Top30Buyers != 1 || s.Top30SalesShare != 1 {
				t.Errorf("%+v", s)
			}
		}},
		{"ceil(0.3×3) = 1", nBuyers(3), func(t *testing.T, s PeriodStats) {
			if s.Top30Buyers != 1 || s.Top30SalesFen != 300 || s.SalesFen != 600 || s.Top30SalesShare != 0.5 {
				t.Errorf("%+v", s)
			}
		}},
		{"ceil(0.3×10) = 3", nBuyers(10), func(t *testing.T, s PeriodStats) {
			if s.Top30Buyers != 3 || s.Top30SalesFen != 1000+900+800 {
				t.Errorf("%+v", s)
			}
		}},
		{"ceil(0.3×11) = 4", nBuyers(11), func(t *testing.T, s PeriodStats) {
			if s.Top30Buyers != 4 {
				t.Errorf("%+v", s)
			}
		}},
		{"sales ties broken by buyer code point order",
			// "B" < "a" < "é" in code point order; top 1 of 3 must be "B".
			[]PaidOrder{o("a", "2026-11-02", 100), o("é", "2026-11-02", 100), o("B", "2026-11-02", 50), o("B", "2026-11-03", 50)},
			func(t *testing.T, s PeriodStats) {
				if s.Top30Buyers != 1 || s.Top30SalesFen != 100 {
					t.Errorf("%+v", s)
				}
			}},
		{"first order exactly on from is not returning; the day before is",
			[]PaidOrder{o("new", "2026-11-01", 100), o("new", "2026-11-05", 100), o("old", "2026-10-31", 999), o("old", "2026-11-01", 300)},
			func(t *testing.T, s PeriodStats) {
				if s.Buyers != 2 || s.ReturningSalesFen != 300 || s.SalesFen != 500 || !s.ReturningOK || s.ReturningSalesShare != 0.6 {
					t.Errorf("%+v", s)
				}
			}},
		{"orders after to ignored; repeat needs 2 orders inside",
			[]PaidOrder{
				o("x", "2026-11-30", 100), o("x", "2026-12-01", 100), // one inside
				o("y", "2026-10-15", 100), o("y", "2026-11-15", 100), // one inside
				o("z", "2026-11-01", 100), o("z", "2026-11-30", 100), // two inside
				o("w", "2026-12-05", 100), // only after
			},
			func(t *testing.T, s PeriodStats) {
				if s.Buyers != 3 || s.RepeatBuyers != 1 || s.SalesFen != 400 || !s.RepurchaseOK || s.RepurchaseRate != 1.0/3 {
					t.Errorf("%+v", s)
				}
			}},
		{"all amounts zero: sales shares null, repurchase defined",
			[]PaidOrder{o("a", "2026-11-02", 0), o("a", "2026-11-03", 0)},
			func(t *testing.T, s PeriodStats) {
				if s.Buyers != 1 || !s.RepurchaseOK || s.RepurchaseRate != 1 || s.ReturningOK || s.Top30OK || len(s.Pareto) != 0 {
					t.Errorf("%+v", s)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Period(tc.in, from, to)
			tc.check(t, s)
			checkPareto(t, s)
		})
	}
}

func checkPareto(t *testing.T, s PeriodStats) {
	t.Helper()
	if s.SalesFen <= 0 {
		if len(s.Pareto) != 0 {
			t.Errorf("pareto without sales: %v", s.Pareto)
		}
		return
	}
	p := s.Pareto
	if len(p) < 2 || p[0] != (ParetoPoint{0, 0}) || p[len(p)-1] != (ParetoPoint{1, 1}) {
		t.Fatalf("pareto ends: %v", p)
	}
	if len(p) > 102 {
		t.Errorf("pareto has %d points", len(p))
	}
	top := false
	for i, q := range p {
		if i > 0 && (q.BuyerShare <= p[i-1].BuyerShare || q.SalesShare < p[i-1].SalesShare) {
			t.Errorf("pareto not increasing at %d: %v", i, p)
		}
		if q.BuyerShare == float64(s.Top30Buyers)/float64(s.Buyers) && q.SalesShare == s.Top30SalesShare {
			top = true
		}
	}
	if !top {
		t.Errorf("pareto lacks the top-30%% point (%d buyers, %v)", s.Top30Buyers, s.Top30SalesShare)
	}
}

func TestParetoDownsampled(t *testing.T) {
	for _, n := range []int{100, 101, 333, 1000, 4567} {
		var os []PaidOrder
		for i := 0; i < n; i++ {
			os = append(os, PaidOrder{fmt.Sprint(i), day("2026-11-10"), int64(1 + i%17*1000)})
		}
		s := Period(os, day("2026-11-01"), day("2026-11-30"))
		if s.Buyers != n || s.Top30Buyers != (3*n+9)/10 {
			t.Errorf("n=%d: %+v", n, s)
		}
		checkPareto(t, s)
	}
}

func TestVerdict8030(t *testing.T) {
	tests := []struct {
		name string
		s    PeriodStats
		want []string
	}{
		{"no buyers", PeriodStats{}, []string{"暂无数据"}},
		{"zero sales", PeriodStats{Buyers: 2, RepurchaseOK: true}, []string{"无法判断"}},
		{"holds", PeriodStats{Buyers: 20, Top30Buyers: 6, Top30OK: true, Top30SalesShare: 0.824}, []string{"（6 人）", "82.4%", "成立"}},
		{"exactly 80% holds", PeriodStats{Buyers: 10, Top30Buyers: 3, Top30OK: true, Top30SalesShare: 0.8}, []string{"80.0%", "成立"}},
		{"just under does not read as 80.0%", PeriodStats{Buyers: 10, Top30Buyers: 3, Top30OK: true, Top30SalesShare: 0.79996}, []string{"79.9%", "不成立", "均匀"}},
		{"rounded like the figure beside it", PeriodStats{Buyers: 2258, Top30Buyers: 678, Top30OK: true, Top30SalesShare: 0.75457}, []string{"75.5%", "不成立"}},
		{"small sample note", PeriodStats{Buyers: 1, Top30Buyers: 1, Top30OK: true, Top30SalesShare: 1}, []string{"100.0%", "仅供参考"}},
	}
	for _, tc := range tests {
		got := Verdict8030(tc.s)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tc.name, got, w)
			}
		}
		if tc.name == "holds" && strings.Contains(got, "不成立") {
			t.Errorf("%s: %q", tc.name, got)
		}
	}
}
