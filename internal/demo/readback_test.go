package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Tests read the files back the way an importer would, independently of the
// generator's own writers.

var testEnd = time.Date(2024, 6, 30, 0, 0, 0, 0, shanghai)

var (
	root     string
	cacheMu  sync.Mutex
	cacheGen = map[string]generated{}
)

type generated struct {
	dir string
	man Manifest
}

func TestMain(m *testing.M) {
	var err error
	root, err = os.MkdirTemp("", "demo-test-")
	if err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(root)
	os.Exit(code)
}

// generate runs Generate(cfg) once per test binary (into cfg.Dir if set, else a
// fresh folder) and caches the result: several tests read the same files.
func generate(t testing.TB, cfg Config) generated {
	t.Helper()
	key := fmt.Sprintf("%s|%d|%d|%d|%d|%s", cfg.Dir, cfg.Days, cfg.Agents, cfg.Seed, cfg.ChatsPerAgentDay, cfg.End)
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if g, ok := cacheGen[key]; ok {
		return g
	}
	if cfg.Dir == "" {
		cfg.Dir = filepath.Join(root, fmt.Sprintf("run%d", len(cacheGen)))
	}
	m, err := Generate(cfg)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", cfg, err)
	}
	g := generated{dir: cfg.Dir, man: m}
	cacheGen[key] = g
	return g
}

// standard is a mid-sized shop used by most tests: a month, the default team.
func standard(t testing.TB) generated {
	return generate(t, Config{Days: 30, Seed: 7, End: testEnd})
}

// readTable returns all rows of a file, header first, decoding by file kind.
func readTable(t testing.TB, dir, name string) [][]string {
	t.Helper()
	path := filepath.Join(dir, name)
	if name == FileRefunds {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		for i := range rows { // GetRows drops trailing empty cells
			for len(rows[i]) < len(hdrRefunds) {
				rows[i] = append(rows[i], "")
			}
		}
		return rows
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if name == FileOrders {
		if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
			t.Fatal(err)
		}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(data))
	if name == FileCustomers {
		r.Comma = '\t'
	}
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

var allFiles = []string{FileMessages, FileOrders, FileRefunds, FileReviews, FileComplaints, FileCustomers}

// col returns the index of a header, failing the test when it is missing.
func col(t testing.TB, rows [][]string, name string) int {
	t.Helper()
	for i, h := range rows[0] {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, rows[0])
	return -1
}

// goodRows returns the data rows that are not planted, with their Excel row numbers.
func goodRows(rows [][]string, file string, m Manifest) (out [][]string, rowNums []int) {
	bad := map[int]bool{}
	for _, p := range m.Planted {
		if p.File == file {
			bad[p.Row] = true
		}
	}
	for i, r := range rows[1:] {
		if !bad[i+2] {
			out = append(out, r)
			rowNums = append(rowNums, i+2)
		}
	}
	return out, rowNums
}

func (m Manifest) count(file string) int {
	switch file {
	case FileMessages:
		return m.Messages
	case FileOrders:
		return m.Orders
	case FileRefunds:
		return m.Refunds
	case FileReviews:
		return m.Reviews
	case FileComplaints:
		return m.Complaints
	}
	return m.Customers
}

// parseLocal parses the layouts the demo writes, in Shanghai time.
func parseLocal(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02 15:04:05", "2006/1/2 15:04:05", time.RFC3339, "2006年1月2日 15:04:05"} {
		if tm, err := time.ParseInLocation(layout, s, shanghai); err == nil {
			return tm, true
		}
	}
	return time.Time{}, false
}
