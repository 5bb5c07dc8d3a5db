package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/auth"
	"github.com/kefuboard/kefuboard/views"
)

// The signed-in user's own account (owners and agents alike): change the
// password. Every other session of the user ends; this one goes on.
//
//	GET  /account           the form
//	POST /account/password  change it
func (s *Server) accountRoutes(a *fiber.App) {
	a.Get("/account", s.accountPage)
	a.Post("/account/password", s.changePassword)
}

func (s *Server) accountPage(c *fiber.Ctx) error {
	return s.renderAccount(c, "")
}

func (s *Server) renderAccount(c *fiber.Ctx, errMsg string) error {
	p, err := s.page(c, "我的账号", "")
	if err != nil {
		return err
	}
	if errMsg != "" {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return render(c, views.AccountPage(p, views.AccountForm{Error: errMsg}))
}

func (s *Server) changePassword(c *fiber.Ctx) error {
	u := currentUser(c)
	ctx := c.UserContext()
	cur, pw := c.FormValue("current"), c.FormValue("new")
	if !auth.CheckPassword(u.PasswordHash, cur) {
		s.log.Info("password change refused: wrong current password", "user", u.Username)
		return s.renderAccount(c, "当前密码不对。")
	}
	if pw != c.FormValue("new2") {
		return s.renderAccount(c, "两次输入的新密码不一致。")
	}
	if pw == cur {
		return s.renderAccount(c, "新密码和当前密码一样。")
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return s.renderAccount(c, err.Error()+"。")
	}
	if err := s.st.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	fresh, err := s.st.UserByID(ctx, u.ID)
	if err != nil {
		return err
	}
	if err := s.sm.RenewToken(ctx); err != nil {
		return err
	}
	s.signIn(ctx, fresh) // this session, under the new epoch
	s.log.Info("password changed", "user", u.Username)
	s.flash(c, true, "密码已修改；这个账号在其他地方的登录已全部退出。")
	return c.Redirect("/account", fiber.StatusSeeOther)
}
