package web

import "github.com/gofiber/fiber/v2"

func (s *Server) settingsRoutes(a *fiber.App) {}
