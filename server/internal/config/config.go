// Package config reads the server's settings from flags and environment
// variables and validates them all at once, so an operator sees every
// problem in one start attempt rather than one per restart.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/myaccount/myaccount/shared/valid"
)

// Config is the validated server configuration.
type Config struct {
	Addr            string
	PublicURL       string // no trailing slash
	MongoURI        string
	DataDir         string
	AssetsDir       string
	MailSMTPURL     string
	SMSGatewayURL   string
	SecretKey       string // MYACCOUNT_SECRET_KEY, raw (parsed by package secret)
	AdminPassword   string
	BootstrapClient string
	BootstrapSecret string
	AdminEnvID      string
	DefaultEnvID    string
	TrustedProxies  []string
	LogLevel        slog.Level
	// GeoIPDB names a MaxMind-format city database (GEOIP_DB); empty:
	// locations are IP addresses only.
	GeoIPDB string
}

// Load parses args (without the program name) with environment variables as
// defaults (getenv is os.Getenv in production). Flags win over variables.
// All problems are joined into one error.
func Load(args []string, getenv func(string) string) (Config, error) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	var c Config
	var proxies, level string
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", env("ADDR", ":8080"), "listen address (ADDR)")
	fs.StringVar(&c.PublicURL, "public-url", env("PUBLIC_URL", ""), "public base URL (PUBLIC_URL); default http://localhost:<port>")
	fs.StringVar(&c.MongoURI, "mongodb-uri", env("MONGODB_URI", ""), "MongoDB URI (MONGODB_URI); unset: embedded SQLite")
	fs.StringVar(&c.DataDir, "data-dir", env("DATA_DIR", "./data"), "data directory (DATA_DIR)")
	fs.StringVar(&c.AssetsDir, "assets-dir", env("ASSETS_DIR", "./assets"), "PWA assets directory (ASSETS_DIR)")
	fs.StringVar(&c.MailSMTPURL, "mail-smtp-url", env("MAIL_SMTP_URL", ""), "SMTP URL (MAIL_SMTP_URL); unset: dev outbox")
	fs.StringVar(&c.SMSGatewayURL, "sms-gateway-url", env("SMS_GATEWAY_URL", ""), "SMS/voice HTTP gateway (SMS_GATEWAY_URL)")
	fs.StringVar(&proxies, "trusted-proxies", env("TRUSTED_PROXIES", ""), "comma-separated proxy IPs/CIDRs (TRUSTED_PROXIES)")
	fs.StringVar(&c.GeoIPDB, "geoip-db", env("GEOIP_DB", ""), "MaxMind-format city database, .mmdb (GEOIP_DB); unset: IP addresses only")
	fs.StringVar(&level, "log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	// Secrets only from the environment: flags show up in process lists.
	c.SecretKey = getenv("MYACCOUNT_SECRET_KEY")
	c.AdminPassword = getenv("MYACCOUNT_ADMIN_PASSWORD")
	c.BootstrapClient = getenv("MYACCOUNT_BOOTSTRAP_CLIENT_ID")
	c.BootstrapSecret = getenv("MYACCOUNT_BOOTSTRAP_CLIENT_SECRET")
	c.AdminEnvID = strings.ToLower(getenv("MYACCOUNT_ADMIN_ENV_ID"))
	c.DefaultEnvID = strings.ToLower(getenv("MYACCOUNT_DEFAULT_ENV_ID"))

	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }

	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || port == "" {
		bad("ADDR %q: want host:port or :port", c.Addr)
	}
	if c.PublicURL == "" && err == nil {
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.PublicURL = "http://" + net.JoinHostPort(host, port)
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		bad("PUBLIC_URL %q: want an absolute http(s) URL without query or fragment", c.PublicURL)
	}
	if c.MongoURI != "" {
		if !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
			bad("MONGODB_URI: want a mongodb:// or mongodb+srv:// URI")
		}
		if c.SecretKey == "" {
			bad("MYACCOUNT_SECRET_KEY is required with MONGODB_URI (every server instance must share it)")
		}
	}
	if c.DataDir == "" {
		bad("DATA_DIR must not be empty")
	}
	if c.MailSMTPURL != "" {
		if u, err := url.Parse(c.MailSMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			bad("MAIL_SMTP_URL: want smtp://[user:pass@]host:port or smtps://…")
		}
	}
	if c.SMSGatewayURL != "" {
		if u, err := url.Parse(c.SMSGatewayURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("SMS_GATEWAY_URL: want an http(s) URL")
		}
	}
	if (c.BootstrapClient == "") != (c.BootstrapSecret == "") {
		bad("MYACCOUNT_BOOTSTRAP_CLIENT_ID and MYACCOUNT_BOOTSTRAP_CLIENT_SECRET go together")
	}
	if c.BootstrapClient != "" && valid.UUID(c.BootstrapClient) != nil {
		bad("MYACCOUNT_BOOTSTRAP_CLIENT_ID must be a UUID")
	}
	if c.BootstrapSecret != "" && len(c.BootstrapSecret) < 32 {
		bad("MYACCOUNT_BOOTSTRAP_CLIENT_SECRET must be at least 32 characters")
	}
	for name, id := range map[string]string{"MYACCOUNT_ADMIN_ENV_ID": c.AdminEnvID, "MYACCOUNT_DEFAULT_ENV_ID": c.DefaultEnvID} {
		if id != "" && valid.UUID(id) != nil {
			bad("%s must be a UUID", name)
		}
	}
	if c.AdminEnvID != "" && c.AdminEnvID == c.DefaultEnvID {
		bad("MYACCOUNT_ADMIN_ENV_ID and MYACCOUNT_DEFAULT_ENV_ID must differ")
	}
	for _, p := range strings.Split(proxies, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				bad("TRUSTED_PROXIES: %q is neither an IP nor a CIDR", p)
				continue
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	if c.GeoIPDB != "" {
		if fi, err := os.Stat(c.GeoIPDB); err != nil {
			bad("GEOIP_DB: %v", err)
		} else if fi.IsDir() {
			bad("GEOIP_DB %q: want a .mmdb file, not a directory", c.GeoIPDB)
		}
	}
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		bad("LOG_LEVEL %q: want debug, info, warn or error", level)
	}
	return c, errors.Join(errs...)
}

// Secure reports whether the public URL is https (cookies get Secure, HSTS is sent).
func (c Config) Secure() bool { return strings.HasPrefix(c.PublicURL, "https://") }
