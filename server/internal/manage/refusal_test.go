package manage

import "testing"

// refusalCodes are the PingOne codes the access tables check along with
// the status: a refusal must say why in the error model, not only by its
// status.
var refusalCodes = map[int]string{401: "INVALID_TOKEN", 403: "INSUFFICIENT_PERMISSIONS", 404: "NOT_FOUND", 415: "UNSUPPORTED_MEDIA_TYPE"}

// wantStatus fails t unless res has status want and, for a refusal, its
// code; the access tables of every section check their rows this way.
func wantStatus(t *testing.T, res response, want int) {
	t.Helper()
	if res.status != want {
		t.Fatalf("status %d, want %d: %s", res.status, want, res.body)
	}
	if code := refusalCodes[want]; code != "" && res.code(t) != code {
		t.Fatalf("code %q, want %q: %s", res.code(t), code, res.body)
	}
}
