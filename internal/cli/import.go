package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/kefuboard/kefuboard/internal/importer"
	"github.com/kefuboard/kefuboard/internal/ingest"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

func runImport(ctx context.Context, env Env, args []string) error {
	fs, db := flags("import", env)
	shop := fs.String("shop", "", "店铺名称（首次导入时创建）")
	platform := fs.String("platform", "other", "平台: pdd|taobao|tmall|jd|douyin|other（新店铺）")
	tz := fs.String("tz", "Asia/Shanghai", "时区（新店铺）")
	kind := fs.String("kind", "", "文件类型: agent_report|messages|orders|refunds|reviews|complaints|customers（默认按表头识别）")
	period := fs.String("period", "", "客服绩效报表的日期，表中没有日期列、文件名里也没有日期时必填：2026-04-20 或 2026-04-01..2026-04-30")
	rejectsDir := fs.String("rejects-dir", "", "拒绝行 CSV 的目录（默认数据库旁的 rejects/）")
	badReviews := fs.Bool("bad-reviews", false, "没有评分列的评价列表按中差评（2 星）导入（从评价页面复制的差评列表）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := required("shop", *shop); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("请给出要导入的文件")
	}
	if !store.ValidPlatform(*platform) {
		return fmt.Errorf("未知平台 %q", *platform)
	}
	var k kpi.Kind
	if *kind != "" {
		var ok bool
		if k, ok = kpi.ParseKind(*kind); !ok {
			return fmt.Errorf("未知文件类型 %q", *kind)
		}
	}
	var per *kpi.Span
	if *period != "" {
		sp, err := importer.ParsePeriod(*period)
		if err != nil {
			return fmt.Errorf("--period: %w", err)
		}
		per = &sp
	}
	if *rejectsDir == "" {
		*rejectsDir = filepath.Join(filepath.Dir(*db), "rejects")
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	failed := 0
	for _, path := range fs.Args() {
		start := time.Now()
		opt := ingest.Options{Shop: *shop, Settings: store.ShopSettings{Platform: *platform, TZ: *tz}, Kind: k, Period: per, BadReviews: *badReviews,
			Progress: progressPrinter(env, filepath.Base(path))}
		res, err := importWaiting(ctx, env, s, path, opt)
		if err != nil {
			failed++
			fmt.Fprintf(env.Stdout, "%s: 导入失败，未写入任何数据: %v\n", filepath.Base(path), err)
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: %s（%s）新增 %d · 更新 %d · 未变 %d · 拒绝 %d · 用时 %s\n",
			res.File, res.Kind, res.Encoding, res.Added, res.Updated, res.Unchanged, res.Rejected, time.Since(start).Round(time.Millisecond))
		if res.AlertsErr != "" {
			fmt.Fprintf(env.Stdout, "  已导入，但平台规则检查失败：%s（可运行 kefuboard recompute 重试）\n", res.AlertsErr)
		}
		if res.NULs > 0 {
			fmt.Fprintf(env.Stdout, "  已去掉 %d 个空字符（NUL，不是数据）\n", res.NULs)
		}
		if res.Period != nil {
			fmt.Fprintf(env.Stdout, "  报表日期 %s 至 %s", res.Period.From, res.Period.To)
			if res.Skipped > 0 {
				fmt.Fprintf(env.Stdout, "，跳过汇总/平均行 %d 行", res.Skipped)
			}
			fmt.Fprintln(env.Stdout)
		}
		if p, err := ingest.SaveRejects(ctx, s, res, *rejectsDir); err != nil {
			fmt.Fprintf(env.Stdout, "  拒绝行未能写出: %v\n", err)
		} else if p != "" {
			fmt.Fprintf(env.Stdout, "  拒绝行（含原因，可修改后重新导入）: %s\n", p)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d 个文件导入失败", failed)
	}
	return nil
}

// progressPrinter prints progress on stderr at most every half second, so a
// big file shows it is moving and small files print nothing.
func progressPrinter(env Env, name string) func(read, total int64) {
	start := time.Now()
	last := start
	shown := false
	return func(read, total int64) {
		now := time.Now()
		done := total > 0 && read >= total
		if !done && now.Sub(last) < 500*time.Millisecond {
			return
		}
		if done && !shown {
			return
		}
		last, shown = now, true
		pct := 0.0
		if total > 0 {
			pct = 100 * float64(read) / float64(total)
		}
		fmt.Fprintf(env.Stderr, "导入 %s: %5.1f%%（%d / %d MB，%s）\n", name, pct, read>>20, total>>20, now.Sub(start).Round(time.Second))
	}
}

// busyWait is how long an import waits for another one (a server's, or a
// second command) to release the database before giving up.
var busyWait = 30 * time.Minute

// importWaiting imports a file, waiting its turn while another import holds
// the database: it says so once, retries every second, and gives up
// clearly after busyWait. A server next to it keeps serving pages.
func importWaiting(ctx context.Context, env Env, s *store.Store, path string, opt ingest.Options) (ingest.Result, error) {
	deadline := time.Now().Add(busyWait)
	said := false
	for {
		res, err := ingest.File(ctx, s, path, opt)
		if !errors.Is(err, store.ErrBusy) || time.Now().After(deadline) {
			return res, err
		}
		if !said {
			fmt.Fprintf(env.Stderr, "%s: 数据库正被另一个导入占用，等待它完成…\n", filepath.Base(path))
			said = true
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}
