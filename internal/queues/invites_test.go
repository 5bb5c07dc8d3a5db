package queues

import (
	"strings"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

var testWords = Words{
	Angry: func(s string) bool { return strings.Contains(s, "投诉") || strings.Contains(s, "差评") },
	Thanks: func(s string) []string {
		if strings.Contains(s, "谢谢") {
			return []string{"谢谢"}
		}
		return nil
	},
}

const hour = kpi.Millis(3600 * 1000)
const dayMs = 24 * hour

// TestInviteEdges: each rule of QUEUES §2 at its edge. As-of day is day 100
// (ms 100·day … 101·day − 1, UTC for simplicity); window 15 days.
func TestInviteEdges(t *testing.T) {
	asOfStart := 100 * dayMs
	from, end := asOfStart-15*dayMs, asOfStart+dayMs-1
	base := func() *InviteOrder {
		created := asOfStart - 10*dayMs
		return &InviteOrder{OrderID: "O1", CreatedAt: created, PaidAt: created + hour, DeliveredAt: created + 3*dayMs,
			Chat: []Msg{
				{kpi.RoleBuyer, created - hour, "在吗，有货吗"},
				{kpi.RoleAgent, created - hour + 1000, "在的亲"},
				{kpi.RoleBuyer, created + 4*dayMs, "收到了，谢谢"},
				{kpi.RoleAgent, created + 4*dayMs + 5000, "不客气"},
			}}
	}
	reasons := func(ev []Evidence) string {
		var rs []string
		for _, e := range ev {
			rs = append(rs, e.Reason)
		}
		return strings.Join(rs, ",")
	}
	for _, tc := range []struct {
		name string
		edit func(o *InviteOrder)
		want string // reasons, "" = not a candidate
	}{
		{"thanked after delivery", func(o *InviteOrder) {}, ReasonThanked},
		{"delivered exactly 15 days before as-of", func(o *InviteOrder) { o.DeliveredAt = from }, ReasonThanked},
		{"delivered 15 days and 1 ms before", func(o *InviteOrder) { o.DeliveredAt = from - 1 }, ""},
		{"delivered later than the as-of day", func(o *InviteOrder) { o.DeliveredAt = end + 1 }, ""},
		{"not delivered", func(o *InviteOrder) { o.DeliveredAt = 0 }, ""},
		{"cancelled", func(o *InviteOrder) { o.Cancelled = true }, ""},
		{"not paid", func(o *InviteOrder) { o.PaidAt = 0 }, ""},
		{"already reviewed", func(o *InviteOrder) { o.Reviewed = true }, ""},
		{"a complaint", func(o *InviteOrder) { o.Complaints = 1 }, ""},
		{"pending refund", func(o *InviteOrder) {
			o.AfterSales = []AfterSale{{Type: kpi.RefundOnly, Status: kpi.RefundPending}}
		}, ""},
		{"successful refund", func(o *InviteOrder) {
			o.AfterSales = []AfterSale{{Type: kpi.ReturnRefund, Status: kpi.RefundSuccess}}
		}, ""},
		{"closed (withdrawn) refund", func(o *InviteOrder) {
			o.AfterSales = []AfterSale{{Type: kpi.RefundOnly, Status: kpi.RefundClosed}}
		}, ReasonThanked + "," + ReasonAftersaleSolved},
		{"reissue succeeded, no thanks", func(o *InviteOrder) {
			o.AfterSales = []AfterSale{{Type: kpi.Reissue, Status: kpi.RefundSuccess}}
			o.Chat = o.Chat[:2]
		}, ReasonAftersaleSolved},
		{"a refund closed after the as-of day was still pending on it", func(o *InviteOrder) {
			o.AfterSales = []AfterSale{{Type: kpi.RefundOnly, Status: kpi.RefundClosed, CompletedAt: end + 1}}
		}, ""},
		{"a refund closed on the as-of day", func(o *InviteOrder) {
			o.AfterSales = []AfterSale{{Type: kpi.RefundOnly, Status: kpi.RefundClosed, CompletedAt: end}}
		}, ReasonThanked + "," + ReasonAftersaleSolved},
		{"a reissue that succeeded after the as-of day", func(o *InviteOrder) {
			o.AfterSales = []AfterSale{{Type: kpi.Reissue, Status: kpi.RefundSuccess, CompletedAt: end + dayMs}}
		}, ""},
		{"pending exchange", func(o *InviteOrder) {
			o.AfterSales = []AfterSale{{Type: kpi.Exchange, Status: kpi.RefundPending}}
		}, ""},
		{"anger word after the order", func(o *InviteOrder) {
			o.Chat = append(o.Chat, Msg{kpi.RoleBuyer, o.CreatedAt + 5*dayMs, "再这样我要投诉"}, Msg{kpi.RoleAgent, o.CreatedAt + 5*dayMs + 1000, "抱歉"})
		}, ""},
		{"anger word before the order", func(o *InviteOrder) {
			o.Chat = append([]Msg{{kpi.RoleBuyer, o.CreatedAt - 2*hour, "上次那家给了差评"}, {kpi.RoleAgent, o.CreatedAt - 2*hour + 1000, "我们家放心"}}, o.Chat...)
		}, ReasonThanked},
		{"anger word after the as-of day is not read", func(o *InviteOrder) {
			o.Chat = append(o.Chat, Msg{kpi.RoleBuyer, end + 1, "投诉"})
		}, ReasonThanked},
		{"last question unanswered", func(o *InviteOrder) {
			o.Chat = append(o.Chat, Msg{kpi.RoleBuyer, o.CreatedAt + 6*dayMs, "请问怎么保养"})
		}, ""},
		{"last question answered only by a bot", func(o *InviteOrder) {
			o.Chat = append(o.Chat, Msg{kpi.RoleBuyer, o.CreatedAt + 6*dayMs, "请问怎么保养"}, Msg{kpi.RoleBot, o.CreatedAt + 6*dayMs, "自动回复"})
		}, ""},
		{"same-second answer after the question", func(o *InviteOrder) {
			at := o.CreatedAt + 6*dayMs
			o.Chat = append(o.Chat, Msg{kpi.RoleBuyer, at, "请问怎么保养"}, Msg{kpi.RoleAgent, at, "用软布擦"})
		}, ReasonThanked},
		{"same-second agent message before the question", func(o *InviteOrder) {
			at := o.CreatedAt + 6*dayMs
			o.Chat = append(o.Chat, Msg{kpi.RoleAgent, at, "亲还有什么问题"}, Msg{kpi.RoleBuyer, at, "请问怎么保养"})
		}, ""},
		{"no positive signal", func(o *InviteOrder) { o.Chat = o.Chat[:2] }, ""},
		{"repeat buyer", func(o *InviteOrder) {
			o.Chat = o.Chat[:2]
			o.BuyerPaid = []PastOrder{{OrderID: "O0", PaidAt: o.PaidAt - 30*dayMs, GoodReview: true}}
		}, ReasonRepeatBuyer},
		{"a later good order is not an earlier one", func(o *InviteOrder) {
			o.Chat = o.Chat[:2]
			o.BuyerPaid = []PastOrder{{OrderID: "O2", PaidAt: o.PaidAt + dayMs, GoodReview: true}}
		}, ""},
		{"an earlier order without a good review", func(o *InviteOrder) {
			o.Chat = o.Chat[:2]
			o.BuyerPaid = []PastOrder{{OrderID: "O0", PaidAt: o.PaidAt - 30*dayMs}}
		}, ""},
	} {
		o := base()
		tc.edit(o)
		ev, ok := Invite(o, from, end, testWords)
		if got := reasons(ev); ok != (tc.want != "") || (ok && got != tc.want) {
			t.Errorf("%s: candidate=%v reasons %q, want %q", tc.name, ok, got, tc.want)
		}
	}
}
