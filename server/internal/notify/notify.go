// Package notify delivers messages to people: one-time passcodes and
// security notifications. E-mail goes over SMTP when MAIL_SMTP_URL is set;
// otherwise every message lands in the dev outbox (a store collection shown
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
	"strings"
	"time"

	"github.com/myaccount/myaccount/server/internal/store"
)

// Channels a message can go through. Only e-mail has a transport so far;
// the outbox holds any channel.
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
	// Timeout bounds one SMTP delivery (connect to QUIT); default 30s.
	Timeout time.Duration
	Now     func() time.Time
	// Rand feeds outbox message ids (UUIDv7); nil means crypto/rand.
	Rand   io.Reader
	Logger *slog.Logger
}

// New returns the SMTP sender when cfg.SMTPURL is set, else the dev outbox.
// A bad URL or From address is an error here, at start-up, not at the first
// sign-on.
func New(cfg Config) (Sender, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SMTPURL != "" {
		return NewSMTP(cfg)
	}
	return NewOutbox(cfg)
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
