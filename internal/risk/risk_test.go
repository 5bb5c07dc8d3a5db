package risk

import (
	"cmp"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// naiveScan is the reference Scan: one strings.Index per normalised word.
func naiveScan(lists Lists, text string) []Hit {
	norm := Normalize(text)
	var cats []string
	for c := range lists {
		cats = append(cats, c)
	}
	slices.Sort(cats)
	var hits []Hit
	for _, c := range cats {
		type occ struct {
			start, idx int
			word       string
		}
		var found []occ
		seen := map[string]bool{}
		for i, w := range lists[c] {
			k := Normalize(w)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			if j := strings.Index(norm, k); j >= 0 {
				found = append(found, occ{j, i, w})
			}
		}
		if len(found) == 0 {
			continue
		}
		slices.SortFunc(found, func(x, y occ) int {
			return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.idx, y.idx))
		})
		h := Hit{Category: c}
		for _, o := range found {
			h.Words = append(h.Words, o.word)
		}
		hits = append(hits, h)
	}
	return hits
}

// withSparse runs f with the dense table disabled, so that New builds
// automata that step through the failure links.
func withSparse(t testing.TB, f func()) {
	t.Helper()
	old := maxDense
	maxDense = 0
	defer func() { maxDense = old }()
	f()
}

func TestFoldRune(t *testing.T) {
	// The definition: full-width ASCII and U+3000 folded, then
	// unicode.ToLower. foldRune skips ToLower for a range; check every rune.
	def := func(r rune) rune {
		switch {
		case 0xFF01 <= r && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		return unicode.ToLower(r)
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		got := foldRune(r)
		if want := def(r); got != want {
			t.Fatalf("foldRune(%U) = %U, want %U", r, got, want)
		}
		if again := foldRune(got); again != got {
			t.Fatalf("foldRune not idempotent at %U: %U then %U", r, got, again)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"亲，您好。", "亲,您好。"}, // ，(U+FF0C) is full-width ASCII, 。 is not
		{"ＶＸ", "vx"},
		{"ｖｘ", "vx"},
		{"VX Vx vX", "vx vx vx"},
		{"加Ｖ", "加v"},
		{"１００％", "100%"},
		{"ＱＱ号", "qq号"},
		{"好评！返现？", "好评!返现?"},
		{"加　微信", "加 微信"},
		{"ÄÖÜ Σ", "äöü σ"},
		{"😀加V😀", "😀加v😀"},
		{"a\xffb", "a\uFFFDb"},
		{"\xe5\xbe", "\uFFFD\uFFFD"}, // a cut 微
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := Normalize(tc.want); got != tc.want {
			t.Errorf("Normalize(%q) = %q, not idempotent", tc.want, got)
		}
	}
	// Unchanged text is returned as is, without a copy.
	s := strings.Repeat("亲在的呢abc", 3)
	if got := Normalize(s); unsafe.StringData(got) != unsafe.StringData(s) {
		t.Errorf("Normalize copied an unchanged string")
	}
}

func TestScanDefaults(t *testing.T) {
	risk := New(DefaultRiskLists())
	buyer := New(Lists{Anger: DefaultAnger(), Thanks: DefaultThanks()})
	h := func(cat string, words ...string) Hit { return Hit{cat, words} }
	for _, tc := range []struct {
		m    *Matcher
		text string
		want []Hit
	}{
		// abuse
		{risk, "你有病吧，滚", []Hit{h(Abuse, "有病", "滚")}},
		{risk, "爱买不买，神经病", []Hit{h(Abuse, "爱买不买", "神经病")}},
		{risk, "你这个白痴，闭嘴", []Hit{h(Abuse, "白痴", "闭嘴")}},
		{risk, "你是不是有毛病", []Hit{h(Abuse, "有毛病")}},
		// off_platform, with folding and case
		{risk, "加我微信号吧", []Hit{h(OffPlatform, "加我微信", "微信号")}}, // overlapping
		{risk, "加微信聊", []Hit{h(OffPlatform, "加微信")}},
		{risk, "我的ＶＸ是多少", []Hit{h(OffPlatform, "vx")}},
		{risk, "ｖｘ：abc123", []Hit{h(OffPlatform, "vx")}},
		{risk, "VX", []Hit{h(OffPlatform, "vx")}},
		{risk, "Vx", []Hit{h(OffPlatform, "vx")}},
		{risk, "vX", []Hit{h(OffPlatform, "vx")}},
		{risk, "加Ｖ", []Hit{h(OffPlatform, "加V")}},
		{risk, "加v", []Hit{h(OffPlatform, "加V")}},
		{risk, "Wx 或者 qq号", []Hit{h(OffPlatform, "wx", "QQ号")}},
		{risk, "加ＱＱ：12345", []Hit{h(OffPlatform, "加QQ")}},
		{risk, "支付宝转账或者银行卡都行", []Hit{h(OffPlatform, "支付宝转账", "银行卡")}},
		{risk, "私聊转账给我", []Hit{h(OffPlatform, "私聊转账", "转账给我")}}, // overlapping
		{risk, "加个微信，威信，薇信", []Hit{h(OffPlatform, "加个微信", "威信", "薇信")}},
		// over_promise
		{risk, "百分百正品，１００％保证", []Hit{h(OverPromise, "百分百", "100%", "保证")}},
		{risk, "绝对不会坏，一定满意", []Hit{h(OverPromise, "绝对", "一定")}},
		{risk, "肯定能用，包退包换", []Hit{h(OverPromise, "肯定能", "包退包换")}},
		// several categories, in sorted order of category
		{risk, "保证好用，加vx，爱买不买", []Hit{h(Abuse, "爱买不买"), h(OffPlatform, "加V", "vx"), h(OverPromise, "保证")}},
		// a word repeated is reported once
		{risk, "滚滚滚", []Hit{h(Abuse, "滚")}},
		// emoji and mixed scripts
		{risk, "😡滚😡 Привет VX👍", []Hit{h(Abuse, "滚"), h(OffPlatform, "vx")}},
		{risk, "亲🙏，这边为您查询一下物流哦～", nil},
		// clean and empty
		{risk, "亲，您好，请问有什么可以帮您？", nil},
		{risk, "", nil},
		{risk, "v x 加 微 信", nil}, // spaced out: not matched (see report)
		// buyer lists
		{buyer, "垃圾东西，我要投诉，退钱！", []Hit{h(Anger, "垃圾", "投诉", "退钱")}},
		{buyer, "再不处理就打12315，曝光你们", []Hit{h(Anger, "12315", "曝光")}},
		{buyer, "打１２３１５", []Hit{h(Anger, "12315")}},
		{buyer, "谢谢，很好用，给力！", []Hit{h(Thanks, "谢谢", "很好", "好用", "给力")}},
		{buyer, "辛苦了，已经给好评啦，太棒了", []Hit{h(Thanks, "辛苦了", "好评", "太棒了")}},
		{buyer, "太差了，不过客服辛苦了", []Hit{h(Anger, "太差"), h(Thanks, "辛苦了")}},
		{buyer, "什么时候发货", nil},
	} {
		got := tc.m.Scan(tc.text)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Scan(%q) = %v, want %v", tc.text, got, tc.want)
		}
		if got := tc.m.Any(tc.text); got != (tc.want != nil) {
			t.Errorf("Any(%q) = %v", tc.text, got)
		}
	}
}

func TestScanListRules(t *testing.T) {
	lists := Lists{
		"a": {"", "微信", "加我微信", "ＶＸ", "vx", "VX"}, // "" ignored; vx spellings: first kept
		"b": {"微信", "信号", "号"},                    // 微信 in two categories
	}
	h := func(cat string, words ...string) Hit { return Hit{cat, words} }
	for _, tc := range []struct {
		text string
		want []Hit
	}{
		// 加我微信 starts before 微信, though both end together.
		{"加我微信号", []Hit{h("a", "加我微信", "微信"), h("b", "微信", "信号", "号")}},
		{"vx", []Hit{h("a", "ＶＸ")}},
		{"号…微信", []Hit{h("a", "微信"), h("b", "号", "微信")}},
	} {
		for _, sparse := range []bool{false, true} {
			var m *Matcher
			if sparse {
				withSparse(t, func() { m = New(lists) })
			} else {
				m = New(lists)
			}
			if got := m.Scan(tc.text); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("sparse=%v Scan(%q) = %v, want %v", sparse, tc.text, got, tc.want)
			}
		}
	}
	if got := New(nil).Scan("加我微信"); got != nil {
		t.Errorf("empty matcher: %v", got)
	}
	if New(Lists{"x": {""}}).Any("abc") {
		t.Errorf("empty word matched")
	}
	// New does not keep the caller's lists.
	l := Lists{"a": {"滚"}}
	m := New(l)
	l["a"][0] = "爬"
	if got := m.Scan("滚"); len(got) != 1 || got[0].Words[0] != "滚" {
		t.Errorf("Scan after the list changed = %v", got)
	}
}

// randText builds a message from list words (in case and width variants),
// fragments of them, filler Chinese, emoji, ASCII and invalid bytes.
func randText(r *rand.Rand, words []string) string {
	const filler = "亲您好的在呢请问有什么可以帮加我微信号好评返现送给一定百分之，。！？ "
	fillers := []rune(filler)
	others := []string{"😀", "👍🏻", "🙏", "Ä", "ä", "Σ", "K", "İ", "\u3000", "Ｖ", "ｘ", "Q", "q", "１", "％", "\xff", "\xe5\xbe", "v", "X", "w"}
	var b strings.Builder
	for n := r.IntN(12); n > 0; n-- {
		switch r.IntN(5) {
		case 0, 1:
			b.WriteString(variant(r, words[r.IntN(len(words))]))
		case 2:
			w := []rune(words[r.IntN(len(words))])
			b.WriteString(variant(r, string(w[:r.IntN(len(w)+1)])))
		case 3:
			for k := r.IntN(4); k >= 0; k-- {
				b.WriteRune(fillers[r.IntN(len(fillers))])
			}
		case 4:
			b.WriteString(others[r.IntN(len(others))])
		}
	}
	return b.String()
}

// variant writes w with ASCII in random case and random width.
func variant(r *rand.Rand, w string) string {
	var b strings.Builder
	for _, c := range w {
		if c < utf8.RuneSelf {
			if unicode.IsLetter(c) && r.IntN(2) == 0 {
				c = unicode.ToUpper(c)
			}
			if c > ' ' && r.IntN(3) == 0 {
				c += 0xFEE0
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

func allWords(l Lists) []string {
	var ws []string
	for _, c := range slices.Sorted(maps.Keys(l)) {
		ws = append(ws, l[c]...)
	}
	return ws
}

func TestScanMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	lists := DefaultRiskLists()
	lists[Anger] = DefaultAnger()
	lists[Thanks] = DefaultThanks()
	lists[Compliance] = DefaultCompliance()
	words := allWords(lists)
	dense := New(lists)
	var sparse *Matcher
	withSparse(t, func() { sparse = New(lists) })
	if dense.a.delta == nil || sparse.a.delta != nil {
		t.Fatal("modes not as intended")
	}
	hits := 0
	for range 20000 {
		text := randText(r, words)
		want := naiveScan(lists, text)
		if len(want) > 0 {
			hits++
		}
		for _, m := range []*Matcher{dense, sparse} {
			if got := m.Scan(text); !reflect.DeepEqual(got, want) {
				t.Fatalf("Scan(%q) (dense=%v)\n got %v\nwant %v", text, m.a.delta != nil, got, want)
			}
			if m.Any(text) != (want != nil) {
				t.Fatalf("Any(%q) = %v, want %v", text, !(want != nil), want != nil)
			}
		}
	}
	if hits < 10000 {
		t.Errorf("only %d of 20000 random texts hit: the generator is too weak", hits)
	}
}

// TestScanRandomLists checks the automaton itself: random lists over a small
// alphabet, so that words overlap, nest and share prefixes and suffixes.
func TestScanRandomLists(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alpha := []string{"a", "A", "ａ", "b", "加", "微", "信", "号", "\u3000", " ", "😀"}
	word := func(max int) string {
		var b strings.Builder
		for n := 1 + r.IntN(max); n > 0; n-- {
			b.WriteString(alpha[r.IntN(len(alpha))])
		}
		return b.String()
	}
	for range 3000 {
		lists := Lists{}
		for c := range 1 + r.IntN(3) {
			for range r.IntN(8) {
				cat := string(rune('x' + c))
				lists[cat] = append(lists[cat], word(4))
			}
		}
		dense := New(lists)
		var sparse *Matcher
		withSparse(t, func() { sparse = New(lists) })
		for range 10 {
			text := word(20)
			want := naiveScan(lists, text)
			for _, m := range []*Matcher{dense, sparse} {
				if got := m.Scan(text); !reflect.DeepEqual(got, want) {
					t.Fatalf("lists %q, Scan(%q)\n got %v\nwant %v", lists, text, got, want)
				}
			}
		}
	}
}

func TestScanConcurrent(t *testing.T) {
	lists := DefaultRiskLists()
	m := New(lists)
	words := allWords(lists)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 9))
			for range 2000 {
				text := randText(r, words)
				if got, want := m.Scan(text), naiveScan(lists, text); !reflect.DeepEqual(got, want) {
					t.Errorf("Scan(%q) = %v, want %v", text, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestScanAllocs(t *testing.T) {
	m := New(DefaultRiskLists())
	text := "亲，您好，这款是现货，今天下单明天就能发出，请放心购买哦"
	if n := testing.AllocsPerRun(100, func() { m.Scan(text) }); n != 0 {
		t.Errorf("Scan of a clean message allocates %v times", n)
	}
}

func TestCheckCompliance(t *testing.T) {
	f := func(w string) Finding { return Finding{w, complianceSuggestion[Normalize(w)]} }
	for _, tc := range []struct {
		text string
		want []Finding
	}{
		{"好评返现哦", []Finding{f("好评返"), f("返现")}},
		{"送小礼品给好评的亲", []Finding{f(GiftForReview)}},
		{"送您一张优惠券，给好评的亲", []Finding{f(GiftForReview)}},
		{"送给好评的亲", []Finding{f(GiftForReview)}},
		{"亲，收到宝贝满意的话，欢迎晒图分享使用感受哦", nil},
		{"", nil},
		{"本店送运费险。给好评的亲谢谢啦", nil},               // another sentence
		{"送一个超级无敌豪华大礼包的小样给好评的亲", nil},          // too far apart
		{"送Ａ给好评", []Finding{f(GiftForReview)}}, // folded
		{"五星好评送红包，晒图返现金", []Finding{f("五星好评送"), f("好评送"), f("红包"), f("晒图返"), f("返现"), f("现金")}},
		{"给好评送小样，好评有礼", []Finding{f("给好评送"), f("好评送"), f("好评有礼")}},
		{"返利返钱返红包", []Finding{f("返利"), f("返钱"), f("返红包"), f("红包")}},
		{"返现返现", []Finding{f("返现")}},
	} {
		got := CheckCompliance(tc.text)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("CheckCompliance(%q) = %v, want %v", tc.text, got, tc.want)
		}
		for _, x := range got {
			if x.Suggestion == "" {
				t.Errorf("CheckCompliance(%q): %q without a suggestion", tc.text, x.Word)
			}
		}
	}
	// An owner's list: its words, the pattern always.
	m := New(Lists{Compliance: {"返现", "加微信送", "ＨＢ"}, Abuse: {"滚"}})
	got := m.CheckCompliance("送滚给好评：加微信送hb，红包返现")
	want := []Finding{f(GiftForReview), {"加微信送", suggestShowcase}, {"ＨＢ", suggestShowcase}, f("返现")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("owner's list: %v, want %v", got, want)
	}
	if got := New(Lists{Abuse: {"返现"}}).CheckCompliance("返现，送礼给好评"); !reflect.DeepEqual(got, []Finding{f(GiftForReview)}) {
		t.Errorf("no compliance list: %v", got)
	}
	for _, w := range DefaultCompliance() {
		if complianceSuggestion[w] == "" {
			t.Errorf("compliance word %q has no suggestion", w)
		}
	}
}

func TestParseList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{" \n\t，、", []string{}},
		{"滚\n神经病\r\n有病", []string{"滚", "神经病", "有病"}},
		{"加微信,加V，vx、 wx\u3000QQ号", []string{"加微信", "加V", "vx", "wx", "QQ号"}},
		{"VX\nvx\nＶＸ\nvX", []string{"VX"}}, // duplicates after Normalize
		{"  100%  \n１００％", []string{"100%"}},
		{"a\xffb", []string{"a\uFFFDb"}},
	} {
		got, err := ParseList(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseList(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}

	long := strings.Repeat("长", MaxWordRunes+1)
	if _, err := ParseList("好\n" + long); err == nil || !strings.Contains(err.Error(), "词语太长") {
		t.Errorf("a word of %d characters: err = %v", MaxWordRunes+1, err)
	}
	if got, err := ParseList(strings.Repeat("长", MaxWordRunes)); err != nil || len(got) != 1 {
		t.Errorf("a word of %d characters: %q, %v", MaxWordRunes, got, err)
	}
	var many []string
	for i := range MaxListWords + 1 {
		many = append(many, "词"+string(rune('一'+i)))
	}
	if _, err := ParseList(strings.Join(many, "\n")); err == nil || !strings.Contains(err.Error(), "词语太多") {
		t.Errorf("%d words: err = %v", len(many), err)
	}
	if got, err := ParseList(strings.Join(many[:MaxListWords], "、")); err != nil || len(got) != MaxListWords {
		t.Errorf("%d words: %d, %v", MaxListWords, len(got), err)
	}
	// Duplicates do not count towards the limit.
	if got, err := ParseList(strings.Join(many[:MaxListWords], "\n") + "\n" + many[0]); err != nil || len(got) != MaxListWords {
		t.Errorf("%d words and a duplicate: %d, %v", MaxListWords, len(got), err)
	}

	for _, l := range []Lists{DefaultRiskLists(), {"x": DefaultAnger()}, {"x": DefaultThanks()}, {"x": DefaultCompliance()}} {
		for c, ws := range l {
			got, err := ParseList(FormatList(ws))
			if err != nil || !reflect.DeepEqual(got, ws) {
				t.Errorf("default list %s does not round-trip: %q, %v", c, got, err)
			}
		}
	}
}

func TestLabel(t *testing.T) {
	if Label(OffPlatform) != "站外交易" || Label("other") != "other" {
		t.Errorf("Label: %q %q", Label(OffPlatform), Label("other"))
	}
}
