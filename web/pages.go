package web

import "github.com/gofiber/fiber/v2"

// pageRoutes registers the signed-in pages; each page's file owns its routes.
func (s *Server) pageRoutes(a *fiber.App) {
	s.overviewRoutes(a)
	s.leagueRoutes(a)
	s.importRoutes(a)
	s.settingsRoutes(a)
	s.apiRoutes(a)
	s.accountRoutes(a)
	s.targetsRoutes(a)
	s.alertsRoutes(a)
	s.douyinRoutes(a)
	s.casesRoutes(a)
	s.invitesRoutes(a)
	s.risksRoutes(a)
	s.customersRoutes(a)
}
