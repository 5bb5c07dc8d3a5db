package store

import (
	"context"
	"os"
	"testing"
)

// BenchmarkRefreshAlerts times the rule check that runs after every import
// (RefreshAlerts) on a database built by scripts/perf.sh (a year of shop
// "perf"); skipped unless KEFUBOARD_BENCH_DB names that database:
//
//	KEFUBOARD_BENCH_DB=/tmp/kefuboard-perf/perf.db go test -run x -bench RefreshAlerts ./internal/store/
//
// "check" is the read and the rule evaluation alone, as the shop's own
// platform and as a Douyin shop (which adds the rolling 30-day score).
func BenchmarkRefreshAlerts(b *testing.B) {
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
	shop, err := st.ShopByName(ctx, "perf")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("refresh", func(b *testing.B) {
		for b.Loop() {
			if err := st.RefreshAlerts(ctx, "perf"); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, platform := range []string{shop.Platform, "douyin"} {
		sh := *shop
		sh.Platform = platform
		b.Run("check-"+platform, func(b *testing.B) {
			for b.Loop() {
				if _, err := st.checkRules(ctx, &sh); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
