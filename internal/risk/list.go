package risk

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a list an owner types (ParseList).
const (
	MaxListWords = 500
	MaxWordRunes = 40
)

// ParseList parses a word list typed in a settings textarea: words separated
// by newlines, commas (, ， ､), 、 or any white space, empty ones dropped, and
// of the words that normalise alike (Normalize) only the first kept. Words
// are returned as typed (invalid UTF-8 replaced by U+FFFD); an empty,
// non-nil list if there are none (a list the owner emptied, not "no list").
// It refuses more than MaxListWords words or a word of more than
// MaxWordRunes characters, with a message for the owner.
func ParseList(text string) ([]string, error) {
	text = strings.ToValidUTF8(text, "\uFFFD")
	words := []string{}
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(text, isListSep) {
		if n := utf8.RuneCountInString(w); n > MaxWordRunes {
			return nil, fmt.Errorf("词语太长（最多 %d 个字）：%s…", MaxWordRunes, string([]rune(w)[:20]))
		}
		k := Normalize(w)
		if seen[k] {
			continue
		}
		seen[k] = true
		words = append(words, w)
	}
	if len(words) > MaxListWords {
		return nil, fmt.Errorf("词语太多（最多 %d 个）：共 %d 个", MaxListWords, len(words))
	}
	return words, nil
}

func isListSep(r rune) bool {
	switch r {
	case ',', '，', '､', '、':
		return true
	}
	return unicode.IsSpace(r)
}

// FormatList writes words one per line, for the settings textarea;
// ParseList(FormatList(words)) gives back a list ParseList returned.
func FormatList(words []string) string {
	return strings.Join(words, "\n")
}
