package risk

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScan checks Scan against the naive reference, for the default lists
// and for lists taken from the input (categories separated by "\n", words
// by "|"), in both automaton modes.
func FuzzScan(f *testing.F) {
	for _, s := range []struct{ text, lists string }{
		{"加我微信号", "加我微信|微信号\n滚"},
		{"ＶＸ１００％", "vx|100%"},
		{"aaaa", "a|aa|aaa|b"},
		{"ushers", "he|she|his|hers"},
		{"😀滚😀", "😀|\xf0\x9f"},
		{"\xe5\xbe\xae信", "\uFFFD|微信"},
		{"İK", "i|k|i̇"},
		{"", ""},
	} {
		f.Add(s.text, s.lists)
	}
	defaults := DefaultRiskLists()
	defaults[Anger] = DefaultAnger()
	defaults[Thanks] = DefaultThanks()
	defaults[Compliance] = DefaultCompliance()
	defaultM := New(defaults)
	f.Fuzz(func(t *testing.T, text, spec string) {
		// The naive reference is quadratic: keep inputs to the size of a
		// chat message and of a few lists.
		if len(text) > 2000 || len(spec) > 2000 {
			t.Skip()
		}
		norm := Normalize(text)
		if Normalize(norm) != norm {
			t.Fatalf("Normalize not idempotent on %q", text)
		}
		if !utf8.ValidString(norm) {
			t.Fatalf("Normalize(%q) = %q, not valid UTF-8", text, norm)
		}
		lists := Lists{}
		if spec != "" {
			for i, line := range strings.Split(spec, "\n") {
				lists[string(rune('a'+i%26))] = strings.Split(line, "|")
			}
		}
		check := func(m *Matcher, lists Lists, mode string) {
			got := m.Scan(text)
			for _, h := range got {
				for _, w := range h.Words {
					if !strings.Contains(norm, Normalize(w)) {
						t.Fatalf("%s: %q reported in %q but not in it", mode, w, text)
					}
				}
			}
			if want := naiveScan(lists, text); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: lists %q, Scan(%q)\n got %v\nwant %v", mode, lists, text, got, want)
			}
			if m.Any(text) != (got != nil) {
				t.Fatalf("%s: Any(%q) disagrees with Scan", mode, text)
			}
		}
		check(defaultM, defaults, "defaults")
		check(New(lists), lists, "dense")
		withSparse(t, func() { check(New(lists), lists, "sparse") })
		CheckCompliance(text)
	})
}

// FuzzParseList checks ParseList's limits and that FormatList gives back
// what ParseList returned.
func FuzzParseList(f *testing.F) {
	for _, s := range []string{
		"", "滚\n神经病", "加微信,加V，vx、 wx\u3000QQ号", "VX\nvx\nＶＸ", "a\xffb\xe5",
		strings.Repeat("长", 41), "，、､\u0085\u00a0\u2028",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		words, err := ParseList(text)
		if err != nil {
			if err.Error() == "" || words != nil {
				t.Fatalf("ParseList(%q): %q, %v", text, words, err)
			}
			return
		}
		if len(words) > MaxListWords {
			t.Fatalf("ParseList(%q): %d words", text, len(words))
		}
		seen := map[string]bool{}
		for _, w := range words {
			if w == "" || utf8.RuneCountInString(w) > MaxWordRunes || !utf8.ValidString(w) {
				t.Fatalf("ParseList(%q): word %q", text, w)
			}
			if strings.IndexFunc(w, isListSep) >= 0 {
				t.Fatalf("ParseList(%q): word %q holds a separator", text, w)
			}
			k := Normalize(w)
			if seen[k] {
				t.Fatalf("ParseList(%q): duplicate %q", text, w)
			}
			seen[k] = true
		}
		again, err := ParseList(FormatList(words))
		if err != nil || !reflect.DeepEqual(again, words) {
			t.Fatalf("ParseList(FormatList(%q)) = %q, %v", words, again, err)
		}
	})
}
