package cli

import (
	"context"
	"fmt"
	"time"
)

func runRecompute(ctx context.Context, env Env, args []string) error {
	fs, db := flags("recompute", env)
	shop := fs.String("shop", "", "只重算这个店铺（默认全部）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	names := []string{*shop}
	if *shop == "" {
		shops, err := s.Shops(ctx)
		if err != nil {
			return err
		}
		names = names[:0]
		for _, sh := range shops {
			names = append(names, sh.Name)
		}
	}
	for _, n := range names {
		start := time.Now()
		if err := s.Recompute(ctx, n); err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		fmt.Fprintf(env.Stdout, "%s: 已重新计算（%s）\n", n, time.Since(start).Round(time.Millisecond))
	}
	return nil
}
