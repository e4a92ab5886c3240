package signon

// Federated sign-on: the relying-party side of an external OpenID Connect
// provider (github.com/coreos/go-oidc). A flow waiting for a username and
// password offers the environment's enabled providers; the start endpoint
// puts a fresh state secret, nonce and PKCE verifier on the flow (one
// round trip at a time, FederationTTL long) and sends the browser to the
// provider; the callback finds the flow by the state (flow id + secret),
// uses the state once (a version-guarded save clears it before anything
// else), exchanges the code, verifies the ID token (signature by the
// provider's JWKS, issuer, audience, expiry, nonce) and then:
//
//   - an external account (issuer, subject) linked to a user signs on as
//     that user, and the sign-on policy's MFA step still applies;
//   - else a user whose username is the provider's email address (and whose
//     email is that address) must prove the account with its password
//     (PASSWORD_REQUIRED, on the account lockout) before it is linked;
//   - else the provider creates a user when its createUsers is on;
//   - else the flow shows NO_MATCHING_ACCOUNT.
//
// A link-mode flow (MyAccount's "Link a provider", started by
// oauth.Provider.LinkAccount for the signed-on user) proves the user with a
// recent MFA, an MFA step or the password, then makes the same round trip
// and links the external account to its user, refusing one linked to
// another user. Every link claims (issuer, subject) in the store first
// (unique per environment), so two users never share an external account.

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/oauth2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/otp"
	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
	"github.com/myaccount/myaccount/shared/valid"
)

// FederationTTL bounds one round trip to an external provider.
const FederationTTL = 10 * time.Minute

// LinkFreshness is how recent a session's MFA must be to link a provider
// from MyAccount without another proof (manage.StepUpWindow's value).
const LinkFreshness = 10 * time.Minute

// Audit actions of federation, named here for this package's callers.
const (
	ActionLinkedAccountAdded = audit.ActionLinkedAccountAdded
	ActionSignOnExternal     = audit.ActionSignOnExternal
)

// amrFederated marks a flow or session signed on by an external provider.
const amrFederated = "fed"

// IdentityProviderSecretAD is the associated data of a provider's sealed
// client secret; it must equal manage.IdentityProviderSecretAD (a test
// checks), which this package cannot import.
func IdentityProviderSecretAD(envID, idpID string) []byte {
	return []byte("identityProvider/" + envID + "/" + idpID)
}

// external is a verified external account and its mapped attributes.
type external struct {
	issuer, subject          string
	email                    string
	emailVerified            bool
	givenName, familyName    string
	providerID, providerName string
}

// fedError is a failed round trip: its code and the message the page shows.
type fedError struct{ code, msg string }

func (e *fedError) Error() string { return e.code + ": " + e.msg }

func fedFailed(msg string) *fedError { return &fedError{resource.FederationFailed, msg} }

// StartFederation answers GET /{envId}/flows/{flowId}/identityProviders/{identityProviderId}:
// the browser leaves for the provider. A sign-on flow must be waiting for
// a username and password; a link flow must have proven its user.
func (e *Engine) StartFederation() fiber.Handler {
	return func(c *fiber.Ctx) error {
		f, err := e.load(c)
		if err != nil {
			return err
		}
		idpID := c.Params("identityProviderId")
		link := isLink(f)
		switch {
		case link && (f.Status != resource.FlowCompleted || f.Federation.ProviderID != idpID):
			return apierr.NotFoundError("The sign-on flow was not found or has expired.")
		case !link && f.Status != resource.FlowUsernamePasswordRequired:
			return apierr.New(http.StatusBadRequest, apierr.InvalidRequest,
				fmt.Sprintf("An external sign-on is not available while the flow is %s.", f.Status))
		}
		to, err := e.begin(c, f, idpID)
		if err != nil {
			return err
		}
		return c.Redirect(to, http.StatusFound)
	}
}

// begin puts a fresh round trip on f and returns the provider's
// authorization URL; a provider that is off or unreachable leaves the
// error on the flow and returns where the browser goes instead.
func (e *Engine) begin(c *fiber.Ctx, f *store.Flow, idpID string) (string, error) {
	ctx := c.UserContext()
	env, err := e.env(ctx, f.EnvironmentID)
	if err != nil {
		return "", err
	}
	fed := f.Federation
	if fed == nil {
		fed = &store.FlowFederation{}
		f.Federation = fed
	}
	fed.ProviderID = idpID
	fed.ErrorCode, fed.ErrorMessage, fed.Issuer, fed.Subject = "", "", "", ""
	p := enabledProvider(env, idpID)
	if p == nil {
		return e.fail(c, f, &fedError{resource.FederationUnavailable, "This sign-on provider is not available."})
	}
	prov, err := oidc.NewProvider(oidc.ClientContext(ctx, e.httpClient()), p.Issuer)
	if err != nil {
		e.d.Logger.WarnContext(ctx, "external provider discovery failed", "identityProviderId", p.ID, "err", err)
		return e.fail(c, f, &fedError{resource.FederationUnavailable, p.Name + " cannot be reached. Try again later."})
	}
	secret, err := e.random(32)
	if err != nil {
		return "", err
	}
	if fed.Nonce, err = e.random(24); err != nil {
		return "", err
	}
	if fed.Verifier, err = e.random(32); err != nil {
		return "", err
	}
	fed.StateHash = hashValue(secret)
	fed.ExpiresAt = e.d.Now().Add(FederationTTL)
	if err := e.save(ctx, f); err != nil {
		return "", err
	}
	conf := e.oauthConfig(env.ID, p, prov, "")
	return conf.AuthCodeURL(f.ID+"."+secret, oidc.Nonce(fed.Nonce), oauth2.S256ChallengeOption(fed.Verifier)), nil
}

// Callback answers GET /{envId}/rp/callback/openid_connect, the redirect
// URI to register at every provider.
func (e *Engine) Callback() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		notFound := apierr.NotFoundError("The sign-on flow was not found or has expired.")
		flowID, secret, ok := strings.Cut(c.Query("state"), ".")
		if !ok || valid.UUID(flowID) != nil || secret == "" || len(secret) > 128 {
			return notFound
		}
		f, err := e.d.Flows.GetFlow(ctx, c.Params("envId"), flowID, e.d.Now())
		if errors.Is(err, store.ErrNotFound) {
			return notFound
		}
		if err != nil {
			return fmt.Errorf("load flow: %w", err)
		}
		bh := BrowserHash(c)
		fed := f.Federation
		if bh == "" || f.Kind != "" || !otp.Equal(bh, f.BrowserHash) || f.Status == StatusResumed ||
			fed == nil || fed.StateHash == "" || !otp.Equal(hashValue(secret), fed.StateHash) {
			return notFound
		}
		// Use the state once: of two requests with it, one saves first and
		// the other finds the flow changed.
		nonce, verifier, expired := fed.Nonce, fed.Verifier, !e.d.Now().Before(fed.ExpiresAt)
		fed.StateHash, fed.Nonce, fed.Verifier = "", "", ""
		if err := e.save(ctx, f); err != nil {
			return notFound
		}
		to, err := e.finish(c, f, nonce, verifier, expired)
		if err != nil {
			return err
		}
		return c.Redirect(to, http.StatusFound)
	}
}

// finish completes a round trip whose state was good; it returns where
// the browser goes next.
func (e *Engine) finish(c *fiber.Ctx, f *store.Flow, nonce, verifier string, expired bool) (string, error) {
	ctx := c.UserContext()
	if expired {
		return e.fail(c, f, fedFailed("The sign-on took too long. Try again."))
	}
	if c.Query("error") != "" || c.Query("code") == "" {
		return e.fail(c, f, fedFailed("The provider did not sign you on."))
	}
	env, err := e.env(ctx, f.EnvironmentID)
	if err != nil {
		return "", err
	}
	p := enabledProvider(env, f.Federation.ProviderID)
	if p == nil {
		return e.fail(c, f, &fedError{resource.FederationUnavailable, "This sign-on provider is not available."})
	}
	x, err := e.exchange(ctx, env.ID, p, c.Query("code"), verifier, nonce)
	if err != nil {
		e.d.Logger.WarnContext(ctx, "external sign-on did not verify", "identityProviderId", p.ID, "err", err)
		e.record(c, f, ActionSignOnExternal, audit.OutcomeFailure, f.UserID)
		return e.fail(c, f, fedFailed("The answer of "+p.Name+" could not be verified. Try again."))
	}
	if isLink(f) {
		return e.finishLink(c, f, x)
	}
	return e.finishSignOn(c, f, env, p, x)
}

// exchange trades the code for tokens and verifies the ID token.
func (e *Engine) exchange(ctx context.Context, envID string, p *store.IdentityProvider, code, verifier, nonce string) (*external, error) {
	ctx = oidc.ClientContext(ctx, e.httpClient())
	prov, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discover provider: %w", err)
	}
	secret, err := e.providerSecret(envID, p)
	if err != nil {
		return nil, err
	}
	conf := e.oauthConfig(envID, p, prov, secret)
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange code: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, errors.New("no id_token in the token response")
	}
	idt, err := prov.Verifier(&oidc.Config{ClientID: p.ClientID, Now: e.d.Now}).Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("verify id token: %w", err)
	}
	if nonce == "" || !otp.Equal(idt.Nonce, nonce) {
		return nil, errors.New("verify id token: wrong nonce")
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("read id token claims: %w", err)
	}
	m := mapping(p)
	if _, ok := claims[m.Email]; !ok && prov.UserInfoEndpoint() != "" {
		// Some providers put the email only in userinfo; it must be about
		// the same subject.
		if ui, err := prov.UserInfo(ctx, conf.TokenSource(ctx, tok)); err == nil && ui.Subject == idt.Subject {
			extra := map[string]any{}
			if ui.Claims(&extra) == nil {
				for k, v := range extra {
					if _, ok := claims[k]; !ok {
						claims[k] = v
					}
				}
			}
		}
	}
	str := func(k string) string { s, _ := claims[k].(string); return strings.TrimSpace(s) }
	verified, _ := claims["email_verified"].(bool)
	return &external{issuer: idt.Issuer, subject: idt.Subject, email: strings.ToLower(str(m.Email)), emailVerified: verified,
		givenName: str(m.GivenName), familyName: str(m.FamilyName), providerID: p.ID, providerName: p.Name}, nil
}

// finishSignOn continues a sign-on flow with a verified external account.
func (e *Engine) finishSignOn(c *fiber.Ctx, f *store.Flow, env *store.Environment, p *store.IdentityProvider, x *external) (string, error) {
	ctx := c.UserContext()
	claim, err := e.d.Links.GetExternalIdentity(ctx, env.ID, x.issuer, x.subject)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("find external identity: %w", err)
	}
	if claim != nil {
		u, err := e.d.Users.GetUser(ctx, env.ID, claim.UserID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return "", fmt.Errorf("load linked user: %w", err)
		}
		if u != nil && hasLink(u, x) {
			if !u.Enabled {
				e.record(c, f, ActionSignOnExternal, audit.OutcomeFailure, u.ID)
				return e.fail(c, f, &fedError{resource.FederationNoAccount, "No account can sign on with this " + p.Name + " account."})
			}
			e.record(c, f, ActionSignOnExternal, audit.OutcomeSuccess, u.ID)
			return e.continueAs(c, f, env, u)
		}
		// A claim whose link never reached its user record: go on as if
		// unlinked; linking then completes it for its user, or refuses
		// another user (ALREADY_LINKED).
	}
	if x.email != "" {
		u, err := e.d.Users.GetUserByUsername(ctx, env.ID, x.email)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return "", fmt.Errorf("find user: %w", err)
		}
		if u != nil && u.Enabled && strings.EqualFold(u.Email, x.email) {
			if u.PasswordHash == "" {
				return e.fail(c, f, &fedError{resource.FederationNoPassword,
					"An account with this email address exists. Sign on to it and link " + p.Name + " from MyAccount."})
			}
			// The account is someone's: its password proves it is this
			// person's before the external account is linked.
			f.UserID = u.ID
			f.Federation.Issuer, f.Federation.Subject = x.issuer, x.subject
			f.Status = resource.FlowPasswordRequired
			if err := e.save(ctx, f); err != nil {
				return "", err
			}
			return e.signOnPage(f), nil
		}
	}
	if !p.CreateUsers {
		e.record(c, f, ActionSignOnExternal, audit.OutcomeFailure, "")
		return e.fail(c, f, &fedError{resource.FederationNoAccount, "No account matches your " + p.Name + " account. Sign on with your username and password."})
	}
	u, err := e.createUser(c, env, x)
	if err != nil {
		var fe *fedError
		if errors.As(err, &fe) {
			return e.fail(c, f, fe)
		}
		return "", err
	}
	return e.continueAs(c, f, env, u)
}

// continueAs moves a sign-on flow on as u after the external sign-on: to
// the MFA step the policy asks for, or done.
func (e *Engine) continueAs(c *fiber.Ctx, f *store.Flow, env *store.Environment, u *store.User) (string, error) {
	ctx := c.UserContext()
	f.UserID = u.ID
	f.PasswordAt = e.d.Now()
	f.AMR = appendOnce(f.AMR, amrFederated)
	f.Federation.Issuer, f.Federation.Subject = "", ""
	if !NeedsMFA(env.SignOnPolicy, f.ACR) {
		st, err := e.doneStatus(ctx, f)
		if err != nil {
			return "", err
		}
		f.Status = st
		if err := e.save(ctx, f); err != nil {
			return "", err
		}
		return e.signOnPage(f), nil
	}
	return e.mfaPage(c, f, env, u)
}

// createUser creates a user for an external account (createUsers): its
// username is the provider's email address, and it has no password.
func (e *Engine) createUser(c *fiber.Ctx, env *store.Environment, x *external) (*store.User, error) {
	ctx := c.UserContext()
	if x.email == "" || valid.Username(x.email) != nil || valid.Email(x.email) != nil {
		return nil, &fedError{resource.FederationNoAccount, "Your account at the provider has no usable email address."}
	}
	now := e.d.Now()
	la := store.LinkedAccount{ID: ids.New(), IdentityProviderID: x.providerID, Issuer: x.issuer, Subject: x.subject, CreatedAt: now}
	u := &store.User{EnvironmentID: env.ID, ID: ids.New(), Username: x.email, Email: x.email, EmailVerified: x.emailVerified,
		GivenName: x.givenName, FamilyName: x.familyName, Enabled: true, CreatedAt: now, UpdatedAt: now,
		LinkedAccounts: []store.LinkedAccount{la}}
	if err := e.claim(ctx, env.ID, u.ID, la); err != nil {
		return nil, err
	}
	if err := e.d.Users.CreateUser(ctx, u); err != nil {
		e.release(ctx, env.ID, u.ID, la)
		if errors.Is(err, store.ErrDuplicate) {
			return nil, &fedError{resource.FederationNoAccount, "An account with this username exists already."}
		}
		return nil, fmt.Errorf("create user: %w", err)
	}
	e.d.Audit.Record(ctx, store.Event{EnvironmentID: env.ID, Action: audit.ActionUserCreated, Outcome: audit.OutcomeSuccess,
		ActorType: audit.ActorUser, ActorID: u.ID, UserID: u.ID, IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent),
		Details: map[string]string{"identityProviderId": x.providerID}})
	e.recordLink(c, env.ID, u.ID, la)
	return u, nil
}

// finishLink links a verified external account to a link flow's user.
func (e *Engine) finishLink(c *fiber.Ctx, f *store.Flow, x *external) (string, error) {
	ctx := c.UserContext()
	if err := e.link(c, f.EnvironmentID, f.UserID, x); err != nil {
		var fe *fedError
		if errors.As(err, &fe) {
			return e.fail(c, f, fe)
		}
		return "", err
	}
	f.Status = StatusResumed // a link flow is done with once it linked
	if err := e.save(ctx, f); err != nil {
		return "", err
	}
	return e.myAccount(f.EnvironmentID, ""), nil
}

// link adds the external account to the user: the claim first (unique per
// environment), then one version-guarded update of the user record. An
// account the user linked already is no error.
func (e *Engine) link(c *fiber.Ctx, envID, userID string, x *external) error {
	ctx := c.UserContext()
	now := e.d.Now()
	la := store.LinkedAccount{ID: ids.New(), IdentityProviderID: x.providerID, Issuer: x.issuer, Subject: x.subject, CreatedAt: now}
	if err := e.claim(ctx, envID, userID, la); err != nil {
		var fe *fedError
		cl, gerr := e.d.Links.GetExternalIdentity(ctx, envID, x.issuer, x.subject)
		if !errors.As(err, &fe) || gerr != nil || cl.UserID != userID {
			return err
		}
		// The user's own claim: linked already, or a link that stopped
		// between its claim and its user update, which this one completes.
		la.ID = cl.LinkedAccountID
	}
	for range 5 {
		u, err := e.d.Users.GetUser(ctx, envID, userID)
		if err != nil {
			e.release(ctx, envID, userID, la)
			return fmt.Errorf("load user: %w", err)
		}
		if hasLink(u, x) {
			return nil
		}
		if len(u.LinkedAccounts) >= store.MaxLinkedAccounts {
			e.release(ctx, envID, userID, la)
			return &fedError{resource.FederationLimit, fmt.Sprintf("An account has at most %d linked accounts.", store.MaxLinkedAccounts)}
		}
		u.LinkedAccounts = append(u.LinkedAccounts, la)
		u.UpdatedAt = now
		err = e.d.Users.UpdateUser(ctx, u)
		if err == nil {
			e.recordLink(c, envID, userID, la)
			return nil
		}
		if !errors.Is(err, store.ErrConflict) {
			e.release(ctx, envID, userID, la)
			return fmt.Errorf("link account: %w", err)
		}
	}
	e.release(ctx, envID, userID, la)
	return apierr.ConflictError("Your account changed in another request. Try again.")
}

// claim takes (issuer, subject) for the user; one claimed already is
// ALREADY_LINKED.
func (e *Engine) claim(ctx context.Context, envID, userID string, la store.LinkedAccount) error {
	err := e.d.Links.ClaimExternalIdentity(ctx, &store.ExternalIdentity{EnvironmentID: envID, Issuer: la.Issuer,
		Subject: la.Subject, UserID: userID, LinkedAccountID: la.ID, CreatedAt: la.CreatedAt})
	if errors.Is(err, store.ErrDuplicate) {
		return &fedError{resource.FederationLinkedToOther, "This external account is linked to another account already."}
	}
	if err != nil {
		return fmt.Errorf("claim external identity: %w", err)
	}
	return nil
}

// release gives a claim back after the link did not happen.
func (e *Engine) release(ctx context.Context, envID, userID string, la store.LinkedAccount) {
	if err := e.d.Links.ReleaseExternalIdentity(ctx, envID, la.Issuer, la.Subject, userID); err != nil {
		e.d.Logger.WarnContext(ctx, "external identity claim not released", "err", err)
	}
}

func (e *Engine) recordLink(c *fiber.Ctx, envID, userID string, la store.LinkedAccount) {
	e.d.Audit.Record(c.UserContext(), store.Event{EnvironmentID: envID, Action: ActionLinkedAccountAdded,
		Outcome: audit.OutcomeSuccess, ActorType: audit.ActorUser, ActorID: userID, UserID: userID, IP: c.IP(),
		UserAgent: c.Get(fiber.HeaderUserAgent),
		Details:   map[string]string{"linkedAccountId": la.ID, "identityProviderId": la.IdentityProviderID}})
}

// passwordCheck answers PASSWORD_REQUIRED: the flow's user proves the
// account with its password, on the same lockout as sign-on. A sign-on
// flow then links the external account it verified and goes on to MFA; a
// link flow goes on to the provider.
func (e *Engine) passwordCheck(c *fiber.Ctx, f *store.Flow) error {
	ctx := c.UserContext()
	var in resource.PasswordCheck
	if err := httpx.Decode(c, &in); err != nil {
		return err
	}
	if err := valid.Password(in.Password); err != nil {
		return apierr.Invalid("The password is not valid.",
			apierr.Field(apierr.DetailInvalidValue, "password", "password "+err.Error()+"."))
	}
	env, err := e.env(ctx, f.EnvironmentID)
	if err != nil {
		return err
	}
	u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
	if err != nil {
		return fmt.Errorf("load flow user: %w", err)
	}
	acctKey, targets, err := e.checkPasswordLimit(c, f, env, u.Username)
	if err != nil {
		return err
	}
	good, err := e.d.Hasher.Verify(ctx, in.Password, u.PasswordHash)
	if errors.Is(err, password.ErrBusy) {
		return apierr.Limited(1)
	}
	if err != nil && !errors.Is(err, password.ErrTooLong) {
		return fmt.Errorf("verify password: %w", err)
	}
	if !good || !u.Enabled {
		e.record(c, f, audit.ActionSignOnPassword, audit.OutcomeFailure, u.ID)
		locked, retry, err := e.d.Limiter.FailAll(ctx, f.EnvironmentID, targets...)
		if err != nil {
			return fmt.Errorf("count password failure: %w", err)
		}
		if locked {
			e.record(c, f, audit.ActionAccountLocked, audit.OutcomeSuccess, u.ID)
			return apierr.Limited(ratelimit.RetryAfterSeconds(retry))
		}
		return apierr.Invalid("The password is incorrect.",
			apierr.Field(apierr.DetailInvalidCredentials, "password", "The password is incorrect."))
	}
	if err := e.d.Limiter.Reset(ctx, f.EnvironmentID, acctKey); err != nil {
		return fmt.Errorf("reset password limit: %w", err)
	}
	e.record(c, f, audit.ActionSignOnPassword, audit.OutcomeSuccess, u.ID)
	f.AMR = appendOnce(f.AMR, "pwd")
	if isLink(f) {
		f.Status = resource.FlowCompleted
		return e.save(ctx, f)
	}
	fed := f.Federation
	if fed == nil || fed.Issuer == "" {
		return apierr.NotFoundError("The sign-on flow was not found or has expired.")
	}
	p := enabledProvider(env, fed.ProviderID)
	if p == nil {
		return apierr.New(http.StatusBadRequest, apierr.RequestFailed, "This sign-on provider is not available.",
			apierr.Field(resource.FederationUnavailable, "identityProvider", "The provider is disabled or deleted."))
	}
	x := &external{issuer: fed.Issuer, subject: fed.Subject, providerID: p.ID, providerName: p.Name}
	if err := e.link(c, f.EnvironmentID, u.ID, x); err != nil {
		var fe *fedError
		if errors.As(err, &fe) {
			return apierr.New(http.StatusBadRequest, apierr.RequestFailed, fe.msg,
				apierr.Field(fe.code, "identityProvider", fe.msg))
		}
		return err
	}
	if _, err := e.continueAs(c, f, env, u); err != nil {
		return err
	}
	return nil
}

// BeginLink starts a link flow (made by oauth.Provider.LinkAccount for
// the signed-on user): with an MFA within LinkFreshness it goes straight to
// the provider; else it asks for an MFA step, or the password of a user
// without a usable method. It returns where the browser goes.
func (e *Engine) BeginLink(c *fiber.Ctx, f *store.Flow, mfaAt time.Time) (string, error) {
	ctx := c.UserContext()
	env, err := e.env(ctx, f.EnvironmentID)
	if err != nil {
		return "", err
	}
	if enabledProvider(env, f.Federation.ProviderID) == nil {
		return e.myAccount(f.EnvironmentID, resource.FederationUnavailable), nil
	}
	if !mfaAt.IsZero() && e.d.Now().Sub(mfaAt) <= LinkFreshness {
		f.Status = resource.FlowCompleted
		if err := e.save(ctx, f); err != nil {
			return "", err
		}
		return e.begin(c, f, f.Federation.ProviderID)
	}
	u, err := e.d.Users.GetUser(ctx, f.EnvironmentID, f.UserID)
	if err != nil {
		return "", fmt.Errorf("load user: %w", err)
	}
	if len(e.usable(u, e.policy(env, f))) == 0 && u.PasswordHash != "" {
		f.Status = resource.FlowPasswordRequired
		if err := e.save(ctx, f); err != nil {
			return "", err
		}
		return e.signOnPage(f), nil
	}
	return e.mfaPage(c, f, env, u)
}

// fail leaves a failed round trip's error on the flow and returns where
// the browser goes: the sign-on page, or MyAccount for a link flow.
func (e *Engine) fail(c *fiber.Ctx, f *store.Flow, fe *fedError) (string, error) {
	if isLink(f) {
		f.Status = StatusResumed
		if err := e.save(c.UserContext(), f); err != nil {
			return "", err
		}
		return e.myAccount(f.EnvironmentID, fe.code), nil
	}
	f.Federation.ErrorCode, f.Federation.ErrorMessage = fe.code, fe.msg
	if err := e.save(c.UserContext(), f); err != nil {
		return "", err
	}
	return e.signOnPage(f), nil
}

// embedFederation shows a sign-on flow's providers and its last round
// trip's error.
func (e *Engine) embedFederation(ctx context.Context, f *store.Flow, out *resource.Flow) error {
	if f.Kind != "" {
		return nil
	}
	if fed := f.Federation; fed != nil && fed.ErrorCode != "" {
		out.Error = &resource.FlowError{Code: fed.ErrorCode, Message: fed.ErrorMessage}
	}
	if f.Status != resource.FlowUsernamePasswordRequired {
		return nil
	}
	env, err := e.env(ctx, f.EnvironmentID)
	if err != nil {
		return err
	}
	var list []resource.FlowIdentityProvider
	for _, p := range env.IdentityProviders {
		if p.Enabled {
			list = append(list, resource.FlowIdentityProvider{ID: p.ID, Name: p.Name,
				Href: e.d.PublicURL + paths.Build(paths.FlowIdentityProvider, f.EnvironmentID, f.ID, p.ID)})
		}
	}
	if len(list) > 0 {
		if out.Embedded == nil {
			out.Embedded = &resource.FlowEmbedded{}
		}
		out.Embedded.IdentityProviders = list
	}
	return nil
}

// linkResumeURL is where a proven link flow continues: the provider.
func (e *Engine) linkResumeURL(f *store.Flow) string {
	return e.d.PublicURL + paths.Build(paths.FlowIdentityProvider, f.EnvironmentID, f.ID, f.Federation.ProviderID)
}

func (e *Engine) oauthConfig(envID string, p *store.IdentityProvider, prov *oidc.Provider, secret string) *oauth2.Config {
	scopes := slices.Clone(p.Scopes)
	if !slices.Contains(scopes, oidc.ScopeOpenID) {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
	}
	ep := prov.Endpoint()
	if secret == "" {
		ep.AuthStyle = oauth2.AuthStyleInParams // a public client: client_id in the form
	}
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: secret, Endpoint: ep, Scopes: scopes,
		RedirectURL: e.d.PublicURL + paths.Build(paths.FederationCallback, envID)}
}

func (e *Engine) providerSecret(envID string, p *store.IdentityProvider) (string, error) {
	if len(p.ClientSecretSealed) == 0 {
		return "", nil
	}
	if e.d.Box == nil {
		return "", errors.New("no secret box to open the provider's client secret")
	}
	b, err := e.d.Box.Open(p.ClientSecretSealed, IdentityProviderSecretAD(envID, p.ID))
	if err != nil {
		return "", fmt.Errorf("open provider secret: %w", err)
	}
	return string(b), nil
}

func (e *Engine) httpClient() *http.Client {
	if e.d.HTTPClient != nil {
		return e.d.HTTPClient
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// random returns n random bytes, base64url.
func (e *Engine) random(n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(e.d.Rand, b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func (e *Engine) signOnPage(f *store.Flow) string {
	return e.d.PublicURL + paths.Build(paths.SignOn, f.EnvironmentID) + "?flowId=" + url.QueryEscape(f.ID)
}

// myAccount is MyAccount's linked accounts tab, with an error code when
// linking failed.
func (e *Engine) myAccount(envID, code string) string {
	u := e.d.PublicURL + paths.Build(paths.MyAccount, envID)
	if code != "" {
		u += "?linkError=" + url.QueryEscape(code)
	}
	return u + "#sessions"
}

func enabledProvider(env *store.Environment, id string) *store.IdentityProvider {
	i := slices.IndexFunc(env.IdentityProviders, func(p store.IdentityProvider) bool { return p.ID == id })
	if i < 0 || !env.IdentityProviders[i].Enabled {
		return nil
	}
	return &env.IdentityProviders[i]
}

// mapping is p's attribute mapping with the standard claims as defaults.
func mapping(p *store.IdentityProvider) store.AttributeMapping {
	m := p.AttributeMapping
	if m.Email == "" {
		m.Email = "email"
	}
	if m.GivenName == "" {
		m.GivenName = "given_name"
	}
	if m.FamilyName == "" {
		m.FamilyName = "family_name"
	}
	return m
}

func isLink(f *store.Flow) bool {
	return f.Federation != nil && f.Federation.Mode == store.FlowLinkMode
}

func hasLink(u *store.User, x *external) bool {
	return slices.ContainsFunc(u.LinkedAccounts, func(l store.LinkedAccount) bool {
		return l.Issuer == x.issuer && l.Subject == x.subject
	})
}

// mfaPage starts the flow's MFA step and answers the sign-on page that
// shows it (after an external sign-on, and when a link begins). A user
// without a usable method gets FAILED (or enrollment), which the page
// shows too, so startMFA's public errors are not errors of the redirect.
func (e *Engine) mfaPage(c *fiber.Ctx, f *store.Flow, env *store.Environment, u *store.User) (string, error) {
	var ae *apierr.Error
	if err := e.startMFA(c, f, env, u); err != nil && !errors.As(err, &ae) {
		return "", err
	}
	return e.signOnPage(f), nil
}
