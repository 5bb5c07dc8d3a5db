package loyalty

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func TestHolidaysTableYears(t *testing.T) {
	keys := []string{"spring_festival", "lantern", "womens_day", "618", "qixi", "mid_autumn", "national_day", "double11", "double12"}
	for y := 2024; y <= 2035; y++ {
		hs := Holidays(y)
		if len(hs) != 9 {
			t.Errorf("%d: %d holidays", y, len(hs))
		}
		seen := map[string]bool{}
		for i, h := range hs {
			seen[h.Key] = true
			if hy, _, _ := h.Day.Date(); hy != y || h.Kind != "holiday" || h.Name == "" {
				t.Errorf("%d: %+v", y, h)
			}
			if i > 0 && h.Day < hs[i-1].Day {
				t.Errorf("%d: not sorted at %d", y, i)
			}
		}
		for _, k := range keys {
			if !seen[k] {
				t.Errorf("%d: missing %s", y, k)
			}
		}
		// 元宵 is 14 days after 春节; 中秋 is 37 or 38 days (lunar 7/7 → 8/15) after 七夕
		// unless a leap 7th month intervenes (none in 2024–2035).
		at := map[string]kpi.Day{}
		for _, h := range hs {
			at[h.Key] = h.Day
		}
		if at["lantern"]-at["spring_festival"] != 14 {
			t.Errorf("%d: 元宵 − 春节 = %d", y, at["lantern"]-at["spring_festival"])
		}
		if g := at["mid_autumn"] - at["qixi"]; g < 37 || g > 38 {
			t.Errorf("%d: 中秋 − 七夕 = %d", y, g)
		}
	}
	for _, y := range []int{2023, 2036} {
		if n := len(Holidays(y)); n != 5 {
			t.Errorf("%d outside the lunar table: %d holidays, want the 5 fixed ones", y, n)
		}
	}
}

func TestHolidayDates(t *testing.T) {
	tests := []struct{ key, date string }{
		{"spring_festival", "2025-01-29"},
		{"spring_festival", "2026-02-17"},
		{"spring_festival", "2027-02-06"},
		{"lantern", "2026-03-03"},
		{"mid_autumn", "2025-10-06"},
		{"mid_autumn", "2026-09-25"},
		{"qixi", "2026-08-19"},
		{"womens_day", "2026-03-08"},
		{"618", "2026-06-18"},
		{"national_day", "2026-10-01"},
		{"double11", "2026-11-11"},
		{"double12", "2026-12-12"},
	}
	for _, tc := range tests {
		d := day(tc.date)
		y, _, _ := d.Date()
		found := false
		for _, h := range Holidays(y) {
			if h.Key == tc.key {
				found = true
				if h.Day != d {
					t.Errorf("%s %d = %s, want %s", tc.key, y, h.Day, tc.date)
				}
			}
		}
		if !found {
			t.Errorf("%s missing in %d", tc.key, y)
		}
	}
	// 2031: 中秋 and 国庆 share 10-01; ties keep the canonical order.
	hs := HolidaysBetween(day("2031-10-01"), day("2031-10-01"))
	if len(hs) != 2 || hs[0].Key != "mid_autumn" || hs[1].Key != "national_day" {
		t.Errorf("2031-10-01: %+v", hs)
	}
}

func TestHolidaysBetween(t *testing.T) {
	tests := []struct {
		from, to string
		want     []string // "key@day"
	}{
		{"2026-12-28", "2027-01-05", nil},
		{"2027-02-01", "2027-02-10", []string{"spring_festival@2027-02-06"}},
		{"2026-12-12", "2027-02-20", []string{"double12@2026-12-12", "spring_festival@2027-02-06", "lantern@2027-02-20"}},
		{"2026-12-13", "2027-02-19", []string{"spring_festival@2027-02-06"}},
		{"2026-06-18", "2026-06-18", []string{"618@2026-06-18"}},
		{"2026-06-19", "2026-06-18", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, h := range HolidaysBetween(day(tc.from), day(tc.to)) {
			got = append(got, h.Key+"@"+h.Day.String())
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s…%s = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestParseBirthday(t *testing.T) {
	good := []struct {
		in string
		m  time.Month
		d  int
	}{
		{"03-05", 3, 5},
		{"3-5", 3, 5},
		{" 12-31 ", 12, 31},
		{"02-29", 2, 29},
		{"1990-07-15", 7, 15},
		{"1990/7/5", 7, 5},
		{"1990.07.05", 7, 5},
		{"07/05", 7, 5},
		{"7月5日", 7, 5},
		{"12月31日", 12, 31},
		{"1990年7月5日", 7, 5},
		{"19900705", 7, 5},
		{"2000-02-29", 2, 29},
		{"\u30001-1\t", 1, 1},
	}
	for _, tc := range good {
		m, d, ok := ParseBirthday(tc.in)
		if !ok || m != tc.m || d != tc.d {
			t.Errorf("ParseBirthday(%q) = %v %d %v, want %v %d", tc.in, m, d, ok, tc.m, tc.d)
		}
	}
	bad := []string{
		"", " ", "13-01", "00-10", "02-30", "04-31", "06-00", "1-32",
		"1990-02-29", "1900-02-29", "19900230", "1990-7", "123-4", "1-234",
		"90-07-05", "1990-07/05", "0000-00-00", "1990年13月1日", "7月32日",
		"abc", "07-05x", "+7-5", "-7-5", "٠٧-٠٥", "７-５", "1990070", "199007051",
	}
	for _, in := range bad {
		if m, d, ok := ParseBirthday(in); ok {
			t.Errorf("ParseBirthday(%q) = %v %d ok, want not ok", in, m, d)
		}
	}
}

func FuzzParseBirthday(f *testing.F) {
	for _, s := range []string{"03-05", "1990/7/5", "7月5日", "19900705", "02-29", "13-45", "", "年月日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, d, ok := ParseBirthday(s)
		if !ok {
			return
		}
		if !validMonthDay(m, d) {
			t.Fatalf("%q gave invalid %v %d", s, m, d)
		}
		m2, d2, ok2 := ParseBirthday(fmt.Sprintf("%02d-%02d", int(m), d))
		if !ok2 || m2 != m || d2 != d {
			t.Fatalf("round trip of %q: %v %d %v", s, m2, d2, ok2)
		}
	})
}

func TestBirthdayIn(t *testing.T) {
	tests := []struct {
		m        time.Month
		d        int
		from, to string
		want     string // "" = none
	}{
		{1, 3, "2026-12-31", "2027-01-06", "2027-01-03"},
		{12, 31, "2026-12-31", "2027-01-06", "2026-12-31"},
		{12, 30, "2026-12-31", "2027-01-06", ""},
		{2, 29, "2027-02-22", "2027-02-28", "2027-02-28"},
		{2, 29, "2028-02-23", "2028-02-29", "2028-02-29"},
		{2, 29, "2028-02-28", "2028-02-28", ""},
		{2, 28, "2028-02-28", "2028-03-01", "2028-02-28"},
		{3, 1, "2026-01-01", "2028-12-31", "2026-03-01"},
		{6, 1, "2026-06-02", "2027-06-01", "2027-06-01"},
		{2, 30, "2026-01-01", "2026-12-31", ""},
		{13, 1, "2026-01-01", "2026-12-31", ""},
		{5, 5, "2026-05-06", "2026-05-04", ""},
	}
	for _, tc := range tests {
		got, ok := BirthdayIn(tc.m, tc.d, day(tc.from), day(tc.to))
		s := ""
		if ok {
			s = got.String()
		}
		if s != tc.want {
			t.Errorf("BirthdayIn(%d-%d, %s…%s) = %q, want %q", tc.m, tc.d, tc.from, tc.to, s, tc.want)
		}
	}
}

func TestCapped(t *testing.T) {
	d := day("2026-11-01")
	tests := []struct {
		name      string
		last      kpi.Day
		contacted bool
		on        kpi.Day
		capDays   int
		want      bool
	}{
		{"same day", d, true, d, 14, true},
		{"day 13 capped", d, true, d + 13, 14, true},
		{"day 14 free", d, true, d + 14, 14, false},
		{"never contacted", 0, false, d, 14, false},
		{"capDays 1 same day", d, true, d, 1, true},
		{"capDays 1 next day", d, true, d + 1, 1, false},
		{"capDays 0 disables", d, true, d, 0, false},
		{"contact after on", d + 3, true, d, 14, false},
		{"default cap", d, true, d + DefaultCapDays - 1, DefaultCapDays, true},
	}
	for _, tc := range tests {
		if got := Capped(tc.last, tc.contacted, tc.on, tc.capDays); got != tc.want {
			t.Errorf("%s: Capped = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"13812345678", "138****5678"},
		{" 13812345678 ", "138****5678"},
		{"8613812345678", "861******5678"},
		{"02112345678", "021****5678"},
		{"12345678", "123*5678"},
		{"1234567", "*****67"},
		{"123", "*23"},
		{"12", "12"},
		{"7", "7"},
		{"电话一二三四五六七八", "电话一***五六七八"},
	}
	for _, tc := range tests {
		if got := MaskPhone(tc.in); got != tc.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestContactVocabulary(t *testing.T) {
	for _, k := range []string{"holiday", "birthday", "campaign", "aftersale", "other"} {
		if !ValidContactType(k) {
			t.Errorf("type %q not valid", k)
		}
	}
	for _, k := range []string{"chat", "sms", "phone"} {
		if !ValidChannel(k) {
			t.Errorf("channel %q not valid", k)
		}
	}
	for _, k := range []string{"", "wechat", "weixin", "Chat"} {
		if ValidChannel(k) || ValidContactType(k) {
			t.Errorf("%q accepted", k)
		}
	}
}

// BirthdayKeys: one MM-DD per day of the window, and 02-29 beside 28
// February in a year without it (not in a leap year, where 02-29 is a day).
func TestBirthdayKeys(t *testing.T) {
	day := func(s string) kpi.Day { d, _ := kpi.ParseDay(s); return d }
	for _, tc := range []struct {
		from, to, want string
	}{
		{"2026-12-30", "2027-01-02", "12-30 12-31 01-01 01-02"},
		{"2027-02-27", "2027-03-01", "02-27 02-28 02-29 03-01"},
		{"2028-02-28", "2028-03-01", "02-28 02-29 03-01"},
		{"2026-05-02", "2026-05-01", ""},
	} {
		if got := strings.Join(BirthdayKeys(day(tc.from), day(tc.to)), " "); got != tc.want {
			t.Errorf("%s..%s: %q, want %q", tc.from, tc.to, got, tc.want)
		}
	}
}
