package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

func externalIdentityCases() []testCase {
	return []testCase{
		{name: "ExternalIdentity/ClaimGetRelease", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			env, other := newID(), newID()
			iss, sub := "https://idp.example/$where.x", "sub.$1"
			x := &store.ExternalIdentity{EnvironmentID: env, Issuer: iss, Subject: sub, UserID: "u1", LinkedAccountID: "l1", CreatedAt: at(0)}
			wantErr(t, "claim", s.ClaimExternalIdentity(ctx, x), nil)
			if x.ID != store.ExternalIdentityID(env, iss, sub) {
				t.Fatalf("claim id = %q, want ExternalIdentityID", x.ID)
			}
			got, err := s.GetExternalIdentity(ctx, env, iss, sub)
			wantErr(t, "get", err, nil)
			if got != nil && (got.UserID != "u1" || got.LinkedAccountID != "l1" || got.Issuer != iss || got.Subject != sub || !got.CreatedAt.Equal(at(0).Truncate(time.Millisecond))) {
				t.Errorf("get = %+v", got)
			}
			// Another user of the environment cannot claim it; another
			// environment can claim its own.
			wantErr(t, "claim again", s.ClaimExternalIdentity(ctx, &store.ExternalIdentity{EnvironmentID: env, Issuer: iss, Subject: sub, UserID: "u2"}), store.ErrDuplicate)
			wantErr(t, "claim in other env", s.ClaimExternalIdentity(ctx, &store.ExternalIdentity{EnvironmentID: other, Issuer: iss, Subject: sub, UserID: "u3"}), nil)
			_, err = s.GetExternalIdentity(ctx, env, iss, sub+"x")
			wantErr(t, "get other subject", err, store.ErrNotFound)
			_, err = s.GetExternalIdentity(ctx, env, iss+"x", sub)
			wantErr(t, "get other issuer", err, store.ErrNotFound)
			// Only its user releases a claim.
			wantErr(t, "release by other user", s.ReleaseExternalIdentity(ctx, env, iss, sub, "u2"), store.ErrNotFound)
			wantErr(t, "release", s.ReleaseExternalIdentity(ctx, env, iss, sub, "u1"), nil)
			wantErr(t, "release again", s.ReleaseExternalIdentity(ctx, env, iss, sub, "u1"), store.ErrNotFound)
			_, err = s.GetExternalIdentity(ctx, env, iss, sub)
			wantErr(t, "get released", err, store.ErrNotFound)
			got, err = s.GetExternalIdentity(ctx, other, iss, sub)
			wantErr(t, "get other env", err, nil)
			if got != nil && got.UserID != "u3" {
				t.Errorf("other env claim user = %q, want u3", got.UserID)
			}
			wantErr(t, "claim after release", s.ClaimExternalIdentity(ctx, &store.ExternalIdentity{EnvironmentID: env, Issuer: iss, Subject: sub, UserID: "u2"}), nil)
		}},
	}
}

// CheckParallelClaimExternalIdentity: ParallelCalls users of one
// environment claim one external account at once; exactly one succeeds and
// the others get ErrDuplicate, and the stored claim is the winner's.
func CheckParallelClaimExternalIdentity(ctx context.Context, stores ...store.Store) error {
	if err := noStores(stores); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeLimit)
	defer cancel()
	env := newID()
	errs := parallel(ParallelCalls, func(i int) error {
		return pick(stores, i).ClaimExternalIdentity(ctx, &store.ExternalIdentity{
			EnvironmentID: env, Issuer: "https://idp.example", Subject: "same", UserID: fmt.Sprint("user", i)})
	})
	if err := exactlyOne("parallel claim external identity", errs, store.ErrDuplicate); err != nil {
		return err
	}
	got, err := stores[0].GetExternalIdentity(ctx, env, "https://idp.example", "same")
	if err != nil {
		return fmt.Errorf("parallel claim external identity: get: %w", err)
	}
	for i, e := range errs {
		if e == nil && got.UserID != fmt.Sprint("user", i) {
			return fmt.Errorf("parallel claim external identity: stored user %q, winner was user%d", got.UserID, i)
		}
	}
	return nil
}
