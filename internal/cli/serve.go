package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/kefuboard/kefuboard/internal/demoshop"
	"github.com/kefuboard/kefuboard/web"
)

func runServe(ctx context.Context, env Env, args []string) error {
	fs, db := flags("serve", env)
	addr := fs.String("addr", envOr(env, "KEFUBOARD_ADDR", ":8080"), "监听地址 (env KEFUBOARD_ADDR)")
	withDemo := fs.Bool("demo", false, "首次启动时导入 90 天 6 名客服的示例店铺，并创建店主和客服登录账号")
	demoPassword := fs.String("demo-password", env.Getenv("KEFUBOARD_DEMO_PASSWORD"), "示例账号的密码（默认随机生成）")
	secure := fs.Bool("secure-cookies", env.Getenv("KEFUBOARD_SECURE_COOKIES") == "1", "会话 Cookie 仅通过 HTTPS 发送（在 HTTPS 反向代理后面运行时开启）")
	verbose := fs.Bool("v", false, "记录每个请求的日志")
	proxies := fs.String("trusted-proxy", env.Getenv("KEFUBOARD_TRUSTED_PROXIES"), "可信的反向代理地址（逗号分隔的 IP 或网段，如 127.0.0.1,10.0.0.0/8）：只有来自它们的 X-Forwarded-For 才被当作客户端地址")
	if err := fs.Parse(args); err != nil {
		return err
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: level}))
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	dataDir := filepath.Dir(*db)
	if *withDemo {
		log.Info("preparing demo shop (first run imports ~90 days through the importer)")
		start := time.Now()
		lg, err := demoshop.Setup(ctx, st, demoshop.Config{Dir: filepath.Join(dataDir, "demo"), Password: *demoPassword, PlatformShop: true})
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if lg.Imported {
			log.Info("demo shop imported", "took", time.Since(start).Round(time.Millisecond))
		}
		fmt.Fprintf(env.Stdout, "\n示例店铺已就绪。打开 http://localhost%s 登录：\n  店主  用户名 %s  %s\n  客服  用户名 %s  %s（%s）\n\n",
			portOf(*addr), lg.Owner, demoPasswordLine(lg.OwnerPassword), lg.Agent, demoPasswordLine(lg.AgentPassword), lg.AgentName)
	}
	trusted, err := web.ParseProxies(*proxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxy: %w", err)
	}
	srv := web.New(web.Config{Store: st, Log: log, SecureCookies: *secure, DataDir: dataDir, TrustedProxies: trusted})
	log.Info("kefuboard listening", "addr", *addr, "db", *db)
	return srv.Listen(ctx, *addr)
}

// runHealthcheck is the Docker HEALTHCHECK: the image has no shell or curl.
func runHealthcheck(ctx context.Context, env Env, args []string) error {
	fs, _ := flags("healthcheck", env)
	url := fs.String("url", "http://127.0.0.1"+portOf(envOr(env, "KEFUBOARD_ADDR", ":8080"))+"/healthz", "健康检查地址")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", *url, resp.Status)
	}
	fmt.Fprintln(env.Stdout, "ok")
	return nil
}

func envOr(env Env, key, def string) string {
	if v := env.Getenv(key); v != "" {
		return v
	}
	return def
}

// portOf turns ":8080" or "0.0.0.0:8080" into ":8080".
func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[i:]
		}
	}
	return ":" + addr
}

// demoPasswordLine shows a demo password when it was just made; an account
// made by an earlier start keeps its password, which is not shown again.
func demoPasswordLine(pw string) string {
	if pw == "" {
		return "密码不变（上次启动时已显示；忘记了可用 kefuboard user passwd --name … 重设）"
	}
	return "密码 " + pw
}
