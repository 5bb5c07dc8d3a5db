package loyalty

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Occasion is one entry of the care calendar.
type Occasion struct {
	Kind string  // "birthday", "holiday", "campaign"
	Key  string  // holiday key, e.g. spring_festival (holidays only)
	Name string  // Chinese name, e.g. 春节
	Day  kpi.Day // the day it falls on
}

// DefaultCapDays is the default frequency cap: at most one care contact per
// customer per this many days.
const DefaultCapDays = 14

// DefaultCareDays is how many days the care calendar looks ahead, today included.
const DefaultCareDays = 7

// holidayDef is one holiday of the calendar; fixed ones have a month/day,
// lunar ones an index into lunarDates.
type holidayDef struct {
	key, name  string
	month      time.Month // fixed-date holidays only
	day        int
	lunarIndex int // -1 for fixed-date holidays
}

// holidayDefs is the canonical order, also used to break ties on one day.
var holidayDefs = []holidayDef{
	{"spring_festival", "春节", 0, 0, 0},
	{"lantern", "元宵节", 0, 0, 1},
	{"womens_day", "妇女节", time.March, 8, -1},
	{"618", "618", time.June, 18, -1},
	{"qixi", "七夕", 0, 0, 2},
	{"mid_autumn", "中秋节", 0, 0, 3},
	{"national_day", "国庆节", time.October, 1, -1},
	{"double11", "双11", time.November, 11, -1},
	{"double12", "双12", time.December, 12, -1},
}

// lunarTableFirst and lunarTableLast bound the years of lunarDates.
const (
	lunarTableFirst = 2024
	lunarTableLast  = 2035
)

// lunarDates are the Gregorian dates of the lunar holidays of each year
// 2024–2035: 春节 (lunar 1/1), 元宵 (1/15), 七夕 (7/7), 中秋 (8/15). All four
// fall in the Gregorian year of the same number. The dates are a fixed table,
// not computed; they were checked against the npm library lunar-javascript
// (Lunar.fromYmd(y, m, d).getSolar()) and cross-checked with
// chinese-lunar-calendar (getLunar on each date gives back the lunar day).
var lunarDates = [lunarTableLast - lunarTableFirst + 1][4]string{
	{"2024-02-10", "2024-02-24", "2024-08-10", "2024-09-17"},
	{"2025-01-29", "2025-02-12", "2025-08-29", "2025-10-06"},
	{"2026-02-17", "2026-03-03", "2026-08-19", "2026-09-25"},
	{"2027-02-06", "2027-02-20", "2027-08-08", "2027-09-15"},
	{"2028-01-26", "2028-02-09", "2028-08-26", "2028-10-03"},
	{"2029-02-13", "2029-02-27", "2029-08-16", "2029-09-22"},
	{"2030-02-03", "2030-02-17", "2030-08-05", "2030-09-12"},
	{"2031-01-23", "2031-02-06", "2031-08-24", "2031-10-01"},
	{"2032-02-11", "2032-02-25", "2032-08-12", "2032-09-19"},
	{"2033-01-31", "2033-02-14", "2033-08-01", "2033-09-08"},
	{"2034-02-19", "2034-03-05", "2034-08-20", "2034-09-27"},
	{"2035-02-08", "2035-02-22", "2035-08-10", "2035-09-16"},
}

// lunarDays is lunarDates parsed once.
var lunarDays = func() (out [len(lunarDates)][4]kpi.Day) {
	for i, row := range lunarDates {
		for j, s := range row {
			d, err := kpi.ParseDay(s)
			if err != nil {
				panic("loyalty: bad lunar table entry " + s)
			}
			out[i][j] = d
		}
	}
	return out
}()

// Holidays returns the holidays of a Gregorian year sorted by day; holidays
// on the same day (2031's 中秋节 and 国庆节 are both 10-01) keep the order
// spring_festival, lantern, womens_day, 618, qixi, mid_autumn, national_day,
// double11, double12. The lunar holidays come from the table of 2024–2035;
// outside it only the fixed-date holidays are returned.
func Holidays(year int) []Occasion {
	out := make([]Occasion, 0, len(holidayDefs))
	for _, h := range holidayDefs {
		var d kpi.Day
		if h.lunarIndex < 0 {
			d = kpi.DayOf(year, h.month, h.day)
		} else {
			if year < lunarTableFirst || year > lunarTableLast {
				continue
			}
			d = lunarDays[year-lunarTableFirst][h.lunarIndex]
		}
		out = append(out, Occasion{Kind: "holiday", Key: h.key, Name: h.name, Day: d})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out
}

// HolidaysBetween returns the holidays with a day in [from, to] (the range may
// span years), sorted by day. It is empty when from > to.
func HolidaysBetween(from, to kpi.Day) []Occasion {
	var out []Occasion
	if from > to {
		return out
	}
	y0, _, _ := from.Date()
	y1, _, _ := to.Date()
	for y := y0; y <= y1; y++ {
		for _, o := range Holidays(y) {
			if o.Day >= from && o.Day <= to {
				out = append(out, o)
			}
		}
	}
	return out
}

// isLeap reports whether y is a Gregorian leap year.
func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysIn returns the days of month m; February has 29 when leap is true.
func daysIn(m time.Month, leap bool) int {
	switch m {
	case time.February:
		if leap {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// validMonthDay reports whether m/d is a date of some year (Feb 29 allowed).
func validMonthDay(m time.Month, d int) bool {
	return m >= time.January && m <= time.December && d >= 1 && d <= daysIn(m, true)
}

var (
	birthdaySep = regexp.MustCompile(`^(?:(\d{4})([-/.]))?(\d{1,2})([-/.])(\d{1,2})$`)
	birthdayCN  = regexp.MustCompile(`^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$`)
	birthdayYMD = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
)

// ParseBirthday reads a member birthday. Accepted, with surrounding spaces:
// "MM-DD", "M-D", "MM/DD", "MM.DD", "YYYY-MM-DD", "YYYY/M/D", "YYYY.MM.DD"
// (one separator kind per value), "M月D日", "YYYY年M月D日" and "YYYYMMDD".
// Month and day are validated; Feb 29 is allowed without a year, and with a
// year only when that year is a leap year. ok is false for anything else;
// it never panics.
func ParseBirthday(s string) (month time.Month, day int, ok bool) {
	s = strings.TrimSpace(s)
	year, ms, ds := "", "", ""
	if m := birthdaySep.FindStringSubmatch(s); m != nil {
		if m[2] != "" && m[2] != m[4] {
			return 0, 0, false // mixed separators such as 2026-03/05
		}
		year, ms, ds = m[1], m[3], m[5]
	} else if m := birthdayCN.FindStringSubmatch(s); m != nil {
		year, ms, ds = m[1], m[2], m[3]
	} else if m := birthdayYMD.FindStringSubmatch(s); m != nil {
		year, ms, ds = m[1], m[2], m[3]
	} else {
		return 0, 0, false
	}
	mi, err1 := strconv.Atoi(ms)
	di, err2 := strconv.Atoi(ds)
	if err1 != nil || err2 != nil || !validMonthDay(time.Month(mi), di) {
		return 0, 0, false
	}
	if year != "" {
		y, err := strconv.Atoi(year)
		if err != nil || di > daysIn(time.Month(mi), isLeap(y)) {
			return 0, 0, false
		}
	}
	return time.Month(mi), di, true
}

// BirthdayKey is a birthday as the records index it: MM-DD.
func BirthdayKey(month time.Month, day int) string { return fmt.Sprintf("%02d-%02d", int(month), day) }

// BirthdayKeys are the birthday keys falling in [from, to]: each day's
// MM-DD, and 02-29 with 28 February of a year without it (BirthdayIn).
func BirthdayKeys(from, to kpi.Day) []string {
	var out []string
	for d := from; d <= to; d++ {
		y, m, dd := d.Date()
		out = append(out, BirthdayKey(m, dd))
		if m == time.February && dd == 28 && !isLeap(y) {
			out = append(out, BirthdayKey(time.February, 29))
		}
	}
	return out
}

// BirthdayIn returns the first day in [from, to] on which a month/day
// birthday falls, ok=false if none (or if month/day is not a valid date).
// A Feb 29 birthday is celebrated on Feb 28 in non-leap years.
func BirthdayIn(month time.Month, day int, from, to kpi.Day) (kpi.Day, bool) {
	if !validMonthDay(month, day) || from > to {
		return 0, false
	}
	y0, _, _ := from.Date()
	y1, _, _ := to.Date()
	for y := y0; y <= y1; y++ {
		d := day
		if month == time.February && day == 29 && !isLeap(y) {
			d = 28
		}
		t := kpi.DayOf(y, month, d)
		if t > to {
			break // later years are later still
		}
		if t >= from {
			return t, true
		}
	}
	return 0, false
}

// Capped reports whether a customer last contacted on day last (contacted =
// false: never) is inside the frequency cap on day on. At most one contact per
// capDays days: a contact on day D caps D … D+capDays−1, so with capDays = 14
// the 13th day after is capped and the 14th is not. capDays ≤ 0 disables the
// cap; a last contact after on does not cap on.
func Capped(last kpi.Day, contacted bool, on kpi.Day, capDays int) bool {
	if !contacted || capDays <= 0 {
		return false
	}
	diff := int64(on) - int64(last)
	return diff >= 0 && diff < int64(capDays)
}

// MaskPhone masks a phone number for agents. Longer than 7 characters: keep
// the first 3 and the last 4 (an 11-digit mobile 13812345678 gives
// 138****5678); otherwise all but the last 2 are replaced by '*'. It works on
// runes after trimming surrounding spaces; "" gives "".
func MaskPhone(p string) string {
	r := []rune(strings.TrimSpace(p))
	n := len(r)
	if n == 0 {
		return ""
	}
	if n > 7 {
		return string(r[:3]) + strings.Repeat("*", n-7) + string(r[n-4:])
	}
	keep := min(2, n)
	return strings.Repeat("*", n-keep) + string(r[n-keep:])
}

// Choice is one option of a vocabulary: a stable key and a Chinese label.
type Choice struct{ Key, Label string }

// ContactTypes are the kinds of care contact that can be logged.
var ContactTypes = []Choice{
	{"holiday", "节日问候"},
	{"birthday", "生日祝福"},
	{"campaign", "活动通知"},
	{"aftersale", "售后回访"},
	{"other", "其他"},
}

// ContactChannels are the channels a care contact can be logged on. A
// WeChat-style private (off-platform) channel is deliberately not offered:
// moving buyers off the platform is the pit the platform rules punish, so the
// log only knows the platform chat, SMS and phone.
var ContactChannels = []Choice{
	{"chat", "旺旺/平台聊天"},
	{"sms", "短信"},
	{"phone", "电话"},
}

func validChoice(cs []Choice, k string) bool {
	for _, c := range cs {
		if c.Key == k {
			return true
		}
	}
	return false
}

// ValidContactType reports whether k is a key of ContactTypes.
func ValidContactType(k string) bool { return validChoice(ContactTypes, k) }

// ValidChannel reports whether k is a key of ContactChannels.
func ValidChannel(k string) bool { return validChoice(ContactChannels, k) }
