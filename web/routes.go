package web

import (
	"io/fs"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/kefuboard/kefuboard/static"
)

// routes wires every page. Order matters: static files and the health check
// need no session; everything else loads the session, the user and checks
// CSRF; pages then demand a sign-in and, for most, the owner role.
func (s *Server) routes() {
	a := s.app
	a.Use(recover.New())
	a.Use(s.accessLog)
	a.Use(securityHeaders)
	a.Get("/healthz", s.healthz)
	a.Get("/favicon.ico", func(c *fiber.Ctx) error { return c.Redirect(static.URL("favicon.svg"), fiber.StatusMovedPermanently) })
	sub, _ := fs.Sub(static.FS, ".")
	a.Use("/static", func(c *fiber.Ctx) error {
		// URLs carry a content hash (static.URL), so the files never change under a URL.
		if c.Query("v") != "" {
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		}
		return c.Next()
	}, filesystem.New(filesystem.Config{Root: http.FS(sub)}))

	a.Use(s.sessions, s.loadUser, s.csrf)
	a.Get("/login", s.loginPage)
	a.Post("/login", s.login)
	a.Post("/logout", s.logout)
	a.Get("/setup", s.setupPage)
	a.Post("/setup", s.setup)

	a.Use(s.requireLogin)
	a.Get("/", s.home)
	a.Get("/me", s.me)
	s.pageRoutes(a)
}

// securityHeaders forbid framing, sniffing and scripts from anywhere but this
// server (charts are drawn by static/js/app.js from data attributes, so no
// inline script is needed).
func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
	return c.Next()
}

// accessLog logs one structured line per request.
func (s *Server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		if fe, ok := err.(*fiber.Error); ok {
			status = fe.Code
		} else {
			status = fiber.StatusInternalServerError
		}
	}
	s.log.Debug("request", "method", c.Method(), "path", c.Path(), "status", status, "dur", time.Since(start))
	return err
}

func (s *Server) healthz(c *fiber.Ctx) error {
	if err := s.st.Ping(c.UserContext()); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).SendString("db: " + err.Error())
	}
	return c.SendString("ok")
}

// home sends owners to the overview and agents to their own page.
func (s *Server) home(c *fiber.Ctx) error {
	if u := currentUser(c); u.Role != "owner" {
		return s.me(c)
	}
	return s.overview(c)
}

// me is an agent's own page.
func (s *Server) me(c *fiber.Ctx) error {
	u := currentUser(c)
	if u.AgentID == 0 {
		if u.Role == "owner" {
			return c.Redirect("/league", fiber.StatusSeeOther)
		}
		return fiber.NewError(fiber.StatusForbidden, "你的账号还没有关联客服名称，请联系店主在「设置 → 账号」中关联。")
	}
	return c.Redirect("/agents/"+itoa(u.AgentID), fiber.StatusSeeOther)
}
