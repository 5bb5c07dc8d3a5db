package risk

import (
	"cmp"
	"regexp"
	"slices"
	"sync"
)

// Finding is one forbidden wording in an invitation template.
type Finding struct {
	Word       string // the list word (or GiftForReview) found
	Suggestion string // the allowed phrasing to use instead
}

// GiftForReview names the one compliance rule that is a pattern rather than
// a word: 送 followed, in the same sentence and at most 10 characters
// later, by 给好评 ("送小礼品给好评的亲").
const GiftForReview = "送…给好评"

// Suggestions: the allowed phrasings of the seed article.
const (
	suggestShowcase = "可以邀请买家晒图、说说使用感受（晒图美言），不能承诺返现或礼品"
	suggestLoyalty  = "老客可享受店铺会员权益（老客权益），与是否好评无关；不能用礼品换好评"
)

var complianceWords = []struct{ word, suggestion string }{
	{"返现", suggestShowcase},
	{"好评返", suggestShowcase},
	{"返红包", suggestShowcase},
	{"红包", suggestShowcase},
	{"现金", suggestShowcase},
	{"好评送", suggestLoyalty},
	{"五星送", suggestLoyalty},
	{"晒图返", suggestShowcase},
	{"返利", suggestShowcase},
	{"返钱", suggestShowcase},
	{"好评有礼", suggestLoyalty},
	{"五星好评送", suggestLoyalty},
	{"给好评送", suggestLoyalty},
}

// giftForReview matches GiftForReview in normalised text: up to 10
// characters between 送 and 给好评, none of them ending a sentence
// (full-width ！？； are already folded to ASCII).
var giftForReview = regexp.MustCompile(`送[^。｡!?;\n\r]{0,10}给好评`)

var complianceMatcher = sync.OnceValue(func() *Matcher {
	return New(Lists{Compliance: DefaultCompliance()})
})

// complianceSuggestion maps a normalised word to its suggestion.
var complianceSuggestion = func() map[string]string {
	m := map[string]string{GiftForReview: suggestLoyalty}
	for _, w := range complianceWords {
		m[Normalize(w.word)] = w.suggestion
	}
	return m
}()

// suggestion returns the suggestion for a compliance word; a word of the
// owner's that is not a default one gets the general one.
func suggestion(word string) string {
	if s, ok := complianceSuggestion[Normalize(word)]; ok {
		return s
	}
	return suggestShowcase
}

// CheckCompliance returns the rewarded-review wordings in an invitation
// template — the words of DefaultCompliance and the pattern GiftForReview —
// each once, in order of first occurrence, with the allowed phrasing to use
// instead; nil if the text is compliant. Matching is as Matcher.Scan's.
func CheckCompliance(text string) []Finding {
	return complianceMatcher().CheckCompliance(text)
}

// CheckCompliance is the package's CheckCompliance with the words of m's
// Compliance list (an owner's edited list) instead of the defaults; the
// pattern GiftForReview always applies. m's other categories are ignored.
func (m *Matcher) CheckCompliance(text string) []Finding {
	norm := Normalize(text)
	// Normalize is idempotent, so offsets over norm are offsets over
	// Normalize(norm), which find reports.
	var occ []occurrence
	if ci, ok := slices.BinarySearch(m.cats, Compliance); ok {
		for _, o := range m.find(norm) {
			if o.cat == ci {
				occ = append(occ, o)
			}
		}
	}
	if loc := giftForReview.FindStringIndex(norm); loc != nil {
		occ = append(occ, occurrence{ref{idx: -1, word: GiftForReview}, loc[0]})
	}
	slices.SortFunc(occ, func(x, y occurrence) int {
		return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.idx, y.idx))
	})
	var out []Finding
	for _, o := range occ {
		out = append(out, Finding{o.word, suggestion(o.word)})
	}
	return out
}
