package importer

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Reasons of value errors in platform reports.
var (
	errRate     = errors.New("无法识别的比率：应为 36.99%、0.3699 或 36.99 这样的数字")
	errDuration = errors.New("无法识别的时长：应为 9秒、2分30秒、7小时41分52秒、0.37分钟、02:30 或秒数")
	errNumber   = errors.New("无法识别的数字")
)

// placeholders are the texts platforms write in a cell that has no value:
// not 0 and not an error, just empty.
var placeholders = map[string]bool{
	"-": true, "--": true, "---": true, "—": true, "——": true, "－": true, "－－": true,
	"NaN": true, "nan": true, "N/A": true, "n/a": true, "null": true, "NULL": true,
	"延迟统计": true, "暂无数据": true, "暂无": true, "无数据": true, "--分--秒": true, "#DIV/0!": true,
}

// isPlaceholder reports a trimmed cell that means "no value".
func isPlaceholder(s string) bool { return placeholders[s] }

// ParseRate reads a platform rate as a fraction: "36.99%" → 0.3699; a plain
// number ≤ 1 is already a fraction (an Excel percent cell holds 0.3699), a
// plain number > 1 is a percentage ("36.99" → 0.3699). ok is false for a
// blank or placeholder cell.
func ParseRate(s string) (v float64, ok bool, err error) {
	s = trimCell(s)
	if s == "" || isPlaceholder(s) {
		return 0, false, nil
	}
	pct := strings.HasSuffix(s, "%") || strings.HasSuffix(s, "％")
	if pct {
		s = trimCell(strings.TrimRight(s, "%％"))
	}
	f, err := parseFloat(s)
	if err != nil || f < 0 {
		return 0, false, errRate
	}
	if pct || f > 1 {
		f /= 100
	}
	return f, true, nil
}

// ParseDuration reads a platform duration in seconds. Accepted: "9秒",
// "2分30秒", "7小时41分52秒", "1天2小时", "0.37 分钟", "mm:ss", "h:mm:ss",
// and a plain number in the column's unit (minutes when the header said
// 分钟, else seconds). A plain number below 1 in a column without a unit is an
// Excel time-of-day fraction (a cell formatted as time: 0.000104 = 9 s).
// ok is false for a blank or placeholder cell.
func ParseDuration(s string, unit string) (secs float64, ok bool, err error) {
	s = trimCell(s)
	if s == "" || isPlaceholder(s) {
		return 0, false, nil
	}
	s = strings.ReplaceAll(s, " ", "")
	if strings.Contains(s, ":") || strings.Contains(s, "：") {
		return clockDuration(strings.ReplaceAll(s, "：", ":"))
	}
	if f, err := parseFloat(s); err == nil {
		switch {
		case f < 0:
			return 0, false, errDuration
		case unit == "分钟":
			return f * 60, true, nil
		case unit == "" && f > 0 && f < 1:
			return f * 86400, true, nil
		}
		return f, true, nil
	}
	return unitDuration(s)
}

// unitDuration reads "7小时41分52秒"-style text: numbers each followed by a
// unit, units in decreasing order.
func unitDuration(s string) (float64, bool, error) {
	var total float64
	last := math.Inf(1)
	for s != "" {
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i == 0 {
			return 0, false, errDuration
		}
		n, err := strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return 0, false, errDuration
		}
		s = s[i:]
		var mult float64
		for _, u := range []struct {
			text string
			secs float64
		}{{"小时", 3600}, {"时", 3600}, {"分钟", 60}, {"分", 60}, {"秒钟", 1}, {"秒", 1}, {"天", 86400}, {"h", 3600}, {"min", 60}, {"m", 60}, {"s", 1}} {
			if strings.HasPrefix(s, u.text) {
				mult, s = u.secs, s[len(u.text):]
				break
			}
		}
		if mult == 0 || mult >= last {
			return 0, false, errDuration
		}
		last = mult
		total += n * mult
	}
	return total, true, nil
}

// clockDuration reads "mm:ss" or "h:mm:ss".
func clockDuration(s string) (float64, bool, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false, errDuration
	}
	var total float64
	for i, p := range parts {
		n, err := strconv.ParseFloat(p, 64)
		if err != nil || n < 0 || p == "" || (i > 0 && n >= 60) {
			return 0, false, errDuration
		}
		total = total*60 + n
	}
	return total, true, nil
}

// ParseCount reads a count such as "1,234", "12.0" or "12人". ok is false for
// a blank or placeholder cell.
func ParseCount(s string) (float64, bool, error) {
	s = trimCell(s)
	if s == "" || isPlaceholder(s) {
		return 0, false, nil
	}
	for _, u := range []string{"人", "次", "个", "件", "单", "条"} {
		s = strings.TrimSuffix(s, u)
	}
	f, err := parseFloat(s)
	if err != nil {
		return 0, false, errNumber
	}
	return f, true, nil
}

// parseReportMoney reads a platform money figure in fen. Platforms print
// averages such as 客单价 with more than two decimals: those are rounded to
// the fen, half away from zero.
func parseReportMoney(s string) (float64, bool, error) {
	s = trimCell(s)
	if s == "" || isPlaceholder(s) {
		return 0, false, nil
	}
	if f, err := ParseMoney(s); err == nil {
		return float64(f), true, nil
	}
	t := strings.TrimSuffix(strings.TrimLeft(s, "¥￥"), "元")
	f, err := parseFloat(t)
	if err != nil {
		return 0, false, errMoneyFormat
	}
	return math.Round(f * 100), true, nil
}

// parseFloat reads a plain decimal number, allowing thousands separators.
func parseFloat(s string) (float64, error) {
	if strings.IndexByte(s, ',') >= 0 {
		s = strings.ReplaceAll(s, ",", "")
	}
	if s == "" || !utf8.ValidString(s) {
		return 0, errNumber
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, errNumber
	}
	return f, nil
}

// parseReportValue reads one cell of a platform report in its unit.
func parseReportValue(s string, unit kpi.PlatformUnit, headerUnit string) (float64, bool, error) {
	switch unit {
	case kpi.PUnitRate:
		return ParseRate(s)
	case kpi.PUnitSeconds:
		return ParseDuration(s, headerUnit)
	case kpi.PUnitFen:
		return parseReportMoney(s)
	case kpi.PUnitCount:
		return ParseCount(s)
	}
	s = trimCell(s)
	if s == "" || isPlaceholder(s) {
		return 0, false, nil
	}
	if strings.HasSuffix(s, "%") {
		return ParseRate(s)
	}
	f, err := parseFloat(s)
	if err != nil {
		return 0, false, errNumber
	}
	return f, true, nil
}
