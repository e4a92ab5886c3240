package storetest

import (
	"context"

	"github.com/myaccount/myaccount/server/internal/store"
)

func (m *memStore) PageEvents(ctx context.Context, envID, userID string, p store.EventPage) ([]store.Event, error) {
	all, err := m.ListEvents(ctx, envID, userID, 0)
	if err != nil {
		return nil, err
	}
	out := []store.Event{}
	for _, e := range all {
		if !e.ExpiresAt.After(p.Now) {
			continue
		}
		if p.BeforeID != "" && (e.CreatedAt.After(p.BeforeAt) || e.CreatedAt.Equal(p.BeforeAt) && e.ID >= p.BeforeID) {
			continue
		}
		out = append(out, e)
	}
	if p.Limit > 0 && len(out) > p.Limit {
		out = out[:p.Limit]
	}
	return out, nil
}
