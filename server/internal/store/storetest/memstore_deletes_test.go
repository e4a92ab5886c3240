package storetest

import (
	"context"

	"github.com/myaccount/myaccount/server/internal/store"
)

func (m *memStore) DeleteUser(_ context.Context, envID, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{envID, id}
	if _, ok := m.users[k]; !ok {
		return store.ErrNotFound
	}
	delete(m.users, k)
	return nil
}

func (m *memStore) DeleteApplication(_ context.Context, envID, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := mkey{envID, id}
	if _, ok := m.apps[k]; !ok {
		return store.ErrNotFound
	}
	delete(m.apps, k)
	return nil
}
