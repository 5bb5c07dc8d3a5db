package web

import (
	"math"
	"strings"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// FuzzReadBenchmarkCSV: whatever the owner uploads, the reader never panics,
// and every row it accepts names a known KPI with a finite, non-negative
// value and a day.
func FuzzReadBenchmarkCSV(f *testing.F) {
	for _, s := range []string{
		"kpi,avg,top10,read_on\nreply_30s_rate,0.62,0.81,2026-11-01\n",
		"\ufeff指标,同行均值,同行优秀,读取日期\n30秒应答率,62%,81%,2026-11-01\n客单价,¥120,,2026-11-01\n",
		"指标,读取日期\n差评率,20261101\n",
		"kpi,avg\n\"unterminated,1\n",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rows, _, _ := readBenchmarkCSV(strings.NewReader(s))
		for _, r := range rows {
			if _, ok := kpi.MetricByKey(r.metric); !ok {
				t.Fatalf("accepted unknown KPI %q", r.metric)
			}
			for _, v := range []*float64{r.avg, r.top} {
				if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0) {
					t.Fatalf("accepted value %v for %s", *v, r.metric)
				}
			}
			if r.avg == nil && r.top == nil {
				t.Fatalf("accepted a row without values: %+v", r)
			}
		}
	})
}

// FuzzFromInput: a typed value is refused or a finite number ≥ 0 (a rate
// at most 1).
func FuzzFromInput(f *testing.F) {
	for _, s := range []string{"85", "85%", "¥1,200", "30秒", "4.5小时", "-1", "1e400", "NaN", "Inf", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, u := range []kpi.Unit{kpi.UnitRate, kpi.UnitSeconds, kpi.UnitHours, kpi.UnitYuan} {
			v, err := fromInput(u, s)
			if err != nil {
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || (u == kpi.UnitRate && v > 1) {
				t.Fatalf("fromInput(%v, %q) = %v", u, s, v)
			}
		}
	})
}
