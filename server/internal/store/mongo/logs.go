package mongo

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/myaccount/myaccount/server/internal/store"
)

// The dev outbox and audit events: append-only, read newest first.

// AddOutboxMessage stores m; a taken id is store.ErrDuplicate.
func (s *Store) AddOutboxMessage(ctx context.Context, m *store.OutboxMessage) error {
	return insert(ctx, s.coll(collOutbox), "add outbox message", m)
}

// ListOutbox returns the newest messages first, at most limit (no limit when
// limit <= 0).
func (s *Store) ListOutbox(ctx context.Context, envID string, limit int) ([]store.OutboxMessage, error) {
	filter := bson.D{{Key: "environmentId", Value: envID}}
	return listNewest[store.OutboxMessage](ctx, s, collOutbox, "list outbox", filter, limit)
}

// AddEvent stores e; a taken id is store.ErrDuplicate.
func (s *Store) AddEvent(ctx context.Context, e *store.Event) error {
	return insert(ctx, s.coll(collEvents), "add event", e)
}

// ListEvents returns events newest first, at most limit (no limit when
// limit <= 0); userID "" means every user.
func (s *Store) ListEvents(ctx context.Context, envID, userID string, limit int) ([]store.Event, error) {
	filter := bson.D{{Key: "environmentId", Value: envID}}
	if userID != "" {
		filter = append(filter, bson.E{Key: "userId", Value: userID})
	}
	return listNewest[store.Event](ctx, s, collEvents, "list events", filter, limit)
}
