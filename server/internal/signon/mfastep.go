package signon

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/mfapolicy"
	"github.com/myaccount/myaccount/server/internal/store"
)

// beginMFACheck begins a check of the flow's second factor (a passcode, an
// assertion): it decodes the body into in and loads the flow's environment
// and policy, refusing the step while the user's MFA failures hold it
// locked.
func (e *Engine) beginMFACheck(c *fiber.Ctx, f *store.Flow, in any) (*store.Environment, mfapolicy.Policy, error) {
	if err := httpx.Decode(c, in); err != nil {
		return nil, mfapolicy.Policy{}, err
	}
	ctx := c.UserContext()
	env, err := e.flowEnv(ctx, f)
	if err != nil {
		return nil, mfapolicy.Policy{}, err
	}
	pol := e.policy(env, f)
	if err := e.checkMFALimit(ctx, f, pol); err != nil {
		return nil, pol, err
	}
	return env, pol, nil
}

// completeMFA completes the flow's MFA step after a good proof: one
// guarded save, so that of several requests with the same proof only one
// completes the flow and the others get used (the proof was already
// used); then the user's MFA failure counts are reset and the success is
// audited.
func (e *Engine) completeMFA(c *fiber.Ctx, f *store.Flow, pol mfapolicy.Policy, used error) error {
	ctx := c.UserContext()
	st, err := e.doneStatus(ctx, f)
	if err != nil {
		return err
	}
	f.Status, f.UpdatedAt = st, e.d.Now()
	if err := e.d.Flows.UpdateFlow(ctx, f); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return used
		}
		return fmt.Errorf("save flow: %w", err)
	}
	if err := e.resetMFA(ctx, f, pol); err != nil {
		return err
	}
	e.record(c, f, audit.ActionSignOnMFA, "SUCCESS", f.UserID)
	return nil
}
