package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func TestRunsBackupAndUpdateShop(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tx, err := s.BeginImport(ctx, "店一", ShopSettings{Platform: "pdd"}, ImportMeta{FileName: "a.csv", Kind: kpi.KindOrders, Encoding: "utf-8", Header: []string{"订单号"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Reject(Reject{Row: 2, Column: "订单号", Reason: "空", Raw: []string{""}}); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	runs, err := s.ImportRuns(ctx, 10)
	if err != nil || len(runs) != 1 || runs[0].ShopName != "店一" || runs[0].Rejected != 1 || runs[0].FileName != "a.csv" {
		t.Fatalf("runs %+v %v", runs, err)
	}
	rj, err := s.FirstRejects(ctx, runs[0].ID, 20)
	if err != nil || len(rj) != 1 || rj[0].Row != 2 {
		t.Fatalf("rejects %+v %v", rj, err)
	}

	sh, _ := s.ShopByName(ctx, "店一")
	if _, err := s.EnsureShop(ctx, "店二", ShopSettings{}); err != nil {
		t.Fatal(err)
	}
	bad := []ShopUpdate{
		{Name: "", Platform: "pdd", TZ: "Asia/Shanghai", Window: kpi.DefaultWindow},
		{Name: "店一", Platform: "nope", TZ: "Asia/Shanghai", Window: kpi.DefaultWindow},
		{Name: "店一", Platform: "pdd", TZ: "Mars/Base", Window: kpi.DefaultWindow},
		{Name: "店一", Platform: "pdd", TZ: "Asia/Shanghai", Window: kpi.Window{Start: 5, End: 5}},
	}
	for _, u := range bad {
		if _, err := s.UpdateShop(ctx, sh.ID, u); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v", u, err)
		}
	}
	if _, err := s.UpdateShop(ctx, sh.ID, ShopUpdate{Name: "店二", Platform: "pdd", TZ: "Asia/Shanghai", Window: kpi.DefaultWindow}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate name: %v", err)
	}
	if rec, err := s.UpdateShop(ctx, sh.ID, ShopUpdate{Name: "店一", Platform: "jd", TZ: "Asia/Shanghai", Window: kpi.DefaultWindow}); err != nil || rec {
		t.Errorf("platform only: %v %v", rec, err)
	}
	w := kpi.Window{Start: 9 * 3600 * 1000, End: 24 * 3600 * 1000}
	if rec, err := s.UpdateShop(ctx, sh.ID, ShopUpdate{Name: "新店一", Platform: "jd", TZ: "Asia/Tokyo", Window: w}); err != nil || !rec {
		t.Errorf("window: %v %v", rec, err)
	}
	sh, err = s.ShopByName(ctx, "新店一")
	if err != nil || sh.Platform != "jd" || sh.TZ != "Asia/Tokyo" || sh.Window != w {
		t.Fatalf("updated shop %+v %v", sh, err)
	}
	if _, err := s.UpdateShop(ctx, 9999, ShopUpdate{Name: "x", Platform: "pdd", TZ: "UTC", Window: w}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown shop: %v", err)
	}

	out := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, out); err == nil {
		t.Error("backup over an existing file")
	}
	b, err := Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.ShopByName(ctx, "新店一"); err != nil {
		t.Errorf("backup lacks the shop: %v", err)
	}
}
