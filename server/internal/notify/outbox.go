package notify

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/myaccount/myaccount/server/internal/store"
)

// Outbox holds messages in the store instead of sending them (the dev
// outbox, used when no SMTP server is configured). Messages expire after
// OutboxRetention.
type Outbox struct {
	store store.Outbox
	now   func() time.Time
	rand  io.Reader
	log   *slog.Logger
}

// NewOutbox returns the dev outbox sender; cfg.Outbox is required.
func NewOutbox(cfg Config) (*Outbox, error) {
	if cfg.Outbox == nil {
		return nil, errors.New("notify: no SMTP URL and no outbox store")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Outbox{store: cfg.Outbox, now: cfg.Now, rand: cfg.Rand, log: cfg.Logger}, nil
}

// Send stores m in the environment's outbox.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	if err := checkMessage(&m); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	id, err := uuid.NewV7FromReader(o.rand)
	if err != nil {
		return fmt.Errorf("outbox: message id: %w", err)
	}
	now := o.now().UTC()
	rec := &store.OutboxMessage{
		EnvironmentID: m.EnvironmentID,
		ID:            id.String(),
		Channel:       m.Channel,
		To:            m.To,
		Subject:       m.Subject,
		Body:          m.Text,
		CreatedAt:     now,
		ExpiresAt:     now.Add(OutboxRetention),
	}
	if err := o.store.AddOutboxMessage(ctx, rec); err != nil {
		return redact(fmt.Errorf("outbox: store message: %w", err), m.To)
	}
	o.log.InfoContext(ctx, "message held in the dev outbox (no MAIL_SMTP_URL)", "environmentId", m.EnvironmentID,
		"channel", m.Channel, "toDomain", RecipientDomain(m.To), "messageId", rec.ID)
	return nil
}
