package importer

import (
	"errors"
	"strings"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

var (
	errMoneyFormat   = errors.New("无法识别的金额：应为 1234.50、¥1,234.50、￥88 或 88元 这样的数字（单位：元）")
	errMoneyDecimals = errors.New("金额最多两位小数（精确到分）")
	errMoneyTooBig   = errors.New("金额太大")
)

// maxYuanDigits bounds the integer part so fen fits an int64 with room to spare.
const maxYuanDigits = 15

// ParseMoney parses an amount in yuan into integer fen, exactly (no float).
// Blank is (0, nil).
//
// Accepted: "1234.5", "1234.50", "¥1,234.50", "￥88", "88元", "-20.00",
// "¥-20", thousands separators (groups of three), and at most two decimals;
// more decimals are accepted when they are zeros ("1.230") or float noise of
// a spreadsheet ("59.900000000000006", "0.29999999999999999"): a value within
// 1e-6 yuan of a whole fen is rounded to it.
func ParseMoney(s string) (kpi.Fen, error) {
	s = trimCell(s)
	if s == "" {
		return 0, nil
	}
	if f, ok := moneyFast(s); ok {
		return f, nil
	}
	neg := false
	sign := func() {
		if s != "" && (s[0] == '-' || s[0] == '+') {
			neg = neg || s[0] == '-'
			s = trimCell(s[1:])
		}
	}
	sign()
	for _, cur := range []string{"¥", "￥", "CNY", "cny", "RMB", "rmb"} {
		if strings.HasPrefix(s, cur) {
			s = trimCell(s[len(cur):])
			if !neg {
				sign()
			}
			break
		}
	}
	if strings.HasSuffix(s, "元") {
		s = trimCell(s[:len(s)-len("元")])
	}
	if s == "" {
		return 0, errMoneyFormat
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
		if intPart == "" && frac == "" {
			return 0, errMoneyFormat
		}
	}
	var yuan int64
	nd := 0
	if strings.IndexByte(intPart, ',') >= 0 {
		groups := strings.Split(intPart, ",")
		for i, g := range groups {
			if g == "" || len(g) > 3 || (i > 0 && len(g) != 3) {
				return 0, errMoneyFormat
			}
		}
		intPart = strings.Join(groups, "")
	}
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if c < '0' || c > '9' {
			return 0, errMoneyFormat
		}
		if nd > 0 || c != '0' {
			nd++
		}
		if nd > maxYuanDigits {
			return 0, errMoneyTooBig
		}
		yuan = yuan*10 + int64(c-'0')
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return 0, errMoneyFormat
		}
	}
	fen := yuan * 100
	switch {
	case len(frac) >= 2:
		fen += int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	case len(frac) == 1:
		fen += int64(frac[0]-'0') * 10
	}
	if len(frac) > 2 {
		// The rest is a fraction of a fen: allowed when within 1e-4 fen (1e-6 yuan).
		rest := frac[2:] + "0000"
		switch {
		case rest[:4] == "0000":
		case strings.HasPrefix(rest, "9999"):
			fen++
		default:
			return 0, errMoneyDecimals
		}
	}
	if neg {
		fen = -fen
	}
	return kpi.Fen(fen), nil
}

// moneyFast handles plain "123", "123.4" and "123.45".
func moneyFast(s string) (kpi.Fen, bool) {
	if len(s) > 12 {
		return 0, false
	}
	var v int64
	dec := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v*10 + int64(c-'0')
			if dec >= 0 {
				dec++
			}
		case c == '.' && dec < 0 && i > 0:
			dec = 0
		default:
			return 0, false
		}
	}
	switch dec {
	case -1:
		return kpi.Fen(v * 100), true
	case 1:
		return kpi.Fen(v * 10), true
	case 2:
		return kpi.Fen(v), true
	}
	return 0, false
}
