package importer

import (
	"errors"
	"path/filepath"
	"strings"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// errNoPeriod refuses an agent report whose period nobody said: no date
// column, no date in the file name, none given by the user.
var errNoPeriod = errors.New("无法确定这份客服绩效报表的日期：表中没有日期列，文件名里也没有日期。请在导入时填写报表日期（命令行 --period 2026-04-01..2026-04-30）")

// ErrNoPeriod is returned by Reader.Next for such a file.
var ErrNoPeriod = errNoPeriod

// PeriodFromName reads a report period from a file name, as platforms and
// users name downloads: "自定义报表_…_2026-04-20至2026-04-20.xlsx",
// "客服绩效_2026-04-01_2026-04-30.xlsx", "京东pop2026-08-25.xlsx",
// "report_20260401-20260430.xls", "2026年4月20日". The first two dates are
// the range (in either order of writing they must ascend); one date is one
// day. ok is false without a date.
func PeriodFromName(name string) (kpi.Span, bool) {
	base := filepath.Base(name)
	if ext := filepath.Ext(base); ext != "" && len(ext) <= 5 {
		base = strings.TrimSuffix(base, ext)
	}
	days := datesIn(base, 2)
	switch {
	case len(days) == 1:
		return kpi.Span{From: days[0], To: days[0]}, true
	case len(days) == 2 && days[0] <= days[1]:
		return kpi.Span{From: days[0], To: days[1]}, true
	}
	return kpi.Span{}, false
}

// datesIn finds up to max calendar dates in s: YYYY-MM-DD (any of - . / _
// as separator, or 年月日), or 8 digits YYYYMMDD not part of a longer number.
func datesIn(s string, max int) []kpi.Day {
	var out []kpi.Day
	b := []byte(s)
	for i := 0; i < len(b) && len(out) < max; {
		if !isDigit(b[i]) || (i > 0 && isDigit(b[i-1])) {
			i++
			continue
		}
		if d, n, ok := dateAt(s[i:]); ok {
			out = append(out, d)
			i += n
			continue
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// dateAt reads a date at the start of s and returns its length.
func dateAt(s string) (kpi.Day, int, bool) {
	p := &timeScanner{s: s}
	y, ok := p.num(4, 4)
	if !ok || y < 2000 || y > 2099 {
		return 0, 0, false
	}
	var m, d int
	if p.lit("-") || p.lit(".") || p.lit("/") || p.lit("_") || p.lit("年") {
		if m, ok = p.num(1, 2); !ok {
			return 0, 0, false
		}
		if !(p.lit("-") || p.lit(".") || p.lit("/") || p.lit("_") || p.lit("月")) {
			return 0, 0, false
		}
		if d, ok = p.num(1, 2); !ok {
			return 0, 0, false
		}
		p.lit("日")
	} else {
		if m, ok = p.num(2, 2); !ok {
			return 0, 0, false
		}
		if d, ok = p.num(2, 2); !ok {
			return 0, 0, false
		}
	}
	if p.i < len(s) && isDigit(s[p.i]) {
		return 0, 0, false // part of a longer number (an order id)
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, false
	}
	return kpi.DayOf(y, time.Month(m), d), p.i, true
}

// ParsePeriod reads a period the user typed: "2026-04-20", "2026-04-01..2026-04-30",
// "2026-04-01~2026-04-30", "2026-04-01至2026-04-30".
func ParsePeriod(s string) (kpi.Span, error) {
	s = strings.TrimSpace(s)
	for _, sep := range []string{"..", "~", "～", "至", "到", ","} {
		if a, b, ok := strings.Cut(s, sep); ok {
			from, err1 := kpi.ParseDay(strings.TrimSpace(a))
			to, err2 := kpi.ParseDay(strings.TrimSpace(b))
			if err1 != nil || err2 != nil || to < from {
				return kpi.Span{}, errBadPeriod
			}
			return kpi.Span{From: from, To: to}, nil
		}
	}
	d, err := kpi.ParseDay(s)
	if err != nil {
		return kpi.Span{}, errBadPeriod
	}
	return kpi.Span{From: d, To: d}, nil
}

var errBadPeriod = errors.New("报表日期应为 2026-04-20 或 2026-04-01..2026-04-30（开始不晚于结束）")
