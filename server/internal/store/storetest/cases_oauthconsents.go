package storetest

import (
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// oauthConsentCases: a user's OAuth consents are embedded in the user's
// record, so giving, widening and revoking one is a version-guarded update:
// the consent round-trips whole (scopes in order, times), a writer holding
// a stale copy gets ErrConflict and cannot bring a revoked consent back,
// and a user of another environment is untouched.
func oauthConsentCases() []testCase {
	return []testCase{
		{name: "OAuthConsent/GiveWidenRevoke", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env := newID()
			u := newUser(env, "ann")
			u.OAuthConsents = nil
			must(t, "create", s.CreateUser(ctx, u))
			other := newUser(newID(), "ann")
			must(t, "create other", s.CreateUser(ctx, other))

			app := newID()
			u.OAuthConsents = []store.OAuthConsent{{ID: newID(), ClientID: app, Scopes: []string{"openid", "profile"}, GrantedAt: at(time.Minute), UpdatedAt: at(time.Minute)}}
			must(t, "give", s.UpdateUser(ctx, u))
			stale := *u
			stale.OAuthConsents = append([]store.OAuthConsent(nil), u.OAuthConsents...)

			got, err := s.GetUser(ctx, env, u.ID)
			must(t, "get", err)
			sameRecord(t, "given", u.OAuthConsents, got.OAuthConsents)
			if k := got.OAuthConsentFor(app); k == nil || !k.Covers([]string{"profile", "openid"}) || k.Covers([]string{"email"}) {
				t.Fatalf("consent read back %+v", got.OAuthConsents)
			}

			got.OAuthConsents[0].Scopes = append(got.OAuthConsents[0].Scopes, "email")
			got.OAuthConsents[0].UpdatedAt = at(2 * time.Minute)
			must(t, "widen", s.UpdateUser(ctx, got))
			got.OAuthConsents = nil
			must(t, "revoke", s.UpdateUser(ctx, got))

			// The stale copy still holds the consent: writing it back fails.
			wantErr(t, "stale write", s.UpdateUser(ctx, &stale), store.ErrConflict)
			after, err := s.GetUser(ctx, env, u.ID)
			must(t, "get after", err)
			if after.OAuthConsentFor(app) != nil {
				t.Fatalf("revoked consent came back: %+v", after.OAuthConsents)
			}
			o, err := s.GetUser(ctx, other.EnvironmentID, other.ID)
			must(t, "get other", err)
			sameRecord(t, "other environment's user", other.OAuthConsents, o.OAuthConsents)
		}},
	}
}
