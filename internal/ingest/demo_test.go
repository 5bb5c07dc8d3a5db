package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kefuboard/kefuboard/internal/demo"
	"github.com/kefuboard/kefuboard/internal/importer"
	"github.com/kefuboard/kefuboard/internal/store"
)

// TestDemoImportsWithExactlyThePlantedRejects: the demo exports import with the
// bad rows the generator planted rejected — those and no others — and a second
// import of the same files adds and updates nothing.
func TestDemoImportsWithExactlyThePlantedRejects(t *testing.T) {
	dir := t.TempDir()
	m, err := demo.Generate(demo.Config{Dir: dir, Days: 14, Agents: 4, Seed: 11, ChatsPerAgentDay: 10, End: mustDate("2026-10-31")})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Planted) == 0 {
		t.Fatal("the demo planted no bad rows")
	}
	s, _ := openStore(t)
	type key struct {
		file string
		row  int
	}
	want := map[key]bool{}
	for _, p := range m.Planted {
		want[key{filepath.Base(p.File), p.Row}] = true
	}
	got := map[key]bool{}
	goodRows := map[string]int64{}
	for _, f := range m.Files {
		res := mustImport(t, s, filepath.Join(dir, filepath.Base(f)), Options{Shop: "示例旗舰店", Settings: store.ShopSettings{Platform: "pdd"}})
		goodRows[string(res.Kind)] = res.Added
		rejects, err := s.Rejects(context.Background(), res.RunID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rejects {
			got[key{res.File, r.Row}] = true
			if !want[key{res.File, r.Row}] {
				t.Errorf("%s row %d rejected but not planted: %s (%s=%q)", res.File, r.Row, r.Reason, r.Column, r.Value)
			}
		}
		// The rejects CSV holds the header plus a reason column.
		if res.Rejected > 0 {
			p, err := SaveRejects(context.Background(), s, res, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			b := string(readFile(t, p))
			if !strings.HasPrefix(b, "\ufeff") || !strings.Contains(strings.SplitN(b, "\n", 2)[0], "reason") || strings.Count(b, "\n") != int(res.Rejected)+1 {
				t.Errorf("rejects CSV of %s:\n%s", res.File, b)
			}
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("%s row %d was planted but imported", k.file, k.row)
		}
	}
	counts := map[string]int{"messages": m.Messages, "orders": m.Orders, "refunds": m.Refunds, "reviews": m.Reviews,
		"complaints": m.Complaints, "customers": m.Customers}
	for kind, n := range counts {
		if goodRows[kind] != int64(n) {
			t.Errorf("%s: added %d rows, the generator wrote %d good ones", kind, goodRows[kind], n)
		}
	}
	for _, f := range m.Files {
		res := mustImport(t, s, filepath.Join(dir, filepath.Base(f)), Options{Shop: "示例旗舰店"})
		if res.Added != 0 || res.Updated != 0 {
			t.Errorf("second import of %s: %d added, %d updated", res.File, res.Added, res.Updated)
		}
	}
}

// TestRefusedFilesWriteNothing: a file the importer refuses whole (missing
// columns, unknown kind, empty, binary junk) leaves no trace, not even the shop.
func TestRefusedFilesWriteNothing(t *testing.T) {
	cases := []struct {
		name, body string
		check      func(error) bool
	}{
		{"missing columns", "买家,发送方,内容\nb1,买家,在吗\n", func(err error) bool {
			var e *importer.MissingColumnsError
			return errors.As(err, &e)
		}},
		{"unknown kind", "foo,bar\n1,2\n", func(err error) bool {
			var e *importer.UnknownKindError
			return errors.As(err, &e)
		}},
		{"empty", "", func(err error) bool { return err != nil }},
		{"binary junk", "\x00\x01\x02PK\xff\xfe\x00garbage\x00\x00", func(err error) bool { return err != nil }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, path := openStore(t)
			before := fingerprint(t, path)
			f := filepath.Join(t.TempDir(), "bad.csv")
			os.WriteFile(f, []byte(tc.body), 0o644)
			_, err := File(context.Background(), s, f, Options{Shop: "新店"})
			if !tc.check(err) {
				t.Fatalf("unexpected error %v", err)
			}
			if err != nil && strings.TrimSpace(err.Error()) == "" {
				t.Error("empty error message")
			}
			sameFingerprint(t, before, fingerprint(t, path))
			shops, _ := s.Shops(context.Background())
			if len(shops) != 0 {
				t.Errorf("a refused file created shop %v", shops[0].Name)
			}
		})
	}
}
