package views

import (
	"math"
	"strconv"
	"strings"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Itoa formats an integer (exported for handlers building links).
func Itoa(n int64) string { return itoa(n) }

// FormatMetric writes a metric value for people: rates as percentages,
// money in yuan with thousands separators, durations with their unit; "—"
// when there is no value (a zero denominator is not a zero rate).
func FormatMetric(u kpi.Unit, v float64, ok bool) string {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	switch u {
	case kpi.UnitCount:
		return group(strconv.FormatInt(int64(math.Round(v)), 10))
	case kpi.UnitRate:
		return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	case kpi.UnitYuan:
		s := strconv.FormatFloat(math.Abs(v), 'f', 2, 64)
		sign := ""
		if v < 0 {
			sign = "-"
		}
		return sign + "¥" + group(s[:len(s)-3]) + s[len(s)-3:]
	case kpi.UnitSeconds:
		return strconv.FormatFloat(v, 'f', 1, 64) + " 秒"
	case kpi.UnitHours:
		return strconv.FormatFloat(v, 'f', 1, 64) + " 小时"
	case kpi.UnitScore, kpi.UnitRatio:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// group inserts thousands separators into a string of digits (with optional sign).
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
