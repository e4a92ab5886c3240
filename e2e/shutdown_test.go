package e2e

import (
	"net"
	"strings"
	"testing"
	"time"
)

// TestServerStopsWithUnusedConnection: a client may open a connection and
// not send a request on it yet (Chromium preconnects, load balancers keep
// warm connections, Go's transport keeps the loser of a dial race). SIGTERM
// must still end the server promptly with exit status 0: an orchestrator
// reads anything else as a crash.
func TestServerStopsWithUnusedConnection(t *testing.T) {
	srv := startServer(t, serverConfig{dataDir: t.TempDir()})
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	srv.Stop() // fails the test unless the exit is clean within stopTimeout
	t.Logf("stopped in %s with a connection open", time.Since(start).Round(10*time.Millisecond))
}
