package loyalty

import (
	"fmt"
	"math"
	"sort"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// PaidOrder is one paid, not cancelled order of a buyer.
type PaidOrder struct {
	Buyer     string
	Day       kpi.Day // paid day
	AmountFen int64
}

// ParetoPoint is one point of the Pareto curve: after the top BuyerShare of
// the period's buyers (by period sales), SalesShare of the period's sales.
type ParetoPoint struct{ BuyerShare, SalesShare float64 }

// PeriodStats are the repurchase and 80/30 statistics of one period [from, to].
// A rate whose denominator is zero has its OK flag false (null) and value 0.
type PeriodStats struct {
	Buyers, RepeatBuyers                       int
	SalesFen, ReturningSalesFen, Top30SalesFen int64
	Top30Buyers                                int // ceil(0.3 × Buyers)
	RepurchaseRate, ReturningSalesShare        float64
	Top30SalesShare                            float64
	RepurchaseOK, ReturningOK, Top30OK         bool
	Pareto                                     []ParetoPoint
}

// maxParetoSteps bounds the Pareto curve: at most maxParetoSteps+1 evenly
// spaced points, plus the exact top-30% point when it is not one of them.
const maxParetoSteps = 100

// Period computes the statistics of [from, to] from all the paid orders the
// caller has. Orders before from only mark their buyer as returning; orders
// after to are ignored. A repeat buyer has ≥ 2 paid orders inside the period.
//
// returning_sales_share = period sales of buyers with a paid order before
// from / period sales. top30: the period's buyers sorted by period sales
// descending, ties by buyer (Go string order = code point order); the first
// ceil(0.3 × buyers) = (3n+9)/10 of them; their sales / period sales.
// Sales shares need SalesFen != 0 (all-zero amounts make them null).
func Period(orders []PaidOrder, from, to kpi.Day) PeriodStats {
	type agg struct {
		orders int
		sales  int64
		before bool
	}
	by := map[string]*agg{}
	get := func(b string) *agg {
		a := by[b]
		if a == nil {
			a = &agg{}
			by[b] = a
		}
		return a
	}
	for _, o := range orders {
		switch {
		case o.Day < from:
			get(o.Buyer).before = true
		case o.Day <= to:
			a := get(o.Buyer)
			a.orders++
			a.sales += o.AmountFen
		}
	}

	type buyerSales struct {
		buyer string
		sales int64
	}
	var s PeriodStats
	list := make([]buyerSales, 0, len(by))
	for b, a := range by {
		if a.orders == 0 {
			continue // only ordered before the period
		}
		s.Buyers++
		if a.orders >= 2 {
			s.RepeatBuyers++
		}
		s.SalesFen += a.sales
		if a.before {
			s.ReturningSalesFen += a.sales
		}
		list = append(list, buyerSales{b, a.sales})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].sales != list[j].sales {
			return list[i].sales > list[j].sales
		}
		return list[i].buyer < list[j].buyer
	})
	n := len(list)
	s.Top30Buyers = (3*n + 9) / 10
	for _, b := range list[:s.Top30Buyers] {
		s.Top30SalesFen += b.sales
	}

	if s.Buyers > 0 {
		s.RepurchaseOK = true
		s.RepurchaseRate = float64(s.RepeatBuyers) / float64(s.Buyers)
	}
	if s.SalesFen != 0 {
		total := float64(s.SalesFen)
		s.ReturningOK, s.ReturningSalesShare = true, float64(s.ReturningSalesFen)/total
		s.Top30OK, s.Top30SalesShare = true, float64(s.Top30SalesFen)/total
	}

	if s.SalesFen > 0 {
		// cum[i] = sales of the top i buyers.
		cum := make([]int64, n+1)
		for i, b := range list {
			cum[i+1] = cum[i] + b.sales
		}
		idx := make([]int, 0, maxParetoSteps+2)
		if n <= maxParetoSteps {
			for i := 0; i <= n; i++ {
				idx = append(idx, i)
			}
		} else {
			for j := 0; j <= maxParetoSteps; j++ {
				idx = append(idx, int(int64(j)*int64(n)/maxParetoSteps))
			}
			idx = append(idx, s.Top30Buyers)
			sort.Ints(idx)
		}
		total := float64(s.SalesFen)
		for k, i := range idx {
			if k > 0 && i == idx[k-1] {
				continue
			}
			s.Pareto = append(s.Pareto, ParetoPoint{
				BuyerShare: float64(i) / float64(n),
				SalesShare: float64(cum[i]) / total,
			})
		}
	}
	return s
}

// Verdict8030 says in one Chinese sentence whether the 80/30 rule (the top
// 30% of customers bring 80% of sales) holds for the period: it holds when
// Top30OK and Top30SalesShare ≥ 0.8.
func Verdict8030(s PeriodStats) string {
	if s.Buyers == 0 {
		return "所选时段内没有已付款订单，暂无数据判断二八定律。"
	}
	if !s.Top30OK {
		return fmt.Sprintf("所选时段内有 %d 位购买客户，但销售额为 0，无法判断二八定律。", s.Buyers)
	}
	// Rounded to one decimal like the figure beside it on the page, except
	// that a share just under 80% never reads "80.0%" next to "不到 80%".
	pct := math.Round(s.Top30SalesShare*1000) / 10
	if s.Top30SalesShare < 0.8 && pct >= 80 {
		pct = 79.9
	}
	note := ""
	if s.Buyers < 10 {
		note = "（客户较少，仅供参考）"
	}
	if s.Top30SalesShare >= 0.8 {
		return fmt.Sprintf("前 30%% 的客户（%d 人）贡献了 %.1f%% 的销售额：二八定律在本店成立，老客值得重点维护%s。",
			s.Top30Buyers, pct, note)
	}
	return fmt.Sprintf("前 30%% 的客户（%d 人）贡献了 %.1f%% 的销售额，不到 80%%：二八定律在本店不成立，销售额在客户间分布较为均匀%s。",
		s.Top30Buyers, pct, note)
}
