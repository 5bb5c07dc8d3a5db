package demo

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestSameSeedSameBytes(t *testing.T) {
	cfg := Config{Days: 20, Agents: 3, Seed: 42, End: testEnd}
	a := generate(t, cfg)
	cfg.Dir = filepath.Join(root, "again")
	b := generate(t, cfg)
	for _, name := range allFiles {
		x, _ := os.ReadFile(filepath.Join(a.dir, name))
		y, _ := os.ReadFile(filepath.Join(b.dir, name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s: %d and %d bytes, not identical", name, len(x), len(y))
		}
	}
}

func TestDifferentSeedDifferentData(t *testing.T) {
	a := generate(t, Config{Days: 20, Agents: 3, Seed: 42, End: testEnd})
	b := generate(t, Config{Days: 20, Agents: 3, Seed: 43, End: testEnd})
	for _, name := range allFiles {
		x, _ := os.ReadFile(filepath.Join(a.dir, name))
		y, _ := os.ReadFile(filepath.Join(b.dir, name))
		if bytes.Equal(x, y) {
			t.Errorf("%s: seeds 42 and 43 wrote the same bytes", name)
		}
	}
}

func TestManifestCountsMatchFiles(t *testing.T) {
	g := standard(t)
	if len(g.man.Files) != len(allFiles) {
		t.Fatalf("Files = %v", g.man.Files)
	}
	for i, name := range allFiles {
		if filepath.Base(g.man.Files[i]) != name {
			t.Errorf("Files[%d] = %s, want %s", i, g.man.Files[i], name)
		}
		rows := readTable(t, g.dir, name)
		planted := 0
		for _, p := range g.man.Planted {
			if p.File == name {
				planted++
			}
		}
		if got := len(rows) - 1 - planted; got != g.man.count(name) || got == 0 {
			t.Errorf("%s: %d good rows in the file, manifest says %d", name, got, g.man.count(name))
		}
	}
}

// The value each planted column must hold, and a check of the row's other
// cells where the badness needs them (an agent row without agent).
func TestPlantedRowsAreBad(t *testing.T) {
	g := standard(t)
	p := g.man.Planted
	if len(p) > 10 {
		t.Errorf("%d planted rows, want at most 10", len(p))
	}
	want := map[string]string{"发送方": "访客", "客服账号": "", "发送时间": badTime, "实付金额": "12.3.4",
		"售后类型": "价保", "评分": "6", "投诉时间": badTime, "入会时间": badTime}
	perFile := map[string]int{}
	for _, pl := range p {
		perFile[pl.File]++
		rows := readTable(t, g.dir, pl.File)
		if pl.Row < 2 || pl.Row > len(rows) {
			t.Errorf("%+v: row out of range (%d rows)", pl, len(rows))
			continue
		}
		row := rows[pl.Row-1]
		v, ok := want[pl.Column]
		if !ok {
			t.Errorf("%+v: unexpected column", pl)
			continue
		}
		if got := row[col(t, rows, pl.Column)]; got != v {
			t.Errorf("%+v: cell is %q, want %q", pl, got, v)
		}
		if pl.Column == "客服账号" && row[col(t, rows, "发送方")] != "客服" {
			t.Errorf("%+v: empty agent on a row whose role is %q", pl, row[col(t, rows, "发送方")])
		}
		if pl.Why == "" {
			t.Errorf("%+v: no reason", pl)
		}
	}
	for _, name := range allFiles {
		if perFile[name] == 0 {
			t.Errorf("no planted row in %s", name)
		}
	}
}

func TestOrdersAreGBK(t *testing.T) {
	g := standard(t)
	raw, err := os.ReadFile(filepath.Join(g.dir, FileOrders))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(raw) {
		t.Fatal("orders.csv is valid UTF-8; want GBK bytes")
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().String(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(text, "\r\n"); first != strings.Join(hdrOrders, ",") {
		t.Errorf("decoded header %q", first)
	}
	// GB18030 can encode any rune; plain GBK cannot. Re-encoding with the
	// GBK encoder proves every character is one Excel on Chinese Windows reads.
	if _, err := simplifiedchinese.GBK.NewEncoder().String(text); err != nil {
		t.Errorf("orders.csv holds a character outside GBK: %v", err)
	}
	if !strings.Contains(text, "￥") || !strings.Contains(text, "待发货") {
		t.Error("expected ￥ amounts and 待发货 orders")
	}
}

func TestRefundTimesAreDateCells(t *testing.T) {
	g := standard(t)
	f, err := excelize.OpenFile(filepath.Join(g.dir, FileRefunds))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	lo, hi := excelSerial(testEnd.AddDate(0, 0, -30).Unix()), excelSerial(testEnd.AddDate(0, 0, 1).Unix())
	checked := 0
	for row := 2; row <= g.man.Refunds+1; row++ {
		for _, c := range []string{"E", "F", "H"} { // 申请时间, 完结时间, 退款金额
			cell := c + strconv.Itoa(row)
			raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			if raw == "" && c == "F" {
				continue // still open at export
			}
			typ, _ := f.GetCellType(sheet, cell)
			if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Fatalf("%s: cell type %v, want a number", cell, typ)
			}
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				t.Fatalf("%s: raw value %q: %v", cell, raw, err)
			}
			style, _ := f.GetCellStyle(sheet, cell)
			st, err := f.GetStyle(style)
			if err != nil || st.CustomNumFmt == nil {
				t.Fatalf("%s: no custom number format", cell)
			}
			if c == "H" {
				continue
			}
			if *st.CustomNumFmt != "yyyy-mm-dd hh:mm:ss" {
				t.Errorf("%s: number format %q", cell, *st.CustomNumFmt)
			}
			if v < lo || v > hi {
				t.Errorf("%s: serial %v outside the period [%v, %v]", cell, v, lo, hi)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no refund time checked")
	}
}

func TestNaturalKeysUnique(t *testing.T) {
	g := standard(t)
	keys := map[string]string{FileMessages: "消息ID", FileOrders: "订单号", FileRefunds: "售后单号",
		FileReviews: "评价ID", FileComplaints: "投诉单号", FileCustomers: "买家账号"}
	for _, name := range allFiles {
		rows := readTable(t, g.dir, name)
		c := col(t, rows, keys[name])
		seen := map[string]int{}
		for i, r := range rows[1:] {
			if r[c] == "" {
				t.Errorf("%s row %d: empty key", name, i+2)
			}
			if prev, dup := seen[r[c]]; dup {
				t.Errorf("%s: key %s on rows %d and %d", name, r[c], prev, i+2)
			}
			seen[r[c]] = i + 2
		}
	}
}

func TestTinyConfig(t *testing.T) {
	g := generate(t, Config{Days: 3, Agents: 2, End: testEnd})
	if g.man.Messages == 0 || g.man.Orders == 0 {
		t.Fatalf("tiny shop wrote nothing: %+v", g.man)
	}
	files := map[string]bool{}
	for _, p := range g.man.Planted {
		files[p.File] = true
	}
	if len(files) != len(allFiles) {
		t.Errorf("planted rows in %v, want every file", files)
	}
	rows := readTable(t, g.dir, FileMessages)
	agents := map[string]bool{}
	for _, r := range rows[1:] {
		agents[r[3]] = true
	}
	if !agents["小美"] || !agents["小雪"] || agents["阿强"] {
		t.Errorf("agents seen %v, want exactly 小美 and 小雪", agents)
	}
}

// The smallest shop still plants a bad row in every file, even files that
// have no good row, and its counts still match.
func TestSmallestShop(t *testing.T) {
	g := generate(t, Config{Days: 1, Agents: 1, ChatsPerAgentDay: 1, End: testEnd})
	files := map[string]int{}
	for _, p := range g.man.Planted {
		files[p.File]++
	}
	for _, name := range allFiles {
		rows := readTable(t, g.dir, name)
		if files[name] == 0 || len(rows)-1-files[name] != g.man.count(name) {
			t.Errorf("%s: %d rows, %d planted, manifest %d", name, len(rows)-1, files[name], g.man.count(name))
		}
	}
	// Only the planted value is bad: a required order_id is there even
	// when the shop has no order to point at.
	for _, p := range g.man.Planted {
		if rows := readTable(t, g.dir, p.File); p.File == FileRefunds && rows[p.Row-1][col(t, rows, "订单号")] == "" {
			t.Errorf("planted refund without 订单号: %q", rows[p.Row-1])
		}
	}
}

func TestRoster(t *testing.T) {
	team := Roster(6)
	shifts := map[string]int{}
	for _, a := range team {
		shifts[a.Shift]++
	}
	if len(team) != 6 || team[0].Name != "小美" || shifts["早班"] != 3 || shifts["晚班"] != 3 {
		t.Errorf("Roster(6) = %v", team)
	}
	if Roster(21) != nil || len(Roster(0)) != 6 || Roster(1)[0].Shift != "全天" {
		t.Error("Roster bounds")
	}
}

func TestConfigDefaultsAndLimits(t *testing.T) {
	now := time.Date(2024, 7, 1, 0, 30, 0, 0, shanghai)
	c, err := Config{Dir: "x"}.normalize(now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Days != 90 || c.Agents != 6 || c.Seed != 1 || c.ChatsPerAgentDay != 40 || c.ShopName != "示例旗舰店" {
		t.Errorf("defaults: %+v", c)
	}
	if !c.End.Equal(testEnd) {
		t.Errorf("default End = %v, want yesterday %v", c.End, testEnd)
	}
	for _, bad := range []Config{{Dir: "x", Agents: 100}, {Dir: "x", Agents: -1}, {}, {Dir: "x", ChatsPerAgentDay: -5}, {Dir: "x", Days: 100000}} {
		if _, err := Generate(bad); err == nil {
			t.Errorf("Generate(%+v) accepted", bad)
		}
	}
	// Days = 0 means the default 90 days: the messages span them.
	g := generate(t, Config{Days: 0, Agents: 1, ChatsPerAgentDay: 2, End: testEnd})
	rows := readTable(t, g.dir, FileMessages)
	first, _ := parseLocal(rows[1][4])
	if want := testEnd.AddDate(0, 0, -89); first.Before(want) || first.After(want.AddDate(0, 0, 1)) {
		t.Errorf("first message %v, want on %v", first, want)
	}
}

// BenchmarkGenerate measures the whole generation (all six files) and reports
// message rows written per second, the number that dominates large demos:
//
//	go test -run '^$' -bench Generate -benchmem ./internal/demo/
func BenchmarkGenerate(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "bench")
	cfg := Config{Dir: dir, Days: 30, Agents: 10, ChatsPerAgentDay: 100, End: testEnd}
	rows := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := Generate(cfg)
		if err != nil {
			b.Fatal(err)
		}
		rows += m.Messages
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "msgs/op")
}
