package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func TestOpenTwiceAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "k.db")
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureShop(ctx, "店", ShopSettings{Platform: "jd"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path) // migrations already applied: no error, data kept
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sh, err := s.ShopByName(ctx, "店")
	if err != nil || sh.Platform != "jd" || sh.TZ != "Asia/Shanghai" || sh.Window != kpi.DefaultWindow {
		t.Fatalf("shop %+v, %v", sh, err)
	}
	// daily_stats must hold exactly the sums the engine defines.
	rows, err := s.read.Query(`SELECT name FROM pragma_table_info('daily_stats')`)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		cols = append(cols, c)
	}
	rows.Close()
	want := append([]string{"shop_id", "day", "agent_id"}, kpi.SumColumns...)
	if !slices.Equal(cols, want) {
		t.Errorf("daily_stats columns\n got %v\nwant %v", cols, want)
	}
	var journal string
	s.read.QueryRow(`PRAGMA journal_mode`).Scan(&journal)
	var fk int
	s.write.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	if journal != "wal" || fk != 1 {
		t.Errorf("journal_mode %s, foreign_keys %d", journal, fk)
	}
	for _, bad := range []ShopSettings{{Platform: "amazon"}, {TZ: "Mars/Olympus"}} {
		if _, err := s.EnsureShop(ctx, "新店", bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestBuyerSetCodec(t *testing.T) {
	for _, ids := range [][]int64{nil, {1}, {1, 1, 2, 300, 300, 70000, 1 << 40}} {
		var got []int64
		if err := decodeSet(encodeSet(ids), func(id int64) { got = append(got, id) }); err != nil {
			t.Fatal(err)
		}
		if want := slices.Compact(slices.Clone(ids)); !slices.Equal(got, want) {
			t.Errorf("%v -> %v", ids, got)
		}
	}
	if err := decodeSet([]byte{0xff}, func(int64) {}); err == nil {
		t.Error("truncated varint accepted")
	}
}

func FuzzDecodeSet(f *testing.F) {
	f.Add(encodeSet([]int64{1, 5, 9}))
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeSet(b, func(int64) {}) // must not panic on a corrupt blob
	})
}
