package kpi

import "time"

// Day is a calendar date in the shop's time zone, as days since 1970-01-01.
// Integer days keep the aggregate tables small and make ranges cheap.
type Day int32

// DayOf returns the civil date of a civil y/m/d.
func DayOf(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ParseDay parses YYYY-MM-DD.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return DayOf(t.Date()), nil
}

// Date returns the civil date of d.
func (d Day) Date() (int, time.Month, int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

// String formats d as YYYY-MM-DD.
func (d Day) String() string { return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly) }

// Weekday of d (Sunday = 0).
func (d Day) Weekday() time.Weekday { return time.Weekday((int64(d)%7 + 11) % 7) }

// Clock converts instants to local calendar facts in one time zone.
type Clock struct{ Loc *time.Location }

// Local splits an instant into its local day, hour and milliseconds since local midnight.
func (c Clock) Local(ms Millis) (day Day, hour int, msOfDay int64) {
	t := time.UnixMilli(int64(ms)).In(c.Loc)
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	msOfDay = int64(h*3600+mi*60+s)*1000 + int64(t.Nanosecond()/1e6)
	return DayOf(y, mo, d), h, msOfDay
}

// DayOf returns the local day of an instant.
func (c Clock) DayOf(ms Millis) Day {
	y, m, d := time.UnixMilli(int64(ms)).In(c.Loc).Date()
	return DayOf(y, m, d)
}

// StartOf returns the instant local day d begins (DST-safe: via time.Date).
func (c Clock) StartOf(d Day) Millis {
	y, m, dd := d.Date()
	return Millis(time.Date(y, m, dd, 0, 0, 0, 0, c.Loc).UnixMilli())
}

// Month returns a local year*12+month index, for the DSR per-month cap.
func (c Clock) Month(ms Millis) int {
	y, m, _ := time.UnixMilli(int64(ms)).In(c.Loc).Date()
	return y*12 + int(m) - 1
}
