package store

import (
	"context"
	"os"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// BenchmarkReportPeriods times Report in process on a database built by
// scripts/perf.sh (shop "perf"); it is skipped unless KEFUBOARD_BENCH_DB
// names that database:
//
//	KEFUBOARD_BENCH_DB=/tmp/kefuboard-perf/perf.db go test -run x -bench ReportPeriods ./internal/store/
func BenchmarkReportPeriods(b *testing.B) {
	path := os.Getenv("KEFUBOARD_BENCH_DB")
	if path == "" {
		b.Skip("KEFUBOARD_BENCH_DB not set")
	}
	ctx := context.Background()
	st, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var last int64
	if err := st.read.QueryRowContext(ctx, `SELECT max(day) FROM daily_stats`).Scan(&last); err != nil {
		b.Fatal(err)
	}
	for _, p := range []struct {
		name string
		days int
	}{{"year", 365}, {"month", 30}, {"week", 7}} {
		b.Run(p.name, func(b *testing.B) {
			to := kpi.Day(last)
			from := to - kpi.Day(p.days-1)
			for b.Loop() {
				if _, err := st.Report(ctx, "perf", from, to); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
