package mailtest

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	gomail "github.com/wneessen/go-mail"
)

// sendGoMail sends the way the server does: through go-mail, plain SMTP.
func sendGoMail(t *testing.T, s *Server, to, subject, text string) {
	t.Helper()
	host, port := splitAddr(t, s.Addr())
	c, err := gomail.NewClient(host, gomail.WithPort(port), gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	m := gomail.NewMsg()
	if err := m.From("MyAccount <no-reply@localhost>"); err != nil {
		t.Fatal(err)
	}
	if err := m.To(to); err != nil {
		t.Fatal(err)
	}
	m.Subject(subject)
	m.SetBodyString(gomail.TypeTextPlain, text)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		t.Fatalf("send: %v", err)
	}
}

func splitAddr(t *testing.T, addr string) (string, int) {
	t.Helper()
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return host, port
}

func TestGoMailRoundTrip(t *testing.T) {
	s := Start(t)
	if !strings.HasPrefix(s.URL(), "smtp://127.0.0.1:") {
		t.Fatalf("URL = %q", s.URL())
	}
	// Long lines, "=" and non-ASCII make go-mail use quoted-printable soft
	// breaks and encoded words: the decoding must undo them.
	long := strings.Repeat("café = thé ", 12)
	text := "Your code is 123456.\n" + long + "\nBye."
	sendGoMail(t, s, "Alice@Example.com", "Ünïcode subject", text)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := s.WaitFor(ctx, "alice@example.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Ünïcode subject" {
		t.Errorf("Subject = %q", m.Subject)
	}
	if strings.TrimRight(m.Text, "\n") != text {
		t.Errorf("Text = %q, want %q", m.Text, text)
	}
	if m.From != "no-reply@localhost" || (m.HeaderFrom != `"MyAccount" <no-reply@localhost>` && m.HeaderFrom != "MyAccount <no-reply@localhost>") {
		t.Errorf("From = %q, HeaderFrom = %q", m.From, m.HeaderFrom)
	}
	if len(m.To) != 1 || m.To[0] != "Alice@Example.com" {
		t.Errorf("To = %v", m.To)
	}
	if got := OTPFrom(m.Text); got != "123456" {
		t.Errorf("OTPFrom = %q", got)
	}
	if !strings.Contains(string(m.Raw), "quoted-printable") {
		t.Errorf("expected go-mail to use quoted-printable; raw:\n%s", m.Raw)
	}
	if n := len(s.Messages()); n != 1 {
		t.Errorf("Messages() has %d, want 1", n)
	}
}

func TestWaitForMatchesAndWaits(t *testing.T) {
	s := Start(t)
	sendGoMail(t, s, "bob@example.com", "first", "one 111111")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	// A match that only a later message satisfies: WaitFor must wait for it.
	got := make(chan Message, 1)
	errc := make(chan error, 1)
	go func() {
		m, err := s.WaitFor(ctx, "bob@example.com", func(m Message) bool { return m.Subject == "second" })
		got <- m
		errc <- err
	}()
	sendGoMail(t, s, "carol@example.com", "second", "not for bob")
	sendGoMail(t, s, "bob@example.com", "second", "two 222222")
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if m := <-got; OTPFrom(m.Text) != "222222" {
		t.Errorf("got %q", m.Text)
	}
}

func TestWaitForTimesOut(t *testing.T) {
	s := Start(t)
	sendGoMail(t, s, "bob@example.com", "hello", "hi")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := s.WaitFor(ctx, "nobody@example.com", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if !strings.Contains(err.Error(), `"hello"`) {
		t.Errorf("error should list what arrived: %v", err)
	}
}

// sendRaw sends raw over plain SMTP with go-smtp's client.
func sendRaw(t *testing.T, s *Server, from string, to []string, raw string) error {
	t.Helper()
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail(from, to, strings.NewReader(raw)); err != nil {
		return err
	}
	return c.Quit()
}

func TestRawSMTPClient(t *testing.T) {
	s := Start(t)
	raw := "From: x@example.com\r\nTo: y@example.com\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=BB\r\n\r\n" +
		"--BB\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		"Q29kZTogOTg3\r\nNjU0Mw==\r\n" +
		"--BB\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Code: 9876543</p>\r\n--BB--\r\n"
	if err := sendRaw(t, s, "x@example.com", []string{"y@example.com", "z@example.com"}, raw); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := s.WaitFor(ctx, "Z@example.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "café" || m.Text != "Code: 9876543" || m.HTML != "<p>Code: 9876543</p>" {
		t.Errorf("got subject %q text %q html %q", m.Subject, m.Text, m.HTML)
	}
	if len(m.To) != 2 {
		t.Errorf("To = %v", m.To)
	}
}

func TestUnparseableMessageRefused(t *testing.T) {
	s := Start(t)
	raw := "Subject: x\r\nContent-Type: multipart/mixed\r\n\r\nno boundary\r\n"
	err := sendRaw(t, s, "x@example.com", []string{"y@example.com"}, raw)
	if err == nil {
		t.Fatal("want the server to refuse a message it cannot parse")
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("stored %d messages", n)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		wantText string
		wantErr  bool
	}{
		{name: "plain_no_headers_type", raw: "Subject: a\r\n\r\nhello\r\nworld\r\n", wantText: "hello\nworld\n"},
		{name: "quoted_printable_soft_break", raw: "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nco=\r\nde 12=3D34 caf=C3=A9\r\n", wantText: "code 12=34 café\n"},
		{name: "latin1", raw: "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=E9", wantText: "café"},
		{name: "attachment_skipped", raw: "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\nnot me\r\n--x\r\nContent-Type: text/plain\r\n\r\nme\r\n--x--\r\n", wantText: "me"},
		{name: "nested_alternative", raw: "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\ninner\r\n--i--\r\n--o--\r\n", wantText: "inner"},
		{name: "unknown_encoding", raw: "Content-Transfer-Encoding: x-uuencode\r\n\r\nbody", wantErr: true},
		{name: "bad_utf8", raw: "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n/w==", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.raw))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && m.Text != tt.wantText {
				t.Errorf("Text = %q, want %q", m.Text, tt.wantText)
			}
		})
	}
}

func TestOTPFrom(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{name: "six", body: "Your code is 123456.", want: "123456"},
		{name: "ten", body: "code:1234567890!", want: "1234567890"},
		{name: "start_and_end", body: "654321", want: "654321"},
		{name: "skips_short_and_long", body: "In 2026 ref 12345678901 your code 00112233 expires in 10 minutes", want: "00112233"},
		{name: "none", body: "expires in 10 minutes", want: ""},
		{name: "five_digits", body: "12345", want: ""},
		{name: "skips_link_ids", body: "Not you? http://localhost:8080/e1/secureAccount?user=0190f3a5-1d2e-7f40-8a9b-123456789012&token=ab1234567cd then 246810.",
			want: "246810"},
		{name: "skips_hex", body: "ref 9f123456e and key=1234567", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OTPFrom(tt.body); got != tt.want {
				t.Errorf("OTPFrom(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestAuthRequired(t *testing.T) {
	serverTLS, _ := SelfSignedTLS(t)
	s := StartWith(t, Options{TLS: serverTLS, Username: "u", Password: "p"})
	raw := "Subject: x\r\n\r\nbody\r\n"
	if err := sendRaw(t, s, "x@example.com", []string{"y@example.com"}, raw); err == nil {
		t.Fatal("MAIL without AUTH accepted")
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("stored %d messages", n)
	}
}
