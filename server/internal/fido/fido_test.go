package fido_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/myaccount/myaccount/server/internal/fido"
	"github.com/myaccount/myaccount/server/internal/fido/fidotest"
)

const (
	publicURL = "https://id.example.test:8443/base"
	origin    = "https://id.example.test:8443"
)

var yubikey = [16]byte{0xcb, 0x69, 0x48, 0x1e, 0x8f, 0xf7, 0x40, 0x39, 0x93, 0xec, 0x0a, 0x27, 0x29, 0xa1, 0x54, 0xa8}

func newRP(t *testing.T) *fido.RP {
	t.Helper()
	rp, err := fido.New(fido.Config{PublicURL: publicURL, RPDisplayName: "Test"})
	if err != nil {
		t.Fatal(err)
	}
	return rp
}

func newAuthenticator(t *testing.T, aaguid [16]byte) *fidotest.Authenticator {
	t.Helper()
	a, err := fidotest.New(aaguid)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var alice = fido.User{ID: "00000000-0000-7000-8000-0000000000b1", Name: "alice", DisplayName: "Alice Smith"}

// register pairs a with the relying party and returns the credential.
func register(t *testing.T, rp *fido.RP, a *fidotest.Authenticator, k fido.Kind) fido.Credential {
	t.Helper()
	opts, s, err := rp.BeginRegistration(alice, k)
	if err != nil {
		t.Fatal(err)
	}
	att, err := a.Create(opts, origin)
	if err != nil {
		t.Fatal(err)
	}
	c, err := rp.FinishRegistration(alice, s, k, att)
	if err != nil {
		t.Fatalf("finish registration: %v", err)
	}
	return c
}

func withCredential(c fido.Credential) fido.User {
	u := alice
	u.Credentials = []fido.Credential{c}
	return u
}

func TestNewRelyingParty(t *testing.T) {
	tests := []struct {
		name, url, rpID, origin string
		wantErr                 bool
	}{
		{name: "https_with_port_and_path", url: publicURL, rpID: "id.example.test", origin: origin},
		{name: "localhost", url: "http://localhost:8080", rpID: "localhost", origin: "http://localhost:8080"},
		{name: "upper_case_host", url: "https://ID.Example.TEST", rpID: "id.example.test", origin: "https://id.example.test"},
		{name: "ip_address", url: "http://127.0.0.1:8080", wantErr: true},
		{name: "ipv6_address", url: "http://[::1]:8080", wantErr: true},
		{name: "not_a_url", url: "localhost:8080", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rp, err := fido.New(fido.Config{PublicURL: tt.url})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("New(%q) accepted", tt.url)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rp.RPID() != tt.rpID || rp.Origin() != tt.origin {
				t.Fatalf("rp id %q origin %q, want %q %q", rp.RPID(), rp.Origin(), tt.rpID, tt.origin)
			}
		})
	}
}

func TestRegistrationOptions(t *testing.T) {
	rp := newRP(t)
	tests := []struct {
		name                       string
		kind                       fido.Kind
		attachment, rk, uv         string
		excludes                   int
		existing                   []fido.Credential
		wantRequireResidentKeyTrue bool
	}{
		{name: "security_key", kind: fido.KindSecurityKey, attachment: "cross-platform", rk: "discouraged", uv: "discouraged"},
		{name: "passkey", kind: fido.KindPlatform, attachment: "platform", rk: "required", uv: "required", wantRequireResidentKeyTrue: true},
		{name: "excludes_existing", kind: fido.KindSecurityKey, attachment: "cross-platform", rk: "discouraged", uv: "discouraged",
			existing: []fido.Credential{{ID: []byte("cred-1")}}, excludes: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := alice
			u.Credentials = tt.existing
			opts, s, err := rp.BeginRegistration(u, tt.kind)
			if err != nil {
				t.Fatal(err)
			}
			var o struct {
				RP                     struct{ ID, Name string }
				User                   struct{ ID, Name, DisplayName string }
				Challenge              string
				Attestation            string
				ExcludeCredentials     []struct{ ID string }
				AuthenticatorSelection struct {
					AuthenticatorAttachment string
					ResidentKey             string
					RequireResidentKey      bool
					UserVerification        string
				}
			}
			if err := json.Unmarshal(opts, &o); err != nil {
				t.Fatal(err)
			}
			sel := o.AuthenticatorSelection
			if o.RP.ID != "id.example.test" || o.RP.Name != "Test" || o.User.Name != "alice" || o.User.DisplayName != "Alice Smith" ||
				len(o.Challenge) < 22 || o.Attestation != "none" || len(s) == 0 {
				t.Fatalf("options: %s", opts)
			}
			if sel.AuthenticatorAttachment != tt.attachment || sel.ResidentKey != tt.rk || sel.UserVerification != tt.uv ||
				sel.RequireResidentKey != tt.wantRequireResidentKeyTrue || len(o.ExcludeCredentials) != tt.excludes {
				t.Fatalf("authenticator selection %+v, exclude %d: %s", sel, len(o.ExcludeCredentials), opts)
			}
		})
	}
	if _, _, err := rp.BeginRegistration(alice, fido.Kind("PHONE")); err == nil {
		t.Fatal("unknown kind accepted")
	}
}

func TestRegistration(t *testing.T) {
	rp := newRP(t)
	t.Run("good", func(t *testing.T) {
		a := newAuthenticator(t, yubikey)
		a.Transports = []string{"usb", "nfc"}
		c := register(t, rp, a, fido.KindSecurityKey)
		if string(c.ID) != string(a.CredentialID) || len(c.PublicKey) == 0 || c.SignCount != 1 || c.Kind != fido.KindSecurityKey ||
			len(c.Transports) != 2 || c.Transports[1] != "nfc" || c.BackupEligible || c.AttestationFormat != "none" {
			t.Fatalf("credential: %+v", c)
		}
		if got := fido.AuthenticatorName(c.AAGUID, c.Kind); got != "YubiKey 5 Series" {
			t.Fatalf("name %q", got)
		}
	})
	t.Run("passkey_backup_flags", func(t *testing.T) {
		a := newAuthenticator(t, [16]byte{})
		a.UserVerified, a.BackupEligible, a.BackupState, a.Attachment = true, true, true, "platform"
		c := register(t, rp, a, fido.KindPlatform)
		if !c.BackupEligible || !c.BackupState || !c.UserVerified {
			t.Fatalf("flags not kept: %+v", c)
		}
	})
	t.Run("passkey_without_user_verification", func(t *testing.T) {
		opts, s, err := rp.BeginRegistration(alice, fido.KindPlatform)
		if err != nil {
			t.Fatal(err)
		}
		att, _ := newAuthenticator(t, yubikey).Create(opts, origin)
		if _, err := rp.FinishRegistration(alice, s, fido.KindPlatform, att); !errors.Is(err, fido.ErrInvalid) {
			t.Fatalf("passkey without UV: %v", err)
		}
	})
	bad := []struct {
		name   string
		origin string
		mutate func(t *testing.T, opts []byte, s fido.Session) ([]byte, fido.Session)
		want   error
	}{
		{name: "wrong_origin", origin: "https://evil.example.test:8443", want: fido.ErrOrigin},
		{name: "other_port", origin: "https://id.example.test", want: fido.ErrOrigin},
		{name: "wrong_challenge", origin: origin, want: fido.ErrInvalid,
			mutate: func(t *testing.T, opts []byte, s fido.Session) ([]byte, fido.Session) {
				// Answer this ceremony's options, then finish another's.
				_, other, err := rp.BeginRegistration(alice, fido.KindSecurityKey)
				if err != nil {
					t.Fatal(err)
				}
				return opts, other
			}},
		{name: "other_rp_id", origin: origin, want: fido.ErrInvalid,
			mutate: func(t *testing.T, opts []byte, s fido.Session) ([]byte, fido.Session) {
				var m map[string]any
				json.Unmarshal(opts, &m)
				m["rp"].(map[string]any)["id"] = "evil.example.test"
				b, _ := json.Marshal(m)
				return b, s
			}},
		{name: "no_session", origin: origin, want: fido.ErrInvalid,
			mutate: func(t *testing.T, opts []byte, s fido.Session) ([]byte, fido.Session) { return opts, nil }},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			opts, s, err := rp.BeginRegistration(alice, fido.KindSecurityKey)
			if err != nil {
				t.Fatal(err)
			}
			if tt.mutate != nil {
				opts, s = tt.mutate(t, opts, s)
			}
			att, err := newAuthenticator(t, yubikey).Create(opts, tt.origin)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rp.FinishRegistration(alice, s, fido.KindSecurityKey, att); !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("garbage", func(t *testing.T) {
		_, s, _ := rp.BeginRegistration(alice, fido.KindSecurityKey)
		for _, body := range []string{``, `{}`, `"text"`, `{"id":"x","type":"public-key","response":{}}`} {
			if _, err := rp.FinishRegistration(alice, s, fido.KindSecurityKey, []byte(body)); !errors.Is(err, fido.ErrInvalid) {
				t.Errorf("%q: %v", body, err)
			}
		}
	})
	t.Run("already_registered", func(t *testing.T) {
		a := newAuthenticator(t, yubikey)
		c := register(t, rp, a, fido.KindSecurityKey)
		u := withCredential(c)
		opts, s, _ := rp.BeginRegistration(u, fido.KindSecurityKey)
		att, _ := a.Create(opts, origin)
		if _, err := rp.FinishRegistration(u, s, fido.KindSecurityKey, att); !errors.Is(err, fido.ErrInvalid) {
			t.Fatalf("second registration of one credential: %v", err)
		}
	})
}

func TestLogin(t *testing.T) {
	rp := newRP(t)
	a := newAuthenticator(t, yubikey)
	c := register(t, rp, a, fido.KindSecurityKey)
	u := withCredential(c)

	begin := func(t *testing.T, u fido.User) ([]byte, fido.Session) {
		t.Helper()
		opts, s, err := rp.BeginLogin(u)
		if err != nil {
			t.Fatal(err)
		}
		return opts, s
	}
	get := func(t *testing.T, a *fidotest.Authenticator, opts []byte, origin string) []byte {
		t.Helper()
		as, err := a.Get(opts, origin)
		if err != nil {
			t.Fatal(err)
		}
		return as
	}

	t.Run("good", func(t *testing.T) {
		opts, s := begin(t, u)
		var o struct {
			RPID             string
			UserVerification string
			AllowCredentials []struct{ ID string }
		}
		json.Unmarshal(opts, &o)
		if o.RPID != "id.example.test" || o.UserVerification != "discouraged" || len(o.AllowCredentials) != 1 {
			t.Fatalf("request options: %s", opts)
		}
		got, err := rp.FinishLogin(u, s, get(t, a, opts, origin))
		if err != nil {
			t.Fatal(err)
		}
		if got.SignCount != 2 || string(got.ID) != string(c.ID) {
			t.Fatalf("credential after login: %+v", got)
		}
		u = withCredential(got)
	})
	t.Run("replayed_assertion", func(t *testing.T) {
		opts, s := begin(t, u)
		as := get(t, a, opts, origin)
		got, err := rp.FinishLogin(u, s, as)
		if err != nil {
			t.Fatal(err)
		}
		// The same assertion again, against the same session: the stored
		// counter has caught up with it.
		if _, err := rp.FinishLogin(withCredential(got), s, as); !errors.Is(err, fido.ErrCloned) {
			t.Fatalf("replay: %v", err)
		}
		u = withCredential(got)
	})
	t.Run("sign_count_regression", func(t *testing.T) {
		opts, s := begin(t, u)
		clone := *a
		clone.SignCount = 0 // a copy of the key with an older counter
		if _, err := rp.FinishLogin(u, s, get(t, &clone, opts, origin)); !errors.Is(err, fido.ErrCloned) {
			t.Fatalf("counter went back: %v", err)
		}
	})
	t.Run("wrong_origin", func(t *testing.T) {
		opts, s := begin(t, u)
		if _, err := rp.FinishLogin(u, s, get(t, a, opts, "https://id.example.test.evil.example")); !errors.Is(err, fido.ErrOrigin) {
			t.Fatalf("wrong origin: %v", err)
		}
	})
	t.Run("wrong_challenge", func(t *testing.T) {
		opts, _ := begin(t, u)
		_, other := begin(t, u)
		if _, err := rp.FinishLogin(u, other, get(t, a, opts, origin)); !errors.Is(err, fido.ErrInvalid) || errors.Is(err, fido.ErrCloned) {
			t.Fatalf("wrong challenge: %v", err)
		}
	})
	t.Run("tampered_signature", func(t *testing.T) {
		opts, s := begin(t, u)
		bad, err := fidotest.TamperSignature(get(t, a, opts, origin))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rp.FinishLogin(u, s, bad); !errors.Is(err, fido.ErrInvalid) || errors.Is(err, fido.ErrCloned) {
			t.Fatalf("tampered signature: %v", err)
		}
	})
	t.Run("other_key", func(t *testing.T) {
		opts, s := begin(t, u)
		other := newAuthenticator(t, yubikey)
		other.CredentialID = a.CredentialID // same id, another key
		other.SignCount = a.SignCount + 10
		if _, err := rp.FinishLogin(u, s, get(t, other, opts, origin)); !errors.Is(err, fido.ErrInvalid) {
			t.Fatalf("other key: %v", err)
		}
	})
	t.Run("unknown_credential", func(t *testing.T) {
		opts, s := begin(t, u)
		if _, err := rp.FinishLogin(u, s, get(t, newAuthenticator(t, yubikey), opts, origin)); !errors.Is(err, fido.ErrInvalid) {
			t.Fatalf("unknown credential: %v", err)
		}
	})
	t.Run("no_credentials", func(t *testing.T) {
		if _, _, err := rp.BeginLogin(alice); err == nil {
			t.Fatal("login begun without credentials")
		}
	})
	t.Run("passkey_requires_user_verification", func(t *testing.T) {
		pk := newAuthenticator(t, [16]byte{})
		pk.UserVerified, pk.Attachment = true, "platform"
		pc := register(t, rp, pk, fido.KindPlatform)
		pu := withCredential(pc)
		opts, s := begin(t, pu)
		pk.UserVerified = false
		if _, err := rp.FinishLogin(pu, s, get(t, pk, opts, origin)); !errors.Is(err, fido.ErrInvalid) {
			t.Fatalf("passkey assertion without UV: %v", err)
		}
		pk.UserVerified = true
		opts, s = begin(t, pu)
		if _, err := rp.FinishLogin(pu, s, get(t, pk, opts, origin)); err != nil {
			t.Fatalf("passkey assertion: %v", err)
		}
	})
}

func TestCheckOrigin(t *testing.T) {
	rp := newRP(t)
	for _, o := range []string{origin, origin + "/", "HTTPS://ID.EXAMPLE.TEST:8443"} {
		if err := rp.CheckOrigin(o); err != nil {
			t.Errorf("%q refused: %v", o, err)
		}
	}
	for _, o := range []string{"", "https://id.example.test", "http://id.example.test:8443", "https://evil.example:8443", publicURL} {
		if err := rp.CheckOrigin(o); !errors.Is(err, fido.ErrOrigin) {
			t.Errorf("%q accepted", o)
		}
	}
}

func TestAuthenticatorName(t *testing.T) {
	tests := []struct {
		name   string
		aaguid []byte
		kind   fido.Kind
		want   string
	}{
		{name: "yubikey", aaguid: yubikey[:], kind: fido.KindSecurityKey, want: "YubiKey 5 Series"},
		{name: "google", aaguid: []byte{0xea, 0x9b, 0x8d, 0x66, 0x4d, 0x01, 0x1d, 0x21, 0x3c, 0xe4, 0xb6, 0xb4, 0x8c, 0xb5, 0x75, 0xd4},
			kind: fido.KindPlatform, want: "Google Password Manager"},
		{name: "chromium_virtual", aaguid: []byte{1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8}, kind: fido.KindSecurityKey,
			want: "Chromium virtual authenticator"},
		{name: "zero_key", aaguid: make([]byte, 16), kind: fido.KindSecurityKey, want: fido.NameSecurityKey},
		{name: "zero_passkey", aaguid: make([]byte, 16), kind: fido.KindPlatform, want: fido.NamePasskey},
		{name: "missing", aaguid: nil, kind: fido.KindPlatform, want: fido.NamePasskey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fido.AuthenticatorName(tt.aaguid, tt.kind); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
