package web

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/auth"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

func (s *Server) loginPage(c *fiber.Ctx) error {
	if n, err := s.st.CountUsers(c.UserContext()); err == nil && n == 0 {
		return c.Redirect("/setup", fiber.StatusSeeOther)
	}
	if currentUser(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return render(c, views.Login(views.LoginForm{CSRF: s.csrfToken(c), Next: c.Query("next")}))
}

func (s *Server) login(c *fiber.Ctx) error {
	ctx := c.UserContext()
	name, pw, next := c.FormValue("username"), c.FormValue("password"), c.FormValue("next")
	client := s.signins.clientIP(c)
	if !s.signins.allow(client, name) {
		s.log.Warn("sign-in limited", "user", name, "client", client)
		return fiber.NewError(fiber.StatusTooManyRequests, "登录尝试过于频繁，请稍后再试（同一账号连续输错 5 次需等 15 分钟）。")
	}
	u, err := s.st.UserByName(ctx, name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if u == nil {
		auth.BurnTime(pw)
	}
	if u == nil || !auth.CheckPassword(u.PasswordHash, pw) || !u.Active {
		s.signins.failed(client, name)
		s.log.Info("sign-in refused", "user", name, "client", client)
		c.Status(fiber.StatusUnauthorized)
		return render(c, views.Login(views.LoginForm{CSRF: s.csrfToken(c), Username: name, Next: next, Error: "用户名或密码错误，或账号已停用。"}))
	}
	// A new token on sign-in: a session id planted before cannot be ridden.
	if err := s.sm.RenewToken(ctx); err != nil {
		return err
	}
	s.signIn(ctx, u)
	_ = s.st.TouchLogin(ctx, u.ID)
	s.log.Info("signed in", "user", u.Username, "role", u.Role)
	return c.Redirect(safeNext(next), fiber.StatusSeeOther)
}

func (s *Server) logout(c *fiber.Ctx) error {
	if err := s.sm.Destroy(c.UserContext()); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// setupPage creates the first owner; once any user exists it is gone.
func (s *Server) setupPage(c *fiber.Ctx) error {
	if n, err := s.st.CountUsers(c.UserContext()); err != nil || n > 0 {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return render(c, views.Setup(views.SetupForm{CSRF: s.csrfToken(c)}))
}

func (s *Server) setup(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if n, err := s.st.CountUsers(ctx); err != nil || n > 0 {
		return fiber.NewError(fiber.StatusForbidden, "店主账号已经创建，请直接登录。")
	}
	name, pw := strings.TrimSpace(c.FormValue("username")), c.FormValue("password")
	fail := func(msg string) error {
		c.Status(fiber.StatusUnprocessableEntity)
		return render(c, views.Setup(views.SetupForm{CSRF: s.csrfToken(c), Username: name, Error: msg}))
	}
	if err := auth.CheckUsername(name); err != nil {
		return fail(err.Error() + "。")
	}
	if pw != c.FormValue("password2") {
		return fail("两次输入的密码不一致。")
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return fail(err.Error())
	}
	u, err := s.st.CreateFirstOwner(ctx, name, hash)
	if errors.Is(err, store.ErrNotFirst) {
		return fiber.NewError(fiber.StatusForbidden, err.Error()+"。")
	}
	if err != nil {
		return fail(err.Error())
	}
	if err := s.sm.RenewToken(ctx); err != nil {
		return err
	}
	s.signIn(ctx, u)
	s.log.Info("owner created", "user", u.Username)
	return c.Redirect("/import", fiber.StatusSeeOther)
}

// signIn makes the session the user's: their id, the session epoch they sign
// in under, and no CSRF token of the anonymous form (the next page makes one).
func (s *Server) signIn(ctx context.Context, u *store.User) {
	s.sm.Put(ctx, userKey, u.ID)
	s.sm.Put(ctx, epochKey, u.SessionEpoch)
	s.sm.Remove(ctx, csrfKey)
}
