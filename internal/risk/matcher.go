package risk

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// Hit is what Scan found of one category.
type Hit struct {
	Category string
	// Words found, each once, in order of first occurrence in the text
	// (ties: list order), spelt as in the list.
	Words []string
}

// Matcher finds the words of several lists in a text. It is built once by
// New and is safe for concurrent use.
type Matcher struct {
	cats []string   // sorted category names
	refs [][]ref    // per key: the list words that normalise to it
	a    *automaton // over the keys
}

// ref is one list word: its category (index into cats), its index in the
// category's list (for ties) and its spelling.
type ref struct {
	cat, idx int
	word     string
}

// New builds a Matcher for lists. Each word is matched as Normalize(word);
// words that normalise to "" are ignored, and of the words of one category
// that normalise alike only the first is reported. A word in several
// categories is reported in each. New does not keep lists.
func New(lists Lists) *Matcher {
	m := &Matcher{}
	for c := range lists {
		m.cats = append(m.cats, c)
	}
	slices.Sort(m.cats)
	keyID := map[string]int{}
	var keys []string
	for ci, c := range m.cats {
		seen := map[string]bool{}
		for i, w := range lists[c] {
			k := Normalize(w)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			id, ok := keyID[k]
			if !ok {
				id = len(keys)
				keyID[k] = id
				keys = append(keys, k)
				m.refs = append(m.refs, nil)
			}
			m.refs[id] = append(m.refs[id], ref{ci, i, w})
		}
	}
	m.a = build(keys)
	return m
}

// Scan returns the categories whose words occur in text, in sorted order of
// category, each with its words (see Hit); nil if none occurs. Every
// occurrence counts, overlapping ones included: "加我微信号" holds both
// 加我微信 and 微信号. Scan reads text once.
func (m *Matcher) Scan(text string) []Hit {
	found := m.find(text)
	if len(found) == 0 {
		return nil
	}
	var hits []Hit
	for i, f := range found {
		if i == 0 || f.cat != found[i-1].cat {
			hits = append(hits, Hit{Category: m.cats[f.cat]})
		}
		h := &hits[len(hits)-1]
		h.Words = append(h.Words, f.word)
	}
	return hits
}

// Any reports whether any word of any category occurs in text. It stops at
// the first occurrence.
func (m *Matcher) Any(text string) bool {
	found := false
	m.a.walk(text, func(int, int32) bool {
		found = true
		return false
	})
	return found
}

// occurrence is the first occurrence of a list word: its ref and the byte
// offset in Normalize(text) where it starts.
type occurrence struct {
	ref
	start int
}

// find returns the first occurrence of each list word found in text, sorted
// by category, start and list order.
func (m *Matcher) find(text string) []occurrence {
	a := m.a
	var (
		first []bool // per key: already seen (allocated at the first match)
		found []int  // keys in order of discovery
		start []int  // and where each starts
	)
	a.walk(text, func(end int, s int32) bool {
		if first == nil {
			first = make([]bool, len(a.keyLen))
		}
		// The automaton reports matches by increasing end, so a key's
		// first report is its first (leftmost) occurrence.
		for _, k := range a.out[a.outStart[s]:a.outStart[s+1]] {
			if !first[k] {
				first[k] = true
				found = append(found, int(k))
				start = append(start, end-int(a.keyLen[k]))
			}
		}
		return true
	})
	if len(found) == 0 {
		return nil
	}
	var occ []occurrence
	for i, k := range found {
		for _, r := range m.refs[k] {
			occ = append(occ, occurrence{r, start[i]})
		}
	}
	slices.SortFunc(occ, func(x, y occurrence) int {
		return cmp.Or(cmp.Compare(x.cat, y.cat), cmp.Compare(x.start, y.start), cmp.Compare(x.idx, y.idx))
	})
	return occ
}

// maxDense bounds the size (in entries) of the dense transition table; past
// it the automaton steps through the sparse trie and its failure links
// instead. A variable so that tests can force the sparse mode.
var maxDense = 1 << 22

// automaton is an Aho–Corasick automaton over the bytes of the keys. State 0
// is the root; the states where keys end are numbered last, from
// firstMatch on. Bytes that occur in no key share class 0.
type automaton struct {
	class  [256]int32 // byte → class
	nclass int32

	// dense DFA: the state after s reads b is delta[s*nclass+class[b]]/nclass
	// (entries are premultiplied by nclass); nil if it would exceed
	// maxDense entries.
	delta []int32

	// sparse trie: the edges out of s are edgeByte/edgeTo[edgeStart[s]:edgeStart[s+1]],
	// sorted by byte; fail[s] is the state of the longest proper suffix.
	edgeStart []int32
	edgeByte  []byte
	edgeTo    []int32
	fail      []int32

	// out[outStart[s]:outStart[s+1]] are the keys that end when s is
	// entered (its own and those of its suffixes); empty below firstMatch.
	firstMatch int32
	outStart   []int32
	out        []int32
	keyLen     []int32
}

// build builds the automaton of distinct, non-empty keys.
func build(keys []string) *automaton {
	a := &automaton{keyLen: make([]int32, len(keys))}

	// Trie, with edges kept per state while it grows.
	type edge struct {
		b  byte
		to int32
	}
	kids := [][]edge{nil}
	own := [][]int32{nil}
	child := func(s int32, b byte) int32 {
		for _, e := range kids[s] {
			if e.b == b {
				return e.to
			}
		}
		return -1
	}
	for k, key := range keys {
		a.keyLen[k] = int32(len(key))
		s := int32(0)
		for i := 0; i < len(key); i++ {
			next := child(s, key[i])
			if next < 0 {
				next = int32(len(kids))
				kids = append(kids, nil)
				own = append(own, nil)
				kids[s] = append(kids[s], edge{key[i], next})
			}
			s = next
		}
		own[s] = append(own[s], int32(k))
	}
	nstate := len(kids)

	// Failure links and outputs, breadth first: a state's suffix states are
	// shallower, so they are done before it.
	fail := make([]int32, nstate)
	outs := make([][]int32, nstate)
	order := make([]int32, 1, nstate)
	for qi := 0; qi < len(order); qi++ {
		s := order[qi]
		outs[s] = append(own[s], outs[fail[s]]...)
		for _, e := range kids[s] {
			if s != 0 {
				f := fail[s]
				for child(f, e.b) < 0 && f != 0 {
					f = fail[f]
				}
				fail[e.to] = max(child(f, e.b), 0)
			}
			order = append(order, e.to)
		}
	}

	// Number the states: those without outputs first (the root keeps 0,
	// as no key is empty), then those with, so that walk tells a match
	// by one comparison.
	id := make([]int32, nstate)
	next := int32(0)
	for pass := range 2 {
		for _, s := range order {
			if (len(outs[s]) > 0) == (pass == 1) {
				id[s] = next
				next++
			}
		}
		if pass == 0 {
			a.firstMatch = next
		}
	}
	byID := make([]int32, nstate)
	for s, i := range id {
		byID[i] = int32(s)
	}

	// Sparse arrays, byte classes.
	var used [256]bool
	a.edgeStart = make([]int32, nstate+1)
	a.fail = make([]int32, nstate)
	a.outStart = make([]int32, nstate+1)
	for i, s := range byID {
		es := kids[s]
		slices.SortFunc(es, func(x, y edge) int { return cmp.Compare(x.b, y.b) })
		a.edgeStart[i] = int32(len(a.edgeByte))
		for _, e := range es {
			a.edgeByte = append(a.edgeByte, e.b)
			a.edgeTo = append(a.edgeTo, id[e.to])
			used[e.b] = true
		}
		a.fail[i] = id[fail[s]]
		a.outStart[i] = int32(len(a.out))
		a.out = append(a.out, outs[s]...)
	}
	a.edgeStart[nstate] = int32(len(a.edgeByte))
	a.outStart[nstate] = int32(len(a.out))
	a.nclass = 1
	for b := range 256 {
		if used[b] {
			a.class[b] = a.nclass
			a.nclass++
		}
	}

	// Dense table, breadth first: a missing edge goes where the failure
	// state's goes.
	nc := int(a.nclass)
	if nstate*nc > maxDense {
		return a
	}
	var byClass [256]byte
	for b := range 256 {
		byClass[a.class[b]] = byte(b)
	}
	d := make([]int32, nstate*nc)
	for _, s := range order {
		i := id[s]
		row := d[int(i)*nc : int(i+1)*nc]
		for c := 1; c < nc; c++ {
			if t := a.child(i, byClass[c]); t >= 0 {
				row[c] = t * a.nclass
			} else if i != 0 {
				row[c] = d[int(a.fail[i])*nc+c]
			}
		}
	}
	a.delta = d
	return a
}

// child returns the trie child of s on b, or -1.
func (a *automaton) child(s int32, b byte) int32 {
	lo, hi := a.edgeStart[s], a.edgeStart[s+1]
	for lo < hi {
		mid := int32(uint32(lo+hi) >> 1)
		switch eb := a.edgeByte[mid]; {
		case eb == b:
			return a.edgeTo[mid]
		case eb < b:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1
}

// stepSparse returns the state after s reads b, by the failure links.
func (a *automaton) stepSparse(s int32, b byte) int32 {
	for {
		if t := a.child(s, b); t >= 0 {
			return t
		}
		if s == 0 {
			return 0
		}
		s = a.fail[s]
	}
}

// walk runs the automaton over Normalize(text), folding text as it goes,
// and calls match(end, s) whenever it enters a state s where keys end: end
// is the byte offset in Normalize(text) just after them. It stops when
// match returns false.
//
// Keys and Normalize(text) are valid UTF-8, so a key can only end where a
// character ends: walk checks for a match once per character.
func (a *automaton) walk(text string, match func(end int, s int32) bool) {
	if a.delta == nil {
		a.walkSparse(text, match)
		return
	}
	var (
		d   = a.delta
		nc  = a.nclass
		thr = a.firstMatch * nc
		s   int32 // premultiplied
		end int   // bytes of Normalize(text) read
	)
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c < utf8.RuneSelf:
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			s = d[s+a.class[c]]
			i++
			end++
		case 0xE3 <= c && c <= 0xE9 && i+2 < len(text) &&
			text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 &&
			(c != 0xE3 || text[i+1] != 0x80 || text[i+2] != 0x80):
			// U+3001–U+9FFF (CJK punctuation, kana, ideographs): no case,
			// read as is.
			s = d[s+a.class[c]]
			s = d[s+a.class[text[i+1]]]
			s = d[s+a.class[text[i+2]]]
			i += 3
			end += 3
		case c == 0xEF && i+2 < len(text) &&
			(text[i+1] == 0xBC && 0x81 <= text[i+2] && text[i+2] <= 0xBF ||
				text[i+1] == 0xBD && 0x80 <= text[i+2] && text[i+2] <= 0x9E):
			// U+FF01–U+FF5E, full-width ASCII: ！ is EF BC 81, ～ EF BD 9E.
			b := 0x21 + (text[i+1]-0xBC)<<6 + text[i+2] - 0x81
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			s = d[s+a.class[b]]
			i += 3
			end++
		default:
			buf, n, w := foldAt(text, i)
			for _, b := range buf[:n] {
				s = d[s+a.class[b]]
			}
			i += w
			end += n
		}
		if s >= thr && !match(end, s/nc) {
			return
		}
	}
}

// walkSparse is walk without the dense table.
func (a *automaton) walkSparse(text string, match func(end int, s int32) bool) {
	var (
		s   int32
		end int
	)
	for i := 0; i < len(text); {
		buf, n, w := foldAt(text, i)
		for _, b := range buf[:n] {
			s = a.stepSparse(s, b)
		}
		i += w
		end += n
		if s >= a.firstMatch && !match(end, s) {
			return
		}
	}
}

// foldAt returns Normalize of the character at text[i:] (n bytes in buf)
// and its width w in text.
func foldAt(text string, i int) (buf [utf8.UTFMax]byte, n, w int) {
	r, w := utf8.DecodeRuneInString(text[i:])
	if f := foldRune(r); f != r || w == 1 { // w == 1 and r ≥ 0x80: an invalid byte, read as U+FFFD
		n = utf8.EncodeRune(buf[:], f)
	} else {
		n = copy(buf[:], text[i:i+w])
	}
	return buf, n, w
}
