package importer

import (
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Reasons of value errors (RowError.Reason).
var (
	errRole       = errors.New("无法识别的发送方：应为 买家（buyer、顾客、客户、用户）、客服（agent、商家、人工、卖家）或 机器人（bot、自动回复、系统、智能客服）")
	errRefundType = errors.New("无法识别的售后类型：应为 仅退款、退货退款、换货 或 补寄/补发（refund_only、return_refund、exchange、reissue）")
	errRating     = errors.New("评分必须是 1–5 的整数，或 好评(5)、中评(3)、差评(1)")
	errDSR        = errors.New("DSR 评分必须是 1–5 的整数")
	errQuantity   = errors.New("数量必须是不小于 0 的整数")
	errBirthday   = errors.New("无法识别的生日：应为 05-12、5/12、5月12日 或完整日期 1990-05-12")
	errNegative   = errors.New("订单金额不能为负数")
	errNoAgent    = errors.New("客服发送的消息（role=agent）必须填写客服名称（agent 列）")
	errIntervened = errors.New("平台介入应为 是/否，或介入状态（未介入、客服介入中、已介入…）")
)

// parseIntervened reads whether the platform intervened: a yes/no cell, or
// Taobao's 客服介入状态 text (未介入 / 无 = no; 介入中, 已介入, 需要客服介入,
// 客服处理完毕 … = yes). Blank is no.
func parseIntervened(s string) (bool, bool) {
	if b, err := ParseBool(s); err == nil {
		return b, true
	}
	switch {
	case strings.HasPrefix(s, "未"), strings.HasPrefix(s, "无"), strings.HasPrefix(s, "不需要"), strings.HasPrefix(s, "没有"):
		return false, true
	case strings.Contains(s, "介入"), strings.Contains(s, "客服处理"), strings.Contains(s, "仲裁"):
		return true, true
	}
	return false, false
}

// trimCell trims white space (including the full-width space U+3000, a stray
// "\r", BOM and zero-width space) from both ends of a cell.
func trimCell(s string) string {
	if len(s) == 0 || !spaceAtEdge(s) {
		return s
	}
	return strings.TrimFunc(s, isCellSpace)
}

// spaceAtEdge is a quick test of the first and last character (hot path:
// most cells need no trimming). Only runes whose UTF-8 lead byte is C2, E1,
// E2, E3 or EF can be Unicode spaces (U+0085, U+00A0, U+1680, U+2000–U+205F,
// U+3000, U+FEFF), so Chinese text is rejected without decoding.
func spaceAtEdge(s string) bool {
	if a := s[0]; a <= ' ' {
		return true
	} else if a >= utf8.RuneSelf && maySpaceLead(a) {
		if r, _ := utf8.DecodeRuneInString(s); isCellSpace(r) {
			return true
		}
	}
	b := s[len(s)-1]
	if b < utf8.RuneSelf {
		return b <= ' '
	}
	i := len(s) - 1
	for i > 0 && i > len(s)-utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i--
	}
	if !maySpaceLead(s[i]) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isCellSpace(r)
}

func maySpaceLead(c byte) bool {
	return c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3 || c == 0xEF
}

func isCellSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b'
}

// parseRole maps a role cell (docs/IMPORT-FORMATS.md messages.role).
func parseRole(s string) (kpi.Role, bool) {
	switch s {
	case "买家", "顾客", "客户", "用户":
		return kpi.RoleBuyer, true
	case "客服", "商家", "人工", "卖家":
		return kpi.RoleAgent, true
	case "机器人", "自动回复", "系统", "智能客服":
		return kpi.RoleBot, true
	}
	switch strings.ToLower(s) {
	case "buyer":
		return kpi.RoleBuyer, true
	case "agent":
		return kpi.RoleAgent, true
	case "bot":
		return kpi.RoleBot, true
	}
	return 0, false
}

// parseStage: presale/售前, aftersale/售后; anything else (blank included) is
// StageUnknown, never an error.
func parseStage(s string) kpi.Stage {
	switch s {
	case "":
		return kpi.StageUnknown
	case "售前":
		return kpi.StagePresale
	case "售后":
		return kpi.StageAftersale
	}
	switch strings.ToLower(s) {
	case "presale":
		return kpi.StagePresale
	case "aftersale":
		return kpi.StageAftersale
	}
	return kpi.StageUnknown
}

// parseRefundType accepts the canonical names and any text containing one of
// the Chinese words, e.g. "退货退款(已收货)".
func parseRefundType(s string) (kpi.RefundType, bool) {
	switch strings.ToLower(s) {
	case "refund_only":
		return kpi.RefundOnly, true
	case "return_refund":
		return kpi.ReturnRefund, true
	case "exchange":
		return kpi.Exchange, true
	case "reissue":
		return kpi.Reissue, true
	}
	switch {
	case strings.Contains(s, "退货退款"), s == "退货":
		return kpi.ReturnRefund, true
	case strings.Contains(s, "仅退款"), s == "退款":
		// Douyin: 退款 and 未发货仅退款 are refunds without a return.
		return kpi.RefundOnly, true
	case strings.Contains(s, "换货"):
		return kpi.Exchange, true
	case strings.Contains(s, "补寄"), strings.Contains(s, "补发"):
		return kpi.Reissue, true
	}
	return 0, false
}

// parseRefundStatus: the success and closed words of docs/IMPORT-FORMATS.md (plus 已完成,
// 已关闭, 售后关闭); anything else is pending.
func parseRefundStatus(s string) kpi.RefundStatus {
	switch s {
	case "退款成功", "已退款", "完成", "售后成功", "已完成", "售后完成", "退款完成":
		return kpi.RefundSuccess
	case "退款关闭", "已撤销", "已拒绝", "关闭", "已关闭", "售后关闭", "售后取消", "无售后或售后取消", "无售后", "退款取消":
		return kpi.RefundClosed
	}
	switch strings.ToLower(s) {
	case "success":
		return kpi.RefundSuccess
	case "closed":
		return kpi.RefundClosed
	}
	return kpi.RefundPending
}

// smallInt parses a non-negative integer, allowing a spreadsheet's ".0"
// ("5.0", "2.00"). ok is false for anything else or above 1e18.
func smallInt(s string) (int64, bool) {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if i == 0 || strings.Trim(s[i+1:], "0") != "" {
			return 0, false
		}
		s = s[:i]
	}
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var v int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// parseRating: 1–5 (also "5星", "★★★★★"), or the words 好评 / 中评 / 差评
// (Taobao, JD, Douyin) and 正面 / 中性 / 负面 (Tmall) → 5 / 3 / 1.
func parseRating(s string) (int8, bool) {
	switch s {
	case "好评", "正面", "好", "正面评价":
		return 5, true
	case "中评", "中性", "中", "中性评价":
		return 3, true
	case "差评", "负面", "差", "负面评价":
		return 1, true
	}
	if n := strings.Count(s, "★"); n > 0 && n <= 5 && strings.Trim(s, "★☆ ") == "" {
		return int8(n), true
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "星"), "分")
	if v, ok := smallInt(s); ok && v >= 1 && v <= 5 {
		return int8(v), true
	}
	return 0, false
}

// parseDSR: blank is 0 (absent), else 1–5.
func parseDSR(s string) (int8, bool) {
	if s == "" {
		return 0, true
	}
	if v, ok := smallInt(s); ok && v >= 1 && v <= 5 {
		return int8(v), true
	}
	return 0, false
}

// parseQuantity: blank is 1, else an integer ≥ 0 (thousands separators allowed).
func parseQuantity(s string) (int64, bool) {
	if s == "" {
		return 1, true
	}
	if strings.IndexByte(s, ',') >= 0 {
		s = strings.ReplaceAll(s, ",", "")
	}
	return smallInt(s)
}

// parseBirthday keeps the month and day of a birthday as "MM-DD". Accepted:
// "MM-DD", "M-D", "MM/DD", "M/D", "M月D日", or a full date in any ParseTime
// format (the year is dropped). A pure number is taken as an Excel serial date
// only with 5 digits (years 1927–2173), so "1225" is refused rather than read
// as 1903-05-09. parse reads a full date (nil: ParseTime in loc).
func parseBirthday(s string, loc *time.Location, parse func(string) (kpi.Millis, error)) (string, bool) {
	p := &timeScanner{s: s}
	if m, ok := p.num(1, 2); ok {
		d, okd := 0, false
		switch {
		case p.lit("-"), p.lit("/"):
			d, okd = p.num(1, 2)
		case p.lit("月"):
			d, okd = p.num(1, 2)
			p.lit("日")
		}
		if okd && p.done() {
			if m < 1 || m > 12 || d < 1 || d > daysIn(2000, m) {
				return "", false
			}
			return monthDay(m, d), true
		}
	}
	if isNumber(s) {
		if i := strings.IndexByte(s, '.'); (i < 0 && len(s) != 5) || (i >= 0 && i != 5) {
			return "", false
		}
	}
	if parse == nil {
		parse = func(s string) (kpi.Millis, error) { return ParseTime(s, loc) }
	}
	ms, err := parse(s)
	if err != nil || ms == 0 {
		return "", false
	}
	if loc == nil {
		loc = shanghai()
	}
	t := time.UnixMilli(int64(ms)).In(loc)
	return monthDay(int(t.Month()), t.Day()), true
}

func monthDay(m, d int) string {
	return string([]byte{byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d/10), byte('0' + d%10)})
}

// splitTags splits on , ， ; ； 、 and drops empty tags.
func splitTags(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ',', '，', ';', '；', '、':
			return true
		}
		return false
	})
	out := parts[:0]
	for _, p := range parts {
		if p = trimCell(p); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
