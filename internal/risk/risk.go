// Package risk matches word lists against chat messages: the chat risk scan
// (agent messages checked for abusive wording, off-platform trading and
// over-promising), the review-invitation queue (buyer messages checked for
// anger and for thanks or praise) and the compliance check of invitation
// templates (rewarded-review wording such as 好评返现, which the platforms
// forbid).
//
// Matching is case-insensitive with full-width letters and digits folded
// (see Normalize), and finds every occurrence of every word, overlapping ones
// included, in one pass over the message with an Aho–Corasick automaton.
//
// The automaton is hand-written (matcher.go), not a library. Of those the
// module proxy has, github.com/cloudflare/ahocorasick reports no offsets,
// github.com/BobuSumisu/aho-corasick has had no release since v1.0.3 (2020)
// and spends a 256-entry row per state, and
// github.com/petar-dambovaliev/aho-corasick (a partial port of the Rust
// crate) copies the text and heap-allocates its iterator and every match on
// each call, taking 1.4 µs a message on BenchmarkScan's corpus against 0.3 µs
// here. A small byte automaton that folds the text as it walks it (no
// allocation for a clean message), checked against a naive strings.Contains
// reference by property and fuzz tests, is less to trust than a dependency.
package risk

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Categories. Scan reports categories in sorted order of their names; the
// three risk categories sort as listed here.
const (
	Abuse       = "abuse"        // 辱骂 (agent messages)
	OffPlatform = "off_platform" // 站外交易 (agent messages)
	OverPromise = "over_promise" // 过度承诺 (agent messages)
	Anger       = "anger"        // 买家不满 (buyer messages)
	Thanks      = "thanks"       // 感谢好评 (buyer messages)
	Compliance  = "compliance"   // 好评返现 (invitation templates)
)

var labels = map[string]string{
	Abuse:       "辱骂",
	OffPlatform: "站外交易",
	OverPromise: "过度承诺",
	Anger:       "买家不满",
	Thanks:      "感谢好评",
	Compliance:  "好评返现",
}

// Label returns the Chinese name of a category, or the category itself if
// it is not one of this package's.
func Label(category string) string {
	if l, ok := labels[category]; ok {
		return l
	}
	return category
}

// Lists maps a category to its words, as the owner wrote them.
type Lists map[string][]string

// DefaultRiskLists returns the default lists of the chat risk scan (agent
// messages): Abuse, OffPlatform and OverPromise. Each call returns a fresh
// copy the caller may change.
func DefaultRiskLists() Lists {
	return Lists{
		Abuse: {"滚", "神经病", "有病", "傻", "白痴", "爱买不买", "你配吗",
			"脑残", "去死", "闭嘴", "蠢", "智障", "有毛病"},
		OffPlatform: {"加微信", "加我微信", "加V", "vx", "微信号", "支付宝转账",
			"私下交易", "线下交易", "银行卡", "扫码付款", "加个微信", "wx", "威信",
			"薇信", "QQ号", "加QQ", "私聊转账", "转账给我"},
		OverPromise: {"保证", "绝对", "百分百", "百分之百", "100%", "一定", "肯定能",
			"包退包换"},
	}
}

// DefaultAnger returns the default anger words looked for in buyer messages
// (category Anger). Each call returns a fresh copy.
func DefaultAnger() []string {
	return []string{"投诉", "差评", "垃圾", "骗子", "退钱", "举报", "12315", "太差",
		"气死", "恶心", "坑人", "欺骗", "曝光", "找平台", "工商"}
}

// DefaultThanks returns the default thanks and praise words looked for in
// buyer messages (category Thanks). Each call returns a fresh copy.
func DefaultThanks() []string {
	return []string{"谢谢", "感谢", "好评", "满意", "喜欢", "不错", "很好", "赞",
		"给力", "辛苦了", "多谢", "谢啦", "太棒了", "好用", "超值"}
}

// DefaultCompliance returns the literal words CheckCompliance looks for in
// invitation templates (category Compliance). CheckCompliance also applies
// the pattern GiftForReview (送 followed by 给好评 in the same sentence),
// which is not a literal and so is not in this list. Each call returns a
// fresh copy.
func DefaultCompliance() []string {
	out := make([]string, len(complianceWords))
	for i, w := range complianceWords {
		out[i] = w.word
	}
	return out
}

// Normalize returns s lower-cased (Unicode simple case mapping) with
// full-width ASCII (U+FF01–U+FF5E) folded to ASCII and the ideographic space
// U+3000 folded to a space. Invalid UTF-8 bytes become U+FFFD, one per byte.
// Normalize(Normalize(s)) == Normalize(s), and it returns s itself when
// nothing changes.
func Normalize(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return normalizeFrom(s, i)
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if w == 1 || foldRune(r) != r {
			return normalizeFrom(s, i)
		}
		i += w
	}
	return s
}

// normalizeFrom normalises s, of which s[:i] is known not to change.
func normalizeFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		// Ranging over a string yields U+FFFD for each invalid byte.
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune is Normalize for one rune.
func foldRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case 0xFF01 <= r && r <= 0xFF5E: // full-width ASCII
		r -= 0xFF01 - 0x21
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r == 0x3000: // ideographic space
		return ' '
	case 0x3000 < r && r < 0xA640:
		// CJK punctuation, kana, bopomofo, ideographs, Yi: no case, so
		// skip unicode.ToLower's table search (TestFoldRune checks every
		// rune against the definition).
		return r
	}
	return unicode.ToLower(r)
}
