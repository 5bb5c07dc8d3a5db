package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

func (s *Server) apiRoutes(a *fiber.App) {
	a.Get("/api/v1/report", requireOwner, s.apiReport)
}

// apiReport is GET /api/v1/report?shop=NAME&from=D&to=D: the JSON of
// docs/METRICS.md, byte for byte what `kefuboard report` prints.
func (s *Server) apiReport(c *fiber.Ctx) error {
	from, err1 := kpi.ParseDay(c.Query("from"))
	to, err2 := kpi.ParseDay(c.Query("to"))
	if err1 != nil || err2 != nil {
		return fiber.NewError(fiber.StatusBadRequest, "from 和 to 应为 YYYY-MM-DD 格式的日期")
	}
	if to < from {
		return fiber.NewError(fiber.StatusBadRequest, "to 不能早于 from")
	}
	r, err := s.st.Report(c.UserContext(), c.Query("shop"), from, to)
	if errors.Is(err, store.ErrNotFound) {
		return fiber.NewError(fiber.StatusNotFound, "没有这个店铺："+c.Query("shop"))
	}
	if err != nil {
		return err
	}
	b, err := r.JSON()
	if err != nil {
		return err
	}
	c.Type("json", "utf-8")
	return c.Send(b)
}
