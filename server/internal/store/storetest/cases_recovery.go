package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// recoveryCases check the recovery-code set embedded in the user record:
// it round-trips, and taking it away (nil) removes it.
func recoveryCases() []testCase {
	return []testCase{
		{name: "User/RecoveryCodes", run: func(t *testing.T, s store.Store) {
			ctx := t.Context()
			u := newUser(newID(), "rescued")
			must(t, "create", s.CreateUser(ctx, u))
			got, err := s.GetUser(ctx, u.EnvironmentID, u.ID)
			must(t, "get", err)
			if got.RecoveryCodes != nil {
				t.Fatalf("a new user has recovery codes: %+v", got.RecoveryCodes)
			}
			u.RecoveryCodes = &store.RecoveryCodes{Hashes: recoveryHashes(), CreatedAt: at(time.Minute)}
			must(t, "add codes", s.UpdateUser(ctx, u))
			got, err = s.GetUser(ctx, u.EnvironmentID, u.ID)
			must(t, "get with codes", err)
			sameRecord(t, "user with recovery codes", u, got)

			// Used up: an empty set stays a set.
			u.RecoveryCodes.Hashes = []string{}
			must(t, "use all", s.UpdateUser(ctx, u))
			got, err = s.GetUser(ctx, u.EnvironmentID, u.ID)
			must(t, "get used up", err)
			if got.RecoveryCodes == nil || len(got.RecoveryCodes.Hashes) != 0 {
				t.Fatalf("used-up set read back as %+v", got.RecoveryCodes)
			}

			u.RecoveryCodes = nil
			must(t, "delete codes", s.UpdateUser(ctx, u))
			got, err = s.GetUser(ctx, u.EnvironmentID, u.ID)
			must(t, "get without codes", err)
			if got.RecoveryCodes != nil {
				t.Fatalf("deleted set read back as %+v", got.RecoveryCodes)
			}
		}},
	}
}

func recoveryHashes() []string {
	var out []string
	for i := range 10 {
		out = append(out, fmt.Sprintf("%064x", i+1))
	}
	return out
}

// errCodeUsed is what a caller of CheckParallelUseRecoveryCode gets when it
// finds the code gone.
var errCodeUsed = errors.New("recovery code already used")

// CheckParallelUseRecoveryCode: ParallelCalls callers use the same recovery
// code as the server does (read the user, remove the code's hash, write
// with the version guard, on a conflict read again). Exactly one removes
// it; the others find it gone, and the other codes are all still there.
func CheckParallelUseRecoveryCode(ctx context.Context, stores ...store.Store) error {
	if err := noStores(stores); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeLimit)
	defer cancel()
	hashes := recoveryHashes()
	u := newUser(newID(), "parallel-recovery")
	u.RecoveryCodes = &store.RecoveryCodes{Hashes: hashes, CreatedAt: base}
	if err := stores[0].CreateUser(ctx, u); err != nil {
		return fmt.Errorf("parallel use recovery code: create: %w", err)
	}
	used := hashes[3]
	errs := parallel(ParallelCalls, func(i int) error {
		s := pick(stores, i)
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			got, err := s.GetUser(ctx, u.EnvironmentID, u.ID)
			if err != nil {
				return fmt.Errorf("get: %w", err)
			}
			k := slices.Index(got.RecoveryCodes.Hashes, used)
			if k < 0 {
				return errCodeUsed
			}
			got.RecoveryCodes.Hashes = slices.Delete(got.RecoveryCodes.Hashes, k, k+1)
			err = s.UpdateUser(ctx, got)
			if !errors.Is(err, store.ErrConflict) {
				return err
			}
		}
	})
	if err := exactlyOne("parallel use recovery code", errs, errCodeUsed); err != nil {
		return err
	}
	got, err := stores[0].GetUser(ctx, u.EnvironmentID, u.ID)
	if err != nil {
		return fmt.Errorf("parallel use recovery code: get after: %w", err)
	}
	want := slices.Delete(slices.Clone(hashes), 3, 4)
	if !slices.Equal(got.RecoveryCodes.Hashes, want) || got.Version != u.Version+1 {
		return fmt.Errorf("parallel use recovery code: stored set %v at version %d, want the other %d codes at version %d",
			got.RecoveryCodes.Hashes, got.Version, len(want), u.Version+1)
	}
	return nil
}
