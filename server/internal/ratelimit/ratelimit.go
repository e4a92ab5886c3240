// Package ratelimit limits brute force: failures are counted in the store
// (store.Counters), so the limits hold across every server instance behind
// a load balancer, and a locked key stays locked until its window ends.
//
// The windows are fixed: the first failure opens a window of Rule.Window,
// and the key is locked once Rule.Max failures fall in it, until the window
// ends. Failures while locked do not extend the lock, so a user locked out
// by someone else's guessing gets back in after at most one window.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// Rule is one limit: at most Max failures per Window. The counter is named
// by the key alone, so two rules that must count separately need different
// keys (AccountKey and IPKey prefix theirs; other uses pick their own
// prefix, e.g. "otp:<userId>").
type Rule struct {
	Name   string // optional, for error messages
	Max    int
	Window time.Duration
}

// PasswordPerAccount limits wrong passwords for one account (known or not):
// 5 per 15 minutes.
func PasswordPerAccount() Rule {
	return Rule{Name: "password-account", Max: 5, Window: 15 * time.Minute}
}

// PasswordPerIP limits wrong passwords from one client address (an IPv6
// /64): 50 per 15 minutes, enough for a busy office behind one NAT, too few
// to spray passwords across accounts.
func PasswordPerIP() Rule {
	return Rule{Name: "password-ip", Max: 50, Window: 15 * time.Minute}
}

func (r Rule) check() error {
	if r.Max < 1 || r.Window <= 0 {
		return fmt.Errorf("ratelimit: invalid rule %+v: want Max >= 1 and Window > 0", r)
	}
	return nil
}

// AccountKey is the key for "per account" limits: "acct:" and the user id
// or the username, lower-cased. Use the submitted username (not the user
// id) at sign-on, so unknown usernames are limited exactly like known ones
// and the limiter reveals nothing about which exist.
func AccountKey(userIDOrUsername string) string {
	return "acct:" + strings.ToLower(strings.TrimSpace(userIDOrUsername))
}

// IPKey is the key for "per IP" limits: "ip:" and the address. IPv4-mapped
// IPv6 addresses count as IPv4; other IPv6 addresses count by their /64, the
// block one subscriber usually holds, since a single host can pick any
// address in it. A value that is not an IP is used as it is (lower-cased).
func IPKey(ip string) string {
	addr, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		if ip = strings.ToLower(strings.TrimSpace(ip)); ip == "" {
			ip = "unknown"
		}
		return "ip:" + ip
	}
	addr = addr.WithZone("").Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return "ip:" + p.String()
	}
	return "ip:" + addr.String()
}

// Deps are the Limiter's dependencies.
type Deps struct {
	Counters store.Counters
	Now      func() time.Time
}

// Limiter checks and counts failures.
type Limiter struct {
	counters store.Counters
	now      func() time.Time
}

// New returns a Limiter. Counters is required.
func New(d Deps) *Limiter {
	if d.Counters == nil {
		panic("ratelimit: New without Counters")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Limiter{counters: d.Counters, now: d.Now}
}

// Check reports whether key may try again under rule, without counting:
// not when Max failures already fall in the current window, and then
// retryAfter is how long until the window ends.
func (l *Limiter) Check(ctx context.Context, envID, key string, rule Rule) (allowed bool, retryAfter time.Duration, err error) {
	if err := rule.check(); err != nil {
		return false, 0, err
	}
	now := l.now()
	n, expiresAt, err := l.counters.Count(ctx, envID, key, now)
	if err != nil {
		return false, 0, fmt.Errorf("ratelimit: check %s: %w", rule.Name, err)
	}
	if n < int64(rule.Max) || !expiresAt.After(now) {
		return true, 0, nil
	}
	return false, expiresAt.Sub(now), nil
}

// Fail counts one failure of key under rule. locked is true once the
// failures in the window reach Max (this failure included), with retryAfter
// the time left in the window.
func (l *Limiter) Fail(ctx context.Context, envID, key string, rule Rule) (locked bool, retryAfter time.Duration, err error) {
	if err := rule.check(); err != nil {
		return false, 0, err
	}
	now := l.now()
	n, expiresAt, err := l.counters.Incr(ctx, envID, key, now, rule.Window)
	if err != nil {
		return false, 0, fmt.Errorf("ratelimit: count %s: %w", rule.Name, err)
	}
	if n < int64(rule.Max) {
		return false, 0, nil
	}
	return true, max(expiresAt.Sub(now), 0), nil
}

// Count returns key's failures in the current window (0 when none) and the
// time left in that window, e.g. to tell a user how many attempts remain.
func (l *Limiter) Count(ctx context.Context, envID, key string) (count int64, remaining time.Duration, err error) {
	now := l.now()
	n, expiresAt, err := l.counters.Count(ctx, envID, key, now)
	if err != nil {
		return 0, 0, fmt.Errorf("ratelimit: count: %w", err)
	}
	if n == 0 || !expiresAt.After(now) {
		return 0, 0, nil
	}
	return n, expiresAt.Sub(now), nil
}

// Reset forgets key's failures, e.g. the account's after a successful
// sign-on. Do not reset per-IP counters on success: an attacker with one
// valid account could otherwise clear their address's count.
func (l *Limiter) Reset(ctx context.Context, envID, key string) error {
	if err := l.counters.Reset(ctx, envID, key); err != nil {
		return fmt.Errorf("ratelimit: reset: %w", err)
	}
	return nil
}

// Target is one key under one rule, for CheckAll and FailAll.
type Target struct {
	Key  string
	Rule Rule
}

// CheckAll is Check over several targets (e.g. the account and the
// address): allowed only if every one is, retryAfter the longest wait.
func (l *Limiter) CheckAll(ctx context.Context, envID string, targets ...Target) (allowed bool, retryAfter time.Duration, err error) {
	if len(targets) == 0 {
		return false, 0, errors.New("ratelimit: CheckAll without targets")
	}
	allowed = true
	for _, t := range targets {
		ok, wait, err := l.Check(ctx, envID, t.Key, t.Rule)
		if err != nil {
			return false, 0, err
		}
		allowed = allowed && ok
		retryAfter = max(retryAfter, wait)
	}
	return allowed, retryAfter, nil
}

// FailAll is Fail over several targets: every one is counted; locked if
// any is, retryAfter the longest wait.
func (l *Limiter) FailAll(ctx context.Context, envID string, targets ...Target) (locked bool, retryAfter time.Duration, err error) {
	var errs []error
	for _, t := range targets {
		lk, wait, err := l.Fail(ctx, envID, t.Key, t.Rule)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		locked = locked || lk
		retryAfter = max(retryAfter, wait)
	}
	return locked, retryAfter, errors.Join(errs...)
}

// RetryAfterSeconds is d for a Retry-After header: whole seconds, rounded
// up, at least 1 (a client told 0 would retry at once).
func RetryAfterSeconds(d time.Duration) int {
	s := math.Ceil(d.Seconds())
	if s < 1 {
		return 1
	}
	return int(s)
}
