package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/queues"
	"github.com/kefuboard/kefuboard/internal/store"
)

// caseJSON is one case as `kefuboard cases --json` prints it (QUEUES.md).
type caseJSON struct {
	ReviewKey   string  `json:"review_key"`
	OrderID     string  `json:"order_id"`
	Buyer       string  `json:"buyer"`
	Rating      int     `json:"rating"`
	FirstRating int     `json:"first_rating"`
	CreatedAt   string  `json:"created_at"`
	Agent       *string `json:"agent"`
	Assigned    *string `json:"assigned_to"`
	Deadline    string  `json:"deadline"`
	DaysLeft    int     `json:"days_left"`
	Urgency     *string `json:"urgency"`
	State       string  `json:"state"`
	Outcome     *string `json:"outcome"`
	Closed      bool    `json:"closed"`
	Product     string  `json:"product"`
	Content     string  `json:"content"`
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// asOfFlag is the --as-of day of a queue command: today in the shop's time
// zone unless given.
func asOfFlag(v string, sh *store.Shop) (kpi.Day, error) {
	return dayFlag("as-of", v, sh.Today(time.Now()))
}

func runCases(ctx context.Context, env Env, args []string) error {
	fs, db := flags("cases", env)
	shop := fs.String("shop", "", "店铺名称")
	asOfS := fs.String("as-of", "", "按哪一天计算期限 YYYY-MM-DD（默认今天）")
	all := fs.Bool("all", false, "包括已结案的案件")
	asJSON := fs.Bool("json", false, "输出 JSON 数组")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, sh, err := openShop(ctx, *db, *shop)
	if err != nil {
		return err
	}
	defer s.Close()
	asOf, err := asOfFlag(*asOfS, sh)
	if err != nil {
		return err
	}
	cs, err := s.Cases(ctx, sh, asOf, store.CaseFilter{All: *all})
	if err != nil {
		return err
	}
	out := make([]caseJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, caseJSON{ReviewKey: c.ReviewKey, OrderID: c.OrderID, Buyer: c.Buyer, Rating: c.Rating, FirstRating: c.FirstRating,
			CreatedAt: store.ISOTime(c.CreatedAt, sh.Location()), Agent: optString(c.Agent), Assigned: optString(c.Assigned),
			Deadline: c.Deadline.String(), DaysLeft: c.DaysLeft, Urgency: optString(c.Urgency), State: c.State, Outcome: optString(c.Outcome), Closed: c.Closed,
			Product: c.Product, Content: c.Content})
	}
	if *asJSON {
		return printJSON(env, out)
	}
	if len(out) == 0 {
		_, err := fmt.Fprintf(env.Stdout, "%s 截至 %s 没有待跟进的中差评。\n", sh.Name, asOf)
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(w, "期限\t剩余天数\t紧急程度\t状态\t评分\t订单号\t买家\t客服")
	for _, c := range out {
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%d\t%s\t%s\t%s\n", c.Deadline, c.DaysLeft, urgencyLabel(c.Urgency), queues.StateLabel(c.State),
			c.Rating, c.OrderID, c.Buyer, deref(c.Agent))
	}
	return w.Flush()
}

func urgencyLabel(u *string) string {
	switch deref(u) {
	case queues.Overdue:
		return "已超期"
	case queues.Due:
		return "3天内到期"
	case queues.Open:
		return "跟进中"
	}
	return "—"
}

func deref(s *string) string {
	if s == nil {
		return "—"
	}
	return *s
}

// printJSON prints a JSON array exactly as json.MarshalIndent(items, "",
// "  ") would, plus a final newline, encoded straight into one buffered
// writer: a queue of thousands of cases is megabytes of JSON.
func printJSON[T any](env Env, items []T) error {
	if items == nil {
		items = []T{}
	}
	return printValue(env, items)
}

// printValue prints v as json.MarshalIndent(v, "", "  ") would, plus a
// final newline (every --json of the command line).
func printValue(env Env, v any) error {
	w := bufio.NewWriterSize(env.Stdout, 64<<10)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return w.Flush()
}

// periodDays reads --from and --to: to defaults to defTo, from to the 30
// days ending on to.
func periodDays(from, to string, defTo kpi.Day) (kpi.Day, kpi.Day, error) {
	t, err := dayFlag("to", to, defTo)
	if err != nil {
		return 0, 0, err
	}
	f, err := dayFlag("from", from, t-29)
	return f, t, err
}

// inviteJSON is one candidate as `kefuboard invites --json` prints it.
type inviteJSON struct {
	OrderID     string         `json:"order_id"`
	Buyer       string         `json:"buyer"`
	DeliveredAt string         `json:"delivered_at"`
	Agent       *string        `json:"agent"`
	Reasons     []string       `json:"reasons"`
	Evidence    []evidenceJSON `json:"evidence"`
	Product     string         `json:"product"`
	InvitedAt   *string        `json:"invited_at"`
}

type evidenceJSON struct {
	Reason string   `json:"reason"`
	Text   string   `json:"text,omitempty"`
	SentAt string   `json:"sent_at,omitempty"`
	Words  []string `json:"words,omitempty"`
}

func runInvites(ctx context.Context, env Env, args []string) error {
	fs, db := flags("invites", env)
	shop := fs.String("shop", "", "店铺名称")
	asOfS := fs.String("as-of", "", "按哪一天计算 YYYY-MM-DD（默认今天）")
	asJSON := fs.Bool("json", false, "输出 JSON 数组")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, sh, err := openShop(ctx, *db, *shop)
	if err != nil {
		return err
	}
	defer s.Close()
	asOf, err := asOfFlag(*asOfS, sh)
	if err != nil {
		return err
	}
	inv, err := s.Invites(ctx, sh, asOf, 0)
	if err != nil {
		return err
	}
	loc := sh.Location()
	out := make([]inviteJSON, 0, len(inv))
	for _, v := range inv {
		j := inviteJSON{OrderID: v.OrderID, Buyer: v.Buyer, DeliveredAt: store.ISOTime(v.DeliveredAt, loc), Agent: optString(v.Agent),
			Product: v.Product, Reasons: []string{}, Evidence: []evidenceJSON{}}
		for _, e := range v.Evidence {
			j.Reasons = append(j.Reasons, e.Reason)
			ej := evidenceJSON{Reason: e.Reason, Text: e.Text, Words: e.Words}
			if e.SentAt != 0 {
				ej.SentAt = store.ISOTime(e.SentAt, loc)
			}
			j.Evidence = append(j.Evidence, ej)
		}
		if v.SentAt != 0 {
			j.InvitedAt = optString(store.ISOTime(v.SentAt, loc))
		}
		out = append(out, j)
	}
	if *asJSON {
		return printJSON(env, out)
	}
	if len(out) == 0 {
		_, err := fmt.Fprintf(env.Stdout, "%s 截至 %s 没有适合邀评的订单。\n", sh.Name, asOf)
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(w, "签收时间\t订单号\t买家\t客服\t理由")
	for _, j := range out {
		var rs []string
		for _, r := range j.Reasons {
			rs = append(rs, queues.ReasonLabel(r))
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", j.DeliveredAt, j.OrderID, j.Buyer, deref(j.Agent), strings.Join(rs, "、"))
	}
	return w.Flush()
}

// riskJSON is one item as `kefuboard risks --json` prints it.
type riskJSON struct {
	Category string   `json:"category"`
	Words    []string `json:"words"`
	Count    int      `json:"count,omitempty"`
	Agent    *string  `json:"agent"`
	Buyer    string   `json:"buyer"`
	SentAt   string   `json:"sent_at"`
	Day      string   `json:"day"`
	Content  string   `json:"content"`
	Status   *string  `json:"status"`
	Rule     string   `json:"rule"` // the platform rule the category breaks (PDD: abuse → 3 days delisted)
}

func runRisks(ctx context.Context, env Env, args []string) error {
	fs, db := flags("risks", env)
	shop := fs.String("shop", "", "店铺名称")
	from := fs.String("from", "", "开始日期 YYYY-MM-DD（含；默认 30 天前）")
	to := fs.String("to", "", "结束日期 YYYY-MM-DD（含；默认今天）")
	asJSON := fs.Bool("json", false, "输出 JSON 数组")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, sh, err := openShop(ctx, *db, *shop)
	if err != nil {
		return err
	}
	defer s.Close()
	f, t, err := periodDays(*from, *to, sh.Today(time.Now()))
	if err != nil {
		return err
	}
	items, err := s.Risks(ctx, sh, f, t, store.RiskFilter{})
	if err != nil {
		return err
	}
	out := make([]riskJSON, 0, len(items))
	for _, it := range items {
		j := riskJSON{Category: it.Category, Words: it.Words, Count: it.Count, Agent: optString(it.Agent), Buyer: it.Buyer,
			SentAt: store.ISOTime(it.SentAt, sh.Location()), Day: it.Day.String(), Content: it.Content, Status: optString(it.Status),
			Rule: store.RiskRule(it.Category)}
		if j.Words == nil {
			j.Words = []string{}
		}
		out = append(out, j)
	}
	if *asJSON {
		return printJSON(env, out)
	}
	if len(out) == 0 {
		_, err := fmt.Fprintf(env.Stdout, "%s %s 至 %s 没有风险会话。\n", sh.Name, f, t)
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(w, "时间\t类别\t客服\t买家\t命中\t内容")
	for _, j := range out {
		hit := strings.Join(j.Words, "、")
		if j.Category == store.RiskSlow {
			hit = fmt.Sprintf("%d 次超过5分钟", j.Count)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", j.SentAt, store.RiskLabel(j.Category), deref(j.Agent), j.Buyer, hit, j.Content)
	}
	return w.Flush()
}
