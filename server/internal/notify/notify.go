// Package notify delivers messages to people: one-time passcodes and
// security notifications. E-mail goes over SMTP when MAIL_SMTP_URL is set,
// SMS and voice through an HTTP gateway when SMS_GATEWAY_URL is set;
// otherwise a channel's messages land in the dev outbox (a store collection shown
// in the admin console and by `myaccount outbox`), so a fresh checkout works
// without a mail server.
//
// Message bodies hold one-time passcodes, so nothing here logs a body or a
// subject; logs name the recipient's domain only.
package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/shared/resource"
)

// Channels a message can go through. The outbox holds any channel.
const (
	ChannelEmail = "EMAIL"
	ChannelSMS   = "SMS"
	ChannelVoice = "VOICE"
)

// DefaultFrom is the sender address when neither Config.From nor the URL's
// from parameter names one.
const DefaultFrom = "MyAccount <no-reply@localhost>"

// OutboxRetention is how long the dev outbox keeps a message.
const OutboxRetention = 7 * 24 * time.Hour

// Message is one message to one recipient.
type Message struct {
	EnvironmentID string
	// Channel is ChannelEmail (the default when empty), ChannelSMS or
	// ChannelVoice.
	Channel string
	// To is an e-mail address (or a phone number for SMS and voice).
	To      string
	Subject string
	Text    string
}

// Sender delivers messages.
type Sender interface {
	// Send delivers m or returns why it could not. Errors never contain
	// the body, and name the recipient only by domain.
	Send(ctx context.Context, m Message) error
}

// Config chooses and configures the Sender that New returns.
type Config struct {
	// SMTPURL is MAIL_SMTP_URL (see ParseSMTPURL). Empty: the dev outbox.
	SMTPURL string
	// From is the sender address ("Name <addr>" or "addr"). It wins over
	// the URL's from parameter; both empty: DefaultFrom.
	From string
	// Outbox stores messages when SMTPURL is empty.
	Outbox store.Outbox
	// TLSConfig, when set, is used for SMTP TLS (STARTTLS or smtps://),
	// e.g. to trust a private CA; ServerName defaults to the URL's host.
	TLSConfig *tls.Config
	// Timeout bounds one SMTP delivery (connect to QUIT; default 30s) and
	// one gateway request (default DefaultGatewayTimeout).
	Timeout time.Duration
	// SMSGatewayURL is SMS_GATEWAY_URL: SMS and voice messages are POSTed
	// there as GatewayRequest. Empty: the dev outbox.
	SMSGatewayURL string
	// HTTPClient makes gateway requests; nil: a default client.
	HTTPClient *http.Client
	Now        func() time.Time
	// Rand feeds outbox message ids (UUIDv7); nil means crypto/rand.
	Rand   io.Reader
	Logger *slog.Logger
}

// New returns the sender of every channel: e-mail over SMTP when
// cfg.SMTPURL is set, SMS and voice through the gateway when
// cfg.SMSGatewayURL is set, the dev outbox for a channel without its
// transport. A bad URL or From address is an error here, at start-up, not at
// the first sign-on.
func New(cfg Config) (Sender, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SMTPURL == "" && cfg.SMSGatewayURL == "" {
		return NewOutbox(cfg) // one outbox holds every channel
	}
	var r Router
	var err error
	if cfg.SMTPURL != "" {
		r.Email, err = NewSMTP(cfg)
	} else {
		r.Email, err = NewOutbox(cfg)
	}
	if err != nil {
		return nil, err
	}
	switch {
	case cfg.SMSGatewayURL != "":
		r.Phone, err = NewGateway(cfg)
	case cfg.Outbox != nil:
		r.Phone, err = NewOutbox(cfg)
	default:
		r.Phone = noPhone{}
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// noPhone is the phone transport when there is neither a gateway nor an
// outbox store (an SMTP-only set-up built without a store).
type noPhone struct{}

func (noPhone) Send(context.Context, Message) error {
	return errors.New("notify: no SMS gateway configured")
}

// Target is where a device's passcodes go: its e-mail address, or its
// number by text message (SMS) or voice call (VOICE).
func Target(d store.Device) (channel, to string) {
	switch d.Type {
	case resource.DeviceSMS:
		return ChannelSMS, d.Phone
	case resource.DeviceVoice:
		return ChannelVoice, d.Phone
	}
	return ChannelEmail, d.Email
}

// RecipientDomain returns what logs may say about a recipient: the domain
// of an e-mail address, or "phone" for anything else.
func RecipientDomain(to string) string {
	if i := strings.LastIndexByte(to, '@'); i >= 0 && i < len(to)-1 {
		return strings.ToLower(to[i+1:])
	}
	return "phone"
}

// checkMessage refuses messages no transport could deliver.
func checkMessage(m *Message) error {
	if m.Channel == "" {
		m.Channel = ChannelEmail
	}
	switch m.Channel {
	case ChannelEmail, ChannelSMS, ChannelVoice:
	default:
		return fmt.Errorf("unknown channel %q", m.Channel)
	}
	if m.EnvironmentID == "" {
		return errors.New("message without environment id")
	}
	if strings.TrimSpace(m.To) == "" {
		return errors.New("message without recipient")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return errors.New("subject contains a line break")
	}
	return nil
}

// redactedError hides the full recipient address in an error's text (mail
// libraries put it there) while keeping the cause for errors.Is and As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func redact(err error, to string) error {
	msg := err.Error()
	if to != "" {
		msg = strings.ReplaceAll(msg, to, "<recipient@"+RecipientDomain(to)+">")
	}
	return &redactedError{msg: msg, err: err}
}
