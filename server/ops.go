package server

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/resource"
)

func health() fiber.Handler {
	return func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) }
}

// ready answers 200 while the store answers within a second, else 503.
func ready(st store.Store) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), time.Second)
		defer cancel()
		if err := st.Ping(ctx); err != nil {
			return apierr.New(fiber.StatusServiceUnavailable, apierr.ServiceUnavailable, "The database does not answer.")
		}
		return c.JSON(fiber.Map{"status": "ready", "store": st.Backend()})
	}
}

// metrics keeps the server's Prometheus collectors in a registry of its own
// (no global state: two servers in one test process do not collide).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "myaccount_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "myaccount_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
	}
	m.reg.MustRegister(m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		var fe *fiber.Error
		var ae *apierr.Error
		switch {
		case errors.As(err, &ae):
			status = ae.Status
		case errors.As(err, &fe):
			status = fe.Code
		case err != nil:
			status = fiber.StatusInternalServerError
		}
		// The route pattern, not the path: ids would explode the label set.
		route := c.Route().Path
		m.requests.WithLabelValues(c.Method(), route, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(c.Method(), route).Observe(time.Since(start).Seconds())
		return err
	}
}

func (m *metrics) handler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}

// myAccountConfig answers GET /{envId}/myaccount/config.json: what the PWA
// needs to start its OAuth flow in that environment.
// adminConsoleConfig is the admin console's configuration: the
// Administrators environment and its MyAccount client, with which the
// console signs on (redirect URI /admin/).
func adminConsoleConfig(s *services, adminEnvID string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := s.store.GetEnvironment(c.UserContext(), adminEnvID)
		if err != nil {
			return fmt.Errorf("load the Administrators environment: %w", err)
		}
		return c.JSON(resource.AppConfig{EnvironmentID: env.ID, ClientID: env.MyAccountClientID, PublicURL: s.cfg.PublicURL})
	}
}

func myAccountConfig(s *services) fiber.Handler {
	return func(c *fiber.Ctx) error {
		env, err := s.store.GetEnvironment(c.UserContext(), c.Params("envId"))
		if errors.Is(err, store.ErrNotFound) || (err == nil && env.Deleted) {
			return apierr.NotFoundError("The environment was not found.")
		}
		if err != nil {
			return err
		}
		var idps []resource.AppIdentityProvider
		for _, p := range env.IdentityProviders {
			if p.Enabled {
				idps = append(idps, resource.AppIdentityProvider{ID: p.ID, Name: p.Name})
			}
		}
		return c.JSON(resource.AppConfig{EnvironmentID: env.ID, ClientID: env.MyAccountClientID, PublicURL: s.cfg.PublicURL,
			Pairing:           appPairing(env.MFASettings),
			ProfileAttributes: resource.EffectiveProfileAttributes(env.SelfService.ProfileAttributes),
			IdentityProviders: idps})
	}
}
