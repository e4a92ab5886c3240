package e2e

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/myaccount/myaccount/app/oauth"
	"github.com/myaccount/myaccount/server/mailtest"
	"github.com/myaccount/myaccount/shared/apierr"
	"github.com/myaccount/myaccount/shared/paths"
	"github.com/myaccount/myaccount/shared/resource"
)

// TestTwoServersShareCounters runs two server processes on one SQLite file,
// as two instances behind a load balancer, and drives the hosted sign-on
// over plain HTTP alternating between them: the password failure counter
// and the single use of a passcode must hold across the processes, because
// both live in the database.
func TestTwoServersShareCounters(t *testing.T) {
	mail := mailtest.Start(t)
	dataDir := t.TempDir()
	s1 := startServer(t, serverConfig{name: "server-1", dataDir: dataDir, smtpURL: mail.URL()})
	// The second instance serves the same site (one PUBLIC_URL, as behind
	// a load balancer); its start finds the bootstrap done and changes
	// nothing.
	s2 := startServer(t, serverConfig{name: "server-2", dataDir: dataDir, smtpURL: mail.URL(), publicURL: s1.PublicURL})
	if !strings.Contains(s2.Stdout(), "already exists") {
		t.Errorf("the second server did not find the administrator of the first:\n%s", s2.Stdout())
	}
	var envs resource.List[resource.Environment]
	s2.adminAPI("GET", paths.Environments, nil, http.StatusOK, &envs)
	if got := len(envs.Embedded["environments"]); got != 2 {
		t.Errorf("%d environments after two starts, want 2", got)
	}
	var apps resource.List[resource.Application]
	s2.adminAPI("GET", paths.Build(paths.Applications, defaultEnvID), nil, http.StatusOK, &apps)
	myAccountApps := 0
	for _, a := range apps.Embedded["applications"] {
		if a.MyAccount {
			myAccountApps++
		}
	}
	if myAccountApps != 1 {
		t.Errorf("%d MyAccount applications in the Default environment after two starts, want 1", myAccountApps)
	}

	t.Run("password_lockout_counts_across_servers", func(t *testing.T) {
		const user, pw = "bob", "correct horse battery staple"
		s1.createUser(user, "bob@example.com", pw)
		c := newSignOnClient(t, s1)
		flow := c.startFlow(s1)
		servers := []*serverProc{s1, s2}
		wrong := resource.UsernamePassword{Username: user, Password: "not bob's password"}
		for i := 1; i <= 5; i++ {
			s := servers[(i-1)%2]
			status, h, body := c.action(s, flow, resource.ActionUsernamePasswordCheck, wrong)
			if i < 5 {
				e := decodeError(t, body)
				if status != http.StatusBadRequest || !hasDetail(e, apierr.DetailInvalidCredentials) {
					t.Fatalf("wrong password %d on %s: %d %s", i, s.name, status, body)
				}
				continue
			}
			// Five failures in all, two on one server and three on the
			// other: each server alone has seen fewer than five.
			if status != http.StatusTooManyRequests {
				t.Fatalf("wrong password 5 on %s: %d %s, want 429 (the counter is not shared)", s.name, status, body)
			}
			if e := decodeError(t, body); e.Code != apierr.RequestLimited {
				t.Errorf("429 body: %s", body)
			}
			if secs, err := strconv.Atoi(h.Get("Retry-After")); err != nil || secs <= 0 {
				t.Errorf("429 Retry-After = %q, want a positive number of seconds", h.Get("Retry-After"))
			}
		}
		// Locked on both: even the right password waits out the window.
		for _, s := range servers {
			status, _, body := c.action(s, c.startFlow(s), resource.ActionUsernamePasswordCheck,
				resource.UsernamePassword{Username: user, Password: pw})
			if status != http.StatusTooManyRequests {
				t.Errorf("right password while locked on %s: %d %s, want 429", s.name, status, body)
			}
		}
	})

	t.Run("otp_single_use_across_servers", func(t *testing.T) {
		const user, pw, mfaEmail = "carol", "a quiet river at dawn", "carol.mfa@example.com"
		s2.createUser(user, "carol@example.com", pw)
		c := newSignOnClient(t, s1)
		flow := c.startFlow(s1)
		// Each step on the other server than the last: the flow lives in
		// the database, bound to this client by its cookie.
		f := c.flowStep(s2, flow, resource.ActionUsernamePasswordCheck, resource.UsernamePassword{Username: user, Password: pw})
		if f.Status != resource.FlowMFAEnrollmentRequired {
			t.Fatalf("after the password: %s, want %s", f.Status, resource.FlowMFAEnrollmentRequired)
		}
		f = c.flowStep(s1, flow, resource.ActionDeviceRegister, resource.DeviceRegister{Type: resource.DeviceEmail, Email: mfaEmail})
		if f.Status != resource.FlowOTPRequired {
			t.Fatalf("after device.register: %s, want %s", f.Status, resource.FlowOTPRequired)
		}
		code := nextOTP(t, mail, mfaEmail, map[string]bool{})

		// The same right passcode, to both servers at once, several times
		// each: exactly one submission may win.
		const perServer = 3
		type answer struct {
			server string
			status int
			body   []byte
		}
		answers := make([]answer, 2*perServer)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range answers {
			s := []*serverProc{s1, s2}[i%2]
			wg.Go(func() {
				<-start
				status, _, body := c.action(s, flow, resource.ActionOTPCheck, resource.OTPCheck{OTP: code})
				answers[i] = answer{s.name, status, body}
			})
		}
		close(start)
		wg.Wait()
		var won []answer
		for _, a := range answers {
			switch {
			case a.status == http.StatusOK:
				won = append(won, a)
			case a.status >= 500 || a.status < 400:
				t.Errorf("a losing submission on %s got %d: %s", a.server, a.status, a.body)
			}
		}
		if len(won) != 1 {
			t.Fatalf("%d of %d parallel submissions of one passcode succeeded, want exactly 1: %+v", len(won), len(answers), answers)
		}
		var done resource.Flow
		if err := json.Unmarshal(won[0].body, &done); err != nil || done.Status != resource.FlowCompleted || done.ResumeURL == "" {
			t.Fatalf("winning answer on %s: %s", won[0].server, won[0].body)
		}
		// Once used, the passcode is refused everywhere.
		for _, s := range []*serverProc{s1, s2} {
			if status, _, body := c.action(s, flow, resource.ActionOTPCheck, resource.OTPCheck{OTP: code}); status == http.StatusOK {
				t.Errorf("the used passcode was accepted again on %s: %s", s.name, body)
			}
		}
	})
}

// signOnClient is one "browser" over plain HTTP: one cookie jar for both
// servers (cookies ignore ports, so the flow cookie of localhost:P1 goes to
// localhost:P2 too), redirects not followed.
type signOnClient struct {
	t        *testing.T
	http     *http.Client
	clientID string
}

func newSignOnClient(t *testing.T, s *serverProc) *signOnClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	// The MyAccount PWA's public client id, as the PWA itself reads it.
	status, _, body := s.call(nil, "GET", paths.Build(paths.MyAccountConfig, defaultEnvID), "", nil, nil)
	var cfg resource.AppConfig
	if status != http.StatusOK || json.Unmarshal(body, &cfg) != nil || cfg.ClientID == "" {
		t.Fatalf("MyAccount config: %d %s", status, body)
	}
	c := &signOnClient{t: t, http: plainClient(jar), clientID: cfg.ClientID}
	// Registered after the servers' Stop, so it runs before it.
	t.Cleanup(c.http.CloseIdleConnections)
	return c
}

// startFlow sends the client to /as/authorize on s, as the PWA does, and
// returns the flow id of the hosted sign-on it is redirected to.
func (c *signOnClient) startFlow(s *serverProc) string {
	c.t.Helper()
	p, err := oauth.NewPending(rand.Reader, false, "")
	if err != nil {
		c.t.Fatal(err)
	}
	u := oauth.AuthorizeURL(oauth.AuthorizeRequest{
		EnvironmentID: defaultEnvID, ClientID: c.clientID, RedirectURI: oauth.RedirectURI(s.PublicURL, defaultEnvID),
		Scope: oauth.MyAccountScopes(), Pending: p,
	})
	status, h, body := s.call(c.http, "GET", u, "", nil, nil)
	if status != http.StatusFound {
		c.t.Fatalf("authorize on %s: %d %s", s.name, status, body)
	}
	loc, err := url.Parse(h.Get("Location"))
	if err != nil || loc.Path != paths.Build(paths.SignOn, defaultEnvID) || loc.Query().Get("flowId") == "" {
		c.t.Fatalf("authorize on %s redirected to %q, want the hosted sign-on with a flowId", s.name, h.Get("Location"))
	}
	return loc.Query().Get("flowId")
}

// action posts one flow action (Content-Type
// application/vnd.pingidentity.<action>+json) to s.
func (c *signOnClient) action(s *serverProc, flowID, action string, in any) (int, http.Header, []byte) {
	c.t.Helper()
	raw, err := json.Marshal(in)
	if err != nil {
		c.t.Fatal(err)
	}
	ct := "application/vnd.pingidentity." + action + "+json"
	return s.call(c.http, "POST", paths.Build(paths.Flow, defaultEnvID, flowID), ct, strings.NewReader(string(raw)), nil)
}

// flowStep is action for a step that must succeed.
func (c *signOnClient) flowStep(s *serverProc, flowID, action string, in any) resource.Flow {
	c.t.Helper()
	status, _, body := c.action(s, flowID, action, in)
	var f resource.Flow
	if status != http.StatusOK || json.Unmarshal(body, &f) != nil {
		c.t.Fatalf("%s on %s: %d %s", action, s.name, status, body)
	}
	return f
}

func decodeError(t *testing.T, body []byte) apierr.Error {
	t.Helper()
	var e apierr.Error
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	return e
}

func hasDetail(e apierr.Error, code string) bool {
	for _, d := range e.Details {
		if d.Code == code {
			return true
		}
	}
	return false
}
