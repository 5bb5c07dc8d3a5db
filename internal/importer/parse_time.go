package importer

import (
	"errors"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Reasons of ParseTime errors (used verbatim as RowError.Reason).
var (
	errTimeFormat = errors.New("无法识别的时间格式：应为 2024-03-18 07:31:42、2024/3/18 7:31、2024年3月18日 07:31:42、2024-03-18T07:31:42+08:00、Excel 日期或 10/13 位 Unix 时间戳")
	errTimeRange  = errors.New("日期或时间不存在：月应为 1–12，日不超过当月天数，时 0–23，分、秒 0–59")
)

var (
	shanghaiOnce sync.Once
	shanghaiLoc  *time.Location
)

// shanghai is the default shop zone. Without zoneinfo on the machine it falls
// back to a fixed UTC+8, which is the same thing since 1991.
func shanghai() *time.Location {
	shanghaiOnce.Do(func() {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			loc = time.FixedZone("CST", 8*3600)
		}
		shanghaiLoc = loc
	})
	return shanghaiLoc
}

// ParseTime parses a time cell into Unix milliseconds. Blank is (0, nil): absent.
//
// Accepted: "2024-03-18 07:31:42", "2024-03-18 07:31", "2024/3/18 7:31",
// "2024/03/18 07:31:42", "2024-03-18T07:31:42+08:00" (also "Z", "+0800", "+08",
// fractional seconds, which are truncated to the millisecond), "2024年3月18日
// 07:31:42", "2024年3月18日 7:31", a bare date (midnight), an Excel serial date
// (a number of at most 5 integer digits in 1..2958465, 1900 date system,
// 25569 = 1970-01-01; rounded to the millisecond, then to the second when
// within 1 ms of one), Unix seconds (exactly 10 digits) and Unix milliseconds
// (exactly 13 digits). A time without a zone is a wall-clock time in loc (nil
// = Asia/Shanghai).
func ParseTime(s string, loc *time.Location) (kpi.Millis, error) {
	s = trimCell(s)
	if s == "" {
		return 0, nil
	}
	if loc == nil {
		loc = shanghai()
	}
	if len(s) == 19 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':' {
		// Fast path: YYYY-MM-DD HH:MM:SS, the common export format.
		y, ok1 := digits2(s[0:2])
		y2, ok2 := digits2(s[2:4])
		mo, ok3 := digits2(s[5:7])
		d, ok4 := digits2(s[8:10])
		h, ok5 := digits2(s[11:13])
		mi, ok6 := digits2(s[14:16])
		sec, ok7 := digits2(s[17:19])
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 {
			return civil(y*100+y2, mo, d, h, mi, sec, 0, loc)
		}
		return 0, errTimeFormat
	}
	return parseTimeSlow(s, loc)
}

func digits2(s string) (int, bool) {
	a, b := s[0]-'0', s[1]-'0'
	if a > 9 || b > 9 {
		return 0, false
	}
	return int(a)*10 + int(b), true
}

// civil validates a wall-clock time and converts it in loc.
func civil(y, mo, d, h, mi, sec, ms int, loc *time.Location) (kpi.Millis, error) {
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59 {
		return 0, errTimeRange
	}
	return kpi.Millis(time.Date(y, time.Month(mo), d, h, mi, sec, ms*1e6, loc).UnixMilli()), nil
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// timeScanner walks a time string left to right.
type timeScanner struct {
	s string
	i int
}

func (p *timeScanner) done() bool { return p.i >= len(p.s) }

func (p *timeScanner) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// num reads min..max ASCII digits.
func (p *timeScanner) num(min, max int) (int, bool) {
	n, v := 0, 0
	for p.i < len(p.s) && n < max && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		v = v*10 + int(p.s[p.i]-'0')
		p.i++
		n++
	}
	return v, n >= min
}

func (p *timeScanner) lit(l string) bool {
	if len(p.s)-p.i >= len(l) && p.s[p.i:p.i+len(l)] == l {
		p.i += len(l)
		return true
	}
	return false
}

func (p *timeScanner) spaces() int {
	n := 0
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
		n++
	}
	return n
}

func parseTimeSlow(s string, loc *time.Location) (kpi.Millis, error) {
	if isNumber(s) {
		return parseNumericTime(s, loc)
	}
	p := &timeScanner{s: s}
	y, ok := p.num(4, 4)
	if !ok {
		return 0, errTimeFormat
	}
	var mo, d int
	day := false // "日" was written: the time may follow without a space
	switch {
	case p.lit("-"), p.lit("/"):
		sep := s[p.i-1 : p.i]
		if mo, ok = p.num(1, 2); !ok || !p.lit(sep) {
			return 0, errTimeFormat
		}
		if d, ok = p.num(1, 2); !ok {
			return 0, errTimeFormat
		}
	case p.lit("年"):
		if mo, ok = p.num(1, 2); !ok || !p.lit("月") {
			return 0, errTimeFormat
		}
		if d, ok = p.num(1, 2); !ok {
			return 0, errTimeFormat
		}
		day = p.lit("日")
	default:
		return 0, errTimeFormat
	}
	if p.done() {
		return civil(y, mo, d, 0, 0, 0, 0, loc)
	}
	if !p.lit("T") && p.spaces() == 0 && !day {
		return 0, errTimeFormat
	}
	h, ok := p.num(1, 2)
	if !ok || !p.lit(":") {
		return 0, errTimeFormat
	}
	mi, ok := p.num(2, 2)
	if !ok {
		return 0, errTimeFormat
	}
	sec, ms := 0, 0
	if p.lit(":") {
		if sec, ok = p.num(2, 2); !ok {
			return 0, errTimeFormat
		}
		if p.lit(".") || p.lit(",") {
			start := p.i
			f, ok := p.num(1, 9)
			if !ok {
				return 0, errTimeFormat
			}
			n := p.i - start
			for ; n < 3; n++ {
				f *= 10
			}
			for ; n > 3; n-- {
				f /= 10
			}
			ms = f
		}
	}
	p.spaces()
	if p.done() {
		return civil(y, mo, d, h, mi, sec, ms, loc)
	}
	// Zone: Z, +08:00, +0800, +08.
	off := 0
	switch c := p.peek(); c {
	case 'Z', 'z':
		p.i++
	case '+', '-':
		p.i++
		oh, ok := p.num(2, 2)
		if !ok {
			return 0, errTimeFormat
		}
		om := 0
		if p.lit(":") {
			if om, ok = p.num(2, 2); !ok {
				return 0, errTimeFormat
			}
		} else if !p.done() {
			if om, ok = p.num(2, 2); !ok {
				return 0, errTimeFormat
			}
		}
		if oh > 23 || om > 59 {
			return 0, errTimeRange
		}
		off = (oh*60 + om) * 60
		if c == '-' {
			off = -off
		}
	default:
		return 0, errTimeFormat
	}
	if !p.done() {
		return 0, errTimeFormat
	}
	t, err := civil(y, mo, d, h, mi, sec, ms, time.UTC)
	if err != nil {
		return 0, err
	}
	return t - kpi.Millis(off)*1000, nil
}

// isNumber reports digits with at most one '.' (and digits on both sides).
func isNumber(s string) bool {
	dot := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if dot >= 0 || i == 0 || i == len(s)-1 {
				return false
			}
			dot = i
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return len(s) > 0
}

// parseNumericTime handles Unix seconds (10 digits), Unix milliseconds (13
// digits) and Excel serial dates (at most 5 integer digits).
func parseNumericTime(s string, loc *time.Location) (kpi.Millis, error) {
	intPart := s
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			intPart = s[:i]
			break
		}
	}
	switch {
	case len(s) == 10 && len(intPart) == 10:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, errTimeFormat
		}
		return kpi.Millis(n * 1000), nil
	case len(s) == 13 && len(intPart) == 13:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, errTimeFormat
		}
		return kpi.Millis(n), nil
	case len(intPart) <= 5:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, errTimeFormat
		}
		return excelSerial(v, loc)
	}
	return 0, errTimeFormat
}

// excelSerial converts an Excel 1900-system serial date (days since
// 1899-12-30, so 25569 = 1970-01-01; serials before 61 predate Excel's
// fictitious 1900-02-29 and count from 1899-12-31) to a wall-clock time in loc.
// The fraction is rounded to the millisecond, then to the second when within
// 1 ms of one (Excel stores 07:31:42 as an inexact binary fraction).
func excelSerial(v float64, loc *time.Location) (kpi.Millis, error) {
	if !(v >= 1 && v < 2958466) {
		return 0, errTimeRange
	}
	days := math.Floor(v)
	ms := int64(math.Round((v - days) * 86400000))
	switch r := ms % 1000; {
	case r <= 1:
		ms -= r
	case r >= 999:
		ms += 1000 - r
	}
	base := 30
	if days < 61 {
		base = 31
	}
	// time.Date normalises the nanoseconds into wall-clock fields before
	// applying the zone, so a DST change that day does not shift the time.
	t := time.Date(1899, 12, base+int(days), 0, 0, 0, int(ms)*1e6, loc)
	return kpi.Millis(t.UnixMilli()), nil
}
