package kpi

import "strings"

// cancelWords are the order statuses that make a paid order not count
// (docs/IMPORT-FORMATS.md orders.status). Matched exactly after trimming, case-insensitive.
var cancelWords = []string{"已取消", "交易关闭", "已关闭", "cancelled", "closed"}

// IsCancelled reports whether an order status is one of the cancel words,
// or a JD status marked "(删除)": a parent order split into sub-orders, which
// are the sales.
func IsCancelled(status string) bool {
	s := strings.TrimSpace(status)
	if strings.HasPrefix(s, "(删除)") || strings.HasPrefix(s, "（删除）") {
		return true
	}
	for _, w := range cancelWords {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

// QualityReasons is the one list of words that make a refund reason a quality
// reason (METRICS.md, quality_refund_rate).
var QualityReasons = []string{
	"质量", "破损", "瑕疵", "划痕", "描述不符", "与描述不符", "色差",
	"腐烂", "变质", "假货", "少件", "漏发", "发错", "不符", "坏了", "损坏",
}

// IsQualityReason reports whether a refund reason contains a quality word.
func IsQualityReason(reason string) bool {
	for _, w := range QualityReasons {
		if strings.Contains(reason, w) {
			return true
		}
	}
	return false
}

// Window is the daily service window in which response metrics count, as
// milliseconds since local midnight: Start ≤ t < End.
type Window struct {
	Start, End int64
}

// DefaultWindow is 08:00:00 ≤ t < 23:00:00.
var DefaultWindow = Window{Start: 8 * 3600 * 1000, End: 23 * 3600 * 1000}

// Contains reports whether a local time of day (ms since midnight) is inside.
func (w Window) Contains(msOfDay int64) bool { return msOfDay >= w.Start && msOfDay < w.End }

// NormalizeName trims the spaces that exports leave around names, so that
// agent and buyer names "compare exactly after trimming spaces".
func NormalizeName(s string) string { return strings.TrimSpace(s) }

// NameSuffixes are the names an agent name may be a longer form of, longest
// first: what follows each ':' / '-' separator ("水密码旗舰店:小樱" →
// "小樱"; "麻大师旗舰-客服:小王" → "客服:小王", "小王").
func NameSuffixes(name string) []string {
	var out []string
	for i, r := range name {
		switch r {
		case ':', '：', '-', '－':
			if rest := strings.TrimSpace(name[i+len(string(r)):]); rest != "" {
				out = append(out, rest)
			}
		}
	}
	return out
}
