package importer

import (
	"errors"
	"strings"
)

var errBool = errors.New("无法识别的是/否值：应为 是/否、1/0、true/false、yes/no、Y/N 或 T/F")

// ParseBool parses a yes/no cell: 1/0, true/false, yes/no, 是/否, Y/N, T/F
// (case-insensitive). Blank is (false, nil).
func ParseBool(s string) (bool, error) {
	s = trimCell(s)
	if s == "" {
		return false, nil
	}
	switch s {
	case "1", "是":
		return true, nil
	case "0", "否":
		return false, nil
	}
	switch strings.ToLower(s) {
	case "true", "yes", "y", "t":
		return true, nil
	case "false", "no", "n", "f":
		return false, nil
	}
	return false, errBool
}

// parseLiable reads refunds.merchant_liable. The column is either a yes/no
// flag or names the liable party (判责结果, 责任方): true for the true words of
// ParseBool and for 商家 / 商家责任 / 卖家 / 卖家责任; false for the false
// words, blank, and any other party (买家, 平台, 物流, …). It never fails.
func parseLiable(s string) bool {
	if b, err := ParseBool(s); err == nil {
		return b
	}
	switch trimCell(s) {
	case "商家", "商家责任", "卖家", "卖家责任":
		return true
	}
	return false
}
