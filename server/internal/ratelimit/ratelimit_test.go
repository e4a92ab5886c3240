package ratelimit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// memCounters is an in-memory store.Counters with the store's semantics.
type memCounters struct {
	mu  sync.Mutex
	m   map[string]counter
	err error
}

type counter struct {
	n         int64
	expiresAt time.Time
}

func newMem() *memCounters { return &memCounters{m: map[string]counter{}} }

func (c *memCounters) Incr(_ context.Context, envID, key string, now time.Time, window time.Duration) (int64, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, time.Time{}, c.err
	}
	k := envID + "/" + key
	v := c.m[k]
	if !v.expiresAt.After(now) {
		v = counter{expiresAt: now.Add(window)}
	}
	v.n++
	c.m[k] = v
	return v.n, v.expiresAt, nil
}

func (c *memCounters) Count(_ context.Context, envID, key string, now time.Time) (int64, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, time.Time{}, c.err
	}
	v := c.m[envID+"/"+key]
	if !v.expiresAt.After(now) {
		return 0, time.Time{}, nil
	}
	return v.n, v.expiresAt, nil
}

func (c *memCounters) Reset(_ context.Context, envID, key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, envID+"/"+key)
	return c.err
}

// fakeClock is a settable clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

const env = "env-1"

func setup() (*Limiter, *fakeClock, *memCounters) {
	clk := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	mem := newMem()
	return New(Deps{Counters: mem, Now: clk.Now}), clk, mem
}

func mustCheck(t *testing.T, l *Limiter, key string, r Rule) (bool, time.Duration) {
	t.Helper()
	ok, wait, err := l.Check(context.Background(), env, key, r)
	if err != nil {
		t.Fatal(err)
	}
	return ok, wait
}

func mustFail(t *testing.T, l *Limiter, key string, r Rule) (bool, time.Duration) {
	t.Helper()
	locked, wait, err := l.Fail(context.Background(), env, key, r)
	if err != nil {
		t.Fatal(err)
	}
	return locked, wait
}

func TestLockAfterMaxFailuresThenWindowExpires(t *testing.T) {
	l, clk, _ := setup()
	rule := PasswordPerAccount()
	key := AccountKey("Alice")
	for i := 1; i < 5; i++ {
		if locked, _ := mustFail(t, l, key, rule); locked {
			t.Fatalf("locked after %d failures, want after 5", i)
		}
		clk.Advance(time.Minute)
		if ok, _ := mustCheck(t, l, key, rule); !ok {
			t.Fatalf("not allowed after %d failures", i)
		}
	}
	// Fifth failure 4 minutes after the first: the window (opened by the
	// first) has 11 minutes left.
	locked, wait := mustFail(t, l, key, rule)
	if !locked || wait != 11*time.Minute {
		t.Fatalf("fifth failure: locked %v retryAfter %v, want true 11m", locked, wait)
	}
	clk.Advance(90 * time.Second)
	ok, wait := mustCheck(t, l, key, rule)
	if ok || wait != 11*time.Minute-90*time.Second {
		t.Fatalf("Check while locked: allowed %v retryAfter %v", ok, wait)
	}
	// Check does not count: many checks change nothing.
	for range 10 {
		mustCheck(t, l, key, rule)
	}
	if _, again := mustCheck(t, l, key, rule); again != wait {
		t.Fatalf("Check changed the counter: %v then %v", wait, again)
	}
	// Failures while locked do not extend the lock.
	mustFail(t, l, key, rule)
	clk.Advance(wait)
	if ok, _ := mustCheck(t, l, key, rule); !ok {
		t.Fatal("still locked after the window ended")
	}
	if locked, _ := mustFail(t, l, key, rule); locked {
		t.Fatal("a failure in a new window locked at once")
	}
}

func TestReset(t *testing.T) {
	l, _, _ := setup()
	rule := Rule{Name: "r", Max: 2, Window: time.Minute}
	key := AccountKey("bob")
	mustFail(t, l, key, rule)
	if locked, _ := mustFail(t, l, key, rule); !locked {
		t.Fatal("want locked after 2")
	}
	if n, left, err := l.Count(context.Background(), env, key); err != nil || n != 2 || left != time.Minute {
		t.Fatalf("Count = %d %v %v, want 2 1m", n, left, err)
	}
	if err := l.Reset(context.Background(), env, key); err != nil {
		t.Fatal(err)
	}
	if ok, _ := mustCheck(t, l, key, rule); !ok {
		t.Fatal("still locked after Reset")
	}
	if n, _, _ := l.Count(context.Background(), env, key); n != 0 {
		t.Fatalf("Count after Reset = %d", n)
	}
	if locked, _ := mustFail(t, l, key, rule); locked {
		t.Fatal("Reset did not start the count again")
	}
}

func TestCountExpires(t *testing.T) {
	l, clk, _ := setup()
	rule := Rule{Max: 3, Window: time.Minute}
	mustFail(t, l, "otp:u1", rule)
	clk.Advance(20 * time.Second)
	if n, left, err := l.Count(context.Background(), env, "otp:u1"); err != nil || n != 1 || left != 40*time.Second {
		t.Fatalf("Count = %d %v %v, want 1 40s", n, left, err)
	}
	clk.Advance(40 * time.Second)
	if n, left, _ := l.Count(context.Background(), env, "otp:u1"); n != 0 || left != 0 {
		t.Fatalf("Count after the window = %d %v, want 0 0", n, left)
	}
}

func TestKeysAndEnvironmentsAreSeparate(t *testing.T) {
	l, _, _ := setup()
	acct := Rule{Name: "acct", Max: 1, Window: time.Minute}
	mustFail(t, l, AccountKey("carol"), acct)
	if ok, _ := mustCheck(t, l, IPKey("carol"), acct); !ok {
		t.Error("a failure for an account key locked an ip key of the same text")
	}
	if ok, _ := mustCheck(t, l, AccountKey("dave"), acct); !ok {
		t.Error("a failure for one key locked another key")
	}
	if ok, _, _ := l.Check(context.Background(), "env-2", AccountKey("carol"), acct); !ok {
		t.Error("a failure in one environment locked another")
	}
	if ok, _ := mustCheck(t, l, AccountKey("  CAROL "), acct); ok {
		t.Error("AccountKey must fold case and space so CAROL is carol")
	}
}

func TestCheckAllFailAll(t *testing.T) {
	l, clk, _ := setup()
	acct := Target{Key: AccountKey("erin"), Rule: Rule{Name: "a", Max: 2, Window: 10 * time.Minute}}
	ip := Target{Key: IPKey("192.0.2.7"), Rule: Rule{Name: "i", Max: 3, Window: 20 * time.Minute}}
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, _, err := l.FailAll(ctx, env, acct, ip); err != nil {
			t.Fatal(err)
		}
	}
	ok, wait, err := l.CheckAll(ctx, env, acct, ip)
	if err != nil || ok || wait != 10*time.Minute {
		t.Fatalf("CheckAll = %v %v %v, want locked by the account for 10m", ok, wait, err)
	}
	clk.Advance(10 * time.Minute)
	if ok, _, _ := l.CheckAll(ctx, env, acct, ip); !ok {
		t.Fatal("want allowed once the account window ended (ip has 2 of 3)")
	}
	locked, wait, err := l.FailAll(ctx, env, acct, ip)
	if err != nil || !locked || wait != 10*time.Minute {
		t.Fatalf("FailAll = %v %v %v, want locked by ip with 10m left", locked, wait, err)
	}
	if _, _, err := l.CheckAll(ctx, env); err == nil {
		t.Error("CheckAll without targets must not allow")
	}
}

func TestStoreErrors(t *testing.T) {
	l, _, mem := setup()
	mem.err = errors.New("db down")
	rule := PasswordPerIP()
	if ok, _, err := l.Check(context.Background(), env, "k", rule); err == nil || ok {
		t.Errorf("Check = %v, %v; want not allowed and the error", ok, err)
	}
	if _, _, err := l.Fail(context.Background(), env, "k", rule); !errors.Is(err, mem.err) {
		t.Errorf("Fail err = %v", err)
	}
	if _, _, err := l.Count(context.Background(), env, "k"); !errors.Is(err, mem.err) {
		t.Errorf("Count err = %v", err)
	}
	if err := l.Reset(context.Background(), env, "k"); !errors.Is(err, mem.err) {
		t.Errorf("Reset err = %v", err)
	}
}

func TestInvalidRule(t *testing.T) {
	l, _, _ := setup()
	for _, r := range []Rule{{Window: time.Minute}, {Max: -1, Window: time.Minute}, {Max: 1}} {
		if _, _, err := l.Check(context.Background(), env, "k", r); err == nil {
			t.Errorf("Check accepted %+v", r)
		}
		if _, _, err := l.Fail(context.Background(), env, "k", r); err == nil {
			t.Errorf("Fail accepted %+v", r)
		}
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{name: "account_username", got: AccountKey(" Alice@Example.COM "), want: "acct:alice@example.com"},
		{name: "account_id", got: AccountKey("0195A0B4-7C00-7000-8000-000000000001"), want: "acct:0195a0b4-7c00-7000-8000-000000000001"},
		{name: "ipv4", got: IPKey("192.0.2.10"), want: "ip:192.0.2.10"},
		{name: "ipv4_mapped", got: IPKey("::ffff:192.0.2.10"), want: "ip:192.0.2.10"},
		{name: "ipv6_grouped_by_64", got: IPKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), want: "ip:2001:db8:1:2::/64"},
		{name: "ipv6_zone", got: IPKey("fe80::1%eth0"), want: "ip:fe80::/64"},
		{name: "not_an_ip", got: IPKey("Unknown-Host"), want: "ip:unknown-host"},
		{name: "empty", got: IPKey(""), want: "ip:unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	if IPKey("2001:db8:1:2::1") != IPKey("2001:db8:1:2:ffff::9") {
		t.Error("two addresses in one /64 must share a key")
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		want int
	}{
		{name: "zero", d: 0, want: 1},
		{name: "sub_second", d: 10 * time.Millisecond, want: 1},
		{name: "exact", d: 90 * time.Second, want: 90},
		{name: "rounds_up", d: 90*time.Second + time.Millisecond, want: 91},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RetryAfterSeconds(tt.d); got != tt.want {
				t.Errorf("RetryAfterSeconds(%v) = %d, want %d", tt.d, got, tt.want)
			}
		})
	}
}

func TestDefaultRules(t *testing.T) {
	for _, r := range []Rule{PasswordPerAccount(), PasswordPerIP()} {
		if err := r.check(); err != nil {
			t.Error(err)
		}
	}
	if a, i := PasswordPerAccount(), PasswordPerIP(); a.Max != 5 || i.Max != 50 || a.Window != 15*time.Minute {
		t.Errorf("rules %+v %+v", a, i)
	}
}
