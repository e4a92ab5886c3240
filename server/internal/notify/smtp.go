package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// StartTLS policies of an smtp:// URL.
const (
	StartTLSRequired      = "required"
	StartTLSOpportunistic = "opportunistic"
	StartTLSNone          = "none"
)

// Default ports when the URL has none.
const (
	defaultSMTPPort  = 25
	defaultSMTPSPort = 465
	defaultTimeout   = 30 * time.Second
)

// SMTPSettings is a parsed MAIL_SMTP_URL.
type SMTPSettings struct {
	Host     string
	Port     int
	Username string
	Password string
	// ImplicitTLS is true for smtps:// (TLS from the first byte).
	ImplicitTLS bool
	// StartTLS is the smtp:// policy: StartTLSRequired, StartTLSOpportunistic
	// (the default) or StartTLSNone; empty for smtps://.
	StartTLS string
	// From is the from query parameter, "" when absent.
	From string
}

// String is the URL without its password, for logs.
func (s SMTPSettings) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(s.Host, strconv.Itoa(s.Port))}
	if s.ImplicitTLS {
		u.Scheme = "smtps"
	}
	if s.Username != "" {
		u.User = url.User(s.Username)
	}
	q := url.Values{}
	if s.StartTLS != "" {
		q.Set("starttls", s.StartTLS)
	}
	if s.From != "" {
		q.Set("from", s.From)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// ParseSMTPURL parses and checks MAIL_SMTP_URL:
//
//	smtp://[user[:password]@]host[:port][?starttls=required|opportunistic|none][&from=addr]
//	smtps://[user[:password]@]host[:port][?from=addr]
//
// smtp:// defaults to port 25 and opportunistic STARTTLS (so a loopback test
// server without TLS works); use starttls=required for a real relay, since
// opportunistic STARTTLS can be stripped by anyone on the path. smtps://
// defaults to port 465. Credentials are percent-decoded; with them the
// client picks the strongest mechanism the server offers and never sends a
// plain password over an unencrypted connection. Unknown parameters are
// errors, so a typo does not silently weaken TLS.
//
// Errors never contain the password.
func ParseSMTPURL(raw string) (SMTPSettings, error) {
	var s SMTPSettings
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the whole URL, and an EscapeError a piece of
		// it: either may hold the password.
		var ee url.EscapeError
		if errors.As(err, &ee) {
			return s, errors.New("smtp url: bad percent-encoding (in the user name or password?)")
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return s, fmt.Errorf("smtp url: %w", err)
	}
	switch u.Scheme {
	case "smtp":
		s.StartTLS = StartTLSOpportunistic
	case "smtps":
		s.ImplicitTLS = true
	default:
		return s, fmt.Errorf("smtp url: scheme %q: want smtp or smtps", u.Scheme)
	}
	if u.Opaque != "" || u.Host == "" {
		return s, errors.New("smtp url: want smtp://[user:password@]host[:port]")
	}
	if u.Path != "" && u.Path != "/" {
		return s, errors.New("smtp url: unexpected path")
	}
	if u.Fragment != "" {
		return s, errors.New("smtp url: unexpected fragment")
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return s, errors.New("smtp url: missing host")
	}
	s.Port = defaultSMTPPort
	if s.ImplicitTLS {
		s.Port = defaultSMTPSPort
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return s, fmt.Errorf("smtp url: port %q out of range", p)
		}
		s.Port = n
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
		if s.Username == "" {
			return s, errors.New("smtp url: password without user name")
		}
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return s, errors.New("smtp url: malformed query")
	}
	for k, v := range q {
		if len(v) != 1 {
			return s, fmt.Errorf("smtp url: parameter %q given %d times", k, len(v))
		}
		switch k {
		case "starttls":
			if s.ImplicitTLS {
				return s, errors.New("smtp url: starttls does not apply to smtps:// (TLS from the start)")
			}
			switch v[0] {
			case StartTLSRequired, StartTLSOpportunistic, StartTLSNone:
				s.StartTLS = v[0]
			default:
				return s, fmt.Errorf("smtp url: starttls=%q: want required, opportunistic or none", v[0])
			}
		case "from":
			if _, err := netmail.ParseAddress(v[0]); err != nil {
				return s, fmt.Errorf("smtp url: from %q: %w", v[0], err)
			}
			s.From = v[0]
		default:
			return s, fmt.Errorf("smtp url: unknown parameter %q (want starttls or from)", k)
		}
	}
	return s, nil
}

// SMTP sends e-mail through an SMTP server with go-mail, one connection per
// message (OTP mail is rare and must not wait on a pooled connection that
// went stale).
type SMTP struct {
	client   *gomail.Client
	from     *netmail.Address
	settings SMTPSettings
	timeout  time.Duration
	now      func() time.Time
	log      *slog.Logger
}

// NewSMTP returns the SMTP sender for cfg.SMTPURL.
func NewSMTP(cfg Config) (*SMTP, error) {
	settings, err := ParseSMTPURL(cfg.SMTPURL)
	if err != nil {
		return nil, err
	}
	fromText := cfg.From
	if fromText == "" {
		fromText = settings.From
	}
	if fromText == "" {
		fromText = DefaultFrom
	}
	from, err := netmail.ParseAddress(fromText)
	if err != nil {
		return nil, fmt.Errorf("mail from address %q: %w", fromText, err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}

	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLSConfig != nil {
		tlsConfig = cfg.TLSConfig.Clone()
	}
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = settings.Host
	}
	opts := []gomail.Option{
		gomail.WithPort(settings.Port),
		gomail.WithTimeout(cfg.Timeout),
		gomail.WithTLSConfig(tlsConfig),
	}
	if settings.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		policy := map[string]gomail.TLSPolicy{
			StartTLSRequired:      gomail.TLSMandatory,
			StartTLSOpportunistic: gomail.TLSOpportunistic,
			StartTLSNone:          gomail.NoTLS,
		}[settings.StartTLS]
		opts = append(opts, gomail.WithTLSPolicy(policy))
	}
	if settings.Username != "" {
		// Auto-discovery picks the strongest mechanism offered and, on an
		// unencrypted connection, only challenge-response ones (never PLAIN
		// or LOGIN), so a stripped STARTTLS cannot leak the password.
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(settings.Username),
			gomail.WithPassword(settings.Password))
	}
	client, err := gomail.NewClient(settings.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client for %s: %w", settings, err)
	}
	return &SMTP{client: client, from: from, settings: settings, timeout: cfg.Timeout, now: cfg.Now, log: cfg.Logger}, nil
}

// Settings returns the parsed URL (String() omits the password).
func (s *SMTP) Settings() SMTPSettings { return s.settings }

// Send delivers an e-mail message. Other channels are refused: SMS and
// voice need their own gateway.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := checkMessage(&m); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	if m.Channel != ChannelEmail {
		return fmt.Errorf("send mail: channel %s has no transport configured", m.Channel)
	}
	msg := gomail.NewMsg()
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return redact(fmt.Errorf("send mail: recipient: %w", err), m.To)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(s.now())
	msg.SetMessageID()
	// RFC 3834: an automatic message; stops vacation auto-replies.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)

	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	start := s.now()
	if err := s.client.DialAndSendWithContext(ctx, msg); err != nil {
		err = redact(fmt.Errorf("send mail via %s:%d: %w", s.settings.Host, s.settings.Port, err), m.To)
		s.log.WarnContext(ctx, "mail not sent", "environmentId", m.EnvironmentID,
			"toDomain", RecipientDomain(m.To), "err", err)
		return err
	}
	s.log.InfoContext(ctx, "mail sent", "environmentId", m.EnvironmentID,
		"toDomain", RecipientDomain(m.To), "duration", s.now().Sub(start))
	return nil
}
