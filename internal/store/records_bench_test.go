package store

import (
	"context"
	"os"
	"testing"
)

// BenchmarkSegmentShop is the segment computation an import that changed
// orders runs (both passes over every record; the segments are already
// current, so it measures the computation, not the writes; rolled back),
// on a real database
// with a shop "perf"; skipped unless KEFUBOARD_BENCH_DB names it:
//
//	KEFUBOARD_BENCH_DB=/tmp/ab-kb-loyalty.db go test -run x -bench SegmentShop ./internal/store/
func BenchmarkSegmentShop(b *testing.B) {
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
	for b.Loop() {
		tx, err := st.write.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := segmentShop(ctx, tx, shop, true, 0); err != nil {
			b.Fatal(err)
		}
		tx.Rollback()
	}
}
