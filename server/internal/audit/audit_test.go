package audit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/myaccount/myaccount/server/internal/store"
)

var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// memEvents is an in-memory store.Events that can be made to fail.
type memEvents struct {
	mu     sync.Mutex
	events []store.Event
	err    error
	ctxErr error // the context's error at AddEvent time
}

func (m *memEvents) AddEvent(ctx context.Context, e *store.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ctxErr = ctx.Err()
	if m.err != nil {
		return m.err
	}
	m.events = append(m.events, *e)
	return nil
}

func (m *memEvents) ListEvents(_ context.Context, envID, userID string, limit int) ([]store.Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.Event
	for i := len(m.events) - 1; i >= 0 && len(out) < limit; i-- {
		if e := m.events[i]; e.EnvironmentID == envID && (userID == "" || e.UserID == userID) {
			out = append(out, e)
		}
	}
	return out, nil
}

func newRecorder(t *testing.T, ev *memEvents, retention time.Duration) (*Recorder, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	r := New(Deps{Events: ev, Now: func() time.Time { return fixedNow }, Retention: retention,
		Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	return r, &buf
}

const envID = "5c1e3f0a-1111-4222-8333-444455556666"

func TestRecordFillsIDAndTimes(t *testing.T) {
	tests := []struct {
		name      string
		retention time.Duration
		want      time.Duration
	}{
		{name: "default_retention", want: 90 * 24 * time.Hour},
		{name: "custom_retention", retention: time.Hour, want: time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &memEvents{}
			r, _ := newRecorder(t, ev, tt.retention)
			r.Record(context.Background(), store.Event{
				EnvironmentID: envID, Action: ActionSignOnPassword, Outcome: OutcomeFailure,
				ActorType: ActorUser, UserID: "u1", IP: "192.0.2.1", UserAgent: "test",
				ID: "caller-id-ignored", Details: map[string]string{"reason": "INVALID_CREDENTIALS"},
			})
			if len(ev.events) != 1 {
				t.Fatalf("stored %d events", len(ev.events))
			}
			e := ev.events[0]
			if id, err := uuid.Parse(e.ID); err != nil || id.Version() != 7 {
				t.Errorf("ID %q is not a UUIDv7", e.ID)
			}
			if !e.CreatedAt.Equal(fixedNow) || !e.ExpiresAt.Equal(fixedNow.Add(tt.want)) {
				t.Errorf("CreatedAt %v ExpiresAt %v", e.CreatedAt, e.ExpiresAt)
			}
			if e.Action != ActionSignOnPassword || e.Outcome != OutcomeFailure || e.IP != "192.0.2.1" || e.Details["reason"] != "INVALID_CREDENTIALS" {
				t.Errorf("stored %+v", e)
			}
		})
	}
}

func TestRecordDropsSecretDetails(t *testing.T) {
	ev := &memEvents{}
	r, logs := newRecorder(t, ev, 0)
	r.Record(context.Background(), store.Event{EnvironmentID: envID, Action: ActionSignOnMFA, Outcome: OutcomeFailure,
		Details: map[string]string{"otp": "123456", "method": "EMAIL", "newPassword": "hunter2", "remainingAttempts": "2"}})
	got := ev.events[0].Details
	want := map[string]string{"method": "EMAIL", "remainingAttempts": "2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("details = %v, want %v", got, want)
	}
	s := logs.String()
	if strings.Contains(s, "123456") || strings.Contains(s, "hunter2") {
		t.Errorf("log holds a secret value:\n%s", s)
	}
	if !strings.Contains(s, "newPassword") || !strings.Contains(s, `"otp"`) {
		t.Errorf("log should name the dropped keys:\n%s", s)
	}
}

func TestRecordNeverFailsTheCaller(t *testing.T) {
	ev := &memEvents{err: errors.New("database is down")}
	r, logs := newRecorder(t, ev, 0)
	r.Record(context.Background(), store.Event{EnvironmentID: envID, Action: ActionDevicePaired, Outcome: OutcomeSuccess,
		Details: map[string]string{"deviceType": "EMAIL-detail-value"}})
	s := logs.String()
	if !strings.Contains(s, "audit event lost") || !strings.Contains(s, ActionDevicePaired) || !strings.Contains(s, "database is down") {
		t.Errorf("want the lost event logged with its action and cause:\n%s", s)
	}
	if strings.Contains(s, "EMAIL-detail-value") {
		t.Errorf("log holds detail values:\n%s", s)
	}
}

func TestRecordSurvivesCancelledRequest(t *testing.T) {
	ev := &memEvents{}
	r, _ := newRecorder(t, ev, 0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r.Record(ctx, store.Event{EnvironmentID: envID, Action: ActionSignOnPassword, Outcome: OutcomeFailure})
	if len(ev.events) != 1 || ev.ctxErr != nil {
		t.Errorf("events %d, store saw ctx err %v: a client hanging up must not lose the event", len(ev.events), ev.ctxErr)
	}
}

func TestRecordRefusesIncompleteEvents(t *testing.T) {
	ev := &memEvents{}
	r, logs := newRecorder(t, ev, 0)
	r.Record(context.Background(), store.Event{Action: ActionUserCreated})
	r.Record(context.Background(), store.Event{EnvironmentID: envID})
	if len(ev.events) != 0 {
		t.Errorf("stored %d incomplete events", len(ev.events))
	}
	if strings.Count(logs.String(), "audit event refused") != 2 {
		t.Errorf("log:\n%s", logs.String())
	}
}

func TestSecretKey(t *testing.T) {
	tests := []struct {
		name string
		key  string
		want bool
	}{
		{name: "password", key: "password", want: true},
		{name: "new_password_camel", key: "newPassword", want: true},
		{name: "otp", key: "otp", want: true},
		{name: "otp_camel", key: "otpValue", want: true},
		{name: "otp_upper", key: "OTPValue", want: true},
		{name: "totp", key: "totp_secret", want: true},
		{name: "token", key: "refreshToken", want: true},
		{name: "token_lower", key: "accesstoken", want: true},
		{name: "secret", key: "clientSecret", want: true},
		{name: "code", key: "code", want: true},
		{name: "auth_code_snake", key: "auth_code", want: true},
		{name: "code_verifier", key: "codeVerifier", want: true},
		{name: "error_code", key: "errorCode", want: true},
		{name: "passcode", key: "passcode", want: true},
		{name: "cookie", key: "sessionCookie", want: true},
		{name: "hash", key: "hash", want: true},
		{name: "dotted_pin", key: "device.pin", want: true},
		{name: "method", key: "method", want: false},
		{name: "reason", key: "reason", want: false},
		{name: "client_id", key: "clientId", want: false},
		{name: "device_type", key: "deviceType", want: false},
		{name: "photo_not_otp", key: "photoUrl", want: false},
		{name: "hotplug_not_otp", key: "hotplug", want: false},
		{name: "encoding_not_code", key: "encoding", want: false},
		{name: "remaining_attempts", key: "remainingAttempts", want: false},
		{name: "masked_email", key: "maskedEmail", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SecretKey(tt.key); got != tt.want {
				t.Errorf("SecretKey(%q) = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
}

func TestCleanDetailsLimits(t *testing.T) {
	in := map[string]string{"": "x", "aLong": "x" + strings.Repeat("é", MaxDetailValue)}
	for i := 0; i < MaxDetails+3; i++ {
		in["k"+string(rune('a'+i))] = "v"
	}
	kept, dropped := CleanDetails(in)
	if len(kept) != MaxDetails {
		t.Errorf("kept %d, want %d", len(kept), MaxDetails)
	}
	// "" plus the keys sorted past the limit.
	if len(dropped) != len(in)-MaxDetails || dropped[0] != "" {
		t.Errorf("dropped %v", dropped)
	}
	// "x" then two-byte runes: byte MaxDetailValue falls inside a rune.
	if v := kept["aLong"]; len(v) != MaxDetailValue-1 || !utf8.ValidString(v) {
		t.Errorf("long value not cut at a rune boundary within %d bytes: %d bytes", MaxDetailValue, len(v))
	}
	if len(in) != MaxDetails+5 {
		t.Error("CleanDetails changed its input")
	}
	if k, d := CleanDetails(nil); k != nil || d != nil {
		t.Error("nil in, want nil out")
	}
}

func TestActionsUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range Actions() {
		if seen[a] || a == "" || strings.ToUpper(a) != a {
			t.Errorf("bad or duplicate action %q", a)
		}
		seen[a] = true
	}
	for _, must := range []string{"SIGNON_PASSWORD", "SIGNON_MFA", "SIGNON_COMPLETED", "DEVICE_PAIRED", "SESSION_SIGNED_OFF",
		"TOKEN_REUSE_DETECTED", "USER_CREATED", "APPLICATION_CREATED", "POLICY_UPDATED", "ACCOUNT_LOCKED"} {
		if !seen[must] {
			t.Errorf("Actions() lacks %s", must)
		}
	}
}
