package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

const (
	userKey  = "uid"
	epochKey = "epoch" // the user's session epoch at sign-in (store.User.SessionEpoch)
)

// loadUser puts the signed-in, active user (if any) in c.Locals("user").
func (s *Server) loadUser(c *fiber.Ctx) error {
	id := s.sm.GetInt64(c.UserContext(), userKey)
	if id == 0 {
		return c.Next()
	}
	u, err := s.st.UserByID(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!u.Active || s.sm.GetInt64(c.UserContext(), epochKey) != u.SessionEpoch)) {
		// Deleted, deactivated, or the password changed since this session
		// signed in: the session ends now.
		_ = s.sm.Destroy(c.UserContext())
		return c.Next()
	}
	if err != nil {
		return err
	}
	c.Locals("user", u)
	return c.Next()
}

// currentUser is the signed-in user, or nil.
func currentUser(c *fiber.Ctx) *store.User {
	u, _ := c.Locals("user").(*store.User)
	return u
}

// requireLogin sends anonymous visitors to the sign-in page (API calls get 401).
func (s *Server) requireLogin(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Next()
	}
	if strings.HasPrefix(c.Path(), "/api/") || c.Get("HX-Request") != "" {
		return fiber.NewError(fiber.StatusUnauthorized, "请先登录")
	}
	if c.Method() != fiber.MethodGet {
		return fiber.NewError(fiber.StatusUnauthorized, "登录已过期，请重新登录")
	}
	return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}

// requireOwner is middleware letting only owners through.
func requireOwner(c *fiber.Ctx) error {
	if err := ownerOnly(c); err != nil {
		return err
	}
	return c.Next()
}

// ownerOnly is the check inside a handler: errForbidden unless an owner.
func ownerOnly(c *fiber.Ctx) error {
	if u := currentUser(c); u == nil || u.Role != store.RoleOwner {
		return errForbidden
	}
	return nil
}

var errForbidden = fiber.NewError(fiber.StatusForbidden, "没有权限查看此页面：客服账号只能查看自己的绩效。")

// canSeeAgent reports whether the user may see agent id's detail: owners see
// everyone, an agent only themself.
func canSeeAgent(u *store.User, agentID int64) bool {
	if u == nil {
		return false
	}
	return u.Role == store.RoleOwner || (u.AgentID != 0 && u.AgentID == agentID)
}

// viewer shapes the user for the layout.
func viewer(u *store.User) *views.Viewer {
	if u == nil {
		return nil
	}
	return &views.Viewer{Name: u.Username, Role: u.Role, AgentID: u.AgentID, AgentName: u.AgentName}
}

// safeNext keeps a redirect target on this site: localTarget, else "/".
func safeNext(next string) string {
	if t, ok := localTarget(next); ok {
		return t
	}
	return "/"
}

// localTarget is the one check of every redirect target that comes from a
// request (a sign-in's next, a form's back): a path on this site, re-encoded.
// Refused: control characters (CR/LF would split the response, a tab is
// dropped by browsers and turns "/\t/evil" into "//evil"), backslashes
// (browsers read them as slashes), a scheme, a host or user, a leading "//",
// anything not starting with "/".
func localTarget(raw string) (string, bool) {
	if raw == "" || raw[0] != '/' || strings.HasPrefix(raw, "//") || strings.ContainsRune(raw, '\\') {
		return "", false
	}
	for _, r := range raw {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return "", false
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "", false
	}
	t := u.EscapedPath()
	if u.RawQuery != "" {
		t += "?" + u.Query().Encode()
	}
	return t, true
}
