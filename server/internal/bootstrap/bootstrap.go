// Package bootstrap prepares a store on start: the Administrators and
// Default environments, their signing keys, MyAccount applications and
// policies, the first administrator and, when configured, a worker
// application for headless automation. It is idempotent and safe when two
// servers start at once on an empty database: every create is keyed so that
// exactly one wins and the loser reads what the winner wrote.
package bootstrap

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/ids"
	"github.com/myaccount/myaccount/server/internal/keys"
	"github.com/myaccount/myaccount/server/internal/opaque"
	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// systemID keys the record that remembers which environments bootstrap
// chose; creating it is the one race every starting server joins.
const systemID = "00000000-0000-0000-0000-000000000000"

// AdminUsername is the first administrator's username.
const AdminUsername = "admin"

// Config is what bootstrap reads from the server configuration.
type Config struct {
	PublicURL       string
	AdminEnvID      string // "" → generated on first start
	DefaultEnvID    string
	AdminPassword   string // "" → generated and returned once
	BootstrapClient string // worker client id, "" → none
	BootstrapSecret string
}

// Deps is what bootstrap needs.
type Deps struct {
	Store  store.Store
	Keys   *keys.Manager
	Hasher *password.Hasher
	Audit  *audit.Recorder
	Now    func() time.Time
	Rand   io.Reader
}

// Result says what bootstrap found or made.
type Result struct {
	AdminEnvID   string
	DefaultEnvID string
	// AdminPassword is set only when this call created the administrator
	// with a generated password: print it once.
	AdminPassword string
	AdminCreated  bool
}

// Run makes sure the store holds everything a first start needs.
func Run(ctx context.Context, c Config, d Deps) (Result, error) {
	var r Result
	adminID, defaultID, err := chooseIDs(ctx, c, d)
	if err != nil {
		return r, err
	}
	r.AdminEnvID, r.DefaultEnvID = adminID, defaultID
	now := d.Now()
	for _, e := range []*store.Environment{
		newEnvironment(adminID, "Administrators", true, now),
		newEnvironment(defaultID, "Default", false, now),
	} {
		if err := d.Store.CreateEnvironment(ctx, e); err == nil {
			d.Audit.Record(ctx, store.Event{EnvironmentID: e.ID, Action: audit.ActionEnvironmentCreated,
				Outcome: audit.OutcomeSuccess, ActorType: audit.ActorSystem, Details: map[string]string{"name": e.Name}})
		} else if !errors.Is(err, store.ErrDuplicate) {
			return r, fmt.Errorf("create environment %s: %w", e.Name, err)
		}
		var extra []string
		if e.Administrators {
			extra = append(extra, AdminRedirect(c.PublicURL))
		}
		if err := EnsureEnvironment(ctx, c.PublicURL, e.ID, d, extra...); err != nil {
			return r, err
		}
	}
	pw, created, err := ensureAdmin(ctx, c, d, adminID)
	if err != nil {
		return r, err
	}
	r.AdminPassword, r.AdminCreated = pw, created
	if c.BootstrapClient != "" {
		if err := ensureWorker(ctx, c, d, adminID); err != nil {
			return r, err
		}
	}
	return r, nil
}

// chooseIDs returns the two environments' ids: the configured ones, or the
// ones the first server to start chose and recorded.
func chooseIDs(ctx context.Context, c Config, d Deps) (adminID, defaultID string, err error) {
	adminID, defaultID = c.AdminEnvID, c.DefaultEnvID
	if adminID == "" {
		adminID = ids.New()
	}
	if defaultID == "" {
		defaultID = ids.New()
	}
	sys := &store.Environment{ID: systemID, Name: "system", Description: adminID + " " + defaultID,
		Type: "SYSTEM", Deleted: true, CreatedAt: d.Now(), UpdatedAt: d.Now()}
	err = d.Store.CreateEnvironment(ctx, sys)
	if err == nil {
		return adminID, defaultID, nil
	}
	if !errors.Is(err, store.ErrDuplicate) {
		return "", "", fmt.Errorf("record bootstrap: %w", err)
	}
	got, err := d.Store.GetEnvironment(ctx, systemID)
	if err != nil {
		return "", "", fmt.Errorf("read bootstrap record: %w", err)
	}
	a, b, ok := strings.Cut(got.Description, " ")
	if !ok {
		return "", "", fmt.Errorf("bootstrap record is damaged")
	}
	if (c.AdminEnvID != "" && c.AdminEnvID != a) || (c.DefaultEnvID != "" && c.DefaultEnvID != b) {
		return "", "", fmt.Errorf("MYACCOUNT_ADMIN_ENV_ID/MYACCOUNT_DEFAULT_ENV_ID differ from the environments this database was started with (%s, %s)", a, b)
	}
	return a, b, nil
}

func newEnvironment(id, name string, admin bool, now time.Time) *store.Environment {
	e := &store.Environment{
		ID: id, Name: name, Type: resource.EnvSandbox, Administrators: admin,
		MyAccountClientID: MyAccountClientID(id),
		SignOnPolicy: store.SignOnPolicy{
			ID: uuid.NewSHA1(uuid.MustParse(id), []byte("signOnPolicy")).String(), Name: "Default",
			MFA: !admin, EnrollDuringSignOn: true, DeviceSelection: resource.SelectDefaultToFirst, UpdatedAt: now,
		},
		MFASettings: store.MFASettings{OTPLength: 6, OTPLifetime: 600, OTPFailureCount: 3, OTPCoolDown: 120,
			Methods: []string{resource.DeviceEmail, resource.DeviceSMS, resource.DeviceVoice, resource.DeviceTOTP, resource.DeviceFIDO2}, MaxAllowedDevices: 5, UpdatedAt: now},
		SelfService: store.SelfService{ManageProfile: true, ManageAuthentication: true, ChangePassword: true,
			ManageLinkedAccounts: true, ManageSessions: true, ViewAgreements: true, ManageOAuthConsents: true, UpdatedAt: now},
		CreatedAt: now, UpdatedAt: now,
	}
	if admin {
		e.SignOnPolicy.Name = "Administrators"
	}
	ensurePolicies(e, now)
	return e
}

// MyAccountClientID is the MyAccount application's client id in an
// environment: derived from the environment id, so that servers racing at
// start create the same one.
func MyAccountClientID(envID string) string {
	return uuid.NewSHA1(uuid.MustParse(envID), []byte("myaccount")).String()
}

// MyAccountRedirect is the MyAccount PWA's redirect URI in an environment.
func MyAccountRedirect(publicURL, envID string) string {
	return publicURL + "/" + envID + "/myaccount/"
}

// MyAppsRedirect is the application portal's redirect URI in an
// environment: the portal signs on as the MyAccount application (same
// client, same SSO session), so this is one more of its redirect URIs.
func MyAppsRedirect(publicURL, envID string) string {
	return publicURL + "/" + envID + "/myapps/"
}

// AdminRedirect is the admin console's redirect URI: the console signs on
// to the Administrators environment as its MyAccount application.
func AdminRedirect(publicURL string) string { return publicURL + "/admin/" }

// EnsureEnvironment gives an environment its signing key and its MyAccount
// application, whose redirect URIs (MyAccount's, the application portal's
// and any extra ones) follow PUBLIC_URL; an existing application gains the
// ones it lacks.
func EnsureEnvironment(ctx context.Context, publicURL, envID string, d Deps, extra ...string) error {
	if err := d.Keys.Ensure(ctx, envID); err != nil {
		return err
	}
	now := d.Now()
	redirects := append([]string{MyAccountRedirect(publicURL, envID), MyAppsRedirect(publicURL, envID)}, extra...)
	app := &store.Application{
		EnvironmentID: envID, ID: MyAccountClientID(envID), Name: "MyAccount", Type: resource.AppSinglePage,
		Enabled: true, RedirectURIs: redirects, MyAccount: true, CreatedAt: now, UpdatedAt: now,
	}
	err := d.Store.CreateApplication(ctx, app)
	if err == nil {
		return nil
	}
	if !errors.Is(err, store.ErrDuplicate) {
		return fmt.Errorf("create MyAccount application: %w", err)
	}
	for i := 0; i < 5; i++ {
		got, err := d.Store.GetApplication(ctx, envID, app.ID)
		if err != nil {
			return fmt.Errorf("load MyAccount application: %w", err)
		}
		missing := slices.DeleteFunc(slices.Clone(redirects), func(r string) bool { return slices.Contains(got.RedirectURIs, r) })
		if len(missing) == 0 {
			return nil
		}
		got.RedirectURIs = append(got.RedirectURIs, missing...)
		got.UpdatedAt = now
		if err := d.Store.UpdateApplication(ctx, got); !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("update MyAccount application: too many conflicts")
}

func ensureAdmin(ctx context.Context, c Config, d Deps, adminEnv string) (string, bool, error) {
	if _, err := d.Store.GetUserByUsername(ctx, adminEnv, AdminUsername); err == nil {
		return "", false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", false, fmt.Errorf("find administrator: %w", err)
	}
	pw, generated := c.AdminPassword, false
	if pw == "" {
		b := make([]byte, 15)
		if _, err := io.ReadFull(d.Rand, b); err != nil {
			return "", false, fmt.Errorf("generate administrator password: %w", err)
		}
		pw, generated = base64.RawURLEncoding.EncodeToString(b), true
	}
	hash, err := d.Hasher.Hash(ctx, pw)
	if err != nil {
		return "", false, fmt.Errorf("hash administrator password: %w", err)
	}
	now := d.Now()
	u := &store.User{
		EnvironmentID: adminEnv, ID: ids.New(), Username: AdminUsername, PasswordHash: hash, PasswordChangedAt: now,
		Enabled: true, Roles: []store.RoleAssignment{{Role: resource.RoleEnvironmentAdmin, EnvironmentID: "*"}},
		CreatedAt: now, UpdatedAt: now,
	}
	if err := d.Store.CreateUser(ctx, u); errors.Is(err, store.ErrDuplicate) {
		return "", false, nil // another server made it first and printed its password
	} else if err != nil {
		return "", false, fmt.Errorf("create administrator: %w", err)
	}
	d.Audit.Record(ctx, store.Event{EnvironmentID: adminEnv, Action: audit.ActionAdminBootstrapped,
		Outcome: audit.OutcomeSuccess, ActorType: audit.ActorSystem, UserID: u.ID})
	if !generated {
		return "", true, nil
	}
	return pw, true, nil
}

func ensureWorker(ctx context.Context, c Config, d Deps, adminEnv string) error {
	now := d.Now()
	hash := opaque.Hash(c.BootstrapSecret)
	app := &store.Application{
		EnvironmentID: adminEnv, ID: strings.ToLower(c.BootstrapClient), Name: "Bootstrap automation",
		Type: resource.AppWorker, Enabled: true, SecretHash: hash, SecretChangedAt: now,
		Roles:     []store.RoleAssignment{{Role: resource.RoleEnvironmentAdmin, EnvironmentID: "*"}},
		CreatedAt: now, UpdatedAt: now,
	}
	err := d.Store.CreateApplication(ctx, app)
	if err == nil || !errors.Is(err, store.ErrDuplicate) {
		return err
	}
	for i := 0; i < 5; i++ {
		got, err := d.Store.GetApplication(ctx, adminEnv, app.ID)
		if err != nil {
			return fmt.Errorf("load bootstrap client: %w", err)
		}
		if got.SecretHash == hash {
			return nil
		}
		// The configured secret changed: rotate, which also ends tokens
		// issued under the old one.
		got.SecretHash, got.SecretChangedAt, got.UpdatedAt = hash, now, now
		if err := d.Store.UpdateApplication(ctx, got); !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("update bootstrap client: too many conflicts")
}
