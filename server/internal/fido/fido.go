// Package fido runs the WebAuthn ceremonies of FIDO2 security keys and
// passkeys for the server, over github.com/go-webauthn/webauthn: the
// relying party comes from the server's PUBLIC_URL (RP ID = its host name,
// origin = its scheme, host and port), options and responses travel as the
// standard WebAuthn JSON (binary fields base64url), and the state of a
// ceremony in progress is an opaque Session the caller keeps on its own
// record (a pending device, a sign-on flow) until the response comes back.
//
// The package keeps no state: every check the caller must make atomically
// (use a session once, store the new sign count) is the caller's one
// version-guarded write.
package fido

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
)

// Kind is the kind of authenticator a user chose to pair. Security keys are
// roaming (USB, NFC, BLE) second factors; platform authenticators hold a
// discoverable passkey on the device (or in its password manager).
type Kind string

// Kinds of authenticator.
const (
	KindSecurityKey Kind = "SECURITY_KEY"
	KindPlatform    Kind = "PLATFORM"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindSecurityKey || k == KindPlatform }

// Errors a ceremony fails with. Every failure wraps ErrInvalid, so callers
// can refuse the response with one check and still tell the others apart.
var (
	// ErrInvalid: the response does not verify (wrong challenge, origin,
	// RP ID, signature, credential, or a malformed body).
	ErrInvalid = errors.New("fido: invalid response")
	// ErrOrigin: the response, or the origin the client claims, is not
	// this relying party's origin.
	ErrOrigin = fmt.Errorf("%w: wrong origin", ErrInvalid)
	// ErrCloned: the authenticator's signature counter did not move
	// forward, so the credential may have been copied, or the assertion is
	// a replay.
	ErrCloned = fmt.Errorf("%w: signature counter did not increase", ErrInvalid)
)

// Config is the relying party.
type Config struct {
	// PublicURL is the server's public base URL (PUBLIC_URL). Its host name
	// must be a domain name: an IP address cannot be an RP ID.
	PublicURL string
	// RPDisplayName is shown by some authenticators; "MyAccount" if empty.
	RPDisplayName string
}

// RP is a configured relying party.
type RP struct {
	wa     *webauthn.WebAuthn
	origin string
}

// New checks c and returns the relying party.
func New(c Config) (*RP, error) {
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, fmt.Errorf("fido: public URL %q is not an absolute http(s) URL", c.PublicURL)
	}
	name := c.RPDisplayName
	if name == "" {
		name = "MyAccount"
	}
	origin := strings.ToLower(u.Scheme + "://" + u.Host)
	wa, err := webauthn.New(&webauthn.Config{
		RPID:          strings.ToLower(u.Hostname()),
		RPDisplayName: name,
		RPOrigins:     []string{origin},
		// Only the attestation type "none" is asked for: the server names
		// authenticators by AAGUID but does not trust attestation chains.
		AttestationPreference: protocol.PreferNoAttestation,
	})
	if err != nil {
		return nil, fmt.Errorf("fido: relying party for %s: %w", c.PublicURL, err)
	}
	return &RP{wa: wa, origin: origin}, nil
}

// RPID is the relying party id (the public URL's host name).
func (rp *RP) RPID() string { return rp.wa.Config.RPID }

// Origin is the only origin responses may come from.
func (rp *RP) Origin() string { return rp.origin }

// CheckOrigin refuses an origin a client claims (PingOne's activation and
// assertion bodies carry one) unless it is this relying party's. The
// client data inside the response is checked against the same origin.
func (rp *RP) CheckOrigin(origin string) error {
	if !strings.EqualFold(strings.TrimRight(origin, "/"), rp.origin) {
		return ErrOrigin
	}
	return nil
}

// User is the account a ceremony is for.
type User struct {
	// ID is the stable user id; it becomes the WebAuthn user handle.
	ID          string
	Name        string
	DisplayName string
	// Credentials are the user's registered credentials: excluded when
	// registering (one authenticator, one device), allowed when signing on.
	Credentials []Credential
}

// Credential is a registered public key credential, as the server keeps it.
type Credential struct {
	ID        []byte
	PublicKey []byte // COSE_Key
	SignCount uint32
	AAGUID    []byte
	// Transports are the authenticator's hints (usb, nfc, ble, internal,
	// hybrid) for the browser at sign-on.
	Transports        []string
	BackupEligible    bool
	BackupState       bool
	UserVerified      bool
	AttestationFormat string
	Kind              Kind
}

// Session is the state of a ceremony in progress (its challenge, user and
// allowed credentials), kept by the caller until the response comes back
// and used once.
type Session []byte

type waUser struct {
	u     User
	creds []webauthn.Credential
}

func (w waUser) WebAuthnID() []byte                         { return []byte(w.u.ID) }
func (w waUser) WebAuthnName() string                       { return w.u.Name }
func (w waUser) WebAuthnDisplayName() string                { return w.u.DisplayName }
func (w waUser) WebAuthnCredentials() []webauthn.Credential { return w.creds }

func wrap(u User) waUser {
	w := waUser{u: u}
	for _, c := range u.Credentials {
		w.creds = append(w.creds, c.toWA())
	}
	return w
}

func (c Credential) flags() protocol.AuthenticatorFlags {
	f := protocol.FlagUserPresent
	if c.UserVerified {
		f |= protocol.FlagUserVerified
	}
	if c.BackupEligible {
		f |= protocol.FlagBackupEligible
	}
	if c.BackupState {
		f |= protocol.FlagBackupState
	}
	return f
}

func (c Credential) toWA() webauthn.Credential {
	ts := make([]protocol.AuthenticatorTransport, 0, len(c.Transports))
	for _, t := range c.Transports {
		ts = append(ts, protocol.AuthenticatorTransport(t))
	}
	return webauthn.Credential{
		ID: c.ID, PublicKey: c.PublicKey, AttestationFormat: c.AttestationFormat, Transport: ts,
		Flags:         webauthn.NewCredentialFlags(c.flags()),
		Authenticator: webauthn.Authenticator{AAGUID: c.AAGUID, SignCount: c.SignCount},
	}
}

// userVerification is what each kind asks of the authenticator: a passkey
// replaces something you know, so it must verify the user (PIN,
// biometrics); a security key is the possession factor after the password.
func userVerification(k Kind) protocol.UserVerificationRequirement {
	if k == KindPlatform {
		return protocol.VerificationRequired
	}
	return protocol.VerificationDiscouraged
}

// BeginRegistration starts pairing an authenticator of kind k for u. It
// returns the PublicKeyCredentialCreationOptions JSON for
// navigator.credentials.create and the session to keep for
// FinishRegistration. u's credentials are excluded, so an authenticator
// cannot be paired twice.
func (rp *RP) BeginRegistration(u User, k Kind) (options []byte, s Session, err error) {
	if !k.Valid() {
		return nil, nil, fmt.Errorf("fido: unknown kind %q", k)
	}
	sel := protocol.AuthenticatorSelection{UserVerification: userVerification(k)}
	rk := protocol.ResidentKeyRequirementDiscouraged
	if k == KindPlatform {
		sel.AuthenticatorAttachment = protocol.Platform
		rk = protocol.ResidentKeyRequirementRequired
	} else {
		sel.AuthenticatorAttachment = protocol.CrossPlatform
	}
	w := wrap(u)
	exclude := webauthn.Credentials(w.creds).CredentialDescriptors()
	creation, session, err := rp.wa.BeginRegistration(w,
		webauthn.WithAuthenticatorSelection(sel),
		webauthn.WithResidentKeyRequirement(rk),
		webauthn.WithExclusions(exclude),
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation),
	)
	if err != nil {
		return nil, nil, fmt.Errorf("fido: begin registration: %w", err)
	}
	return marshalCeremony(creation.Response, session)
}

// FinishRegistration verifies the attestation response (the
// PublicKeyCredential JSON navigator.credentials.create resolved with)
// against the session and returns the new credential.
func (rp *RP) FinishRegistration(u User, s Session, k Kind, attestation []byte) (Credential, error) {
	var sd webauthn.SessionData
	if err := json.Unmarshal(s, &sd); err != nil || sd.Challenge == "" {
		return Credential{}, fmt.Errorf("fido: registration session: %w", errors.Join(ErrInvalid, err))
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(attestation)
	if err != nil {
		return Credential{}, invalid("parse attestation", err)
	}
	w := wrap(u)
	if slices.ContainsFunc(w.creds, func(c webauthn.Credential) bool { return bytes.Equal(c.ID, parsed.RawID) }) {
		return Credential{}, fmt.Errorf("%w: the authenticator is already registered", ErrInvalid)
	}
	c, err := rp.wa.CreateCredential(w, sd, parsed)
	if err != nil {
		return Credential{}, invalid("verify attestation", err)
	}
	out := Credential{
		ID: c.ID, PublicKey: c.PublicKey, SignCount: c.Authenticator.SignCount, AAGUID: c.Authenticator.AAGUID,
		BackupEligible: c.Flags.BackupEligible, BackupState: c.Flags.BackupState, UserVerified: c.Flags.UserVerified,
		AttestationFormat: c.AttestationFormat, Kind: k,
	}
	for _, t := range c.Transport {
		out.Transports = append(out.Transports, string(t))
	}
	return out, nil
}

// BeginLogin starts an assertion for u's credentials (one device, at
// sign-on). It returns the PublicKeyCredentialRequestOptions JSON for
// navigator.credentials.get and the session to keep for FinishLogin. User
// verification is required when every credential is a passkey.
func (rp *RP) BeginLogin(u User) (options []byte, s Session, err error) {
	if len(u.Credentials) == 0 {
		return nil, nil, errors.New("fido: begin login: the user has no credential")
	}
	uv := protocol.VerificationRequired
	for _, c := range u.Credentials {
		if c.Kind != KindPlatform {
			uv = protocol.VerificationDiscouraged
		}
	}
	assertion, session, err := rp.wa.BeginLogin(wrap(u), webauthn.WithUserVerification(uv))
	if err != nil {
		return nil, nil, fmt.Errorf("fido: begin login: %w", err)
	}
	return marshalCeremony(assertion.Response, session)
}

// FinishLogin verifies the assertion response (the PublicKeyCredential
// JSON navigator.credentials.get resolved with) against the session and
// u's credentials. It returns the credential used, with its new sign
// count, for the caller to store. A counter that did not move forward
// (a cloned authenticator, or a replayed assertion) is ErrCloned.
func (rp *RP) FinishLogin(u User, s Session, assertion []byte) (Credential, error) {
	var sd webauthn.SessionData
	if err := json.Unmarshal(s, &sd); err != nil || sd.Challenge == "" {
		return Credential{}, fmt.Errorf("fido: login session: %w", errors.Join(ErrInvalid, err))
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(assertion)
	if err != nil {
		return Credential{}, invalid("parse assertion", err)
	}
	c, err := rp.wa.ValidateLogin(wrap(u), sd, parsed)
	if err != nil {
		return Credential{}, invalid("verify assertion", err)
	}
	if c.Authenticator.CloneWarning {
		return Credential{}, ErrCloned
	}
	i := slices.IndexFunc(u.Credentials, func(x Credential) bool { return bytes.Equal(x.ID, c.ID) })
	if i < 0 {
		return Credential{}, fmt.Errorf("%w: unknown credential", ErrInvalid)
	}
	out := u.Credentials[i]
	out.SignCount = c.Authenticator.SignCount
	out.BackupState = c.Flags.BackupState
	out.UserVerified = out.UserVerified || c.Flags.UserVerified
	return out, nil
}

// invalid wraps a library error as ErrInvalid, and as ErrOrigin when the
// client data named another origin.
func invalid(what string, err error) error {
	var pe *protocol.Error
	if errors.As(err, &pe) && strings.Contains(strings.ToLower(pe.Details+" "+pe.DevInfo), "origin") {
		return fmt.Errorf("fido: %s: %w: %w", what, ErrOrigin, err)
	}
	return fmt.Errorf("fido: %s: %w: %w", what, ErrInvalid, err)
}

func marshalCeremony(options any, sd *webauthn.SessionData) ([]byte, Session, error) {
	o, err := json.Marshal(options)
	if err != nil {
		return nil, nil, fmt.Errorf("fido: encode options: %w", err)
	}
	s, err := json.Marshal(sd)
	if err != nil {
		return nil, nil, fmt.Errorf("fido: encode session: %w", err)
	}
	return o, s, nil
}
