package cli

import (
	"context"
	"fmt"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func runReport(ctx context.Context, env Env, args []string) error {
	fs, db := flags("report", env)
	shop := fs.String("shop", "", "店铺名称")
	from := fs.String("from", "", "开始日期 YYYY-MM-DD（含）")
	to := fs.String("to", "", "结束日期 YYYY-MM-DD（含）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := required("shop", *shop, "from", *from, "to", *to); err != nil {
		return err
	}
	f, err := kpi.ParseDay(*from)
	if err != nil {
		return fmt.Errorf("--from: 日期格式应为 YYYY-MM-DD: %q", *from)
	}
	t, err := kpi.ParseDay(*to)
	if err != nil {
		return fmt.Errorf("--to: 日期格式应为 YYYY-MM-DD: %q", *to)
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.Report(ctx, *shop, f, t)
	if err != nil {
		return err
	}
	b, err := r.JSON()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(env.Stdout, string(b))
	return err
}
