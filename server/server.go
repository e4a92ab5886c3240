// Package server assembles the MyAccount server: it builds every service
// from the configuration and a store, runs bootstrap, and returns the Fiber
// app with its one route table (routes.go).
package server

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/myaccount/myaccount/server/internal/audit"
	"github.com/myaccount/myaccount/server/internal/authn"
	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/server/internal/config"
	"github.com/myaccount/myaccount/server/internal/fido"
	"github.com/myaccount/myaccount/server/internal/geoip"
	"github.com/myaccount/myaccount/server/internal/httpx"
	"github.com/myaccount/myaccount/server/internal/keys"
	"github.com/myaccount/myaccount/server/internal/manage"
	"github.com/myaccount/myaccount/server/internal/notify"
	"github.com/myaccount/myaccount/server/internal/oauth"
	"github.com/myaccount/myaccount/server/internal/otp"
	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/server/internal/ratelimit"
	"github.com/myaccount/myaccount/server/internal/recovery"
	"github.com/myaccount/myaccount/server/internal/secret"
	"github.com/myaccount/myaccount/server/internal/securelink"
	"github.com/myaccount/myaccount/server/internal/signon"
	"github.com/myaccount/myaccount/server/internal/store"
)

// BodyLimit is the largest request body accepted (413 beyond).
const BodyLimit = 1 << 20

// Options are what New needs from its caller.
type Options struct {
	Config config.Config
	Store  store.Store
	// KEK is the key-encryption key (MYACCOUNT_SECRET_KEY, or the key file
	// in DATA_DIR).
	KEK    []byte
	Logger *slog.Logger
	// Now and Rand default to the real clock and crypto/rand.
	Now  func() time.Time
	Rand io.Reader
	// Sender overrides the transports (mail, SMS and voice) chosen from the
	// configuration.
	Sender notify.Sender
	// Geo overrides the GeoIP database named by Config.GeoIPDB (tests).
	Geo geoip.Locator
	// Password overrides the hasher settings (tests use cheap parameters).
	Password *password.Config
	// Pages serves the PWA (go-app's handler) for the paths IsPage accepts;
	// nil serves no pages.
	Pages  http.Handler
	IsPage func(path string) bool
	// Wasm is the compiled app.wasm and its compressed forms, served
	// pre-compressed; nil when the app is not built.
	Wasm *Wasm
}

// Server is an assembled server.
type Server struct {
	App       *fiber.App
	Bootstrap bootstrap.Result
	Hasher    *password.Hasher
	Store     store.Store
	keys      *keys.Manager
}

// services is every handler group the route table wires.
type services struct {
	cfg    config.Config
	log    *slog.Logger
	store  store.Store
	auth   *authn.Authenticator
	oauth  *oauth.Provider
	signon *signon.Engine
	manage *manage.API
	pages  http.Handler
	isPage func(string) bool
	wasm   *Wasm
	now    func() time.Time
	// adminEnvID is the Administrators environment (the console's).
	adminEnvID string
}

// New builds the services, runs bootstrap and returns the server.
func New(ctx context.Context, o Options) (*Server, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	box, err := secret.NewBox(o.KEK)
	if err != nil {
		return nil, fmt.Errorf("key-encryption key: %w", err)
	}
	otpKey, err := secret.DeriveKey(o.KEK, "otp-hmac")
	if err != nil {
		return nil, err
	}
	cookieKey, err := secret.DeriveKey(o.KEK, "sso-cookie")
	if err != nil {
		return nil, err
	}
	otps, err := otp.NewHasher(otpKey)
	if err != nil {
		return nil, err
	}
	recoveryKey, err := secret.DeriveKey(o.KEK, "recovery-hmac")
	if err != nil {
		return nil, err
	}
	recoveryCodes, err := recovery.NewHasher(recoveryKey)
	if err != nil {
		return nil, err
	}
	sender := o.Sender
	if sender == nil {
		sender, err = notify.New(notify.Config{SMTPURL: o.Config.MailSMTPURL, SMSGatewayURL: o.Config.SMSGatewayURL,
			Outbox: o.Store, Now: o.Now, Logger: o.Logger})
		if err != nil {
			return nil, fmt.Errorf("mail: %w", err)
		}
	}
	// E-mail carries the environment's company name and logo URL.
	sender = &notify.Branded{Next: sender, Environments: o.Store, PublicURL: o.Config.PublicURL}
	hc := password.Config{Rand: o.Rand}
	if o.Password != nil {
		hc = *o.Password
	}
	hasher := password.New(hc)
	geo := o.Geo
	if geo == nil && o.Config.GeoIPDB != "" {
		db, err := geoip.Open(o.Config.GeoIPDB)
		if err != nil {
			return nil, fmt.Errorf("GEOIP_DB: %w", err)
		}
		geo = db
		o.Logger.Info("GeoIP database loaded: locations carry city and country", "path", o.Config.GeoIPDB)
	}
	rec := audit.New(audit.Deps{Events: o.Store, Now: o.Now, Logger: o.Logger, Geo: geo})
	links := securelink.New(securelink.Deps{Users: o.Store, PublicURL: o.Config.PublicURL, Now: o.Now, Rand: o.Rand})
	limiter := ratelimit.New(ratelimit.Deps{Counters: o.Store, Now: o.Now})
	km := keys.New(keys.Deps{Store: o.Store, Box: box, Now: o.Now})
	auth := authn.New(authn.Deps{Store: o.Store, Keys: km, PublicURL: o.Config.PublicURL, Now: o.Now})
	cookies := signon.Cookies{Secure: o.Config.Secure(), Rand: o.Rand}
	rp := relyingParty(o.Config.PublicURL, o.Logger)
	templates := &notify.Templates{Environments: o.Store, Logger: o.Logger}
	engine := signon.New(signon.Deps{
		Flows: o.Store, Users: o.Store, Envs: o.Store, Hasher: hasher, Limiter: limiter, Sender: sender,
		Audit: rec, OTP: otps, Box: box, PublicURL: o.Config.PublicURL, Now: o.Now, Rand: o.Rand, Logger: o.Logger,
		Recovery:    recoveryCodes,
		FIDO:        rp,
		Sessions:    o.Store,
		Apps:        o.Store,
		SecureLinks: links,
		Links:       o.Store,
	})
	prov := oauth.New(oauth.Deps{
		Store: o.Store, Keys: km, Auth: auth, Engine: engine, Cookies: cookies, CookieKey: cookieKey,
		Limiter: limiter, Audit: rec, PublicURL: o.Config.PublicURL, Now: o.Now, Rand: o.Rand, Logger: o.Logger,
		Sender: sender, Templates: templates, Geo: geo, SecureLinks: links,
	})
	api := manage.New(manage.Deps{Store: o.Store, Hasher: hasher, Audit: rec, PublicURL: o.Config.PublicURL,
		Now: o.Now, Rand: o.Rand, Logger: o.Logger, Sender: sender, OTP: otps, Box: box,
		Recovery: recoveryCodes, FIDO: rp, Limiter: limiter, Templates: templates, Geo: geo,
		Provision: func(ctx context.Context, envID string) error {
			return bootstrap.EnsureEnvironment(ctx, o.Config.PublicURL, envID,
				bootstrap.Deps{Store: o.Store, Keys: km, Hasher: hasher, Audit: rec, Now: o.Now, Rand: o.Rand})
		},
		SecureLinks: links})

	res, err := bootstrap.Run(ctx, bootstrap.Config{
		PublicURL: o.Config.PublicURL, AdminEnvID: o.Config.AdminEnvID, DefaultEnvID: o.Config.DefaultEnvID,
		AdminPassword: o.Config.AdminPassword, BootstrapClient: o.Config.BootstrapClient,
		BootstrapSecret: o.Config.BootstrapSecret,
	}, bootstrap.Deps{Store: o.Store, Keys: km, Hasher: hasher, Audit: rec, Now: o.Now, Rand: o.Rand})
	if err != nil {
		return nil, fmt.Errorf("bootstrap: %w", err)
	}

	errorHandler := httpx.ErrorHandler(o.Logger)
	app := fiber.New(fiber.Config{
		Immutable: true,
		BodyLimit: BodyLimit,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			httpx.BeforeRouting(c, o.Config.Secure()) // a 413 skips the middleware
			return errorHandler(c, err)
		},
		DisableStartupMessage:   true,
		EnableTrustedProxyCheck: len(o.Config.TrustedProxies) > 0,
		TrustedProxies:          o.Config.TrustedProxies,
		ProxyHeader:             proxyHeader(o.Config.TrustedProxies),
		// Short enough that a stop does not wait long on idle new
		// connections; bodies are small (BodyLimit).
		ReadTimeout:  5 * time.Second,
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  2 * time.Minute,
	})
	routes(app, &services{
		cfg: o.Config, log: o.Logger, store: o.Store, auth: auth, oauth: prov, signon: engine, manage: api,
		pages: o.Pages, isPage: o.IsPage, wasm: o.Wasm, now: o.Now, adminEnvID: res.AdminEnvID,
	})
	return &Server{App: app, Bootstrap: res, Hasher: hasher, Store: o.Store, keys: km}, nil
}

// proxyHeader trusts X-Forwarded-For only when proxies are configured:
// otherwise any client could choose the IP its rate limits count against.
func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// relyingParty is the WebAuthn relying party of publicURL, or nil (FIDO2
// off, said once in the log) when its host cannot be an RP ID, such as an
// IP address.
func relyingParty(publicURL string, log *slog.Logger) *fido.RP {
	rp, err := fido.New(fido.Config{PublicURL: publicURL})
	if err != nil {
		log.Warn("FIDO2 security keys and passkeys are off: PUBLIC_URL needs a domain name", "err", err)
		return nil
	}
	return rp
}
