package web

import "github.com/gofiber/fiber/v2"

func (s *Server) leagueRoutes(a *fiber.App) {}
