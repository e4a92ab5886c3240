// Package fidotest is a software FIDO2 authenticator for tests: an ECDSA
// P-256 key that answers WebAuthn creation and request options with the
// JSON a browser would send (attestation format "none"), so the server's
// ceremonies can be tested without a browser. It is for tests only.
package fidotest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// Authenticator flag bits (WebAuthn §6.1).
const (
	flagUP = 0x01
	flagUV = 0x04
	flagBE = 0x08
	flagBS = 0x10
	flagAT = 0x40
)

// Authenticator is one software authenticator holding one credential.
type Authenticator struct {
	AAGUID [16]byte
	// Key and CredentialID are made by New; a test may replace them.
	Key          *ecdsa.PrivateKey
	CredentialID []byte
	// SignCount is the counter the next response carries; each Create and
	// Get adds one first. A test may set it back to replay.
	SignCount uint32
	// UserVerified sets the UV flag; BackupEligible and BackupState the
	// BE and BS flags (a synced passkey has both).
	UserVerified   bool
	BackupEligible bool
	BackupState    bool
	// Transports and Attachment are reported with the credential
	// ("usb" and "cross-platform" for a security key).
	Transports []string
	Attachment string
	// UserHandle is remembered from the creation options (a passkey
	// returns it with each assertion).
	UserHandle []byte
}

// New returns an authenticator with a fresh key and credential id.
func New(aaguid [16]byte) (*Authenticator, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("fidotest: key: %w", err)
	}
	id := make([]byte, 32)
	if _, err := rand.Read(id); err != nil {
		return nil, fmt.Errorf("fidotest: credential id: %w", err)
	}
	return &Authenticator{AAGUID: aaguid, Key: k, CredentialID: id,
		Transports: []string{"usb"}, Attachment: "cross-platform"}, nil
}

var b64 = base64.RawURLEncoding

// creationOptions is the part of PublicKeyCredentialCreationOptions read here.
type creationOptions struct {
	Challenge string `json:"challenge"`
	RP        struct {
		ID string `json:"id"`
	} `json:"rp"`
	User struct {
		ID string `json:"id"`
	} `json:"user"`
}

// requestOptions is the part of PublicKeyCredentialRequestOptions read here.
type requestOptions struct {
	Challenge string `json:"challenge"`
	RPID      string `json:"rpId"`
}

// clientData is the CollectedClientData a browser would make.
func clientData(typ, challenge, origin string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": origin, "crossOrigin": false})
	return b
}

func (a *Authenticator) flags() byte {
	f := byte(flagUP)
	if a.UserVerified {
		f |= flagUV
	}
	if a.BackupEligible {
		f |= flagBE
	}
	if a.BackupState {
		f |= flagBS
	}
	return f
}

// authData is rpIdHash | flags | signCount (| attested credential data).
func (a *Authenticator) authData(rpID string, flags byte, attested []byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	out := append([]byte{}, h[:]...)
	out = append(out, flags)
	out = binary.BigEndian.AppendUint32(out, a.SignCount)
	return append(out, attested...)
}

// coseKey is the credential public key as a COSE_Key (EC2, ES256, P-256).
func (a *Authenticator) coseKey() ([]byte, error) {
	pub, err := a.Key.PublicKey.Bytes() // 0x04 | X | Y
	if err != nil {
		return nil, err
	}
	em, err := cbor.CTAP2EncOptions().EncMode()
	if err != nil {
		return nil, err
	}
	return em.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: pub[1:33], -3: pub[33:65]})
}

// Create answers creation options (the JSON the server sent) as
// navigator.credentials.create would in a page at origin, and returns the
// PublicKeyCredential JSON.
func (a *Authenticator) Create(options []byte, origin string) ([]byte, error) {
	var o creationOptions
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, fmt.Errorf("fidotest: creation options: %w", err)
	}
	if o.Challenge == "" || o.RP.ID == "" {
		return nil, errors.New("fidotest: creation options lack challenge or rp.id")
	}
	if h, err := b64.DecodeString(o.User.ID); err == nil {
		a.UserHandle = h
	}
	a.SignCount++
	key, err := a.coseKey()
	if err != nil {
		return nil, fmt.Errorf("fidotest: cose key: %w", err)
	}
	attested := append([]byte{}, a.AAGUID[:]...)
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(a.CredentialID)))
	attested = append(attested, a.CredentialID...)
	attested = append(attested, key...)
	ad := a.authData(o.RP.ID, a.flags()|flagAT, attested)
	em, err := cbor.CTAP2EncOptions().EncMode()
	if err != nil {
		return nil, err
	}
	obj, err := em.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": ad})
	if err != nil {
		return nil, fmt.Errorf("fidotest: attestation object: %w", err)
	}
	return json.Marshal(map[string]any{
		"id": b64.EncodeToString(a.CredentialID), "rawId": b64.EncodeToString(a.CredentialID), "type": "public-key",
		"authenticatorAttachment": a.Attachment, "clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(clientData("webauthn.create", o.Challenge, origin)),
			"attestationObject": b64.EncodeToString(obj),
			"transports":        a.Transports,
		},
	})
}

// Get answers request options as navigator.credentials.get would in a page
// at origin, and returns the PublicKeyCredential JSON.
func (a *Authenticator) Get(options []byte, origin string) ([]byte, error) {
	var o requestOptions
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, fmt.Errorf("fidotest: request options: %w", err)
	}
	if o.Challenge == "" || o.RPID == "" {
		return nil, errors.New("fidotest: request options lack challenge or rpId")
	}
	a.SignCount++
	ad := a.authData(o.RPID, a.flags(), nil)
	cd := clientData("webauthn.get", o.Challenge, origin)
	h := sha256.Sum256(cd)
	sig, err := ecdsa.SignASN1(rand.Reader, a.Key, sha256Of(append(append([]byte{}, ad...), h[:]...)))
	if err != nil {
		return nil, fmt.Errorf("fidotest: sign: %w", err)
	}
	resp := map[string]any{
		"clientDataJSON":    b64.EncodeToString(cd),
		"authenticatorData": b64.EncodeToString(ad),
		"signature":         b64.EncodeToString(sig),
	}
	if a.UserHandle != nil {
		resp["userHandle"] = b64.EncodeToString(a.UserHandle)
	}
	return json.Marshal(map[string]any{
		"id": b64.EncodeToString(a.CredentialID), "rawId": b64.EncodeToString(a.CredentialID), "type": "public-key",
		"authenticatorAttachment": a.Attachment, "clientExtensionResults": map[string]any{}, "response": resp,
	})
}

func sha256Of(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}

// TamperSignature returns the assertion JSON with one bit of its signature
// flipped.
func TamperSignature(assertion []byte) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(assertion, &m); err != nil {
		return nil, err
	}
	resp, _ := m["response"].(map[string]any)
	s, _ := resp["signature"].(string)
	sig, err := b64.DecodeString(s)
	if err != nil || len(sig) < 8 {
		return nil, errors.New("fidotest: no signature to tamper with")
	}
	sig[len(sig)-2] ^= 0x01
	resp["signature"] = b64.EncodeToString(sig)
	return json.Marshal(m)
}
