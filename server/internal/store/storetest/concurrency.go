package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// A Check is one concurrency property every backend must hold (DESIGN §2).
// Func runs it and returns nil when the property held, or an error naming
// the violation. With several stores (sharing one database, e.g. two
// processes' handles on one SQLite file), worker i uses stores[i%len(stores)],
// so the property is checked across them. Each call works in a fresh
// environment, so a check may run repeatedly on one store.
type Check struct {
	Name string
	Func func(ctx context.Context, stores ...store.Store) error
}

// Parallelism of the checks: enough callers to make a lost update or a
// double use show up on a store without the guard, few enough to keep the
// suite fast on FerretDB.
const (
	IncrWorkers    = 20
	IncrPerWorker  = 10
	ParallelCalls  = 12
	checkTimeLimit = time.Minute
)

// ConcurrencyChecks returns every concurrency check, in a stable order.
func ConcurrencyChecks() []Check {
	return []Check{
		{Name: "ParallelIncr", Func: CheckParallelIncr},
		{Name: "ParallelUpdateUser", Func: CheckParallelUpdateUser},
		{Name: "ParallelUpdateFlow", Func: CheckParallelUpdateFlow},
		{Name: "ParallelUseAuthCode", Func: CheckParallelUseAuthCode},
		{Name: "ParallelUseRefreshToken", Func: CheckParallelUseRefreshToken},
		{Name: "ParallelCreateUser", Func: CheckParallelCreateUser},
		{Name: "ParallelUseRecoveryCode", Func: CheckParallelUseRecoveryCode},
		{Name: "ParallelClaimExternalIdentity", Func: CheckParallelClaimExternalIdentity},
	}
}

// parallel runs f(i) for i in [0,n) on n goroutines released together, and
// returns the errors by i.
func parallel(n int, f func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = f(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func pick(stores []store.Store, i int) store.Store { return stores[i%len(stores)] }

func noStores(stores []store.Store) error {
	if len(stores) == 0 {
		return errors.New("no store given")
	}
	return nil
}

// CheckParallelIncr: IncrWorkers goroutines each increment one counter
// IncrPerWorker times. Every increment must be counted, and each value
// 1..total must be returned exactly once (a lost update repeats a value).
func CheckParallelIncr(ctx context.Context, stores ...store.Store) error {
	if err := noStores(stores); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeLimit)
	defer cancel()
	env, key, now := newID(), "parallel-incr", base
	total := IncrWorkers * IncrPerWorker
	var mu sync.Mutex
	seen := make(map[int64]int, total)
	errs := parallel(IncrWorkers, func(i int) error {
		s := pick(stores, i)
		for range IncrPerWorker {
			n, _, err := s.Incr(ctx, env, key, now, time.Hour)
			if err != nil {
				return fmt.Errorf("incr: %w", err)
			}
			mu.Lock()
			seen[n]++
			mu.Unlock()
		}
		return nil
	})
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("parallel incr: %w", err)
	}
	var problems []error
	n, _, err := stores[0].Count(ctx, env, key, now)
	if err != nil {
		return fmt.Errorf("parallel incr: count: %w", err)
	}
	if n != int64(total) {
		problems = append(problems, fmt.Errorf("parallel incr: final count %d, want %d (lost updates)", n, total))
	}
	for v, times := range seen {
		if times != 1 {
			problems = append(problems, fmt.Errorf("parallel incr: value %d returned %d times", v, times))
		}
	}
	if len(seen) != total {
		problems = append(problems, fmt.Errorf("parallel incr: %d distinct values returned, want %d", len(seen), total))
	}
	return errors.Join(problems...)
}

// exactlyOne checks that of the callers' errors exactly one is nil and the
// others are want.
func exactlyOne(what string, errs []error, want error) error {
	ok := 0
	var problems []error
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, want):
			problems = append(problems, fmt.Errorf("%s: unexpected error: %w", what, err))
		}
	}
	if ok != 1 {
		problems = append(problems, fmt.Errorf("%s: %d of %d parallel callers succeeded, want exactly 1", what, ok, len(errs)))
	}
	return errors.Join(problems...)
}

// CheckParallelUpdateUser: ParallelCalls callers read the same user version
// and each write it back with its own change. Exactly one succeeds; the rest
// get ErrConflict, and the stored user is the winner's at version+1.
func CheckParallelUpdateUser(ctx context.Context, stores ...store.Store) error {
	if err := noStores(stores); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeLimit)
	defer cancel()
	u := newUser(newID(), "parallel-update")
	if err := stores[0].CreateUser(ctx, u); err != nil {
		return fmt.Errorf("parallel update user: create: %w", err)
	}
	read := make([]*store.User, ParallelCalls)
	for i := range read {
		got, err := pick(stores, i).GetUser(ctx, u.EnvironmentID, u.ID)
		if err != nil {
			return fmt.Errorf("parallel update user: get: %w", err)
		}
		got.GivenName = fmt.Sprintf("writer-%d", i)
		got.Devices = append(got.Devices, newDevice(i))
		read[i] = got
	}
	errs := parallel(ParallelCalls, func(i int) error {
		return pick(stores, i).UpdateUser(ctx, read[i])
	})
	if err := exactlyOne("parallel update user", errs, store.ErrConflict); err != nil {
		return err
	}
	got, err := stores[0].GetUser(ctx, u.EnvironmentID, u.ID)
	if err != nil {
		return fmt.Errorf("parallel update user: get after: %w", err)
	}
	for i, e := range errs {
		if e != nil {
			continue
		}
		if d := diff(read[i], got); d != "" || got.Version != u.Version+1 {
			return fmt.Errorf("parallel update user: stored user is not the winner's write at version %d:\n%s", u.Version+1, d)
		}
	}
	return nil
}

// CheckParallelUpdateFlow is CheckParallelUpdateUser for flows: the "use
// this OTP once" guard of the sign-on flow.
func CheckParallelUpdateFlow(ctx context.Context, stores ...store.Store) error {
	if err := noStores(stores); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeLimit)
	defer cancel()
	f := newFlow(newID(), at(time.Hour))
	if err := stores[0].CreateFlow(ctx, f); err != nil {
		return fmt.Errorf("parallel update flow: create: %w", err)
	}
	read := make([]*store.Flow, ParallelCalls)
	for i := range read {
		got, err := pick(stores, i).GetFlow(ctx, f.EnvironmentID, f.ID, base)
		if err != nil {
			return fmt.Errorf("parallel update flow: get: %w", err)
		}
		got.Status = "COMPLETED"
		got.OTPHash = ""
		got.SelectedDeviceID = fmt.Sprintf("writer-%d", i)
		read[i] = got
	}
	errs := parallel(ParallelCalls, func(i int) error {
		return pick(stores, i).UpdateFlow(ctx, read[i])
	})
	if err := exactlyOne("parallel update flow", errs, store.ErrConflict); err != nil {
		return err
	}
	got, err := stores[0].GetFlow(ctx, f.EnvironmentID, f.ID, base)
	if err != nil {
		return fmt.Errorf("parallel update flow: get after: %w", err)
	}
	for i, e := range errs {
		if e == nil && (got.SelectedDeviceID != read[i].SelectedDeviceID || got.Version != f.Version+1) {
			return fmt.Errorf("parallel update flow: stored %q at version %d, want the winner's %q at %d",
				got.SelectedDeviceID, got.Version, read[i].SelectedDeviceID, f.Version+1)
		}
	}
	return nil
}

// CheckParallelUseAuthCode: ParallelCalls callers redeem one code; exactly
// one succeeds, the rest get ErrConflict.
func CheckParallelUseAuthCode(ctx context.Context, stores ...store.Store) error {
	if err := noStores(stores); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeLimit)
	defer cancel()
	c := newAuthCode(newID(), at(time.Hour))
	if err := stores[0].CreateAuthCode(ctx, c); err != nil {
		return fmt.Errorf("parallel use auth code: create: %w", err)
	}
	errs := parallel(ParallelCalls, func(i int) error {
		got, err := pick(stores, i).UseAuthCode(ctx, c.EnvironmentID, c.ID, base)
		if got == nil && (err == nil || errors.Is(err, store.ErrConflict)) {
			return fmt.Errorf("no record returned with error %v", err)
		}
		return err
	})
	return exactlyOne("parallel use auth code", errs, store.ErrConflict)
}

// CheckParallelUseRefreshToken: ParallelCalls callers redeem one refresh
// token; exactly one succeeds, the rest see reuse (ErrConflict).
func CheckParallelUseRefreshToken(ctx context.Context, stores ...store.Store) error {
	if err := noStores(stores); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeLimit)
	defer cancel()
	r := newRefreshToken(newID(), at(time.Hour))
	if err := stores[0].CreateRefreshToken(ctx, r); err != nil {
		return fmt.Errorf("parallel use refresh token: create: %w", err)
	}
	errs := parallel(ParallelCalls, func(i int) error {
		got, err := pick(stores, i).UseRefreshToken(ctx, r.EnvironmentID, r.ID, base)
		if got == nil && (err == nil || errors.Is(err, store.ErrConflict)) {
			return fmt.Errorf("no record returned with error %v", err)
		}
		return err
	})
	return exactlyOne("parallel use refresh token", errs, store.ErrConflict)
}

// CheckParallelCreateUser: ParallelCalls callers create users with distinct
// ids and one username; exactly one succeeds, the rest get ErrDuplicate, and
// only the winner is stored.
func CheckParallelCreateUser(ctx context.Context, stores ...store.Store) error {
	if err := noStores(stores); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeLimit)
	defer cancel()
	env := newID()
	users := make([]*store.User, ParallelCalls)
	for i := range users {
		users[i] = newUser(env, "same-name")
	}
	errs := parallel(ParallelCalls, func(i int) error {
		return pick(stores, i).CreateUser(ctx, users[i])
	})
	if err := exactlyOne("parallel create user", errs, store.ErrDuplicate); err != nil {
		return err
	}
	list, err := stores[0].ListUsers(ctx, env, store.Page{Limit: 2 * ParallelCalls})
	if err != nil {
		return fmt.Errorf("parallel create user: list: %w", err)
	}
	if len(list) != 1 {
		return fmt.Errorf("parallel create user: %d users stored with one username, want 1", len(list))
	}
	return nil
}
