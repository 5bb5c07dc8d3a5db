package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// goldenDir is the hand-checked fixture kept in the repository (testdata/golden/README.md).
const goldenDir = "../../testdata/golden"

var goldenFiles = []string{"messages.csv", "orders.csv", "refunds.csv", "reviews.csv", "complaints.csv", "customers.csv"}

func openStore(t testing.TB) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kefuboard.db")
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func goldenOpts() Options {
	return Options{Shop: "示例旗舰店", Settings: store.ShopSettings{Platform: "pdd", TZ: "Asia/Shanghai"}}
}

func mustImport(t testing.TB, s *store.Store, path string, opt Options) Result {
	t.Helper()
	res, err := File(context.Background(), s, path, opt)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

func day(t testing.TB, s string) kpi.Day {
	d, err := kpi.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func reportJSON(t testing.TB, s *store.Store, shop, from, to string) string {
	t.Helper()
	r, err := s.Report(context.Background(), shop, day(t, from), day(t, to))
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fingerprint hashes every row of every table of the database file, so a test
// can assert that a failed import left the database exactly as it was.
func fingerprint(t testing.TB, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, tb := range tables {
		r, err := db.Query(`SELECT * FROM "` + tb + `" ORDER BY 1, 2, 3`)
		if err != nil {
			r, err = db.Query(`SELECT * FROM "` + tb + `" ORDER BY 1`)
		}
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		h := sha256.New()
		n := 0
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			r.Scan(ptrs...)
			fmt.Fprintf(h, "%v\n", vals)
			n++
		}
		r.Close()
		out[tb] = fmt.Sprintf("%d rows %s", n, hex.EncodeToString(h.Sum(nil))[:16])
	}
	return out
}

func sameFingerprint(t testing.TB, before, after map[string]string) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("table %s changed: %s -> %s", k, v, after[k])
		}
	}
	if len(after) != len(before) {
		t.Errorf("tables: %d -> %d", len(before), len(after))
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
