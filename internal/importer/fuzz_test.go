package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// fuzzLimits keep fuzzing fast while still exercising the limits.
var fuzzLimits = Limits{MaxColumns: 16, MaxCellBytes: 256}

func addGoldenSeeds(f *testing.F) {
	for _, name := range []string{"messages.csv", "orders.csv", "refunds.csv", "reviews.csv", "complaints.csv", "customers.csv"} {
		b, err := os.ReadFile(filepath.Join(goldenDir, name))
		if err != nil {
			f.Fatal(err)
		}
		{
			if len(b) > 4096 {
				b = b[:4096]
			}
			f.Add(b)
		}
	}
}

// drain reads r to the end, checking the Next contract.
func drain(t *testing.T, r *Reader) {
	t.Helper()
	last := 0
	for i := 0; ; i++ {
		if i > 1_000_000 {
			t.Fatal("Next does not end")
		}
		rec, rowErr, err := r.Next()
		set := 0
		if err != nil {
			set++
		}
		if rowErr != nil {
			set++
			if rowErr.Row <= last || rowErr.Reason == "" || rowErr.Raw == nil {
				t.Fatalf("bad row error %+v (last row %d)", rowErr, last)
			}
			last = rowErr.Row
		}
		if rec.Row != 0 {
			set++
			n := 0
			for _, p := range []bool{rec.Message != nil, rec.Order != nil, rec.Refund != nil, rec.Review != nil, rec.Complaint != nil, rec.Customer != nil, rec.AgentReport != nil, len(rec.Messages) > 0} {
				if p {
					n++
				}
			}
			if n != 1 || rec.Row <= last {
				t.Fatalf("bad record %+v (last row %d)", rec, last)
			}
			last = rec.Row
		}
		if set != 1 {
			t.Fatalf("Next returned %d results: %+v %v %v", set, rec, rowErr, err)
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			var le *LimitError
			var ce *CorruptError
			if !errors.As(err, &le) && !errors.As(err, &ce) && !(errors.Is(err, ErrNoPeriod) && r.NeedsPeriod()) {
				t.Fatalf("unexpected fatal error %T %v", err, err)
			}
			if _, _, err2 := r.Next(); err2 != err {
				t.Fatalf("fatal error not sticky")
			}
			return
		}
	}
}

func checkOpenErr(t *testing.T, err error) {
	t.Helper()
	var le *LimitError
	var uk *UnknownKindError
	var mc *MissingColumnsError
	var ce *CorruptError
	if !errors.As(err, &le) && !errors.As(err, &uk) && !errors.As(err, &mc) && !errors.As(err, &ce) && !errors.Is(err, ErrNoHeader) && !errors.Is(err, ErrLegacyXLS) &&
		!strings.Contains(err.Error(), "Excel") {
		t.Fatalf("unexpected Open error %T %v", err, err)
	}
}

func FuzzCSVReader(f *testing.F) {
	addGoldenSeeds(f)
	f.Add([]byte("buyer,role,sent_at,content\nb,buyer,2024-03-01,\"a\nb\"\n\n,,\nb,x,y\n"))
	f.Add([]byte("\xEF\xBB\xBF订单号\t买家\t下单时间\t实付金额\no\tb\t45369.5\t¥1,234.50\n"))
	gbk, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("售后单号,订单号,售后类型,售后状态,申请时间,判责结果\nr,o,退货退款,完成,2024/3/1 8:00,商家\n"))
	f.Add(gbk)
	f.Add([]byte("\xFF\xFEb\x00u\x00y\x00e\x00r\x00\t\x00"))
	f.Add([]byte("buyer,name,birthday,tags\nb,\"x\"\"y\",02-29,\"a,b;c\"\n"))
	f.Add([]byte("下载数据最多5000条\n\n日期,客服账号,咨询人数,询单转化率,平均人工响应时长\n2026-04-20,店:小樱,12,36.99%,2分30秒\n店铺总计,,12,--,NaN\n"))
	f.Add([]byte("客户ID,聊天记录\nb1,\"2026-04-20 09:15:02 b1：在吗\n已读\n2026-04-20 09:15:40 店:小王：在\"\n"))
	f.Add([]byte("客户名,发送时间,发送内容,发送账号\nb,09:15,hi,b\nb,09:16,yo,店:小王\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []kpi.Kind{"", kpi.Kinds[len(data)%len(kpi.Kinds)]} {
			r, err := Open(path, Options{Kind: kind, Limits: fuzzLimits})
			if err != nil {
				checkOpenErr(t, err)
				continue
			}
			if r.Kind() == "" || len(r.Columns()) == 0 {
				t.Fatalf("kind %q columns %v", r.Kind(), r.Columns())
			}
			drain(t, r)
			r.Close()
		}
	})
}

func FuzzXLSXReader(f *testing.F) {
	seed := makeXLSX(f, false, sheet{"订单", map[int][]any{
		1: {"订单号", "买家", "下单时间", "实付金额"},
		2: {"o1", "b", wall(2024, 3, 18, 7, 31, 42), 59.9},
		4: {"o2", "b", "2024-03-18", "x"},
	}, nil})
	b, err := os.ReadFile(seed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, magicZip) {
			return
		}
		path := filepath.Join(t.TempDir(), "f.xlsx")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path, Options{Limits: Limits{MaxXLSXUnzipped: 1 << 20, MaxColumns: 16, MaxCellBytes: 256}})
		if err != nil {
			checkOpenErr(t, err)
			return
		}
		drain(t, r)
		r.Close()
	})
}

// FuzzGuard checks that the guard agrees with encoding/csv on record
// boundaries: when it lets a stream through, no record csv makes from it is
// bigger than the guard's limits.
func FuzzGuard(f *testing.F) {
	f.Add([]byte("a,b\n\"c\nd\",e\n"), uint8(10), false)
	f.Add([]byte("\"a\"\"b\",\"c\"x,\"d\"\r\n\"e\r\"\n"), uint8(5), false)
	f.Add([]byte("a\tb\"c\t\"d\te\"\tf\n"), uint8(3), true)
	f.Fuzz(func(t *testing.T, data []byte, maxCell uint8, tab bool) {
		lim := Limits{MaxColumns: 4, MaxCellBytes: int(maxCell) + 1}
		delim := byte(',')
		if tab {
			delim = '\t'
		}
		g := newGuard(bytes.NewReader(data), delim, lim)
		g.maxFields = 8
		cr := csv.NewReader(bufio.NewReaderSize(g, 16))
		cr.Comma, cr.LazyQuotes, cr.FieldsPerRecord = rune(delim), true, -1
		for {
			rec, err := cr.Read()
			if err != nil {
				return
			}
			n := 0
			for _, c := range rec {
				n += len(c)
			}
			if g.err == nil && (int64(n) > g.maxBytes || len(rec) > g.maxFields) {
				t.Fatalf("csv record of %d bytes, %d cells passed the guard (max %d, %d): %q", n, len(rec), g.maxBytes, g.maxFields, rec)
			}
		}
	})
}

func FuzzMatchHeader(f *testing.F) {
	for _, sp := range specs {
		for _, c := range sp.cols {
			f.Add(c.name, "")
			for _, a := range c.aliases {
				f.Add("*"+a+"（元）", a)
			}
		}
	}
	f.Add("【订单号】", "\u3000")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, k := range kpi.Kinds {
			if c, ok := MatchHeader(k, a); ok {
				found := false
				for _, col := range specs[k].cols {
					found = found || col.name == c
				}
				if !found {
					t.Fatalf("MatchHeader(%s, %q) = %q: not a column of the kind", k, a, c)
				}
				// Spaces and a star around a matching header change nothing.
				if c2, ok := MatchHeader(k, " *"+a+"\u3000"); !ok || c2 != c {
					t.Fatalf("MatchHeader(%s, %q) = %q but padded = %q, %v", k, a, c, c2, ok)
				}
			}
		}
		header := []string{a, b}
		k, err := DetectKind(header)
		if err != nil {
			var uk *UnknownKindError
			if !errors.As(err, &uk) || len(uk.Header) != 2 || uk.Header[0] != a {
				t.Fatalf("DetectKind error %v", err)
			}
			for _, c := range uk.Candidates {
				if specs[c] == nil {
					t.Fatalf("bad candidate %q", c)
				}
			}
			_ = err.Error()
			return
		}
		if _, err := resolve(header, k); err != nil {
			var mc *MissingColumnsError
			if !errors.As(err, &mc) || mc.Kind != k || len(mc.Missing) == 0 {
				t.Fatalf("resolve: %v", err)
			}
			_ = err.Error()
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-03-18 07:31:42", "2024/3/18 7:31", "2024-03-18T07:31:42.123+08:00", "2024年3月18日 7:31",
		"45369.31368055556", "1710718302", "1710718302123", "2024-02-30", "", "2024-03-18T07:31:42Z"} {
		f.Add(s)
	}
	sh := shanghai()
	f.Fuzz(func(t *testing.T, s string) {
		ms, err := ParseTime(s, sh)
		if err != nil {
			if ms != 0 || err.Error() == "" {
				t.Fatalf("error with value %v", ms)
			}
			return
		}
		if trimCell(s) == "" {
			if ms != 0 {
				t.Fatalf("blank gave %v", ms)
			}
			return
		}
		// Padding does not change the result.
		if ms2, err2 := ParseTime("\u3000"+s+" ", sh); err2 != nil || ms2 != ms {
			t.Fatalf("padded %q: %v %v vs %v", s, ms2, err2, ms)
		}
		// Whole-second results survive a round trip through the fast path.
		if ms%1000 == 0 {
			tm := time.UnixMilli(int64(ms)).In(sh)
			if y := tm.Year(); y >= 1000 && y <= 9999 {
				back := tm.Format("2006-01-02 15:04:05")
				if ms2, err := ParseTime(back, sh); err != nil || ms2 != ms {
					// A wall time in a DST overlap may map to the other instant.
					if _, off := tm.Zone(); err != nil || !ambiguous(tm) {
						t.Fatalf("%q -> %v -> %q -> %v, %v (offset %d)", s, ms, back, ms2, err, off)
					}
				}
			}
		}
	})
}

// ambiguous reports a wall time that occurs twice (or not at all) in its zone.
func ambiguous(tm time.Time) bool {
	_, o1 := tm.Add(-3 * time.Hour).Zone()
	_, o2 := tm.Add(3 * time.Hour).Zone()
	return o1 != o2
}

// refMoney is a reference for plain decimals ("123.4500"): exact rational
// arithmetic, rounding to the fen only within 1e-4 fen.
func refMoney(s string) (kpi.Fen, bool, bool) {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return 0, false, false
		}
	}
	if strings.Count(s, ".") > 1 || s == "" || s == "." || len(strings.Split(s, ".")[0]) > 15 {
		return 0, false, false
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, false, false
	}
	r.Mul(r, big.NewRat(100, 1))
	fl := new(big.Int).Quo(r.Num(), r.Denom()) // floor for non-negative
	frac := new(big.Rat).Sub(r, new(big.Rat).SetInt(fl))
	eps := big.NewRat(1, 10000)
	switch {
	case frac.Sign() == 0 || frac.Cmp(eps) < 0:
		return kpi.Fen(fl.Int64()), true, true
	case new(big.Rat).Sub(big.NewRat(1, 1), frac).Cmp(eps) <= 0:
		return kpi.Fen(fl.Int64() + 1), true, true
	}
	return 0, false, true
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"1234.5", "¥1,234.50", "￥88", "88元", "-20.00", "59.900000000000006", "1.230", "0.29999999999999999", "1.00001", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, err := ParseMoney(s)
		if err != nil && fen != 0 {
			t.Fatalf("error with value %v", fen)
		}
		if want, ok, plain := refMoney(s); plain {
			if ok != (err == nil) || (ok && want != fen) {
				t.Fatalf("ParseMoney(%q) = %v, %v; reference %v, %v", s, fen, err, want, ok)
			}
		}
		if err != nil || trimCell(s) == "" {
			return
		}
		// The value printed back in canonical form parses to itself.
		neg := fen < 0
		a := int64(fen)
		if neg {
			a = -a
		}
		back := strconv.FormatInt(a/100, 10) + "." + string([]byte{byte('0' + a%100/10), byte('0' + a%10)})
		if neg {
			back = "-" + back
		}
		if fen2, err := ParseMoney("¥" + back + "元"); err != nil || fen2 != fen {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, fen, back, fen2, err)
		}
	})
}

func FuzzParseBool(f *testing.F) {
	for _, s := range []string{"1", "0", "true", "False", "YES", "no", "是", "否", "Y", "n", "T", "f", "", "商家"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseBool(s)
		if err != nil && b {
			t.Fatal("true with an error")
		}
		if utf8.ValidString(s) {
			if b2, err2 := ParseBool(strings.ToUpper(s)); isASCII(s) && (b2 != b || (err2 == nil) != (err == nil)) {
				t.Fatalf("case changes the result: %q", s)
			}
		}
		l := parseLiable(s)
		if err == nil && l != b {
			t.Fatalf("parseLiable(%q) = %v, ParseBool = %v", s, l, b)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
