package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/myaccount/myaccount/server/internal/store"
	"github.com/myaccount/myaccount/server/mailtest"
	"github.com/myaccount/myaccount/shared/resource"
)

var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// memOutbox is an in-memory store.Outbox.
type memOutbox struct {
	mu   sync.Mutex
	msgs []store.OutboxMessage
	err  error
}

func (o *memOutbox) AddOutboxMessage(_ context.Context, m *store.OutboxMessage) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	o.msgs = append(o.msgs, *m)
	return nil
}

func (o *memOutbox) ListOutbox(_ context.Context, envID string, limit int) ([]store.OutboxMessage, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []store.OutboxMessage
	for i := len(o.msgs) - 1; i >= 0 && len(out) < limit; i-- {
		if o.msgs[i].EnvironmentID == envID {
			out = append(out, o.msgs[i])
		}
	}
	return out, nil
}

// logBuffer captures the JSON log so tests can check what never appears.
func logBuffer() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

func waitCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

const envID = "5c1e3f0a-1111-4222-8333-444455556666"

func TestSMTPToMailtest(t *testing.T) {
	srv := mailtest.Start(t)
	log, logs := logBuffer()
	sender, err := New(Config{SMTPURL: srv.URL(), Now: clock, Logger: log, Outbox: &memOutbox{}})
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := sender.(Router); !ok || r.Email == nil {
		t.Fatalf("New = %T, want a Router", sender)
	} else if _, ok := r.Email.(*SMTP); !ok {
		t.Fatalf("New with an SMTP URL returned %T", sender)
	}
	subject, text := OTPEmail("482913", 10)
	ctx := waitCtx(t)
	if err := sender.Send(ctx, Message{EnvironmentID: envID, Channel: ChannelEmail, To: "alice@example.com", Subject: subject, Text: text}); err != nil {
		t.Fatal(err)
	}
	m, err := srv.WaitFor(ctx, "alice@example.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Your MyAccount one-time passcode" {
		t.Errorf("Subject = %q", m.Subject)
	}
	if got := mailtest.OTPFrom(m.Text); got != "482913" {
		t.Errorf("OTP = %q from %q", got, m.Text)
	}
	if !strings.Contains(m.Text, "It expires in 10 minutes.") {
		t.Errorf("Text = %q", m.Text)
	}
	if m.From != "no-reply@localhost" || !strings.Contains(m.HeaderFrom, "MyAccount") {
		t.Errorf("From = %q, header %q", m.From, m.HeaderFrom)
	}
	if got := m.Header["Auto-Submitted"]; len(got) != 1 || got[0] != "auto-generated" {
		t.Errorf("Auto-Submitted = %v", got)
	}
	if !strings.Contains(m.Header["Date"][0], "1 Mar 2026") {
		t.Errorf("Date = %v, want the injected clock", m.Header["Date"])
	}
	if s := logs.String(); strings.Contains(s, "482913") || strings.Contains(s, "alice@") || !strings.Contains(s, `"toDomain":"example.com"`) {
		t.Errorf("log must name the domain only, never the code or the address:\n%s", s)
	}
}

func TestSMTPFromAddress(t *testing.T) {
	tests := []struct {
		name     string
		urlQuery string
		from     string
		want     string
	}{
		{name: "default", want: "no-reply@localhost"},
		{name: "query", urlQuery: "?from=" + "Acme%20%3Cmfa@acme.test%3E", want: "mfa@acme.test"},
		{name: "config_wins", urlQuery: "?from=mfa@acme.test", from: "Ops <ops@acme.test>", want: "ops@acme.test"},
	}
	srv := mailtest.Start(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sender, err := New(Config{SMTPURL: srv.URL() + tt.urlQuery, From: tt.from})
			if err != nil {
				t.Fatal(err)
			}
			to := tt.name + "@example.com"
			ctx := waitCtx(t)
			if err := sender.Send(ctx, Message{EnvironmentID: envID, To: to, Subject: "s", Text: "t"}); err != nil {
				t.Fatal(err)
			}
			m, err := srv.WaitFor(ctx, to, nil)
			if err != nil {
				t.Fatal(err)
			}
			if m.From != tt.want {
				t.Errorf("envelope from = %q, want %q", m.From, tt.want)
			}
		})
	}
}

func TestSMTPTLSAndAuth(t *testing.T) {
	serverTLS, roots := mailtest.SelfSignedTLS(t)
	clientTLS := &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	tests := []struct {
		name     string
		opts     mailtest.Options
		url      func(s *mailtest.Server) string
		wantErr  string
		wantTLS  bool
		wantUser string
	}{
		{
			name: "starttls_required_with_auth",
			opts: mailtest.Options{TLS: serverTLS, Username: "mailer", Password: "p@ss:w/rd"},
			url: func(s *mailtest.Server) string {
				return "smtp://mailer:p%40ss%3Aw%2Frd@" + s.Addr() + "?starttls=required"
			},
			wantTLS:  true,
			wantUser: "mailer",
		},
		{
			name:     "smtps_with_auth",
			opts:     mailtest.Options{TLS: serverTLS, ImplicitTLS: true, Username: "mailer", Password: "secret"},
			url:      func(s *mailtest.Server) string { return "smtps://mailer:secret@" + s.Addr() },
			wantTLS:  true,
			wantUser: "mailer",
		},
		{
			name:    "opportunistic_upgrades",
			opts:    mailtest.Options{TLS: serverTLS},
			url:     func(s *mailtest.Server) string { return s.URL() },
			wantTLS: true,
		},
		{
			name:    "starttls_required_but_not_offered",
			opts:    mailtest.Options{},
			url:     func(s *mailtest.Server) string { return s.URL() + "?starttls=required" },
			wantErr: "STARTTLS",
		},
		{
			name:    "wrong_password",
			opts:    mailtest.Options{TLS: serverTLS, Username: "mailer", Password: "secret"},
			url:     func(s *mailtest.Server) string { return "smtp://mailer:nope@" + s.Addr() + "?starttls=required" },
			wantErr: "auth",
		},
		{
			// The server offers PLAIN without TLS; the client must refuse
			// to send the password in the clear.
			name:    "no_plain_password_over_plaintext",
			opts:    mailtest.Options{Username: "mailer", Password: "secret", AllowInsecureAuth: true},
			url:     func(s *mailtest.Server) string { return "smtp://mailer:secret@" + s.Addr() + "?starttls=none" },
			wantErr: "auth",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.StartWith(t, tt.opts)
			sender, err := New(Config{SMTPURL: tt.url(srv), TLSConfig: clientTLS, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			ctx := waitCtx(t)
			err = sender.Send(ctx, Message{EnvironmentID: envID, To: "bob@example.com", Subject: "s", Text: "code 123456"})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(tt.wantErr)) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				t.Logf("err: %v", err)
				if strings.Contains(err.Error(), "bob@example.com") || strings.Contains(err.Error(), "secret") {
					t.Errorf("error leaks the recipient or password: %v", err)
				}
				if n := len(srv.Messages()); n != 0 {
					t.Errorf("%d messages arrived", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m, err := srv.WaitFor(ctx, "bob@example.com", nil)
			if err != nil {
				t.Fatal(err)
			}
			if m.TLS != tt.wantTLS || m.AuthUser != tt.wantUser {
				t.Errorf("TLS = %v, AuthUser = %q; want %v, %q", m.TLS, m.AuthUser, tt.wantTLS, tt.wantUser)
			}
		})
	}
}

func TestSMTPRefusesBadMessages(t *testing.T) {
	srv := mailtest.Start(t)
	sender, err := NewSMTP(Config{SMTPURL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		msg  Message
	}{
		{name: "no_environment", msg: Message{To: "a@example.com"}},
		{name: "no_recipient", msg: Message{EnvironmentID: envID}},
		{name: "bad_recipient", msg: Message{EnvironmentID: envID, To: "not an address"}},
		{name: "sms_channel", msg: Message{EnvironmentID: envID, Channel: ChannelSMS, To: "+15551234567"}},
		{name: "unknown_channel", msg: Message{EnvironmentID: envID, Channel: "PIGEON", To: "a@example.com"}},
		{name: "header_injection", msg: Message{EnvironmentID: envID, To: "a@example.com", Subject: "hi\r\nBcc: evil@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := sender.Send(context.Background(), tt.msg); err == nil {
				t.Fatal("want an error")
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages arrived", n)
	}
}

func TestOutbox(t *testing.T) {
	box := &memOutbox{}
	log, logs := logBuffer()
	sender, err := New(Config{Outbox: box, Now: clock, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sender.(*Outbox); !ok {
		t.Fatalf("New without an SMTP URL returned %T", sender)
	}
	subject, text := OTPEmail("765432", 5)
	for _, to := range []string{"first@example.com", "second@example.com"} {
		if err := sender.Send(context.Background(), Message{EnvironmentID: envID, To: to, Subject: subject, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := box.ListOutbox(context.Background(), envID, 10)
	if len(got) != 2 {
		t.Fatalf("outbox holds %d messages, want 2", len(got))
	}
	m := got[1]
	if m.EnvironmentID != envID || m.Channel != ChannelEmail || m.To != "first@example.com" || m.Subject != subject || m.Body != text {
		t.Errorf("stored %+v", m)
	}
	if !m.CreatedAt.Equal(fixedNow) || !m.ExpiresAt.Equal(fixedNow.Add(7*24*time.Hour)) {
		t.Errorf("CreatedAt %v ExpiresAt %v", m.CreatedAt, m.ExpiresAt)
	}
	id, err := uuid.Parse(m.ID)
	if err != nil || id.Version() != 7 {
		t.Errorf("ID %q is not a UUIDv7 (%v)", m.ID, err)
	}
	if got[0].ID == got[1].ID {
		t.Error("two messages share an id")
	}
	if s := logs.String(); strings.Contains(s, "765432") || strings.Contains(s, "first@") {
		t.Errorf("log leaks the code or the address:\n%s", s)
	}
}

func TestOutboxErrors(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Error("New with neither SMTP URL nor outbox: want an error")
	}
	box := &memOutbox{err: errors.New("disk full for carol@example.com")}
	sender, err := New(Config{Outbox: box})
	if err != nil {
		t.Fatal(err)
	}
	err = sender.Send(context.Background(), Message{EnvironmentID: envID, To: "carol@example.com", Subject: "s", Text: "t"})
	if err == nil || !errors.Is(err, box.err) {
		t.Fatalf("err = %v, want the store's error wrapped", err)
	}
	if strings.Contains(err.Error(), "carol@example.com") || !strings.Contains(err.Error(), "@example.com") {
		t.Errorf("error should name the domain only: %v", err)
	}
}

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    SMTPSettings
		wantErr string
	}{
		{name: "plain_defaults", raw: "smtp://mail.example.com", want: SMTPSettings{Host: "mail.example.com", Port: 25, StartTLS: "opportunistic"}},
		{name: "user_pass_port", raw: "smtp://u%40x:p%3As@mail.example.com:587?starttls=required",
			want: SMTPSettings{Host: "mail.example.com", Port: 587, Username: "u@x", Password: "p:s", StartTLS: "required"}},
		{name: "smtps_default_port", raw: "smtps://u:p@mail.example.com", want: SMTPSettings{Host: "mail.example.com", Port: 465, Username: "u", Password: "p", ImplicitTLS: true}},
		{name: "from_param", raw: "smtp://127.0.0.1:2525?starttls=none&from=a%40b.test", want: SMTPSettings{Host: "127.0.0.1", Port: 2525, StartTLS: "none", From: "a@b.test"}},
		{name: "ipv6", raw: "smtp://[::1]:2525", want: SMTPSettings{Host: "::1", Port: 2525, StartTLS: "opportunistic"}},
		{name: "wrong_scheme", raw: "http://mail.example.com", wantErr: "scheme"},
		{name: "no_host", raw: "smtp://", wantErr: "host"},
		{name: "opaque", raw: "smtp:mail.example.com", wantErr: "want smtp://"},
		{name: "bad_port", raw: "smtp://mail.example.com:99999", wantErr: "port"},
		{name: "non_numeric_port", raw: "smtp://u:hunter2@mail.example.com:x", wantErr: "port"},
		{name: "bad_starttls", raw: "smtp://mail.example.com?starttls=yes", wantErr: "starttls"},
		{name: "starttls_on_smtps", raw: "smtps://mail.example.com?starttls=required", wantErr: "smtps"},
		{name: "typo_param", raw: "smtp://mail.example.com?startls=required", wantErr: "unknown parameter"},
		{name: "bad_from", raw: "smtp://mail.example.com?from=nobody", wantErr: "from"},
		{name: "path", raw: "smtp://mail.example.com/x", wantErr: "path"},
		{name: "bad_escape_hides_password", raw: "smtp://u:hunter2%zz@mail.example.com", wantErr: "percent-encoding"},
		{name: "password_without_user", raw: "smtp://:hunter2@mail.example.com", wantErr: "user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSMTPURL(tt.raw)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error leaks the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{name: "bad_url", cfg: Config{SMTPURL: "smtp://x:hunter2@mail.example.com:0"}},
		{name: "bad_from", cfg: Config{SMTPURL: "smtp://mail.example.com", From: "not an address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil {
				t.Fatal("want an error")
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error leaks the password: %v", err)
			}
		})
	}
}

func TestSettingsStringHidesPassword(t *testing.T) {
	s, err := ParseSMTPURL("smtp://u:hunter2@mail.example.com:587?starttls=required")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.String(); got != "smtp://u@mail.example.com:587?starttls=required" {
		t.Errorf("String() = %q", got)
	}
}

func TestTemplates(t *testing.T) {
	subject, text := OTPEmail("123456", 10)
	want := "Your MyAccount one-time passcode is 123456. It expires in 10 minutes. " +
		"If you did not try to sign on, someone may know your password: change it.\n"
	if text != want || strings.Contains(subject, "123456") {
		t.Errorf("OTPEmail = %q, %q", subject, text)
	}
	if _, text := OTPEmail("123456", 1); !strings.Contains(text, "expires in 1 minute.") {
		t.Errorf("singular: %q", text)
	}
	secure := SecureURL("https://id.example", "5f0c6a52-7d1e-4b8a-9c3f-2a1b0c9d8e71")
	if secure != "https://id.example/5f0c6a52-7d1e-4b8a-9c3f-2a1b0c9d8e71/myaccount/#secure" {
		t.Errorf("SecureURL = %q", secure)
	}
	subject, text = DevicePairedEmail(resource.MaskEmail("alice@example.com"), secure)
	if subject == "" || !strings.Contains(text, "a***@example.com") || strings.Contains(text, "alice") || !strings.Contains(text, secure) {
		t.Errorf("DevicePairedEmail = %q, %q", subject, text)
	}
	subject, text = DeviceRemovedNotice("The phone number *********5678", true, secure)
	if !strings.Contains(subject, "removed") || !strings.Contains(text, "by an administrator") || !strings.Contains(text, secure) {
		t.Errorf("DeviceRemovedNotice = %q, %q", subject, text)
	}
}
