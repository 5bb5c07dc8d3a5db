package importer

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestSplitConversation(t *testing.T) {
	tests := []struct {
		name string
		cell string
		want []ChatLine
	}{
		{
			name: "shape A",
			cell: "2026-04-20 09:15:02 小迪：你好，这款有货吗\n" +
				"2026-04-20 09:15:40 店铺:小王：亲，有货的哦\n" +
				"可以今天发货\n" +
				"2026-04-20 09:16:10 小迪: 好的",
			want: []ChatLine{
				{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "你好，这款有货吗", Line: 1},
				{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "亲，有货的哦\n可以今天发货", Line: 2},
				{Sender: "小迪", At: "2026-04-20 09:16:10", Content: "好的", Line: 4},
			},
		},
		{
			name: "shape B",
			cell: "小迪 2026-4-20 9:15:02\n" +
				"你好，这款有货吗\n" +
				"店铺:小王 2026-4-20 9:15:40\n" +
				"亲，有货的哦\n" +
				"可以今天发货",
			want: []ChatLine{
				{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "你好，这款有货吗", Line: 1},
				{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "亲，有货的哦\n可以今天发货", Line: 3},
			},
		},
		{
			name: "shape B sender with spaces",
			cell: "旺旺 用户123 2026-4-20 9:15:02\n在吗\n店铺:小王  2026/4/20  9:15:40\n在的",
			want: []ChatLine{
				{Sender: "旺旺 用户123", At: "2026-04-20 09:15:02", Content: "在吗", Line: 1},
				{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "在的", Line: 3},
			},
		},
		{
			name: "shape B empty content and system line in between",
			cell: "小迪 2026-4-20 9:15:02\n已读\n店铺:小王 2026-4-20 9:15:40\n图片",
			want: []ChatLine{
				{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "", Line: 1},
				{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "图片", Line: 3},
			},
		},
		{
			name: "colon: shop:sub then full-width",
			cell: "2026-04-20 09:15:40 店铺:小王：内容",
			want: []ChatLine{{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "内容", Line: 1}},
		},
		{
			name: "colon: shop:sub then ascii and space",
			cell: "2026-04-20 09:15:40 店铺:小王: 内容",
			want: []ChatLine{{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "内容", Line: 1}},
		},
		{
			name: "colon: ascii with space wins over a later full-width",
			cell: "2026-04-20 09:15:40 小迪: 地址：北京",
			want: []ChatLine{{Sender: "小迪", At: "2026-04-20 09:15:40", Content: "地址：北京", Line: 1}},
		},
		{
			name: "colon: full-width first, content with colons",
			cell: "2026-04-20 09:15:40 小迪：8:30 能到吗：急",
			want: []ChatLine{{Sender: "小迪", At: "2026-04-20 09:15:40", Content: "8:30 能到吗：急", Line: 1}},
		},
		{
			name: "colon: bare ascii falls back to the first",
			cell: "2026-04-20 09:15:40 小迪:8:30能到吗",
			want: []ChatLine{{Sender: "小迪", At: "2026-04-20 09:15:40", Content: "8:30能到吗", Line: 1}},
		},
		{
			name: "colon: documented ambiguity shop:sub:content",
			cell: "2026-04-20 09:15:40 店铺:小王:内容",
			want: []ChatLine{{Sender: "店铺", At: "2026-04-20 09:15:40", Content: "小王:内容", Line: 1}},
		},
		{
			name: "colon: separator ends the line, content below",
			cell: "2026-04-20 09:15:40 店铺:小王:\n第一行\n第二行",
			want: []ChatLine{{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "第一行\n第二行", Line: 1}},
		},
		{
			name: "CRLF",
			cell: "2026-04-20 09:15:02 小迪：你好\r\n2026-04-20 09:15:40 店铺:小王：有货\r\n今天发\r\n",
			want: []ChatLine{
				{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "你好", Line: 1},
				{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "有货\n今天发", Line: 2},
			},
		},
		{
			name: "CR only",
			cell: "小迪 2026-4-20 9:15:02\r你好\r\r店铺:小王 2026-4-20 9:15:40\r有货",
			want: []ChatLine{
				{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "你好", Line: 1},
				{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "有货", Line: 4},
			},
		},
		{
			name: "mixed line endings and BOM",
			cell: "\ufeff小迪 2026-4-20 9:15:02\r\n你好\n\r店铺:小王 2026-4-20 9:15:40\r有货",
			want: []ChatLine{
				{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "你好", Line: 1},
				{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "有货", Line: 4},
			},
		},
		{
			name: "multi-line content, inner blanks kept, edges trimmed",
			cell: "小迪 2026-4-20 9:15:02\n\n  第一段  \n\n\n第二段\n\n\n店铺:小王 2026-4-20 9:15:40\n好",
			want: []ChatLine{
				{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "第一段\n\n\n第二段", Line: 1},
				{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "好", Line: 9},
			},
		},
		{
			name: "system lines of each kind",
			cell: "已读\n" +
				"2026-04-20 09:15:02 小迪：你好\n" +
				"未读\n" +
				"小迪 撤回了一条消息\n" +
				"还在吗\n" +
				"你撤回了一条消息\n" +
				"由 店铺:小王 转交给 店铺:小李\n" +
				"系统消息：由 店铺:小王 转交给 店铺:小李\n" +
				"[系统] 由 店铺:小王 转交给 店铺:小李\n" +
				"【已读】\n" +
				"2026-04-20 09:15:30 小迪撤回了一条消息\n" +
				"2026-04-20 09:15:31 系统：由 小王 转交给 小李\n" +
				"2026-04-20 09:15:40 店铺:小李：在的\n" +
				"已读",
			want: []ChatLine{
				{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "你好\n还在吗", Line: 2},
				{Sender: "店铺:小李", At: "2026-04-20 09:15:40", Content: "在的", Line: 13},
			},
		},
		{
			name: "system sender header and its content dropped",
			cell: "小迪 2026-4-20 9:15:02\n你好\n系统 2026-4-20 9:15:10\n会话已转接\n店铺:小王 2026-4-20 9:15:40\n在的\n小王撤回了一条消息 2026-4-20 9:15:50",
			want: []ChatLine{
				{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "你好", Line: 1},
				{Sender: "店铺:小王", At: "2026-04-20 09:15:40", Content: "在的", Line: 5},
			},
		},
		{
			name: "timestamps without seconds and with slashes",
			cell: "2026/4/20 9:15 小迪：你好\n2026-4-2 19:05 店铺:小王：在\n2026-12-31 23:59:59 小迪: 跨年",
			want: []ChatLine{
				{Sender: "小迪", At: "2026-04-20 09:15:00", Content: "你好", Line: 1},
				{Sender: "店铺:小王", At: "2026-04-02 19:05:00", Content: "在", Line: 2},
				{Sender: "小迪", At: "2026-12-31 23:59:59", Content: "跨年", Line: 3},
			},
		},
		{
			name: "shape B without seconds",
			cell: "小迪 2026/4/20 9:15\n你好",
			want: []ChatLine{{Sender: "小迪", At: "2026-04-20 09:15:00", Content: "你好", Line: 1}},
		},
		{
			name: "shape fixed by first header: trailing date in shape A content",
			cell: "2026-04-20 09:15:02 小迪：你好\n我们约在 2026-4-21 9:00",
			want: []ChatLine{{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "你好\n我们约在 2026-4-21 9:00", Line: 1}},
		},
		{
			name: "shape fixed by first header: leading date in shape B content",
			cell: "小迪 2026-4-20 9:15:02\n2026-04-21 09:00 到：可以吗",
			want: []ChatLine{{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "2026-04-21 09:00 到：可以吗", Line: 1}},
		},
		{
			name: "invalid dates are not headers",
			cell: "小迪 2026-4-20 9:15:02\n2026-02-30 10:00 小迪：不存在的日子\n2026-4-20 24:00 小迪：不存在的时间",
			want: []ChatLine{{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "2026-02-30 10:00 小迪：不存在的日子\n2026-4-20 24:00 小迪：不存在的时间", Line: 1}},
		},
		{
			name: "leading blank lines and full-width spaces",
			cell: "\n\u3000\n  2026-04-20 09:15:02 小迪：你好\u3000",
			want: []ChatLine{{Sender: "小迪", At: "2026-04-20 09:15:02", Content: "你好", Line: 3}},
		},
		{
			name: "sender of 64 characters",
			cell: strings.Repeat("名", 64) + " 2026-4-20 9:15:02\n你好",
			want: []ChatLine{{Sender: strings.Repeat("名", 64), At: "2026-04-20 09:15:02", Content: "你好", Line: 1}},
		},
		{
			name: "only a system header",
			cell: "2026-04-20 09:15:31 系统：会话已结束",
			want: nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SplitConversation(tc.cell)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got\n%s\nwant\n%s", fmtChat(got), fmtChat(tc.want))
			}
		})
	}
}

func fmtChat(ls []ChatLine) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(strconv.Quote(l.Sender) + " " + l.At + " line " + strconv.Itoa(l.Line) + " " + strconv.Quote(l.Content) + "\n")
	}
	return b.String()
}

func TestSplitConversationErrors(t *testing.T) {
	tests := []struct {
		name string
		cell string
		want []string // substrings of the error message
	}{
		{"empty", "", []string{"空"}},
		{"blank", " \r\n\u3000\n", []string{"空"}},
		{"text before the first header", "\n客户说：\n2026-04-20 09:15:02 小迪：你好", []string{"第 2 行", "客户说："}},
		{"no header at all", "你好，这款有货吗\n有货", []string{"第 1 行", "你好，这款有货吗"}},
		{"only system lines", "已读\n\n由 A 转交给 B", []string{"没有找到消息", "3 行"}},
		{"header without sender", "2026-4-20 9:15:02\n你好", []string{"第 1 行"}},
		{"shape A header without separator", "2026-04-20 09:15:02 小迪 你好", []string{"第 1 行"}},
		{"shape B sender too long", strings.Repeat("名", 65) + " 2026-4-20 9:15:02\n你好", []string{"第 1 行"}},
		{"shape A sender too long", "2026-4-20 9:15:02 " + strings.Repeat("名", 65) + "：你好", []string{"第 1 行"}},
		{"long line is shortened", strings.Repeat("长", 100), []string{"第 1 行", strings.Repeat("长", 40) + "…"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SplitConversation(tc.cell)
			if err == nil {
				t.Fatalf("no error, got %s", fmtChat(got))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if got != nil {
				t.Errorf("lines with an error: %s", fmtChat(got))
			}
		})
	}
}

func TestIsSystemLine(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"已读", true},
		{" 未读 ", true},
		{"[已读]", true},
		{"（未读）", true},
		{"小迪 撤回了一条消息", true},
		{"小迪撤回了一条消息", true},
		{"你撤回了一条消息", true},
		{"店铺:小王 撤回了一条消息。", true},
		{"撤回了一条消息", true},
		{"由 店铺:小王 转交给 店铺:小李", true},
		{"由店铺:小王转交给店铺:小李（原因：下班）", true},
		{"系统：由 小王 转交给 小李", true},
		{"系统消息: 由 小王 转交给 小李", true},
		{"【系统提示】由 小王 转交给 小李", true},
		{"[系统] 已读", true},
		{"系统 小迪撤回了一条消息", true},
		{"", false},
		{"已读了吗", false},
		{"我已读", false},
		{"由你决定", false},
		{"转交给 小李", false},
		{"撤回了一条消息吗", false},
		{"系统", false},
		{"系统：你好", false},
		{strings.Repeat("名", 65) + "撤回了一条消息", false},
	}
	for _, tc := range tests {
		if got := IsSystemLine(tc.s); got != tc.want {
			t.Errorf("IsSystemLine(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestSenderIsAgent(t *testing.T) {
	tests := []struct {
		s     string
		agent bool
		sub   string
	}{
		{"店铺:小王", true, "小王"},
		{"店铺：小王", true, "小王"},
		{" 店铺 : 小王 ", true, "小王"},
		{"店铺:售前:小王", true, "小王"},
		{"店铺:售前：小王", true, "小王"},
		{"店铺：售前:小王", true, "小王"},
		{"小迪", false, "小迪"},
		{" 小迪 ", false, "小迪"},
		{"店铺:", false, "店铺:"},
		{":小王", false, "小王"},
		{"：", false, "："},
		{"", false, ""},
	}
	for _, tc := range tests {
		if got := SenderIsAgent(tc.s); got != tc.agent {
			t.Errorf("SenderIsAgent(%q) = %v, want %v", tc.s, got, tc.agent)
		}
		if got := AgentSubAccount(tc.s); got != tc.sub {
			t.Errorf("AgentSubAccount(%q) = %q, want %q", tc.s, got, tc.sub)
		}
	}
}

func FuzzSplitConversation(f *testing.F) {
	for _, s := range []string{
		"2026-04-20 09:15:02 小迪：你好，这款有货吗\n2026-04-20 09:15:40 店铺:小王：亲，有货的哦\n可以今天发货\n2026-04-20 09:16:10 小迪: 好的",
		"小迪 2026-4-20 9:15:02\n你好，这款有货吗\n店铺:小王 2026-4-20 9:15:40\n亲，有货的哦\n可以今天发货",
		"旺旺 用户123 2026-4-20 9:15:02\r\n已读\r\n\r\n在吗\r由 A 转交给 B\n小迪 撤回了一条消息",
		"2026/4/20 9:15 店铺:小王:内容\n系统 2026-4-20 9:15\n2026-02-29 10:00 x：闰年",
		"2024-02-29 23:59:59 a:\n\n\nb\n\n",
		"",
		"\u3000\ufeff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		got, err := SplitConversation(cell)
		if err != nil {
			if got != nil || err.Error() == "" {
				t.Fatalf("bad error result %v, %v", got, err)
			}
			return
		}
		last := 0
		for _, l := range got {
			if l.Sender == "" || l.Sender != convTrim(l.Sender) || utf8.RuneCountInString(l.Sender) > convMaxSender {
				t.Fatalf("bad sender %q", l.Sender)
			}
			if _, err := time.Parse("2006-01-02 15:04:05", l.At); err != nil {
				t.Fatalf("bad At %q: %v", l.At, err)
			}
			if l.Line <= last {
				t.Fatalf("line %d after %d", l.Line, last)
			}
			last = l.Line
			if strings.ContainsRune(l.Content, '\r') || strings.HasPrefix(l.Content, "\n") || strings.HasSuffix(l.Content, "\n") {
				t.Fatalf("bad content %q", l.Content)
			}
		}
	})
}
