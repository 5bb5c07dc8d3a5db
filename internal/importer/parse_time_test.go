package importer

import (
	"errors"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func ms(t *testing.T, layout, value string, loc *time.Location) kpi.Millis {
	t.Helper()
	tm, err := time.ParseInLocation(layout, value, loc)
	if err != nil {
		t.Fatal(err)
	}
	return kpi.Millis(tm.UnixMilli())
}

func TestParseTime(t *testing.T) {
	sh := shanghai()
	const L = "2006-01-02 15:04:05.000"
	want := func(s string) kpi.Millis { return ms(t, L, s, sh) }
	utc := func(s string) kpi.Millis { return ms(t, L, s, time.UTC) }
	ok := []struct {
		in   string
		want kpi.Millis
	}{
		{"2024-03-18 07:31:42", want("2024-03-18 07:31:42.000")},
		{"  2024-03-18 07:31:42\u3000", want("2024-03-18 07:31:42.000")},
		{"2024-03-18 07:31:42\r", want("2024-03-18 07:31:42.000")},
		{"2024-03-18 07:31", want("2024-03-18 07:31:00.000")},
		{"2024/3/18 7:31", want("2024-03-18 07:31:00.000")},
		{"2024/03/18 07:31:42", want("2024-03-18 07:31:42.000")},
		{"2024-3-8 7:05:09", want("2024-03-08 07:05:09.000")},
		{"2024-03-18  07:31:42", want("2024-03-18 07:31:42.000")},
		{"2024-03-18T07:31:42", want("2024-03-18 07:31:42.000")},
		{"2024-03-18T07:31:42+08:00", want("2024-03-18 07:31:42.000")},
		{"2024-03-18T07:31:42+0800", want("2024-03-18 07:31:42.000")},
		{"2024-03-18T07:31:42+08", want("2024-03-18 07:31:42.000")},
		{"2024-03-18T07:31:42Z", utc("2024-03-18 07:31:42.000")},
		{"2024-03-18T07:31:42.123Z", utc("2024-03-18 07:31:42.123")},
		{"2024-03-18T07:31:42.123456789Z", utc("2024-03-18 07:31:42.123")},
		{"2024-03-18T07:31:42.5-05:30", utc("2024-03-18 13:01:42.500")},
		{"2024-03-18 07:31:42.25", want("2024-03-18 07:31:42.250")},
		{"2024-03-18 07:31:42 +08:00", want("2024-03-18 07:31:42.000")},
		{"2024年3月18日 07:31:42", want("2024-03-18 07:31:42.000")},
		{"2024年3月18日 7:31", want("2024-03-18 07:31:00.000")},
		{"2024年03月18日07:31", want("2024-03-18 07:31:00.000")},
		{"2024年3月18日", want("2024-03-18 00:00:00.000")},
		{"2024-03-18", want("2024-03-18 00:00:00.000")},
		{"2024/3/18", want("2024-03-18 00:00:00.000")},
		{"2024-02-29 23:59:59", want("2024-02-29 23:59:59.000")},
		{"2000-02-29", want("2000-02-29 00:00:00.000")},
		{"1710718302", utc("2024-03-17 23:31:42.000")},
		{"1710718302123", utc("2024-03-17 23:31:42.123")},
		// Excel serials: 25569 = 1970-01-01 in the shop's zone.
		{"25569", want("1970-01-01 00:00:00.000")},
		{"45369", want("2024-03-18 00:00:00.000")},
		{"45369.5", want("2024-03-18 12:00:00.000")},
		{"45369.31368055556", want("2024-03-18 07:31:42.000")},  // 07:31:42 as Excel stores it
		{"45369.313680555555", want("2024-03-18 07:31:42.000")}, // just below
		{"45369.3136811342", want("2024-03-18 07:31:42.050")},   // a real fraction of a second is kept
		{"45369.99999999", want("2024-03-19 00:00:00.000")},     // rounds into the next day
		{"61", want("1900-03-01 00:00:00.000")},
		{"1", want("1900-01-01 00:00:00.000")},
		{"59", want("1900-02-28 00:00:00.000")},
		{"", 0},
		{"   ", 0},
	}
	for _, c := range ok {
		got, err := ParseTime(c.in, nil)
		if err != nil || got != c.want {
			t.Errorf("ParseTime(%q) = %v, %v; want %v (%s)", c.in, got, err, c.want,
				time.UnixMilli(int64(c.want)).In(sh).Format(L))
		}
	}

	// A zone-less time is in the given location; a zoned one is not.
	ny, err := time.LoadLocation("America/New_York")
	if err == nil {
		if got, _ := ParseTime("2024-03-18 07:31:42", ny); got != ms(t, L, "2024-03-18 07:31:42.000", ny) {
			t.Errorf("New York wall time: %v", got)
		}
		if got, _ := ParseTime("45369.5", ny); got != ms(t, L, "2024-03-18 12:00:00.000", ny) {
			t.Errorf("New York serial: %v", got)
		}
		if got, _ := ParseTime("2024-03-18T07:31:42Z", ny); got != utc("2024-03-18 07:31:42.000") {
			t.Errorf("zoned time moved by loc: %v", got)
		}
	}

	bad := []struct {
		in   string
		want error
	}{
		{"2024-13-01 00:00:00", errTimeRange},
		{"2024-00-10 00:00:00", errTimeRange},
		{"2024-02-30 00:00:00", errTimeRange},
		{"2023-02-29", errTimeRange},
		{"1900-02-29", errTimeRange},
		{"2024-04-31", errTimeRange},
		{"2024-03-18 24:00:00", errTimeRange},
		{"2024-03-18 23:60:00", errTimeRange},
		{"2024-03-18 23:59:60", errTimeRange},
		{"2024-03-00", errTimeRange},
		{"2024-03-18T07:31:42+25:00", errTimeRange},
		{"2024-03-18 07:31:4x", errTimeFormat},
		{"2024-03-1x 07:31:42", errTimeFormat},
		{"2024-03/18", errTimeFormat},
		{"24-03-18", errTimeFormat},
		{"2024-03-18 07", errTimeFormat},
		{"2024-03-18 7:3", errTimeFormat},
		{"2024-03-18 07:31:42 CST", errTimeFormat},
		{"2024-03-18x", errTimeFormat},
		{"2024-03-1807:31", errTimeFormat},
		{"2024年3月18 7:31:00x", errTimeFormat},
		{"yesterday", errTimeFormat},
		{"0", errTimeRange},
		{"0.5", errTimeRange},
		{"123456", errTimeFormat},      // 6 digits: neither serial nor Unix
		{"171071830", errTimeFormat},   // 9 digits
		{"17107183021", errTimeFormat}, // 11 digits
		{"1710718302.5", errTimeFormat},
		{"-45369", errTimeFormat},
		{"45369.", errTimeFormat},
		{"1e5", errTimeFormat},
	}
	for _, c := range bad {
		got, err := ParseTime(c.in, nil)
		if !errors.Is(err, c.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want error %v", c.in, got, err, c.want)
		}
	}
}

// The fast path and the general parser agree.
func TestParseTimeFastPathAgrees(t *testing.T) {
	sh := shanghai()
	for _, s := range []string{"2024-03-18 07:31:42", "1999-12-31 23:59:59", "2024-02-29 00:00:00", "2023-02-29 00:00:00", "2024-03-18 24:00:00"} {
		a, errA := ParseTime(s, sh)
		b, errB := parseTimeSlow(s, sh)
		if a != b || (errA == nil) != (errB == nil) {
			t.Errorf("%q: fast %v %v, slow %v %v", s, a, errA, b, errB)
		}
	}
}

func BenchmarkParseTimeFast(b *testing.B) {
	sh := shanghai()
	for i := 0; i < b.N; i++ {
		if _, err := ParseTime("2024-03-18 07:31:42", sh); err != nil {
			b.Fatal(err)
		}
	}
}
