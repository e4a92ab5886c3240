package manage

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// ListOutbox answers GET /v1/environments/{envId}/outbox: the messages the
// dev outbox holds in place of sending them, newest first, at most `limit`
// (default DefaultLimit, at most MaxLimit).
func (a *API) ListOutbox() fiber.Handler {
	return func(c *fiber.Ctx) error {
		envID, err := admin(c, authn.EnvWriters)
		if err != nil {
			return err
		}
		n, err := limit(c, DefaultLimit)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		if _, err := a.environment(ctx, envID); err != nil {
			return err
		}
		msgs, err := a.d.Store.ListOutbox(ctx, envID, n)
		if err != nil {
			return fmt.Errorf("list outbox: %w", err)
		}
		out := make([]resource.OutboxMessage, 0, len(msgs))
		for _, m := range msgs {
			out = append(out, resource.OutboxMessage{ID: m.ID, Channel: m.Channel, To: m.To, Subject: m.Subject,
				Body: m.Body, CreatedAt: m.CreatedAt.UTC()})
		}
		self := a.d.PublicURL + paths.Build(paths.Outbox, envID) + pageQuery(n, "")
		return c.JSON(resource.NewList("messages", out, self, ""))
	}
}
