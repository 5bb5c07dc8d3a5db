package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/loyalty"
	"github.com/kefuboard/kefuboard/internal/store"
)

// customerJSON is one buyer as `kefuboard customers --json` prints it
// (LOYALTY.md): spend in yuan, days as YYYY-MM-DD.
type customerJSON struct {
	Buyer        string  `json:"buyer"`
	Orders       int     `json:"orders"`
	Spend        float64 `json:"spend"`
	FirstPaid    string  `json:"first_paid"`
	LastPaid     string  `json:"last_paid"`
	RecencyDays  int     `json:"recency_days"`
	Segment      string  `json:"segment"`
	SegmentLabel string  `json:"segment_label"`
}

func runCustomers(ctx context.Context, env Env, args []string) error {
	fs, db := flags("customers", env)
	shop := fs.String("shop", "", "店铺名称")
	asOfS := fs.String("as-of", "", "按哪一天计算 YYYY-MM-DD（默认最后一天有数据的日期）")
	asJSON := fs.Bool("json", false, "输出 JSON 数组")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, sh, err := openShop(ctx, *db, *shop)
	if err != nil {
		return err
	}
	defer s.Close()
	def, err := s.DefaultAsOf(ctx, sh)
	if err != nil {
		return err
	}
	asOf, err := dayFlag("as-of", *asOfS, def)
	if err != nil {
		return err
	}
	cs, err := s.CustomersAsOf(ctx, sh, asOf)
	if err != nil {
		return err
	}
	out := make([]customerJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, customerJSON{Buyer: c.Buyer, Orders: c.Orders, Spend: yuan(c.SpendFen), FirstPaid: c.FirstPaid.String(),
			LastPaid: c.LastPaid.String(), RecencyDays: c.RecencyDays, Segment: c.Segment, SegmentLabel: loyalty.SegmentLabel(c.Segment)})
	}
	if *asJSON {
		return printJSON(env, out)
	}
	if len(out) == 0 {
		_, err := fmt.Fprintf(env.Stdout, "%s 截至 %s 没有付款订单的客户（订单文件没有买家列时无法按人统计）。\n", sh.Name, asOf)
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(w, "买家\t订单\t消费（元）\t首次付款\t最近付款\t距今天数\t分层")
	for _, c := range out {
		fmt.Fprintf(w, "%s\t%d\t%.2f\t%s\t%s\t%d\t%s\n", c.Buyer, c.Orders, c.Spend, c.FirstPaid, c.LastPaid, c.RecencyDays, c.SegmentLabel)
	}
	return w.Flush()
}

// yuan is an amount in fen as yuan.
func yuan(fen int64) float64 { return float64(fen) / 100 }

// loyaltyJSON is `kefuboard loyalty --json`: the period keys of LOYALTY.md
// (rates with a zero denominator are null) and what they rest on.
type loyaltyJSON struct {
	From                string   `json:"from"`
	To                  string   `json:"to"`
	Buyers              int      `json:"buyers"`
	RepeatBuyers        int      `json:"repeat_buyers"`
	RepurchaseRate      *float64 `json:"repurchase_rate"`
	ReturningSalesShare *float64 `json:"returning_sales_share"`
	Top30SalesShare     *float64 `json:"top30_sales_share"`
	Top30Buyers         int      `json:"top30_buyers"`
	Sales               float64  `json:"sales"`
	BuyerlessOrders     int      `json:"buyerless_orders"`
	Verdict             string   `json:"verdict"`
}

func optRate(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}

func runLoyalty(ctx context.Context, env Env, args []string) error {
	fs, db := flags("loyalty", env)
	shop := fs.String("shop", "", "店铺名称")
	from := fs.String("from", "", "开始日期 YYYY-MM-DD（含；默认结束日前 29 天）")
	to := fs.String("to", "", "结束日期 YYYY-MM-DD（含；默认最后一天有数据的日期）")
	asJSON := fs.Bool("json", false, "输出 JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, sh, err := openShop(ctx, *db, *shop)
	if err != nil {
		return err
	}
	defer s.Close()
	def, err := s.DefaultAsOf(ctx, sh)
	if err != nil {
		return err
	}
	f, t, err := periodDays(*from, *to, def)
	if err != nil {
		return err
	}
	if f > t {
		return fmt.Errorf("--from %s 晚于 --to %s", f, t)
	}
	out, err := loyaltyOf(ctx, s, sh, f, t)
	if err != nil {
		return err
	}
	if *asJSON {
		return printValue(env, out)
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintf(w, "%s %s 至 %s\n", sh.Name, out.From, out.To)
	fmt.Fprintf(w, "购买人数\t%d\n复购人数\t%d\n复购率\t%s\n老客销售占比\t%s\n前30%%客户销售占比\t%s\n", out.Buyers, out.RepeatBuyers,
		pctOf(out.RepurchaseRate), pctOf(out.ReturningSalesShare), pctOf(out.Top30SalesShare))
	if out.BuyerlessOrders > 0 {
		fmt.Fprintf(w, "没有买家的订单\t%d（订单文件没有买家列，不计入）\n", out.BuyerlessOrders)
	}
	fmt.Fprintln(w, out.Verdict)
	return w.Flush()
}

// loyaltyOf computes the period keys from the shop's orders.
func loyaltyOf(ctx context.Context, s *store.Store, sh *store.Shop, from, to kpi.Day) (loyaltyJSON, error) {
	orders, buyerless, err := s.LoyaltyOrders(ctx, sh, from, to)
	if err != nil {
		return loyaltyJSON{}, err
	}
	p := loyalty.Period(orders, from, to)
	return loyaltyJSON{From: from.String(), To: to.String(), Buyers: p.Buyers, RepeatBuyers: p.RepeatBuyers,
		RepurchaseRate: optRate(p.RepurchaseRate, p.RepurchaseOK), ReturningSalesShare: optRate(p.ReturningSalesShare, p.ReturningOK),
		Top30SalesShare: optRate(p.Top30SalesShare, p.Top30OK), Top30Buyers: p.Top30Buyers, Sales: yuan(p.SalesFen),
		BuyerlessOrders: buyerless, Verdict: loyalty.Verdict8030(p)}, nil
}

func pctOf(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}
