package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/kefuboard/kefuboard/internal/demo"
	"github.com/kefuboard/kefuboard/internal/kpi"
)

func runDemo(ctx context.Context, env Env, args []string) error {
	fs, db := flags("demo", env)
	out := fs.String("out", "", "输出目录")
	days := fs.Int("days", 90, "天数")
	agents := fs.Int("agents", 6, "客服人数（最多 20）")
	seed := fs.Int64("seed", 1, "随机种子（相同参数生成相同文件）")
	chats := fs.Int("chats", 40, "每位客服每天接待的会话数")
	shop := fs.String("shop", "示例旗舰店", "店铺名称")
	doImport := fs.Bool("import", false, "生成后立即导入数据库，并输出最近 7 天的报告")
	platform := fs.Bool("platform-exports", false, "改为生成拼多多后台能导出的文件：每天一份客服绩效报表（xlsx）和一份订单导出（GBK CSV）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := required("out", *out); err != nil {
		return err
	}
	// The demo ends yesterday (Asia/Shanghai), so "the last 7 days" are full days.
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	y, mo, d := time.Now().In(sh).AddDate(0, 0, -1).Date()
	endDay := kpi.DayOf(y, mo, d)
	if *platform {
		return runPlatformDemo(env, demo.PlatformConfig{Dir: *out, Days: *days, Agents: min(*agents, demo.MaxPlatformAgents), Seed: *seed,
			End: time.Date(y, mo, d, 0, 0, 0, 0, sh)})
	}
	m, err := demo.Generate(demo.Config{Dir: *out, Days: *days, Agents: *agents, Seed: *seed, ChatsPerAgentDay: *chats,
		ShopName: *shop, End: time.Date(y, mo, d, 0, 0, 0, 0, sh)})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已生成示例导出到 %s：消息 %d · 订单 %d · 售后 %d · 评价 %d · 投诉 %d · 会员 %d\n",
		*out, m.Messages, m.Orders, m.Refunds, m.Reviews, m.Complaints, m.Customers)
	for _, f := range m.Files {
		fmt.Fprintf(env.Stdout, "  %s\n", f)
	}
	if len(m.Planted) > 0 {
		fmt.Fprintf(env.Stdout, "故意放入的错误行（导入时应被拒绝）：\n")
		for _, p := range m.Planted {
			fmt.Fprintf(env.Stdout, "  %s 第%d行「%s」: %s\n", p.File, p.Row, p.Column, p.Why)
		}
	}
	if !*doImport {
		fmt.Fprintf(env.Stdout, "导入：kefuboard import --shop %s --platform pdd %s/*\n", *shop, *out)
		return nil
	}
	files := make([]string, len(m.Files))
	for i, f := range m.Files {
		files[i] = filepath.Join(*out, filepath.Base(f))
	}
	if err := runImport(ctx, env, append([]string{"--db", *db, "--shop", *shop, "--platform", "pdd"}, files...)); err != nil {
		return err
	}
	return runReport(ctx, env, []string{"--db", *db, "--shop", *shop, "--from", (endDay - 6).String(), "--to", endDay.String()})
}

// runPlatformDemo writes the platform-exports demo: what a PDD shop can
// really download (no chat logs).
func runPlatformDemo(env Env, cfg demo.PlatformConfig) error {
	m, err := demo.GeneratePlatform(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已生成拼多多后台导出到 %s：客服绩效报表 %d 份（每天一份）· 订单导出 %s · 客服 %d 位\n",
		cfg.Dir, len(m.ReportFiles), filepath.Base(m.OrderFile), len(m.Agents))
	fmt.Fprintf(env.Stdout, "导入：kefuboard import --shop 拼多多示例店 --platform pdd %s/*\n", cfg.Dir)
	return nil
}
