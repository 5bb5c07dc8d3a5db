package web

import (
	"context"
	"errors"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// render writes a templ component as the HTML response.
func render(c *fiber.Ctx, comp templ.Component) error {
	c.Type("html", "utf-8")
	return comp.Render(c.UserContext(), c.Response().BodyWriter())
}

const flashKey = "flash"

// flash stores a one-time message for the next page.
func (s *Server) flash(c *fiber.Ctx, ok bool, msg string) {
	prefix := "err:"
	if ok {
		prefix = "ok:"
	}
	s.sm.Put(c.UserContext(), flashKey, prefix+msg)
}

// page builds the layout model shared by every signed-in page: viewer, CSRF
// token, flash, shops (agents see only their own shop) and the chosen shop.
func (s *Server) page(c *fiber.Ctx, title, active string) (views.Page, error) {
	u := currentUser(c)
	p := views.Page{Title: title, Active: active, User: viewer(u), CSRF: s.csrfToken(c)}
	if f := s.sm.PopString(c.UserContext(), flashKey); len(f) > 3 {
		p.Flash = &views.Flash{OK: f[:3] == "ok:", Msg: f[3:]}
		if !p.Flash.OK {
			p.Flash.Msg = f[4:]
		}
	}
	shops, err := s.st.Shops(c.UserContext())
	if err != nil {
		return p, err
	}
	for _, sh := range shops {
		if u != nil && u.Role != "owner" && sh.ID != u.ShopID {
			continue
		}
		p.Shops = append(p.Shops, views.ShopOption{ID: sh.ID, Name: sh.Name})
	}
	p.ShopID = s.chosenShop(c, p.Shops)
	if u != nil {
		for _, sh := range shops {
			if sh.ID == p.ShopID {
				if err := s.navCases(c, sh, &p); err != nil {
					return p, err
				}
			}
		}
	}
	return p, nil
}

// navCases counts the viewer's overdue and due cases for the navigation.
func (s *Server) navCases(c *fiber.Ctx, shop *store.Shop, p *views.Page) error {
	self, err := s.viewerAgent(c)
	if err != nil {
		return nil // an agent sign-in without an agent sees no queue
	}
	day := today(shop)
	key := navKey{shop.ID, shop.DataVersion, s.st.WorkGen(), day, self}
	n, err := s.navCounts.Get(key, func() (store.CaseCounts, error) { return s.st.CaseCounts(c.UserContext(), shop, day, self) })
	p.Cases = views.CaseCounts{Overdue: n.Overdue, Due: n.Due, Open: n.Open, Closed: n.Closed}
	return err
}

// navKey is what the navigation's case counts depend on.
type navKey struct {
	shop, version, workGen int64
	day                    kpi.Day
	agent                  int64
}

// chosenShop is ?shop=ID when it is one of the visible shops, else the one
// remembered in the session, else the first.
func (s *Server) chosenShop(c *fiber.Ctx, shops []views.ShopOption) int64 {
	if len(shops) == 0 {
		return 0
	}
	ok := func(id int64) bool {
		for _, sh := range shops {
			if sh.ID == id {
				return true
			}
		}
		return false
	}
	if id := int64(c.QueryInt("shop")); id != 0 && ok(id) {
		s.sm.Put(c.UserContext(), "shop", id)
		return id
	}
	if id := s.sm.GetInt64(c.UserContext(), "shop"); ok(id) {
		return id
	}
	return shops[0].ID
}

// handleError is Fiber's single error handler: it logs server errors once and
// renders the error page (or a short text for API and htmx requests).
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	code := fiber.StatusInternalServerError
	msg := "服务器内部错误，请稍后重试。"
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code, msg = fe.Code, fe.Message
		if code == fiber.StatusNotFound && msg == "Cannot "+c.Method()+" "+c.Path() {
			msg = "页面不存在。"
		}
		if code == fiber.StatusRequestEntityTooLarge && msg == utils.StatusMessage(code) {
			msg = "上传的文件太大。" // Fiber's own body-limit error, in Chinese
		}
	} else if errors.Is(err, context.Canceled) {
		code, msg = 499, "请求已取消。"
	}
	if code >= 500 {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "status", code, "err", err)
	}
	c.Status(code)
	if len(c.Path()) >= 5 && c.Path()[:5] == "/api/" {
		return c.JSON(fiber.Map{"error": msg})
	}
	if c.Get("HX-Request") != "" {
		return c.SendString(msg)
	}
	p := views.Page{Title: "出错了", User: viewer(currentUser(c))}
	if p.User != nil {
		p.CSRF = s.sm.GetString(c.UserContext(), csrfKey)
	}
	return render(c, views.ErrorPage(p, code, msg))
}

// shopPeriod is the start of every period page: the layout model, the chosen
// shop (nil before the first import) and the period in the shop's time zone
// (China Standard Time when there is no shop yet).
func (s *Server) shopPeriod(c *fiber.Ctx, title, nav string) (views.Page, *store.Shop, Period, error) {
	p, err := s.page(c, title, nav)
	if err != nil {
		return p, nil, Period{}, err
	}
	shop, err := s.shopByID(c.UserContext(), p.ShopID)
	if err != nil {
		return p, nil, Period{}, err
	}
	loc := time.FixedZone("CST", 8*3600)
	if shop != nil {
		loc = shop.Location()
	}
	per, err := parsePeriod(c, loc, time.Now())
	return p, shop, per, err
}

// queueKey is everything a work-queue page's model depends on: the shop's
// data and the queues' work state (their versions), the day, the viewer's
// agent and the query (period, filters).
type queueKey struct {
	page                   string
	shop, version, workGen int64
	day                    kpi.Day
	agent                  int64
	query                  string
}

// queuePage serves a work-queue or customer page: the request's shop and
// period, the viewer's agent, the model built once per queueKey (empty
// while there is no shop), drawn by view.
func queuePage[M any](s *Server, c *fiber.Ctx, title, nav, page string, empty M, view func(views.Page, M) templ.Component,
	build func(shop *store.Shop, per Period, self int64) (M, error)) error {
	p, shop, per, err := s.shopPeriod(c, title, nav)
	if err != nil {
		return err
	}
	if shop == nil {
		return render(c, view(p, empty))
	}
	self, err := s.viewerAgent(c)
	if err != nil {
		return err
	}
	m, err := queueModel(s, c, page, shop, self, func() (M, error) { return build(shop, per, self) })
	if err != nil {
		return err
	}
	return render(c, view(p, m))
}

// queueModel memoises a queue page's model under queueKey: a repeated view
// of a big shop's queue is a render.
func queueModel[M any](s *Server, c *fiber.Ctx, page string, shop *store.Shop, agent int64, build func() (M, error)) (M, error) {
	key := queueKey{page, shop.ID, shop.DataVersion, s.st.WorkGen(), today(shop), agent, string(c.Request().URI().QueryString())}
	v, err := s.queues.Get(key, func() (any, error) { return build() })
	if err != nil {
		var zero M
		return zero, err
	}
	return v.(M), nil
}
