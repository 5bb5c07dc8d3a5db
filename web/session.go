package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/store"
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
	// A signed-in page, or one setting the session cookie, is nobody's to
	// keep: private, no-store — unless the handler said something stricter
	// of its own (backups, CSV downloads and job progress say no-store).
	if currentUser(c) != nil || s.sm.Status(ctx) != scs.Unmodified {
		if len(c.Response().Header.Peek(fiber.HeaderCacheControl)) == 0 {
			c.Set(fiber.HeaderCacheControl, "private, no-store")
		}
	}
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
	if len(c.Response().Header.Peek(fiber.HeaderCacheControl)) == 0 {
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	}
}

const csrfKey = "csrf"

// anonCSRFCookie carries the CSRF token of a visitor who is not signed in
// (the sign-in and first-run forms): a double-submit cookie, so that no
// session is created — and nothing written — for an anonymous request.
const anonCSRFCookie = "kefuboard_csrf"

// csrfToken returns the token a form of this response carries: the
// session's for a signed-in user (created on first use), else the
// anonymous cookie's (set on first use).
func (s *Server) csrfToken(c *fiber.Ctx) string {
	if currentUser(c) == nil {
		if t := c.Cookies(anonCSRFCookie); validToken(t) {
			return t
		}
		t := newToken()
		c.Cookie(&fiber.Cookie{Name: anonCSRFCookie, Value: t, Path: "/", HTTPOnly: true, Secure: s.sm.Cookie.Secure,
			SameSite: fiber.CookieSameSiteStrictMode, SessionOnly: true})
		return t
	}
	ctx := c.UserContext()
	if t := s.sm.GetString(ctx, csrfKey); t != "" {
		return t
	}
	t := newToken()
	s.sm.Put(ctx, csrfKey, t)
	return t
}

func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// validToken is a token newToken could have made (a cookie is user input).
func validToken(t string) bool {
	b, err := base64.RawURLEncoding.DecodeString(t)
	return err == nil && len(b) == 24
}

// csrf refuses every state-changing request whose token (header
// X-CSRF-Token, or the body's _csrf field) does not match the session's, or
// for a visitor not signed in, the anonymous cookie's.
func (s *Server) csrf(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if err := s.bodyGate(c); err != nil {
		return err
	}
	want := s.sm.GetString(c.UserContext(), csrfKey)
	if currentUser(c) == nil {
		want = c.Cookies(anonCSRFCookie)
	}
	if !validToken(want) { // no token to compare with: refuse before reading any body
		return errCSRF
	}
	got := c.Get("X-CSRF-Token")
	if got == "" {
		got = s.formToken(c)
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return errCSRF
	}
	return c.Next()
}

var errCSRF = fiber.NewError(fiber.StatusForbidden, "页面已过期或来源不明（CSRF 校验失败）：请刷新页面后重试。")

// maxFormBytes caps a request body that is not a file upload: every form of
// kefuboard is a few hundred bytes.
const maxFormBytes = 1 << 20

// bodyGate refuses, from the headers alone and before a byte of the body is
// read, what a request may not send: a multipart body (a file upload)
// unless a signed-in owner sends it, any body without a declared length,
// and bodies over their limit (MaxUploadBytes for uploads, maxFormBytes for
// forms). With a streamed request body the app's BodyLimit alone does not
// stop a body from being read (and spooled to disk).
func (s *Server) bodyGate(c *fiber.Ctx) error {
	h := &c.Request().Header
	n := h.ContentLength()
	multipart := strings.HasPrefix(strings.ToLower(string(h.ContentType())), "multipart/")
	upload := s.cfg.MaxUploadBytes
	if c.Path() == benchmarkCSVPath {
		upload = min(upload, maxBenchmarkCSVBytes)
	}
	switch {
	case multipart && (currentUser(c) == nil || currentUser(c).Role != store.RoleOwner):
		c.Set(fiber.HeaderConnection, "close")
		return fiber.NewError(fiber.StatusForbidden, "只有登录的店主可以上传文件。")
	case n < 0 && (h.Peek(fiber.HeaderTransferEncoding) != nil || multipart):
		c.Set(fiber.HeaderConnection, "close")
		return fiber.NewError(fiber.StatusLengthRequired, "请求缺少 Content-Length。")
	case multipart && int64(n) > upload:
		c.Set(fiber.HeaderConnection, "close")
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, "上传内容超过上限 "+impSize(upload)+"：请分批上传。")
	case !multipart && n > maxFormBytes:
		c.Set(fiber.HeaderConnection, "close")
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, "请求内容过大。")
	}
	return nil
}

// formToken reads the _csrf field of the body: a urlencoded form's, or (for
// an owner's upload without the header, bodyGate has checked it) the
// multipart form's. Never the query string: a token in a URL leaks through
// logs and the Referer.
func (s *Server) formToken(c *fiber.Ctx) string {
	if strings.HasPrefix(strings.ToLower(string(c.Request().Header.ContentType())), "multipart/") {
		form, err := c.MultipartForm()
		if err != nil || len(form.Value["_csrf"]) == 0 {
			return ""
		}
		return form.Value["_csrf"][0]
	}
	return string(c.Request().PostArgs().Peek("_csrf"))
}
