package storetest

import (
	"context"

	"github.com/myaccount/myaccount/server/internal/store"
)

func (m *memStore) ClaimExternalIdentity(_ context.Context, x *store.ExternalIdentity) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	x.ID = store.ExternalIdentityID(x.EnvironmentID, x.Issuer, x.Subject)
	k := mkey{x.EnvironmentID, x.ID}
	if m.external == nil {
		m.external = map[mkey]*store.ExternalIdentity{}
	}
	_, taken := m.external[k]
	m.gap()
	if taken {
		return store.ErrDuplicate
	}
	m.external[k] = clone(x)
	return nil
}

func (m *memStore) GetExternalIdentity(_ context.Context, envID, issuer, subject string) (*store.ExternalIdentity, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	x, ok := m.external[mkey{envID, store.ExternalIdentityID(envID, issuer, subject)}]
	if !ok {
		return nil, store.ErrNotFound
	}
	return clone(x), nil
}

func (m *memStore) ReleaseExternalIdentity(_ context.Context, envID, issuer, subject, userID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{envID, store.ExternalIdentityID(envID, issuer, subject)}
	x, ok := m.external[k]
	if !ok || x.UserID != userID {
		return store.ErrNotFound
	}
	delete(m.external, k)
	return nil
}
