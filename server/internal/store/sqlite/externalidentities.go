package sqlite

import (
	"context"
	"fmt"

	"github.com/myaccount/myaccount/server/internal/store"
)

// The claims of external accounts: the primary key (env_id, id), id being
// store.ExternalIdentityID, makes (issuer, subject) unique per environment.
const (
	qClaimExternalIdentity   = `INSERT INTO external_identities (env_id, id, user_id, doc) VALUES (?, ?, ?, ?)`
	qGetExternalIdentity     = `SELECT doc FROM external_identities WHERE env_id = ? AND id = ?`
	qReleaseExternalIdentity = `DELETE FROM external_identities WHERE env_id = ? AND id = ? AND user_id = ?`
)

// ClaimExternalIdentity stores x; a claimed external account is
// store.ErrDuplicate.
func (s *Store) ClaimExternalIdentity(ctx context.Context, x *store.ExternalIdentity) error {
	x.ID = store.ExternalIdentityID(x.EnvironmentID, x.Issuer, x.Subject)
	doc, err := encode(x)
	if err != nil {
		return fmt.Errorf("claim external identity: %w", err)
	}
	return s.insert(ctx, "claim external identity", qClaimExternalIdentity, x.EnvironmentID, x.ID, x.UserID, doc)
}

// GetExternalIdentity returns the claim of (issuer, subject).
func (s *Store) GetExternalIdentity(ctx context.Context, envID, issuer, subject string) (*store.ExternalIdentity, error) {
	return getDoc[store.ExternalIdentity](ctx, s, "get external identity", qGetExternalIdentity,
		envID, store.ExternalIdentityID(envID, issuer, subject))
}

// ReleaseExternalIdentity deletes userID's claim of (issuer, subject).
func (s *Store) ReleaseExternalIdentity(ctx context.Context, envID, issuer, subject, userID string) error {
	res, err := s.exec(ctx, qReleaseExternalIdentity, envID, store.ExternalIdentityID(envID, issuer, subject), userID)
	if err != nil {
		return mapErr("release external identity", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("release external identity: %w", err)
	} else if n == 0 {
		return fmt.Errorf("release external identity: %w", store.ErrNotFound)
	}
	return nil
}
