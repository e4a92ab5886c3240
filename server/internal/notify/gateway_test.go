package notify

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// gatewayServer records the requests a test gateway receives and answers
// with status.
type gatewayServer struct {
	mu     sync.Mutex
	got    []GatewayRequest
	ctypes []string
	status int
}

func startGateway(t *testing.T, status int) (*gatewayServer, *httptest.Server) {
	t.Helper()
	g := &gatewayServer{status: status}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in GatewayRequest
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&in) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		g.got = append(g.got, in)
		g.ctypes = append(g.ctypes, r.Header.Get("Content-Type"))
		g.mu.Unlock()
		w.WriteHeader(g.status)
		_, _ = w.Write([]byte(`{"error":"cannot reach ` + in.To + `"}`))
	}))
	t.Cleanup(srv.Close)
	return g, srv
}

func TestGatewaySendsPayload(t *testing.T) {
	tests := []struct {
		name    string
		channel string
		want    string
	}{
		{name: "sms", channel: ChannelSMS, want: "Your MyAccount one-time passcode is 482913. It expires in 5 minutes. Do not share it."},
		{name: "voice", channel: ChannelVoice, want: "Your MyAccount code is 4, 8, 2, 9, 1, 3. Again: 4, 8, 2, 9, 1, 3."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, srv := startGateway(t, http.StatusAccepted)
			sender, err := New(Config{SMSGatewayURL: srv.URL + "/send", Outbox: &memOutbox{}})
			if err != nil {
				t.Fatal(err)
			}
			_, text := OTPMessage(tt.channel, "482913", 5)
			if err := sender.Send(context.Background(), Message{EnvironmentID: "env", Channel: tt.channel, To: "+33612345678", Text: text}); err != nil {
				t.Fatal(err)
			}
			g.mu.Lock()
			defer g.mu.Unlock()
			want := GatewayRequest{Channel: tt.channel, To: "+33612345678", Text: tt.want}
			if len(g.got) != 1 || g.got[0] != want || g.ctypes[0] != "application/json" {
				t.Fatalf("gateway got %+v (%v), want %+v", g.got, g.ctypes, want)
			}
		})
	}
}

func TestGatewayErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
	}{
		{name: "server_error", status: http.StatusInternalServerError},
		{name: "bad_request", status: http.StatusBadRequest},
		{name: "not_modified", status: http.StatusNotModified},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := startGateway(t, tt.status)
			g, err := NewGateway(Config{SMSGatewayURL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			err = g.Send(context.Background(), Message{EnvironmentID: "env", Channel: ChannelSMS, To: "+33612345678", Text: "code 482913"})
			if err == nil {
				t.Fatal("want an error")
			}
			for _, secret := range []string{"33612345678", "482913"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q leaks %s", err, secret)
				}
			}
		})
	}
}

func TestGatewayTimeoutHidesNumber(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	defer close(release)
	g, err := NewGateway(Config{SMSGatewayURL: srv.URL + "/to/+33612345678", Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	err = g.Send(context.Background(), Message{EnvironmentID: "env", Channel: ChannelVoice, To: "+33612345678", Text: "t"})
	if err == nil {
		t.Fatal("want a timeout error")
	}
	if strings.Contains(err.Error(), "+33612345678") {
		t.Errorf("error %q names the number", err)
	}
}

func TestGatewayRefusesEmailAndBadURL(t *testing.T) {
	_, srv := startGateway(t, http.StatusOK)
	g, err := NewGateway(Config{SMSGatewayURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Send(context.Background(), Message{EnvironmentID: "env", Channel: ChannelEmail, To: "a@example.com", Text: "t"}); err == nil {
		t.Error("the gateway sent an e-mail")
	}
	if _, err := NewGateway(Config{SMSGatewayURL: "ftp://gw.example.com"}); err == nil {
		t.Error("NewGateway accepted an ftp URL")
	}
}

func TestRouterByChannel(t *testing.T) {
	g, srv := startGateway(t, http.StatusOK)
	box := &memOutbox{}
	sender, err := New(Config{SMSGatewayURL: srv.URL, Outbox: box})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := sender.Send(ctx, Message{EnvironmentID: "env", Channel: ChannelEmail, To: "a@example.com", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(ctx, Message{EnvironmentID: "env", Channel: ChannelSMS, To: "+33612345678", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.got) != 1 || g.got[0].Channel != ChannelSMS {
		t.Errorf("gateway got %+v, want the SMS only", g.got)
	}
	box.mu.Lock()
	defer box.mu.Unlock()
	if n := len(box.msgs); n != 1 {
		t.Errorf("outbox holds %d messages, want the e-mail only", n)
	}
}

func TestSpellDigits(t *testing.T) {
	if got := SpellDigits("123456"); got != "1, 2, 3, 4, 5, 6" {
		t.Errorf("SpellDigits = %q", got)
	}
}
