package cli

import (
	"context"
	"encoding/json"
	"fmt"
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
	return dayFlag("as-of", v, kpi.Clock{Loc: sh.Location()}.DayOf(kpi.Millis(time.Now().UnixMilli())))
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
			Deadline: c.Deadline.String(), DaysLeft: c.DaysLeft, Urgency: optString(c.Urgency), State: c.State, Closed: c.Closed,
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

// printJSON prints v indented, with a final newline.
func printJSON(env Env, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(env.Stdout, string(b))
	return err
}
