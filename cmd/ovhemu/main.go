package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/iplb-console/iplb-console/internal/ovhemu"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ovhemu:", err)
		os.Exit(1)
	}
}

// run parses args (the command-line arguments without the program name),
// serves the emulator until ctx ends, then shuts the server down. Once it
// listens it writes exactly one line to stdout:
// "ovhemu: listening on http://HOST:PORT/1.0" (with the port actually bound,
// so "-addr 127.0.0.1:0" works). -h prints the flags to stdout and returns
// nil.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("ovhemu", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, not printed twice
	addr := fs.String("addr", "127.0.0.1:9001", "address to listen on (host:port; port 0 picks a free one)")
	move := fs.Duration("move", 40*time.Second, "how long an IP move takes (0: done at the first read)")
	task := fs.Duration("task", 15*time.Second, "how long an IPLB task such as a refresh takes (0: done at the first read)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			_, _ = fmt.Fprintln(stdout, "usage: ovhemu [-addr host:port] [-move duration] [-task duration]")
			fs.PrintDefaults()
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if *move < 0 || *task < 0 {
		return errors.New("-move and -task must not be negative")
	}

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", *addr)
	if err != nil {
		return err
	}
	// No public URL: validation URLs are built from the Host each client
	// used, which is right whatever address it reached us at.
	emu := ovhemu.New(ovhemu.WithAutoAdvance(*move, *task))
	srv := &http.Server{
		Handler:           emu,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		// Injected delays and latencies honour the request context, which
		// ends with the base context at shutdown.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	_, _ = fmt.Fprintf(stdout, "ovhemu: listening on http://%s/1.0\n", ln.Addr())

	select {
	case err := <-served:
		return err // Serve failed before any shutdown
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
