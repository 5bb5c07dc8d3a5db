// Package web is the HTTP side of kefuboard: a Fiber app rendering templ pages
// from the store's precomputed aggregates. Handlers fetch, build a view model
// and render; they never write SQL and never recompute a metric definition.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/memo"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// Config is what the server needs from main.
type Config struct {
	Store *store.Store
	Log   *slog.Logger
	// SecureCookies marks the session cookie Secure (serve behind HTTPS).
	SecureCookies bool
	// MaxUploadBytes caps one upload request (all files); 0 = 512 MB.
	MaxUploadBytes int64
	// DataDir is where uploads are staged and rejects CSVs kept.
	DataDir string
	// LoginRate is how many sign-in attempts one client may make per minute (0 = 10).
	LoginRate int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client (ParseProxies); none by default: the connection's address is it.
	TrustedProxies []*net.IPNet
}

// Server is the web app.
type Server struct {
	cfg Config
	st  *store.Store
	log *slog.Logger
	sm  *scs.SessionManager
	app *fiber.App
	// signins limits sign-in attempts per client and failures per account.
	signins *signinLimits
	// overviews memoises the overview's view model (read-only once built).
	overviews *memo.Cache[overviewKey, views.OverviewModel]
	// targetViews memoises the targets page's model the same way: targets
	// and benchmarks bump the data version when they change.
	targetViews *memo.Cache[targetsKey, views.TargetsModel]
	// invites memoises the invitation candidates (seconds on a big shop)
	// per shop data version, day and agent; who was invited is read per
	// request.
	invites *memo.Cache[invitesKey, []store.Invite]
	// queues memoises the work-queue pages' models (queueModel).
	queues *memo.Cache[queueKey, any]
	// navCounts memoises the navigation's case counts (every page draws them).
	navCounts *memo.Cache[navKey, store.CaseCounts]
	// loyalty memoises the period's repurchase and 80/30 figures per shop
	// data version and period (they read every paid order up to its end).
	loyalty *memo.Cache[loyaltyKey, views.LoyaltyView]
	// summaries memoises the customer list's shop-wide parts (segments,
	// levels) per shop data version and viewer.
	summaries *memo.Cache[summaryKey, customerSummary]
}

// New builds the app with every route.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = 512 << 20
	}
	if cfg.LoginRate == 0 {
		cfg.LoginRate = 10
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	}
	s := &Server{cfg: cfg, st: cfg.Store, log: cfg.Log, overviews: memo.New[overviewKey, views.OverviewModel](64),
		targetViews: memo.New[targetsKey, views.TargetsModel](32),
		invites:     memo.New[invitesKey, []store.Invite](32),
		navCounts:   memo.New[navKey, store.CaseCounts](256),
		queues:      memo.New[queueKey, any](128),
		loyalty:     memo.New[loyaltyKey, views.LoyaltyView](32),
		summaries:   memo.New[summaryKey, customerSummary](64),
		signins:     newSigninLimits(cfg.LoginRate, cfg.TrustedProxies)}
	s.sm = scs.New()
	s.sm.Store = cfg.Store.Sessions()
	s.sm.Lifetime = 7 * 24 * time.Hour
	s.sm.IdleTimeout = 24 * time.Hour
	s.sm.Cookie.Name = "kefuboard_session"
	s.sm.Cookie.HttpOnly = true
	s.sm.Cookie.SameSite = http.SameSiteLaxMode
	s.sm.Cookie.Secure = cfg.SecureCookies
	s.sm.Cookie.Persist = false
	s.app = fiber.New(fiber.Config{
		AppName:           "kefuboard",
		Immutable:         true, // strings from the request outlive it (sessions, view models)
		BodyLimit:         int(cfg.MaxUploadBytes),
		StreamRequestBody: true,
		// Multipart bodies are parsed only when a handler asks, i.e. after
		// the session, sign-in and CSRF checks, not for anonymous requests.
		DisablePreParseMultipartForm: true,
		ErrorHandler:                 s.handleError,
		DisableStartupMessage:        true,
		ReadTimeout:                  10 * time.Minute, // big uploads on slow links
		WriteTimeout:                 2 * time.Minute,
		IdleTimeout:                  2 * time.Minute,
	})
	s.routes()
	return s
}

// App exposes the Fiber app (tests use app.Test).
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until ctx is cancelled, then shuts down gracefully,
// letting requests in flight (an import, say) finish for up to 30 seconds.
func (s *Server) Listen(ctx context.Context, addr string) error {
	errc := make(chan error, 1)
	go func() { errc <- s.app.Listen(addr) }()
	go s.cleanSessions(ctx)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "addr", addr)
	if err := s.app.ShutdownWithTimeout(30 * time.Second); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) cleanSessions(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.st.Sessions().DeleteExpired(ctx); err != nil {
				s.log.Warn("delete expired sessions", "err", err)
			}
		}
	}
}
