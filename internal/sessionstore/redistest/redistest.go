// Package redistest starts a throwaway redis-server for tests, the way
// net/http/httptest starts HTTP servers: on loopback, on a free port,
// without persistence, stopped when the test ends.
package redistest

import (
	"bufio"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startTimeout bounds how long redis-server may take to say it is ready.
const startTimeout = 20 * time.Second

// Start runs redis-server on 127.0.0.1 and a free port, with no RDB or AOF
// file, and returns its URL ("redis://127.0.0.1:N/0"). The server is killed
// when t ends. A machine without redis-server fails the test (never skips
// it): `make test` installs it (scripts/install-deps.sh).
func Start(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server is not installed; `make test` installs it (scripts/install-deps.sh), or: apt-get install redis-server")
	}
	port := freePort(t)
	cmd := exec.Command(bin, //nolint:gosec // the binary found on PATH, fixed arguments
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir(),
		"--daemonize", "no", "--loglevel", "notice")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("redis-server: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // our own child, by its pid
		_ = cmd.Wait()
	})

	// Ready when it says so on its log (no polling, no sleeping).
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(out)
		var log []string
		for sc.Scan() {
			line := sc.Text()
			log = append(log, line)
			if strings.Contains(line, "Ready to accept connections") {
				ready <- nil
				_, _ = io.Copy(io.Discard, out) // keep the pipe drained
				return
			}
		}
		ready <- &startError{log: strings.Join(log, "\n")}
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatalf("redis-server did not start: %v", err)
		}
	case <-time.After(startTimeout):
		t.Fatalf("redis-server was not ready after %s", startTimeout)
	}
	return "redis://127.0.0.1:" + strconv.Itoa(port) + "/0"
}

type startError struct{ log string }

func (e *startError) Error() string { return "exited; its log:\n" + e.log }

// freePort returns a TCP port free on 127.0.0.1 right now.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}
