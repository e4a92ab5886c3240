package manage

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/myaccount/myaccount/server/internal/password"
	"github.com/myaccount/myaccount/shared/apierr"
)

func TestJSONEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"same_object_other_order", `{"a":1,"b":[true,null]}`, `{ "b":[true,null], "a":1.0 }`, true},
		{"same_instant_other_zone", `"2025-03-01T12:00:00Z"`, `"2025-03-01T13:00:00.000+01:00"`, true},
		{"other_instant", `"2025-03-01T12:00:00Z"`, `"2025-03-01T12:00:01Z"`, false},
		{"plain_strings_differ", `"alice"`, `"Alice"`, false},
		{"operator_object_is_not_a_string", `{"$ne":""}`, `"alice"`, false},
		{"number_and_string", `1`, `"1"`, false},
		{"invalid", `{`, `{}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jsonEqual([]byte(tt.a), []byte(tt.b)); got != tt.want {
				t.Fatalf("jsonEqual(%s, %s) = %v", tt.a, tt.b, got)
			}
		})
	}
}

func TestParseObjectRefusesNonObjects(t *testing.T) {
	tests := []struct{ name, body string }{
		{"null", `null`}, {"array", `[]`}, {"string", `"x"`}, {"number", `1`}, {"empty", ``},
		{"two_objects", `{"a":1} {"b":2}`}, {"truncated", `{"a":`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ae *apierr.Error
			if _, err := parseObject([]byte(tt.body)); !errors.As(err, &ae) || ae.Status != http.StatusBadRequest {
				t.Fatalf("parseObject(%q) = %v, want a 400", tt.body, err)
			}
		})
	}
}

func TestHashErrorBusyIsLimited(t *testing.T) {
	var ae *apierr.Error
	if err := hashError(fmt.Errorf("wrapped: %w", password.ErrBusy)); !errors.As(err, &ae) ||
		ae.Status != http.StatusTooManyRequests || ae.RetryAfter < 1 {
		t.Fatalf("busy hasher: %v", err)
	}
	if err := hashError(errors.New("boom")); errors.As(err, &ae) {
		t.Fatalf("an internal failure became a public error: %v", err)
	}
}
