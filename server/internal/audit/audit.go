// Package audit records who did what, when, from where and with what
// outcome: every sign-on attempt and every security-relevant change, in one
// record format (store.Event), so later features can show a user their
// history and an administrator the environment's.
//
// Recording never fails the request that caused it: a lost audit record is
// logged, not returned. Details are for context (method, reason, client id),
// never for secrets: keys that look like secrets are dropped before storing.
package audit

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/myaccount/myaccount/server/internal/geoip"
	"github.com/myaccount/myaccount/server/internal/store"
)

// Actions. The names are stored and shown, so they are append-only.
const (
	ActionSignOnPassword      = "SIGNON_PASSWORD"               // password checked (outcome says how it went)
	ActionSignOnMFA           = "SIGNON_MFA"                    // one-time passcode or other second factor checked
	ActionSignOnCompleted     = "SIGNON_COMPLETED"              // flow completed, session created or stepped up
	ActionOTPSent             = "OTP_SENT"                      // a one-time passcode was sent (channel in details)
	ActionDevicePaired        = "DEVICE_PAIRED"                 // an MFA method was added
	ActionDeviceDeleted       = "DEVICE_DELETED"                // an MFA method was removed
	ActionSessionSignedOff    = "SESSION_SIGNED_OFF"            // a session ended by sign-off or revocation
	ActionTokenReuseDetected  = "TOKEN_REUSE_DETECTED"          // a used refresh token came back: session revoked
	ActionTokenIssued         = "TOKEN_ISSUED"                  // tokens issued to an application (client credentials)
	ActionPasswordChanged     = "PASSWORD_CHANGED"              // a user's password set or changed
	ActionUserCreated         = "USER_CREATED"                  // a user was created
	ActionUserUpdated         = "USER_UPDATED"                  // a user's attributes changed
	ActionApplicationCreated  = "APPLICATION_CREATED"           // an application was created
	ActionApplicationUpdated  = "APPLICATION_UPDATED"           // an application's settings or secret changed
	ActionPolicyUpdated       = "POLICY_UPDATED"                // a sign-on or MFA policy changed
	ActionSelfServiceUpdated  = "SELF_SERVICE_UPDATED"          // MyAccount feature switches changed
	ActionAccountLocked       = "ACCOUNT_LOCKED"                // too many failures: account or IP locked out for a while
	ActionEnvironmentCreated  = "ENVIRONMENT_CREATED"           // an environment was created (bootstrap or API)
	ActionAdminBootstrapped   = "ADMIN_BOOTSTRAPPED"            // the first administrator was created at start-up
	ActionRequestRateLimited  = "REQUEST_RATE_LIMITED"          // a request was refused with 429
	ActionSignOnFlowExpired   = "SIGNON_FLOW_EXPIRED"           // a flow was continued after it expired
	ActionAuthorizationDenied = "AUTHORIZATION_DENIED"          // an /as/authorize request was refused
	ActionDeviceCreated       = "DEVICE_CREATED"                // an MFA method was added, pending activation
	ActionDeviceActivated     = "DEVICE_ACTIVATED"              // a pending MFA method was activated
	ActionDeviceRenamed       = "DEVICE_RENAMED"                // an MFA method's nickname changed
	ActionDevicesReordered    = "DEVICES_REORDERED"             // a user's MFA methods were reordered (default may change)
	ActionDeviceAuthNCreated  = "DEVICE_AUTHENTICATION_CREATED" // an application started an MFA check for a user
	ActionDeviceBlocked       = "DEVICE_BLOCKED"                // an administrator blocked an MFA method
	ActionDeviceUnblocked     = "DEVICE_UNBLOCKED"              // an administrator unblocked an MFA method
	ActionPolicyCreated       = "POLICY_CREATED"                // a device authentication policy was created
	ActionPolicyDeleted       = "POLICY_DELETED"                // a device authentication policy was deleted
	ActionTemplateUpdated     = "NOTIFICATION_TEMPLATE_UPDATED" // a notification template's text for a locale was set or removed
	ActionAgreementUpdated    = "AGREEMENT_UPDATED"             // an agreement, one of its languages or revisions was created, changed or deleted
	ActionAgreementConsent    = "AGREEMENT_CONSENT"             // a user accepted (SUCCESS) or declined (FAILURE) an agreement at sign-on
	ActionOAuthConsent        = "OAUTH_CONSENT"                 // a third-party application's consent given or revoked (SUCCESS) or denied (FAILURE); details.change says which
	ActionBrandingUpdated     = "BRANDING_UPDATED"              // an environment's branding or logo changed
)

// Actions returns every action name, for validation and documentation.
func Actions() []string {
	return []string{
		ActionRecoveryCodesCreated, ActionRecoveryCodeUsed, ActionRecoveryCodesDeleted, ActionAccountSecured,
		ActionContactChangeRequested, ActionContactChanged, ActionEmailChangeUndone,
		ActionSignOnPassword, ActionSignOnMFA, ActionSignOnCompleted, ActionOTPSent,
		ActionDevicePaired, ActionDeviceDeleted, ActionSessionSignedOff, ActionTokenReuseDetected,
		ActionTokenIssued, ActionPasswordChanged, ActionUserCreated, ActionUserUpdated,
		ActionApplicationCreated, ActionApplicationUpdated, ActionPolicyUpdated,
		ActionSelfServiceUpdated, ActionAccountLocked, ActionEnvironmentCreated,
		ActionAdminBootstrapped, ActionRequestRateLimited, ActionSignOnFlowExpired,
		ActionAuthorizationDenied, ActionDeviceCreated, ActionDeviceActivated, ActionDeviceRenamed,
		ActionDevicesReordered, ActionDeviceAuthNCreated, ActionDeviceBlocked, ActionDeviceUnblocked, ActionPolicyCreated, ActionPolicyDeleted,
		ActionAgreementUpdated, ActionAgreementConsent, ActionOAuthConsent,
		ActionBrandingUpdated,
	}
}

// Outcomes.
const (
	OutcomeSuccess = "SUCCESS"
	OutcomeFailure = "FAILURE"
)

// Actor types.
const (
	ActorUser        = "USER"
	ActorApplication = "APPLICATION"
	ActorSystem      = "SYSTEM"
)

// Limits on details, so a caller passing request data cannot bloat the
// events collection.
const (
	MaxDetails     = 16
	MaxDetailValue = 256
)

// DefaultRetention is how long events are kept when Deps.Retention is zero.
const DefaultRetention = 90 * 24 * time.Hour

// storeTimeout bounds one write; the request's own context is not used for
// cancellation (see Record).
const storeTimeout = 5 * time.Second

// Deps are the Recorder's dependencies.
type Deps struct {
	Events    store.Events
	Now       func() time.Time
	Logger    *slog.Logger
	Retention time.Duration // default DefaultRetention
	Rand      io.Reader     // event ids; nil means crypto/rand
	// Geo places the event's IP (details city, country, countryIso);
	// nil records the IP alone.
	Geo geoip.Locator
}

// Recorder writes audit events.
type Recorder struct {
	events    store.Events
	now       func() time.Time
	log       *slog.Logger
	retention time.Duration
	rand      io.Reader
	geo       geoip.Locator
}

// New returns a Recorder. Events is required.
func New(d Deps) *Recorder {
	if d.Events == nil {
		panic("audit: New without Events")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Retention <= 0 {
		d.Retention = DefaultRetention
	}
	if d.Rand == nil {
		d.Rand = rand.Reader
	}
	return &Recorder{events: d.Events, now: d.Now, log: d.Logger, retention: d.Retention, rand: d.Rand, geo: d.Geo}
}

// Record stores e, filling ID (UUIDv7), CreatedAt and ExpiresAt, and
// dropping detail keys that look like secrets. It returns nothing: a failed
// write is logged (action and environment, never detail values) and the
// caller's request goes on. A request cancelled by its client still gets
// its event written: the attempt happened.
func (r *Recorder) Record(ctx context.Context, e store.Event) {
	if e.EnvironmentID == "" || e.Action == "" {
		r.log.ErrorContext(ctx, "audit event refused: environment id and action are required",
			"action", e.Action, "environmentId", e.EnvironmentID)
		return
	}
	id, err := uuid.NewV7FromReader(r.rand)
	if err != nil {
		r.log.ErrorContext(ctx, "audit event lost: no id", "action", e.Action, "environmentId", e.EnvironmentID, "err", err)
		return
	}
	now := r.now().UTC()
	e.ID = id.String()
	e.CreatedAt = now
	e.ExpiresAt = now.Add(r.retention)
	e.Details = Place(r.geo, e.IP, e.Details)
	var dropped []string
	e.Details, dropped = CleanDetails(e.Details)
	if len(dropped) > 0 {
		// A programming error: say which keys, never their values.
		r.log.WarnContext(ctx, "audit details dropped: keys look like secrets or exceed the limits",
			"action", e.Action, "keys", dropped)
	}

	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if err := r.events.AddEvent(wctx, &e); err != nil {
		r.log.ErrorContext(ctx, "audit event lost", "action", e.Action, "outcome", e.Outcome,
			"environmentId", e.EnvironmentID, "eventId", e.ID, "err", err)
	}
}

// CleanDetails returns the details that may be stored, and the keys it
// dropped, sorted: keys that look like secrets (see SecretKey), keys beyond
// MaxDetails, and empty keys. Values longer than MaxDetailValue bytes are
// cut at a character boundary. The input map is not changed.
func CleanDetails(in map[string]string) (kept map[string]string, dropped []string) {
	if len(in) == 0 {
		return nil, nil
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys) // so which keys survive the limit is deterministic
	kept = make(map[string]string, len(in))
	for _, k := range keys {
		if k == "" || SecretKey(k) || len(kept) >= MaxDetails {
			dropped = append(dropped, k)
			continue
		}
		kept[k] = truncate(in[k], MaxDetailValue)
	}
	return kept, dropped
}

// SecretKey reports whether a details key looks like it names a secret.
// Some words are refused anywhere in a key ("newPassword", "accesstoken",
// "clientSecretHash"); short ones only as whole words ("otp", "otpValue",
// "auth_code", "codeVerifier", but not "photo" or "encoding"). It errs on
// the side of refusing: call a reason "reason", not "errorCode".
func SecretKey(key string) bool {
	lower := strings.ToLower(key)
	for _, s := range []string{"password", "passwd", "passcode", "secret", "token", "credential",
		"cookie", "authorization", "privatekey", "apikey"} {
		if strings.Contains(lower, s) {
			return true
		}
	}
	for _, w := range words(key) {
		switch w {
		case "otp", "totp", "hotp", "code", "pin", "pwd", "hash", "assertion", "verifier":
			return true
		}
	}
	return false
}

// words splits camelCase, snake_case, kebab-case and dotted keys into
// lower-case words: "otpValue" → [otp value], "AUTH_CODE" → [auth code].
func words(key string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	runes := []rune(key)
	for i, r := range runes {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(runes[i-1]) ||
			(i+1 < len(runes) && unicode.IsLower(runes[i+1]) && unicode.IsUpper(runes[i-1]))):
			// "otpValue" splits before V; "OTPValue" splits before V too.
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
