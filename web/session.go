package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gofiber/fiber/v2"
)

// sessions loads the scs session into the request's user context and commits
// it after the handler. scs's own LoadAndSave cannot be used through Fiber's
// adaptor: it commits before the Fiber handler runs (scs issue #106).
func (s *Server) sessions(c *fiber.Ctx) error {
	ctx, err := s.sm.Load(c.UserContext(), c.Cookies(s.sm.Cookie.Name))
	if err != nil {
		return err
	}
	c.SetUserContext(ctx)
	c.Append(fiber.HeaderVary, "Cookie")
	herr := c.Next()
	ctx = c.UserContext()
	switch s.sm.Status(ctx) {
	case scs.Modified:
		token, expiry, err := s.sm.Commit(ctx)
		if err != nil {
			return err
		}
		s.setSessionCookie(c, token, expiry)
	case scs.Destroyed:
		s.setSessionCookie(c, "", time.Time{})
	}
	return herr
}

func (s *Server) setSessionCookie(c *fiber.Ctx, token string, expiry time.Time) {
	ck := &fiber.Cookie{
		Name:     s.sm.Cookie.Name,
		Value:    token,
		Path:     "/",
		HTTPOnly: true,
		Secure:   s.sm.Cookie.Secure,
		SameSite: fiber.CookieSameSiteLaxMode,
		// A session cookie (no Expires) unless destroyed: closing the browser
		// signs out; the server-side lifetime still bounds it.
		SessionOnly: !expiry.IsZero(),
	}
	if expiry.IsZero() {
		ck.Expires = time.Unix(1, 0)
		ck.MaxAge = -1
	}
	c.Cookie(ck)
	c.Set(fiber.HeaderCacheControl, `no-cache="Set-Cookie"`)
}

const csrfKey = "csrf"

// csrfToken returns the session's CSRF token, creating one on first use.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	ctx := c.UserContext()
	if t := s.sm.GetString(ctx, csrfKey); t != "" {
		return t
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	t := base64.RawURLEncoding.EncodeToString(b)
	s.sm.Put(ctx, csrfKey, t)
	return t
}

// csrf refuses every state-changing request whose token (form field _csrf or
// header X-CSRF-Token) does not match the session's.
func (s *Server) csrf(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		// Make the token now, so any page (even the error page) can carry it.
		s.csrfToken(c)
		return c.Next()
	}
	want := s.sm.GetString(c.UserContext(), csrfKey)
	if want == "" { // no session token: refuse before reading any body
		return fiber.NewError(fiber.StatusForbidden, "页面已过期或来源不明（CSRF 校验失败）：请刷新页面后重试。")
	}
	got := c.Get("X-CSRF-Token")
	if got == "" {
		got = c.FormValue("_csrf")
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return fiber.NewError(fiber.StatusForbidden, "页面已过期或来源不明（CSRF 校验失败）：请刷新页面后重试。")
	}
	return c.Next()
}
