package importer

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Conversation cells are written by third-party collector tools (userscripts,
// RPA, text copied from the 千牛 client), not by the platforms: one cell of a
// `客户ID, 聊天记录` file holds a whole conversation. SplitConversation splits
// such a cell into messages.
//
// # Lines
//
// The cell is split into lines at "\r\n", "\r" and "\n"; line numbers are
// 1-based and a "\r\n" is one line break. Every line is trimmed of white space
// (including U+3000, BOM and zero-width space) before it is looked at.
//
// # Timestamps
//
// A timestamp is two whitespace-separated fields: a date "YYYY-M-D" or
// "YYYY/M/D" (four-digit year, month and day of one or two digits, the same
// separator twice) and a clock "H:MM:SS" or "H:MM" (hour of one or two digits).
// The date and time must exist (month 1–12, day within the month, hour 0–23,
// minutes and seconds 0–59). ChatLine.At is normalised to
// "YYYY-MM-DD HH:MM:SS", with ":00" seconds when the clock has none.
//
// # Header lines
//
// A cell is in one of two shapes; the first header line of the cell decides
// which, and from then on only header lines of that shape start a message
// (so a content line that merely ends with a date does not split a shape-A
// message, and vice versa).
//
// Shape A, "<timestamp> <sender><separator><content>": the line starts with a
// timestamp followed by white space. The sender separator is the FIRST of
//
//   - a full-width colon '：', or
//   - an ASCII colon ':' followed by white space or ending the line,
//
// and, when the line has neither, the first ASCII ':'. So "店铺:小王：内容" and
// "店铺:小王: 内容" both give the sender "店铺:小王" (the colon inside a
// `店铺:子账号` name has no space after it), "小迪: 地址：北京" gives "小迪"
// and "地址：北京", and "小迪:你好" gives "小迪". The one ambiguous spelling,
// "店铺:小王:内容" (ASCII colons, no space), gives the sender "店铺" and the
// content "小王:内容": a content starting with "8:30…" is likelier than a
// collector writing that. A shape-A sender therefore never contains '：' nor
// ": ". The text after the separator, if any, is the first content line.
//
// Shape B, "<sender> <timestamp>": the timestamp is the last two
// whitespace-separated fields of the line and the sender is everything before
// them, trimmed; it may contain spaces ("旺旺 用户123 2026-4-20 9:15:02" is sent
// by "旺旺 用户123") and colons ("店铺:小王"). The content is on the following
// lines.
//
// In both shapes the sender must be non-empty and at most 64 characters,
// otherwise the line is not a header. A line that is a header in the cell's
// shape always starts a new message, even inside another message's content.
//
// # Content and system lines
//
// The lines after a header, up to the next header, are that message's content
// (joined with "\n"; blank lines are kept between content lines and dropped at
// both ends). A message may have empty content (a picture, a card).
//
// System lines are dropped wherever they appear: a line for which IsSystemLine
// is true, also when a timestamp precedes it ("2026-04-20 09:15:50 小迪撤回了一条
// 消息") or follows it ("由 小王 转交给 小李 2026-4-20 9:16"). A header whose
// sender is 系统, 系统消息, 系统提示 or 系统通知 is a system notice too: it and
// its content lines are dropped.
//
// Blank and system lines before the first header are ignored; any other text
// there is an error (the cell is not a conversation), and so is a cell with no
// header line at all. Errors are in Chinese and name the line.

// ChatLine is one message split out of a conversation cell.
type ChatLine struct {
	Sender  string // as written, trimmed (e.g. "店铺:小王")
	At      string // the timestamp text as written, normalised to "YYYY-MM-DD HH:MM:SS" (zero-padded; seconds ":00" when absent)
	Content string
	Line    int // 1-based line number of the header line inside the cell
}

// convMaxSender is the longest sender name (in characters) a header may have.
const convMaxSender = 64

const convExample = "每条消息应以「2026-04-20 09:15:02 昵称：内容」或「昵称 2026-4-20 9:15:02」这样带时间的行开头"

var errConvEmpty = errors.New("聊天记录是空的：没有任何消息")

type convShape uint8

const (
	convShapeNone convShape = iota
	convShapeA              // timestamp, sender, content on one line
	convShapeB              // sender, timestamp; content below
)

// SplitConversation splits a conversation cell into messages, dropping system lines.
// Text before the first header line is an error (the cell is not a conversation),
// as is a cell with no header line at all; the error message is in Chinese and names the line.
//
// The rules (shapes A and B, the sender separator, timestamps, system lines)
// are described at the top of conversation.go.
func SplitConversation(cell string) ([]ChatLine, error) {
	var (
		out     []ChatLine
		shape   = convShapeNone
		open    bool // a header has been seen: content lines belong to cur
		drop    bool // cur is a system notice
		cur     ChatLine
		content []string
		lines   int
		blank   = true
	)
	flush := func() {
		if !open || drop {
			return
		}
		for len(content) > 0 && content[0] == "" {
			content = content[1:]
		}
		for len(content) > 0 && content[len(content)-1] == "" {
			content = content[:len(content)-1]
		}
		cur.Content = strings.Join(content, "\n")
		out = append(out, cur)
	}
	start := func(sender, at string, n int, first string) {
		flush()
		open = true
		drop = convSystemSender(sender)
		cur = ChatLine{Sender: sender, At: at, Line: n}
		content = content[:0]
		if first != "" {
			content = append(content, first)
		}
	}

	for rest := cell; ; {
		raw, tail, more := convCutLine(rest)
		rest = tail
		lines++
		n := lines
		line := convTrim(raw)
		if line != "" {
			blank = false
		}

		switch {
		case line == "":
			if open {
				content = append(content, "")
			}
		case convIsSystem(line):
			// dropped
		default:
			if shape != convShapeB {
				if at, after, ok := convLeadingTime(line); ok {
					if sender, first, ok := convSplitSender(after); ok {
						shape = convShapeA
						start(sender, at, n, first)
						break
					}
				}
			}
			if shape != convShapeA {
				if sender, at, ok := convTrailingTime(line); ok && convSenderOK(sender) {
					shape = convShapeB
					start(sender, at, n, "")
					break
				}
			}
			if !open {
				return nil, errors.New("聊天记录第 " + strconv.Itoa(n) + " 行「" + convShorten(line, 40) +
					"」不属于任何消息：" + convExample)
			}
			content = append(content, line)
		}
		if !more {
			break
		}
	}
	if blank {
		return nil, errConvEmpty
	}
	if !open {
		return nil, errors.New("聊天记录里没有找到消息：共 " + strconv.Itoa(lines) +
			" 行，都是空行或系统提示（已读、撤回、转交），" + convExample)
	}
	flush()
	return out, nil
}

// IsSystemLine reports a line that is a system notice (已读, 未读, 撤回, 转交).
//
// After trimming, and after dropping an optional system prefix ("系统",
// "系统消息", "系统提示" or "系统通知" followed by an optional '：'/':' or
// white space, or the same word in [], 【】, () or （）), the line is one of:
//
//   - 已读 or 未读, also in [], 【】, () or （）;
//   - "X 撤回了一条消息" or "X撤回了一条消息", X any name of at most 64
//     characters or none (你撤回了一条消息, 对方撤回了一条消息), optionally
//     ending with "。" or ".";
//   - a transfer "由 A 转交给 B": starting with 由 and containing 转交给.
func IsSystemLine(s string) bool {
	s = convStripSystemPrefix(convTrim(s))
	if s == "" {
		return false
	}
	if inner, ok := convUnbracket(s); ok {
		s = convTrim(inner)
	}
	switch s {
	case "已读", "未读":
		return true
	}
	if strings.HasPrefix(s, "由") && strings.Contains(s, "转交给") {
		return true
	}
	s = strings.TrimRight(s, "。.")
	if name, ok := strings.CutSuffix(s, "撤回了一条消息"); ok {
		return utf8.RuneCountInString(convTrim(name)) <= convMaxSender
	}
	return false
}

// SenderIsAgent reports whether a sender written without an 账号类型 column is an agent:
// a name in the `店铺:子账号` form (shop, a colon ':' or '：', a non-empty sub-account).
//
// The shop is the text before the first colon and the sub-account the text
// after the last one; both must be non-empty after trimming ("店铺:" and
// ":小王" are not agents).
func SenderIsAgent(sender string) bool {
	s := convTrim(sender)
	i, _ := convColon(s, false)
	if i < 0 || convTrim(s[:i]) == "" {
		return false
	}
	j, w := convColon(s, true)
	return convTrim(s[j+w:]) != ""
}

// AgentSubAccount returns the part after the last ':'/'：' of "店铺:子账号", or the whole name.
//
// The result is trimmed; the whole (trimmed) name is returned when it has no
// colon or nothing follows the last one.
func AgentSubAccount(sender string) string {
	s := convTrim(sender)
	if j, w := convColon(s, true); j >= 0 {
		if sub := convTrim(s[j+w:]); sub != "" {
			return sub
		}
	}
	return s
}

// convColon returns the byte index and width of the first (or last) ':' or
// '：' in s, or -1.
func convColon(s string, last bool) (int, int) {
	var a, b int
	if last {
		a, b = strings.LastIndexByte(s, ':'), strings.LastIndex(s, "：")
		if b > a {
			return b, len("：")
		}
	} else {
		a, b = strings.IndexByte(s, ':'), strings.Index(s, "：")
		if b >= 0 && (a < 0 || b < a) {
			return b, len("：")
		}
	}
	if a < 0 {
		return -1, 0
	}
	return a, 1
}

// convCutLine returns the text before the first line break of s, the text
// after it, and whether there was a line break.
func convCutLine(s string) (line, rest string, more bool) {
	i := strings.IndexAny(s, "\r\n")
	if i < 0 {
		return s, "", false
	}
	if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
		return s[:i], s[i+2:], true
	}
	return s[:i], s[i+1:], true
}

func convSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b'
}

func convTrim(s string) string { return strings.TrimFunc(s, convSpace) }

// convShorten cuts s to at most n characters for an error message.
func convShorten(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k] + "…"
		}
		i++
	}
	return s
}

// convIsSystem reports a system line, also one with a timestamp before or
// after the notice.
func convIsSystem(line string) bool {
	if IsSystemLine(line) {
		return true
	}
	if _, rest, ok := convLeadingTime(line); ok && IsSystemLine(rest) {
		return true
	}
	if before, _, ok := convTrailingTime(line); ok && IsSystemLine(before) {
		return true
	}
	return false
}

var convSystemWords = []string{"系统消息", "系统提示", "系统通知", "系统"}

func convSystemSender(sender string) bool {
	if inner, ok := convUnbracket(sender); ok {
		sender = convTrim(inner)
	}
	for _, w := range convSystemWords {
		if sender == w {
			return true
		}
	}
	return false
}

// convUnbracket returns the text inside s when s is wholly enclosed in [],
// 【】, () or （）.
func convUnbracket(s string) (string, bool) {
	for _, p := range [...][2]string{{"[", "]"}, {"【", "】"}, {"(", ")"}, {"（", "）"}} {
		if len(s) >= len(p[0])+len(p[1]) && strings.HasPrefix(s, p[0]) && strings.HasSuffix(s, p[1]) {
			return s[len(p[0]) : len(s)-len(p[1])], true
		}
	}
	return "", false
}

// convStripSystemPrefix drops a leading "系统：", "[系统消息]" and the like.
func convStripSystemPrefix(s string) string {
	for _, p := range [...][2]string{{"[", "]"}, {"【", "】"}, {"(", ")"}, {"（", "）"}} {
		if !strings.HasPrefix(s, p[0]) {
			continue
		}
		inner, after, ok := strings.Cut(s[len(p[0]):], p[1])
		if ok && convSystemSender(convTrim(inner)) {
			return convTrim(after)
		}
		return s
	}
	for _, w := range convSystemWords {
		if after, ok := strings.CutPrefix(s, w); ok {
			after = convTrim(after)
			if a, ok := strings.CutPrefix(after, "："); ok {
				after = a
			} else if a, ok := strings.CutPrefix(after, ":"); ok {
				after = a
			}
			return convTrim(after)
		}
	}
	return s
}

// convSplitSender splits the part of a shape-A header after the timestamp
// into sender and content (see the sender separator rule above).
func convSplitSender(s string) (sender, content string, ok bool) {
	sep, w := -1, 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '：' {
			sep, w = i, size
			break
		}
		if r == ':' {
			if i+1 == len(s) {
				sep, w = i, 1
				break
			}
			if next, _ := utf8.DecodeRuneInString(s[i+1:]); convSpace(next) {
				sep, w = i, 1
				break
			}
		}
		i += size
	}
	if sep < 0 {
		if sep = strings.IndexByte(s, ':'); sep < 0 {
			return "", "", false
		}
		w = 1
	}
	sender = convTrim(s[:sep])
	if !convSenderOK(sender) {
		return "", "", false
	}
	return sender, convTrim(s[sep+w:]), true
}

// convSenderOK reports a plausible sender for a header line: a trimmed
// non-empty name of at most convMaxSender characters.
func convSenderOK(sender string) bool {
	return sender != "" && utf8.RuneCountInString(sender) <= convMaxSender
}

// convLeadingTime parses a timestamp at the start of a trimmed line: the
// normalised time and the trimmed text after it ("" when none).
func convLeadingTime(line string) (at, rest string, ok bool) {
	date, s := convCutField(line)
	clock, s := convCutField(s)
	if at, ok = convTimestamp(date, clock); !ok {
		return "", "", false
	}
	return at, convTrim(s), true
}

// convTrailingTime parses a timestamp that is the last two fields of a
// trimmed line: the trimmed text before it ("" when none) and the normalised
// time.
func convTrailingTime(line string) (before, at string, ok bool) {
	s, clock := convCutLastField(line)
	s, date := convCutLastField(s)
	if at, ok = convTimestamp(date, clock); !ok {
		return "", "", false
	}
	return s, at, true
}

// convCutField returns the first field of s (s starts with a non-space) and
// the rest of s after the white space that follows it.
func convCutField(s string) (field, rest string) {
	i := strings.IndexFunc(s, convSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeftFunc(s[i:], convSpace)
}

// convCutLastField returns the text before the last field of s (s ends with a
// non-space), trimmed on the right, and that field.
func convCutLastField(s string) (rest, field string) {
	i := strings.LastIndexFunc(s, convSpace)
	if i < 0 {
		return "", s
	}
	_, w := utf8.DecodeRuneInString(s[i:])
	return strings.TrimRightFunc(s[:i], convSpace), s[i+w:]
}

// convTimestamp validates a date field and a clock field and normalises them
// to "YYYY-MM-DD HH:MM:SS".
func convTimestamp(date, clock string) (string, bool) {
	if len(date) < 8 || len(date) > 10 || len(clock) < 4 || len(clock) > 8 {
		return "", false
	}
	y, ok := convDigits(date[:4])
	if !ok || (date[4] != '-' && date[4] != '/') {
		return "", false
	}
	sep := date[4]
	mo, rest, ok := convNum12(date[5:])
	if !ok || rest == "" || rest[0] != sep {
		return "", false
	}
	d, rest, ok := convNum12(rest[1:])
	if !ok || rest != "" {
		return "", false
	}
	h, rest, ok := convNum12(clock)
	if !ok || len(rest) < 3 || rest[0] != ':' {
		return "", false
	}
	mi, ok := convDigits(rest[1:3])
	if !ok {
		return "", false
	}
	sec := 0
	switch rest = rest[3:]; len(rest) {
	case 0:
	case 3:
		if rest[0] != ':' {
			return "", false
		}
		if sec, ok = convDigits(rest[1:]); !ok {
			return "", false
		}
	default:
		return "", false
	}
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59 {
		return "", false
	}
	b := make([]byte, 0, 19)
	b = append(b, date[:4]...)
	b = append(b, '-')
	b = convPad2(b, mo)
	b = append(b, '-')
	b = convPad2(b, d)
	b = append(b, ' ')
	b = convPad2(b, h)
	b = append(b, ':')
	b = convPad2(b, mi)
	b = append(b, ':')
	b = convPad2(b, sec)
	return string(b), true
}

// convNum12 reads one or two ASCII digits at the start of s.
func convNum12(s string) (int, string, bool) {
	n, i := 0, 0
	for i < len(s) && i < 2 && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	return n, s[i:], i > 0
}

// convDigits parses s, which must be all ASCII digits.
func convDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + int(c)
	}
	return n, true
}

func convPad2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}
