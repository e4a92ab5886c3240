package sqlite

import (
	"context"
	"math"

	"github.com/myaccount/myaccount/server/internal/store"
)

// PageEvents returns a page of events newest first (store.EventPager).
func (s *Store) PageEvents(ctx context.Context, envID, userID string, p store.EventPage) ([]store.Event, error) {
	// The first page starts after every possible position.
	at, id := int64(math.MaxInt64), ""
	if p.BeforeID != "" {
		at, id = ms(p.BeforeAt), p.BeforeID
	}
	if userID == "" {
		return listDocs[store.Event](ctx, s, "page events", qPageEvents, envID, at, id, ms(p.Now), limit(p.Limit))
	}
	return listDocs[store.Event](ctx, s, "page events", qPageUserEvents, envID, userID, at, id, ms(p.Now), limit(p.Limit))
}
