// Command kefuboard is the 客服绩效看板: import platform exports, compute every
// customer-service KPI, and serve the dashboard. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // shop time zones must resolve on minimal images without /usr/share/zoneinfo

	"github.com/kefuboard/kefuboard/internal/cli"
)

// memoryLimit is the Go heap's soft limit unless GOMEMLIMIT says otherwise:
// a big import keeps per-buyer sets whose garbage would otherwise let the
// heap double before each collection (docs/PERFORMANCE.md, peak memory).
const memoryLimit = 160 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
