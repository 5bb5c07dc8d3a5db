package ingest

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/kefuboard/kefuboard/internal/demo"
)

// splitByDay splits a CSV (UTF-8, BOM or GBK) into one UTF-8 file per value of
// the date part of column col, keeping the header. Rows with that cell blank go
// to their own file.
func splitByDay(t testing.TB, path string, col int, outDir string) []string {
	t.Helper()
	b := readFile(t, path)
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if !utf8.Valid(b) {
		var err error
		if b, err = simplifiedchinese.GB18030.NewDecoder().Bytes(b); err != nil {
			t.Fatal(err)
		}
	}
	r := csv.NewReader(bytes.NewReader(b))
	if strings.HasSuffix(path, ".tsv") {
		r.Comma = '\t'
	}
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	groups := map[string][][]string{}
	for _, rec := range recs[1:] {
		key := "none"
		if col < len(rec) && rec[col] != "" {
			key = strings.NewReplacer("/", "-", "年", "-", "月", "-").Replace(strings.Fields(rec[col])[0])
		}
		groups[key] = append(groups[key], rec)
	}
	var out []string
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	for key, rows := range groups {
		p := filepath.Join(outDir, base+"-"+key+".csv")
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(recs[0])
		w.WriteAll(rows)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func column(t testing.TB, path string, names ...string) int {
	t.Helper()
	b := bytes.TrimPrefix(readFile(t, path), []byte("\ufeff"))
	if !utf8.Valid(b) {
		b, _ = simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	}
	r := csv.NewReader(bytes.NewReader(b))
	if strings.HasSuffix(path, ".tsv") {
		r.Comma = '\t'
	}
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range head {
		for _, n := range names {
			if strings.TrimSpace(h) == n {
				return i
			}
		}
	}
	t.Fatalf("%s: none of %v in %v", path, names, head)
	return -1
}

// TestSplitImportsEqualFullRecompute: the same data imported as many files —
// split by day and by kind, in a shuffled order — gives exactly the report of
// one import of whole files followed by a full recompute. This is what makes
// incremental recomputation trustworthy.
func TestSplitImportsEqualFullRecompute(t *testing.T) {
	cases := []struct {
		name   string
		dir    func(t *testing.T) string
		shop   string
		splits map[string][]string // file -> date column candidates
		from   string
		to     string
		weeks  []string
	}{
		{"golden", func(*testing.T) string { return goldenDir }, "示例旗舰店",
			map[string][]string{"messages.csv": {"sent_at"}, "orders.csv": {"paid_at"}, "refunds.csv": {"requested_at"},
				"reviews.csv": {"created_at"}, "complaints.csv": {"created_at"}},
			"2024-02-17", "2024-03-05", []string{"2024-03-02"}},
		{"demo", func(t *testing.T) string {
			dir := t.TempDir()
			if _, err := demo.Generate(demo.Config{Dir: dir, Days: 20, Agents: 3, Seed: 7, ChatsPerAgentDay: 12,
				End: mustDate("2026-10-31")}); err != nil {
				t.Fatal(err)
			}
			return dir
		}, "示例旗舰店",
			map[string][]string{"messages.csv": {"发送时间"}, "orders.csv": {"支付时间"}, "reviews.csv": {"评价时间"}, "complaints.csv": {"投诉时间"}},
			"2026-10-01", "2026-10-31", []string{"2026-10-12", "2026-10-25"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.dir(t)
			entries, _ := os.ReadDir(src)
			var whole []string
			for _, e := range entries {
				if n := e.Name(); strings.HasSuffix(n, ".csv") || strings.HasSuffix(n, ".tsv") || strings.HasSuffix(n, ".xlsx") {
					if !strings.Contains(n, "expected") {
						whole = append(whole, filepath.Join(src, n))
					}
				}
			}
			opt := Options{Shop: tc.shop, Settings: goldenOpts().Settings}

			full, _ := openStore(t)
			for _, f := range whole {
				mustImport(t, full, f, opt)
			}
			if err := full.Recompute(context.Background(), tc.shop); err != nil {
				t.Fatal(err)
			}

			pieces := []string{}
			splitDir := t.TempDir()
			for _, f := range whole {
				cols, ok := tc.splits[filepath.Base(f)]
				if !ok {
					pieces = append(pieces, f)
					continue
				}
				pieces = append(pieces, splitByDay(t, f, column(t, f, cols...), splitDir)...)
			}
			if len(pieces) < 10 {
				t.Fatalf("only %d pieces", len(pieces))
			}
			rand.New(rand.NewSource(3)).Shuffle(len(pieces), func(i, j int) { pieces[i], pieces[j] = pieces[j], pieces[i] })
			split, _ := openStore(t)
			for _, f := range pieces {
				mustImport(t, split, f, opt)
			}

			periods := [][2]string{{tc.from, tc.to}}
			for _, w := range tc.weeks {
				d := day(t, w)
				periods = append(periods, [2]string{w, (d + 6).String()}, [2]string{w, w})
			}
			for _, p := range periods {
				a := reportJSON(t, full, tc.shop, p[0], p[1])
				b := reportJSON(t, split, tc.shop, p[0], p[1])
				if a != b {
					t.Errorf("%s..%s: split import differs from full import + recompute:", p[0], p[1])
					compareJSON(t, []byte(b), []byte(a))
				}
				if !strings.Contains(a, `"agent"`) {
					t.Errorf("%s..%s: no agents in report: the comparison would be vacuous", p[0], p[1])
				}
			}
			fmt.Fprintf(os.Stderr, "%s: %d files compared\n", tc.name, len(pieces))
		})
	}
}
