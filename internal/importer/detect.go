package importer

import (
	"sort"
	"strings"
	"unicode"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// binding is a header resolved against one kind: which file column holds
// each canonical column.
type binding struct {
	report *reportLayout // agent reports: the figure columns
	spec   *kindSpec
	idx    []int    // canonical column index -> file column index, -1 when absent
	names  []string // canonical column index -> header text (spaces trimmed), "" when absent
}

// bind matches every header cell against spec. When two cells map to the same
// canonical column, the one whose alias comes first in the column's alias
// list wins (a PDD order export has both 用户实付金额 and 商家实收金额: the
// amount is what the buyer paid); the same alias twice: the first cell.
func bind(sp *kindSpec, header []string) *binding {
	b := &binding{spec: sp, idx: make([]int, len(sp.cols)), names: make([]string, len(sp.cols))}
	rank := make([]int, len(sp.cols))
	for i := range b.idx {
		b.idx[i] = -1
	}
	for i, h := range header {
		c, r, ok := sp.matchRank(h)
		if ok && (b.idx[c] < 0 || r < rank[c]) {
			b.idx[c], rank[c] = i, r
			b.names[c] = strings.TrimFunc(h, unicode.IsSpace)
		}
	}
	return b
}

func (b *binding) has(c int) bool { return c >= 0 && b.idx[c] >= 0 }

// matched counts the recognised columns, and among them the required ones.
func (b *binding) matched() (all, required int) {
	for c, i := range b.idx {
		if i >= 0 {
			all++
			if b.spec.cols[c].required {
				required++
			}
		}
	}
	return all, required
}

// recognised lists the header texts that matched, in file order.
func (b *binding) recognised() []string {
	type hit struct {
		pos  int
		name string
	}
	var hits []hit
	for c, i := range b.idx {
		if i >= 0 {
			hits = append(hits, hit{i, b.names[c]})
		}
	}
	sort.Slice(hits, func(x, y int) bool { return hits[x].pos < hits[y].pos })
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.name
	}
	return out
}

// missing lists the canonical names of required columns the header lacks.
func (b *binding) missing() []string {
	var out []string
	for c, col := range b.spec.cols {
		if col.required && b.idx[c] < 0 && !b.hasAny(standIns(b.spec.kind, c)) {
			out = append(out, col.name)
		}
	}
	return out
}

// standIns are the columns that can take the place of a required one:
// Taobao's refund export has no type column, but 是否需要退货 says it; a
// collector's chat export may say who sent a message only by the sender's
// account (店铺:子账号 is an agent), or hold a whole conversation in one cell.
func standIns(k kpi.Kind, c int) []int {
	switch {
	case k == kpi.KindRefunds && c == fType:
		return []int{fNeedsReturn}
	case k == kpi.KindMessages && c == mRole:
		return []int{mSender, mTranscript}
	case k == kpi.KindMessages && c == mSentAt:
		return []int{mTranscript}
	}
	return nil
}

func (b *binding) hasAny(cs []int) bool {
	for _, c := range cs {
		if b.has(c) {
			return true
		}
	}
	return false
}

// complaintOnly reports a header that can only belong to a complaints file:
// every complaints alias containing "投诉" (投诉时间, 投诉类型, 被投诉客服,
// 投诉单号, 投诉编号, 投诉原因, 投诉状态). docs/IMPORT-FORMATS.md names the first three; the
// others say "complaint" just as plainly.
func complaintOnly(header string) bool {
	n := normaliseHeader(header)
	if !strings.Contains(n, "投诉") {
		if u, ok := stripUnit(header); ok {
			n = normaliseHeader(u)
		}
	}
	if !strings.Contains(n, "投诉") {
		return false
	}
	_, ok := specs[kpi.KindComplaints].lookup[n]
	return ok
}

// DetectKind decides the kind of a file from its header row, trying the rules
// of docs/IMPORT-FORMATS.md in order (first match wins):
//
//  1. a refund_id column → refunds
//  2. a rating column → reviews
//  3. a role column → messages
//  4. a complaint_id column or a complaint-only alias → complaints
//  5. order_id together with an order amount column → orders
//  6. buyer together with a member column (name, phone, birthday, level, tags) → customers
//
// Each rule matches the header against that kind's own alias table. When no
// rule matches the error is an *UnknownKindError listing the header and the
// kinds it could be.
func DetectKind(header []string) (kpi.Kind, error) {
	b := map[kpi.Kind]*binding{}
	for _, k := range kpi.Kinds {
		b[k] = bind(specs[k], header)
	}
	report := layoutReport(header)
	switch {
	case report.isAgentReport():
		return kpi.KindAgentReport, nil
	case b[kpi.KindRefunds].has(fRefundID):
		return kpi.KindRefunds, nil
	case b[kpi.KindReviews].has(vRating):
		return kpi.KindReviews, nil
	case b[kpi.KindMessages].has(mRole),
		b[kpi.KindMessages].has(mBuyer) && (b[kpi.KindMessages].has(mTranscript) ||
			b[kpi.KindMessages].has(mSender) && b[kpi.KindMessages].has(mSentAt)):
		return kpi.KindMessages, nil
	case b[kpi.KindComplaints].has(cComplaintID) || anyComplaintOnly(header):
		return kpi.KindComplaints, nil
	case b[kpi.KindOrders].has(oOrderID) && b[kpi.KindOrders].has(oAmount):
		return kpi.KindOrders, nil
	}
	if c := b[kpi.KindCustomers]; c.has(uBuyer) &&
		(c.has(uName) || c.has(uPhone) || c.has(uBirthday) || c.has(uLevel) || c.has(uTags)) {
		return kpi.KindCustomers, nil
	}
	// Last: an agent column and several figures none of which kefuboard
	// has a key for (JD 咚咚's satisfaction report: UID, 非常满意, 满意, …).
	if len(report.ids) > 0 && len(report.cols) >= 3 {
		return kpi.KindAgentReport, nil
	}
	return "", &UnknownKindError{Header: append([]string(nil), header...), Candidates: candidates(b)}
}

func anyComplaintOnly(header []string) bool {
	for _, h := range header {
		if complaintOnly(h) {
			return true
		}
	}
	return false
}

// candidates ranks the kinds with at least one recognised column: most
// required columns matched first, then most columns matched, then detection order.
func candidates(b map[kpi.Kind]*binding) []kpi.Kind {
	type cand struct {
		kind          kpi.Kind
		all, req, ord int
	}
	var cs []cand
	for ord, k := range kpi.Kinds {
		all, req := b[k].matched()
		if k == kpi.KindAgentReport && !b[k].has(aAgent) || k == kpi.KindMessages && all == 1 && b[k].has(mDate) {
			continue // a date column alone does not make a report or a chat log
		}
		if all > 0 {
			cs = append(cs, cand{k, all, req, ord})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].req != cs[j].req {
			return cs[i].req > cs[j].req
		}
		if cs[i].all != cs[j].all {
			return cs[i].all > cs[j].all
		}
		return cs[i].ord < cs[j].ord
	})
	out := make([]kpi.Kind, len(cs))
	for i, c := range cs {
		out[i] = c.kind
	}
	return out
}

// resolve detects (or takes) the kind of header and checks its required columns.
func resolve(header []string, want kpi.Kind) (*binding, error) {
	kind := want
	if kind == "" {
		var err error
		if kind, err = DetectKind(header); err != nil {
			return nil, err
		}
	}
	sp := specs[kind]
	if sp == nil {
		return nil, &UnknownKindError{Header: append([]string(nil), header...)}
	}
	b := bind(sp, header)
	if miss := b.missing(); len(miss) > 0 {
		return nil, &MissingColumnsError{Kind: kind, Missing: miss, Recognised: b.recognised()}
	}
	if kind == kpi.KindAgentReport {
		b.report = layoutReport(header)
		if len(b.report.cols) == 0 {
			return nil, &MissingColumnsError{Kind: kind, Missing: []string{"figures"}, Recognised: b.recognised()}
		}
	}
	return b, nil
}
