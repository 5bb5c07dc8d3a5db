package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// targetJSON is one KPI of `kefuboard targets --json`.
type targetJSON struct {
	KPI        string         `json:"kpi"`
	Name       string         `json:"name"`
	Value      *float64       `json:"value"`
	Source     string         `json:"source,omitempty"`
	Avg        *float64       `json:"avg"`
	Top10      *float64       `json:"top10"`
	ReadOn     string         `json:"read_on,omitempty"`
	Threshold  *float64       `json:"threshold"`
	Suggested  *float64       `json:"suggested"`
	Reason     string         `json:"reason,omitempty"`
	Target     *targetInForce `json:"target"`
	Attainment *float64       `json:"attainment"`
}

type targetInForce struct {
	Value float64 `json:"value"`
	Scope string  `json:"scope"`
	From  string  `json:"from"`
}

func runTargets(ctx context.Context, env Env, args []string) error {
	fs, db := flags("targets", env)
	shop := fs.String("shop", "", "店铺名称")
	asOf := fs.String("as-of", "", "截至哪一天 YYYY-MM-DD（默认昨天）；数值取截至这天的近 30 天")
	asJSON := fs.Bool("json", false, "输出 JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, sh, err := openShop(ctx, *db, *shop)
	if err != nil {
		return err
	}
	defer s.Close()
	day, err := dayFlag("as-of", *asOf, sh.Yesterday(time.Now()))
	if err != nil {
		return err
	}
	rows, err := s.TargetsView(ctx, sh, day)
	if err != nil {
		return err
	}
	out := make([]targetJSON, 0, len(rows))
	for _, r := range rows {
		j := targetJSON{KPI: r.Metric.Key, Name: r.Metric.Name, Avg: r.Avg, Top10: r.Top, Threshold: r.Threshold, Attainment: r.Attainment}
		if r.ValueOK {
			v := r.Value
			j.Value, j.Source = &v, r.Source.String()
		}
		if r.ReadOn != 0 {
			j.ReadOn = r.ReadOn.String()
		}
		if r.Suggestion.OK {
			v := r.Suggestion.Value
			j.Suggested, j.Reason = &v, r.Suggestion.Reason
		}
		if r.Target != nil {
			j.Target = &targetInForce{Value: r.Target.Value, Scope: r.Target.Scope, From: r.Target.From.String()}
		}
		out = append(out, j)
	}
	if *asJSON {
		return printValue(env, struct {
			Shop string       `json:"shop"`
			AsOf string       `json:"as_of"`
			From string       `json:"from"`
			To   string       `json:"to"`
			KPIs []targetJSON `json:"kpis"`
		}{sh.Name, day.String(), (day - 29).String(), day.String(), out})
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintf(w, "%s 截至 %s 的近 30 天\n指标\t本店\t同行均值\t同行优秀\t平台线\t建议目标\t目标\t达成\n", sh.Name, day)
	for _, j := range out {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", j.Name, num(j.Value), num(j.Avg), num(j.Top10), num(j.Threshold), num(j.Suggested),
			func() string {
				if j.Target == nil {
					return "—"
				}
				return fmt.Sprintf("%g（%s，%s 起）", j.Target.Value, j.Target.Scope, j.Target.From)
			}(), pct(j.Attainment))
	}
	return w.Flush()
}

func runAlerts(ctx context.Context, env Env, args []string) error {
	fs, db := flags("alerts", env)
	shop := fs.String("shop", "", "店铺名称")
	from := fs.String("from", "", "开始日期 YYYY-MM-DD（含；默认 30 天前）")
	to := fs.String("to", "", "结束日期 YYYY-MM-DD（含；默认昨天）")
	asJSON := fs.Bool("json", false, "输出 JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, sh, err := openShop(ctx, *db, *shop)
	if err != nil {
		return err
	}
	defer s.Close()
	f, t, err := periodDays(*from, *to, sh.Yesterday(time.Now()))
	if err != nil {
		return err
	}
	alerts, err := s.Alerts(ctx, sh, f, t)
	if err != nil {
		return err
	}
	if alerts == nil {
		alerts = []kpi.Alert{}
	}
	if *asJSON {
		return printValue(env, struct {
			Shop   string      `json:"shop"`
			From   string      `json:"from"`
			To     string      `json:"to"`
			Alerts []kpi.Alert `json:"alerts"`
		}{sh.Name, f.String(), t.String(), alerts})
	}
	if len(alerts) == 0 {
		_, err = fmt.Fprintf(env.Stdout, "%s %s 至 %s 没有违反平台规则的记录。\n", sh.Name, f, t)
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(w, "日期\t规则\t数值\t规则线\t后果")
	for _, a := range alerts {
		when := a.Day
		if when == "" {
			when = a.From + "~" + a.To
		}
		fmt.Fprintf(w, "%s\t%s\t%.4g\t%.4g\t%s\n", when, a.Name, a.Value, a.Threshold, a.Consequence)
	}
	return w.Flush()
}

func num(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.4g", *p)
}

func pct(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", *p*100)
}

// openShop opens the database and finds the shop --shop names (required).
func openShop(ctx context.Context, db, name string) (*store.Store, *store.Shop, error) {
	if err := required("shop", name); err != nil {
		return nil, nil, err
	}
	s, err := openStore(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	sh, err := s.ShopByName(ctx, name)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, sh, nil
}

// dayFlag is a YYYY-MM-DD flag's day, def when it was not given.
func dayFlag(name, v string, def kpi.Day) (kpi.Day, error) {
	if v == "" {
		return def, nil
	}
	d, err := kpi.ParseDay(v)
	if err != nil {
		return 0, fmt.Errorf("--%s: 日期格式应为 YYYY-MM-DD: %q", name, v)
	}
	return d, nil
}
