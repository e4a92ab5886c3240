package e2e

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// gatewayMessage is one message the server POSTed to SMS_GATEWAY_URL, in
// the documented payload (notify.GatewayRequest).
type gatewayMessage struct {
	Channel string `json:"channel"`
	To      string `json:"to"`
	Text    string `json:"text"`
}

// smsGateway is a loopback SMS and voice gateway: it records every JSON
// message the server sends and answers 202, as a real gateway accepting
// it would. A request that is not the documented payload fails the test.
type smsGateway struct {
	t   *testing.T
	srv *httptest.Server

	mu      sync.Mutex
	msgs    []gatewayMessage
	changed chan struct{} // closed and replaced when a message arrives
}

// gatewayPath is where the server is told to POST (any path works; a
// non-root one checks that the server keeps it).
const gatewayPath = "/v1/messages"

// startSMSGateway starts the gateway; it is closed when the test ends
// (after any server started later, which is stopped first).
func startSMSGateway(t *testing.T) *smsGateway {
	t.Helper()
	g := &smsGateway{t: t, changed: make(chan struct{})}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.srv.Close)
	return g
}

// URL is the SMS_GATEWAY_URL to give the server.
func (g *smsGateway) URL() string { return g.srv.URL + gatewayPath }

func (g *smsGateway) serve(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method != http.MethodPost || r.URL.Path != gatewayPath || mt != "application/json" {
		g.t.Errorf("sms gateway: unexpected %s %s (%s)", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		http.Error(w, "unexpected request", http.StatusBadRequest)
		return
	}
	var m gatewayMessage
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil || m.To == "" || m.Text == "" || (m.Channel != "SMS" && m.Channel != "VOICE") {
		g.t.Errorf("sms gateway: bad payload (%v): %+v", err, m)
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	g.msgs = append(g.msgs, m)
	close(g.changed)
	g.changed = make(chan struct{})
	g.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// count is how many messages went to to by channel.
func (g *smsGateway) count(channel, to string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, m := range g.msgs {
		if m.Channel == channel && m.To == to {
			n++
		}
	}
	return n
}

// next waits for the first message to to by channel past the first
// *seen of them, and counts it seen.
func (g *smsGateway) next(channel, to string, seen *int) gatewayMessage {
	g.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	for {
		g.mu.Lock()
		n, changed := 0, g.changed
		for _, m := range g.msgs {
			if m.Channel != channel || m.To != to {
				continue
			}
			if n == *seen {
				g.mu.Unlock()
				*seen++
				return m
			}
			n++
		}
		g.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			g.t.Fatalf("no new %s message to %s within %s (%d seen)", channel, to, stepTimeout, *seen)
		}
	}
}

var (
	smsCodeRE   = regexp.MustCompile(`passcode is (\d{6,10})\.`)
	voiceCodeRE = regexp.MustCompile(`code is ((?:\d, )+\d)\. Again: ((?:\d, )+\d)\.`)
)

// codeFrom reads the passcode out of a gateway message: written out in a
// text message, spelled digit by digit (twice) for a call.
func codeFrom(t *testing.T, m gatewayMessage) string {
	t.Helper()
	switch m.Channel {
	case "SMS":
		if g := smsCodeRE.FindStringSubmatch(m.Text); g != nil {
			return g[1]
		}
	case "VOICE":
		if g := voiceCodeRE.FindStringSubmatch(m.Text); g != nil && g[1] == g[2] {
			return strings.ReplaceAll(g[1], ", ", "")
		}
	}
	t.Fatalf("no passcode in the %s message %q", m.Channel, m.Text)
	return ""
}

// otherCode is a code of the same length that is not code.
func otherCode(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}
