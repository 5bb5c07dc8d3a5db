// Command kefuboard is the 客服绩效看板: import platform exports, compute every
// customer-service KPI, and (soon) serve the dashboard. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // shop time zones must resolve on minimal images without /usr/share/zoneinfo

	"github.com/kefuboard/kefuboard/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
