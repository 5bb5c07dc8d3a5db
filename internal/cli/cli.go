// Package cli implements the kefuboard subcommands. cmd/kefuboard only calls
// Run, so tests drive the very code users run.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/kefuboard/kefuboard/internal/store"
)

// DefaultDB is where the database lives unless --db or KEFUBOARD_DB say otherwise.
const DefaultDB = "data/kefuboard.db"

// Env is what a command sees of the outside world.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

var commands = map[string]command{
	"import":      {"导入平台导出文件（CSV/TSV/XLSX）", runImport},
	"report":      {"输出某店铺某时段的 JSON 指标报告", runReport},
	"targets":     {"列出各指标的本店数值、同行基准、平台线、建议目标和当前目标（--json）", runTargets},
	"alerts":      {"列出违反平台规则的日期（--json）", runAlerts},
	"cases":       {"列出待跟进的中差评案件（--all 含已结案，--json）", runCases},
	"invites":     {"列出适合邀请评价的订单及理由（--json）", runInvites},
	"risks":       {"列出风险会话：辱骂、站外交易、过度承诺、回复慢（--json）", runRisks},
	"customers":   {"列出有付款订单的客户及 RFM 分层（--as-of，--json）", runCustomers},
	"loyalty":     {"复购率、老客销售占比和前30%客户销售占比（--from --to，--json）", runLoyalty},
	"demo":        {"生成示例店铺的平台导出文件", runDemo},
	"recompute":   {"从原始数据重新计算全部指标", runRecompute},
	"serve":       {"启动网页看板（--demo 导入示例店铺）", runServe},
	"user":        {"管理登录账号：user add --role owner|agent", runUser},
	"healthcheck": {"检查运行中的服务是否健康（Docker 用）", runHealthcheck},
}

// Run runs one subcommand and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stderr)
		return 2
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "kefuboard: 未知命令 %q\n\n", args[0])
		usage(env.Stderr)
		return 2
	}
	if err := cmd.run(ctx, env, args[1:]); err != nil {
		if err == flag.ErrHelp {
			return 2
		}
		fmt.Fprintf(env.Stderr, "kefuboard %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "kefuboard — 客服绩效看板\n\n用法: kefuboard <命令> [参数]\n\n命令:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\n每个命令都接受 --db PATH（或环境变量 KEFUBOARD_DB），默认 "+DefaultDB+"。\n用 kefuboard <命令> -h 查看该命令的参数。")
}

// flags creates a flag set with the --db flag every subcommand has.
func flags(name string, env Env) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("kefuboard "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	def := env.Getenv("KEFUBOARD_DB")
	if def == "" {
		def = DefaultDB
	}
	db := fs.String("db", def, "数据库文件 (env KEFUBOARD_DB)")
	return fs, db
}

func openStore(ctx context.Context, path string) (*store.Store, error) {
	return store.Open(ctx, path)
}

// required reports the first empty required flag.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return fmt.Errorf("缺少参数 --%s", pairs[i])
		}
	}
	return nil
}
