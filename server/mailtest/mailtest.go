// Package mailtest runs a real SMTP server on loopback for tests, so a test
// can send mail the way production does (over SMTP, through the same mail
// library) and read back what arrived: the recipient, the subject, the
// decoded text body and the one-time passcode in it.
//
// It lives outside server/internal so the browser tests at the top of the
// repository can import it.
package mailtest

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// maxMessageBytes bounds one received message; ours are a few hundred bytes.
const maxMessageBytes = 1 << 20

// defaultWait bounds WaitFor when its context has no deadline, so a test
// waiting for a mail that never comes fails instead of hanging.
const defaultWait = 10 * time.Second

// Message is one received message.
type Message struct {
	// From is the envelope sender (MAIL FROM).
	From string
	// To are the envelope recipients (RCPT TO).
	To []string
	// HeaderFrom is the From header, decoded.
	HeaderFrom string
	// Subject is the Subject header, decoded (RFC 2047).
	Subject string
	// Text is the text/plain body (the first text/plain part of a multipart
	// message), transfer-decoded, with line endings normalised to "\n".
	Text string
	// HTML is the first text/html part, decoded likewise ("" when none).
	HTML string
	// Header holds every header field, undecoded.
	Header map[string][]string
	// TLS tells whether the message came over an encrypted connection.
	TLS bool
	// AuthUser is the user name the client authenticated as, "" if none.
	AuthUser string
	// Raw is the message as it came over the wire.
	Raw []byte
}

// Server is a running loopback SMTP server.
type Server struct {
	addr string
	srv  *smtp.Server

	mu       sync.Mutex
	messages []Message
	changed  chan struct{} // closed and replaced when a message arrives
	closed   bool
	tb       testing.TB
	opts     Options
}

// Options configure StartWith. The zero value is what Start runs: plain
// SMTP, no authentication.
type Options struct {
	// TLS, when set, offers STARTTLS with this configuration, or with
	// ImplicitTLS speaks TLS from the first byte (smtps).
	TLS         *tls.Config
	ImplicitTLS bool
	// Username and Password, when set, make AUTH PLAIN mandatory before
	// MAIL FROM. AUTH is offered over TLS only unless AllowInsecureAuth.
	Username, Password string
	AllowInsecureAuth  bool
}

// Start starts a server on a free port of 127.0.0.1 (no TLS, no
// authentication) and stops it when the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	return StartWith(tb, Options{})
}

// StartWith starts a server as Start does, with TLS or authentication.
func StartWith(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.ImplicitTLS && opts.TLS == nil {
		tb.Fatal("mailtest: ImplicitTLS without a TLS config")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("mailtest: listen: %v", err)
	}
	s := &Server{addr: ln.Addr().String(), changed: make(chan struct{}), tb: tb, opts: opts}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{server: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.MaxMessageBytes = maxMessageBytes
	srv.MaxRecipients = 50
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.AllowInsecureAuth = opts.AllowInsecureAuth
	srv.ErrorLog = testLogger{s: s}
	if opts.ImplicitTLS {
		ln = tls.NewListener(ln, opts.TLS)
	} else {
		srv.TLSConfig = opts.TLS
	}
	s.srv = srv

	done := make(chan struct{})
	go func() {
		defer close(done)
		// Serve returns once Close closes the listener.
		_ = srv.Serve(ln)
	}()
	tb.Cleanup(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		_ = srv.Close()
		// srv.Close only closes listeners Serve has already registered; a
		// test that never connects can clean up before the goroutine above
		// has called Serve, which would then accept forever. Closing the
		// listener here makes that late Serve return at once.
		_ = ln.Close()
		<-done
	})
	return s
}

// URL is the MAIL_SMTP_URL that reaches this server: smtp://127.0.0.1:PORT
// (smtps:// with ImplicitTLS), without credentials.
func (s *Server) URL() string {
	if s.opts.ImplicitTLS {
		return "smtps://" + s.addr
	}
	return "smtp://" + s.addr
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.addr }

// Messages returns a copy of every message received so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	copy(out, s.messages)
	return out
}

// WaitFor returns the first message (oldest first) addressed to `to`
// (compared case-insensitively with the envelope recipients) for which match
// returns true; a nil match accepts any. It waits for new messages until ctx
// ends, or for 10 seconds when ctx has no deadline.
func (s *Server) WaitFor(ctx context.Context, to string, match func(Message) bool) (Message, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultWait)
		defer cancel()
	}
	for {
		s.mu.Lock()
		msgs, changed := s.messages, s.changed
		s.mu.Unlock()
		for _, m := range msgs {
			if addressedTo(m, to) && (match == nil || match(m)) {
				return m, nil
			}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return Message{}, fmt.Errorf("mailtest: no matching message to %s (received %s): %w", to, summary(msgs), ctx.Err())
		}
	}
}

func addressedTo(m Message, to string) bool {
	for _, r := range m.To {
		if strings.EqualFold(r, to) {
			return true
		}
	}
	return false
}

// summary lists what arrived, for the failure message of WaitFor.
func summary(msgs []Message) string {
	if len(msgs) == 0 {
		return "nothing"
	}
	parts := make([]string, len(msgs))
	for i, m := range msgs {
		parts[i] = fmt.Sprintf("%v %q", m.To, m.Subject)
	}
	return strconv.Itoa(len(msgs)) + ": " + strings.Join(parts, "; ")
}

// OTPFrom returns the first run of 6 to 10 ASCII digits in body (a one-time
// passcode), or "" when there is none. Digit runs of other lengths (a year,
// a long number) are skipped whole, never cut into a code, and so are runs
// inside a word or a link (a user id or a token in a "this wasn't me" URL
// has digit runs too).
func OTPFrom(body string) string {
	for i := 0; i < len(body); {
		if !isDigit(body[i]) {
			i++
			continue
		}
		j := i
		for j < len(body) && isDigit(body[j]) {
			j++
		}
		alone := (i == 0 || !inWord(body[i-1])) && (j == len(body) || !inWord(body[j]))
		if n := j - i; n >= 6 && n <= 10 && alone {
			return body[i:j]
		}
		i = j
	}
	return ""
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

func (s *Server) add(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

// session collects one SMTP transaction.
type session struct {
	server   *Server
	conn     *smtp.Conn
	authUser string
	from     string
	to       []string
}

func (se *session) AuthMechanisms() []string {
	if se.server.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(mech string) (sasl.Server, error) {
	if se.server.opts.Username == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if identity != "" && identity != username {
			return smtp.ErrAuthFailed
		}
		if username != se.server.opts.Username || password != se.server.opts.Password {
			return smtp.ErrAuthFailed
		}
		se.authUser = username
		return nil
	}), nil
}

func (se *session) Reset() {
	se.from = ""
	se.to = nil
}

func (se *session) Logout() error { return nil }

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.server.opts.Username != "" && se.authUser == "" {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read message: %w", err)
	}
	m, err := Parse(raw)
	if err != nil {
		// Refuse it so the sender's test fails at the send, where the
		// cause is clearest.
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "mailtest: " + err.Error()}
	}
	m.From = se.from
	m.To = append([]string(nil), se.to...)
	_, m.TLS = se.conn.TLSConnectionState()
	m.AuthUser = se.authUser
	se.server.add(m)
	return nil
}

// testLogger sends go-smtp's error log to the test log while the test runs
// (logging after a test ends panics).
type testLogger struct{ s *Server }

func (l testLogger) Printf(format string, v ...any) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if !l.s.closed {
		l.s.tb.Logf("mailtest: "+format, v...)
	}
}

func (l testLogger) Println(v ...any) {
	l.Printf("%s", strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}

// inWord reports whether c belongs to a word or a URL token: a letter, a
// digit, or one of the characters that join the parts of a link.
func inWord(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("-_=/%&?+#~@", c) >= 0
}
