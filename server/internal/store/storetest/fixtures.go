package storetest

import (
	"fmt"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// The fixtures fill every field, so a backend that drops or mangles one is
// caught by sameRecord.

func newEnvironment(id string) *store.Environment {
	return &store.Environment{
		ID:                id,
		Name:              "Env " + id,
		Description:       "an environment: ünïcødé $where a.b",
		Type:              "SANDBOX",
		Administrators:    true,
		MyAccountClientID: "client-" + id,
		SignOnPolicy: store.SignOnPolicy{
			ID: "sop-" + id, Name: "Multi_Factor", MFA: true, EnrollDuringSignOn: true,
			DeviceSelection: "PROMPT_TO_SELECT", UpdatedAt: at(time.Minute),
		},
		MFASettings: store.MFASettings{
			OTPLength: 6, OTPLifetime: 300, OTPFailureCount: 3, OTPCoolDown: 120,
			Methods: []string{"EMAIL", "SMS", "TOTP"}, MaxAllowedDevices: 5, UpdatedAt: at(2 * time.Minute),
			PromptForNickname: true, LockoutFailureCount: 7, LockoutDuration: 600, TOTPWindowSteps: new(int),
			ExcludeEmailFromSignOn: true, PairingDisabled: true,
		},
		DeviceAuthPolicies: []store.DeviceAuthPolicy{{
			ID: "dap-" + id, Name: "Strict ✓", Default: true, Methods: []string{"TOTP", "FIDO2"}, RecoveryCodes: true,
			DeviceSelection: "ALWAYS_DISPLAY_DEVICES", OTPFailureCount: 2, OTPCoolDown: 300,
			CreatedAt: at(4 * time.Minute), UpdatedAt: at(5 * time.Minute),
		}},
		SelfService: store.SelfService{
			ManageProfile: true, ManageAuthentication: true, ChangePassword: true,
			ManageSessions: true, UpdatedAt: at(3 * time.Minute),
			ProfileAttributes: map[string]string{"nickname": "HIDDEN", "title": "EDITABLE", "address": "READ_ONLY"},
		},
		Version:   0,
		CreatedAt: at(0),
		UpdatedAt: at(time.Second),

		// The character sets hold "." and "$", which must survive as values.
		PasswordPolicies: []store.PasswordPolicy{newPasswordPolicy(0), newPasswordPolicy(1)},

		// Notification texts keyed by template then locale; "${…}" and "$"
		// must survive as values.
		Templates: map[string]map[string]store.TemplateContent{
			"password_changed": {
				"fr":    {Subject: "Mot de passe changé", Body: "Pas vous ? ${secureUrl} $5\n", UpdatedAt: at(4 * time.Minute)},
				"fr-CA": {Subject: "Mot de passe changé", Body: "Pas vous ? ${secureUrl}", UpdatedAt: at(5 * time.Minute)},
			},
		},

		// An external OpenID provider with its sealed secret (bytes must
		// survive both backends).
		IdentityProviders: []store.IdentityProvider{{
			ID: newID(), Type: "OPENID_CONNECT", Name: "Upstream ✓", Enabled: true,
			Issuer: "https://idp.example.test/as", ClientID: "client-" + id,
			ClientSecretSealed: []byte{1, 0, 255, '$', '.'}, Scopes: []string{"openid", "email"},
			AttributeMapping: store.AttributeMapping{Email: "email", GivenName: "given_name", FamilyName: "family_name"},
			CreateUsers:      true, CreatedAt: at(6 * time.Minute), UpdatedAt: at(7 * time.Minute),
		}},
		// Agreements nest three lists deep; HTML text with "$" and "."
		// must survive as a value.
		Agreements: []store.Agreement{{
			ID: newID(), Name: "Terms ✓", Description: "a.b $x", Enabled: true,
			CreatedAt: at(6 * time.Minute), UpdatedAt: at(7 * time.Minute),
			Languages: []store.AgreementLanguage{{
				ID: newID(), Locale: "fr-CA", Enabled: true, CreatedAt: at(6 * time.Minute),
				Revisions: []store.AgreementRevision{
					{ID: newID(), ContentType: "text/html", Text: "<p>$1.00 <b>é</b></p>", EffectiveAt: at(8 * time.Minute), RequireReconsent: true, CreatedAt: at(7 * time.Minute)},
					{ID: newID(), ContentType: "text/plain", Text: "plain", EffectiveAt: at(6 * time.Minute), CreatedAt: at(6 * time.Minute)},
				},
			}},
		}},
	}
}

func newPasswordPolicy(i int) store.PasswordPolicy {
	return store.PasswordPolicy{
		ID: newID(), Name: fmt.Sprintf("Policy %d ✓", i), Description: "a.b $x", Default: i == 0, BuiltIn: i == 1,
		ExcludesCommonlyUsed: true, ExcludesProfileData: true, NotSimilarToCurrent: true,
		HistoryCount: 6 + i, HistoryRetentionDays: 365, MinLength: 8 + i, MaxLength: 255,
		LockoutFailureCount: 5, LockoutDurationSeconds: 900, MinAgeDays: 1, MaxAgeDays: 182,
		MaxRepeatedCharacters: 2, MinUniqueCharacters: 5,
		MinCharacters: []store.CharacterRule{{Characters: "0123456789", Count: 1}, {Characters: "~!@#$%^&*()-_=+[]{}|;:,.<>/?", Count: 1 + i}},
		CreatedAt:     at(time.Duration(i) * time.Minute), UpdatedAt: at(time.Duration(i)*time.Minute + time.Second),
	}
}

func newDevice(i int) store.Device {
	return store.Device{
		ID:        newID(),
		Type:      []string{"EMAIL", "SMS", "TOTP", "VOICE", "FIDO2"}[i%5],
		Status:    []string{"ACTIVE", "ACTIVATION_REQUIRED"}[i%2],
		Nickname:  fmt.Sprintf("device %d ✓", i),
		Email:     fmt.Sprintf("d%d@example.com", i),
		Phone:     fmt.Sprintf("+1555000%04d", i),
		CreatedAt: at(time.Duration(i) * time.Hour),
		UpdatedAt: at(time.Duration(i)*time.Hour + time.Microsecond),
		// The pairing state must round-trip too (every backend stores the
		// embedded device whole).
		ActivationHash:        fmt.Sprintf("%064x", i),
		ActivationExpiresAt:   at(time.Duration(i)*time.Hour + 10*time.Minute),
		ActivationSentAt:      at(time.Duration(i) * time.Hour),
		ActivationFailures:    i % 3,
		ActivationLockedUntil: at(time.Duration(i)*time.Hour + 2*time.Minute),
		SecretSealed:          []byte{0x01, byte(i), 0x00, 0xff},
		TOTPStep:              59_000_000 + int64(i),
		TOTPParams:            store.TOTPParams{Period: 30, Digits: 6 + i%3, Algorithm: "SHA256"},
		FIDO2: &store.FIDO2Credential{Kind: "PLATFORM", CredentialID: []byte{0xca, byte(i), 0x00}, PublicKey: []byte{0xa5, 0x01, 0x02},
			SignCount: 4_000_000_000 + int64(i), AAGUID: make([]byte, 16), AuthenticatorName: "Passkey ✓",
			Transports: []string{"internal", "hybrid"}, BackupEligible: true, BackupState: i%2 == 0, UserVerified: true,
			AttestationFormat: "none", Session: []byte(`{"challenge":"c"}`), CreationOptions: `{"rp":{"id":"localhost"}}`},
	}
}

func newUser(envID, username string) *store.User {
	return &store.User{
		EnvironmentID:      envID,
		ID:                 newID(),
		Username:           username,
		Email:              username + "@example.com",
		EmailVerified:      true,
		GivenName:          "Given",
		MiddleName:         "Middle",
		FamilyName:         "Family",
		FormattedName:      "Given Middle Family",
		PasswordHash:       "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		PasswordChangedAt:  at(-time.Hour),
		MustChangePassword: true,
		Enabled:            true,
		Roles:              []store.RoleAssignment{{Role: "Environment Admin", EnvironmentID: "*"}, {Role: "Identity Data Admin", EnvironmentID: envID}},
		Devices:            []store.Device{newDevice(0), newDevice(1), newDevice(2)},
		LinkedAccounts: []store.LinkedAccount{{ID: newID(), IdentityProviderID: newID(),
			Issuer: "https://idp.example.test/as", Subject: "sub.$1", CreatedAt: at(8 * time.Minute)}},
		Version:   0,
		CreatedAt: at(0),
		UpdatedAt: at(time.Millisecond + time.Nanosecond),

		PasswordHistory: []store.PasswordHistoryEntry{
			{Hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdDE$aGFzaDE", RetiredAt: at(-time.Hour)},
			{Hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaDI", RetiredAt: at(-2 * time.Hour)},
		},
		FrozenUntil: at(24 * time.Hour),
		Profile: store.Profile{HonorificPrefix: "Dr.", HonorificSuffix: "PhD", Nickname: "Nick ✓", Title: "Engineer",
			PrimaryPhone: "+33142685300", MobilePhone: "+33612345678", Locale: "fr-FR", PreferredLanguage: "fr, en;q=0.5",
			Timezone: "Europe/Paris", PhotoHref: "https://cdn.example.com/a.png?$where=1",
			Address: store.Address{StreetAddress: "1 rue de Londres\nBât. B", Locality: "Paris", Region: "IDF", PostalCode: "75009", CountryCode: "FR"}},
		ContactChange: &store.ContactChange{Attribute: "email", Value: username + ".new@example.com", CodeHash: fmt.Sprintf("%064x", 7),
			SentAt: at(time.Minute), ExpiresAt: at(31 * time.Minute), Failures: 1},
		EmailUndo: &store.EmailUndo{TokenHash: fmt.Sprintf("%064x", 9), OldEmail: username + ".old@example.com", OldVerified: true,
			NewEmail: username + "@example.com", ExpiresAt: at(7 * 24 * time.Hour)},
		SecureLinks: []store.SecureLink{{TokenHash: fmt.Sprintf("%064x", 11), CreatedAt: at(2 * time.Minute), ExpiresAt: at(24 * time.Hour)}},
		AgreementConsents: []store.AgreementConsent{
			{AgreementID: newID(), LanguageID: newID(), Locale: "fr-CA", RevisionID: newID(), ConsentedAt: at(3 * time.Minute)},
		},
		OAuthConsents: []store.OAuthConsent{
			{ID: newID(), ClientID: newID(), Scopes: []string{"openid", "p1:read:user"}, GrantedAt: at(4 * time.Minute), UpdatedAt: at(5 * time.Minute)},
		},
	}
}

func newApplication(envID string) *store.Application {
	return &store.Application{
		EnvironmentID:   envID,
		ID:              newID(),
		Name:            "App",
		Type:            "SINGLE_PAGE_APP",
		Enabled:         true,
		RedirectURIs:    []string{"https://a.example/cb", "https://b.example/cb?x=$y"},
		SecretHash:      "hash",
		SecretChangedAt: at(-time.Minute),
		Roles:           []store.RoleAssignment{{Role: "Environment Admin", EnvironmentID: envID}},
		ReducedScopes:   true,
		MyAccount:       true,
		CreatedAt:       at(0),
		UpdatedAt:       at(time.Second),
		RequireConsent:  true,
	}
}

func newSigningKey(envID string, created time.Time) *store.SigningKey {
	return &store.SigningKey{
		EnvironmentID: envID,
		ID:            newID(),
		Algorithm:     "ES256",
		PrivateKey:    []byte{0, 1, 2, 0xfe, 0xff, '$', '.', 0},
		CreatedAt:     created,
	}
}

func newSession(envID, userID string, created time.Time) *store.Session {
	return &store.Session{
		EnvironmentID: envID,
		ID:            newID(),
		UserID:        userID,
		AMR:           []string{"pwd", "otp"},
		PasswordAt:    created,
		MFAAt:         created.Add(time.Second),
		IP:            "192.0.2.1",
		UserAgent:     "Mozilla/5.0 (ünïcødé)",
		CreatedAt:     created,
		ExpiresAt:     created.Add(8 * time.Hour),
		LastUsedAt:    created.Add(time.Minute),
		Locations: []store.SessionLocation{{IP: "2001:db8::7", At: created.Add(time.Minute)},
			{IP: "192.0.2.1", At: created}},
		RefreshNotBefore: created.Add(2 * time.Second),
	}
}

func newRefreshToken(envID string, expires time.Time) *store.RefreshToken {
	return &store.RefreshToken{
		EnvironmentID: envID,
		ID:            newID(),
		SessionID:     newID(),
		UserID:        newID(),
		ClientID:      "client",
		Scope:         "openid p1:read:user",
		CreatedAt:     at(0),
		ExpiresAt:     expires,
	}
}

func newAuthCode(envID string, expires time.Time) *store.AuthCode {
	return &store.AuthCode{
		EnvironmentID: envID,
		ID:            newID(),
		ClientID:      "client",
		RedirectURI:   "https://a.example/cb",
		UserID:        newID(),
		SessionID:     newID(),
		Scope:         "openid",
		Nonce:         "n-0S6_WzA2Mj",
		CodeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		ACR:           "Multi_Factor",
		AMR:           []string{"pwd", "mfa"},
		AuthTime:      at(-time.Second),
		CreatedAt:     at(0),
		ExpiresAt:     expires,
	}
}

func newFlow(envID string, expires time.Time) *store.Flow {
	return &store.Flow{
		EnvironmentID:    envID,
		ID:               newID(),
		Status:           "USERNAME_PASSWORD_REQUIRED",
		BrowserHash:      "browser-hash",
		ClientID:         "client",
		RedirectURI:      "https://a.example/cb",
		State:            "state$.x",
		Nonce:            "nonce",
		CodeChallenge:    "challenge",
		Scope:            "openid",
		ACR:              "Single_Factor",
		UserID:           newID(),
		SessionID:        newID(),
		PasswordAt:       at(-time.Minute),
		AMR:              []string{"pwd"},
		SelectedDeviceID: newID(),
		EnrollEmail:      "e@example.com",
		OTPHash:          "otp-hash",
		OTPExpiresAt:     at(5 * time.Minute),
		OTPSentAt:        at(0),
		OTPFailures:      1,
		AssertionOptions: `{"challenge":"abc","rpId":"localhost"}`,
		AssertionSession: []byte(`{"challenge":"abc"}`),
		CreatedAt:        at(0),
		ExpiresAt:        expires,
		ConsentDenied:    true,
	}
}

func newOutboxMessage(envID string, created time.Time) *store.OutboxMessage {
	return &store.OutboxMessage{
		EnvironmentID: envID,
		ID:            newID(),
		Channel:       "EMAIL",
		To:            "user@example.com",
		Subject:       "Your code",
		Body:          "Line 1\nLine 2 ünïcødé",
		CreatedAt:     created,
		ExpiresAt:     created.Add(24 * time.Hour),
	}
}

func newEvent(envID, userID string, created time.Time) *store.Event {
	return &store.Event{
		EnvironmentID: envID,
		ID:            newID(),
		Action:        "USER.ACCESS_ALLOWED",
		Outcome:       "SUCCESS",
		ActorType:     "USER",
		ActorID:       userID,
		UserID:        userID,
		SessionID:     newID(),
		IP:            "2001:db8::1",
		UserAgent:     "curl",
		Details:       map[string]string{"method": "EMAIL", "note": "$set a.b"},
		CreatedAt:     created,
		ExpiresAt:     created.Add(90 * 24 * time.Hour),
	}
}
