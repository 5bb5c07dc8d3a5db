package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/views"
)

func (s *Server) overviewRoutes(a *fiber.App) {}

// overview is the owner's home page (PRODUCT.md page 1).
func (s *Server) overview(c *fiber.Ctx) error {
	if err := ownerOnly(c); err != nil {
		return err
	}
	p, err := s.page(c, "数据总览", "overview")
	if err != nil {
		return err
	}
	return render(c, views.Placeholder(p, "数据总览"))
}
