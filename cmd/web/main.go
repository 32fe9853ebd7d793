package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/handlers"
	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Getenv, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "web:", err)
		os.Exit(1)
	}
}

// emulatorPrefix is where demo mode mounts the OVH API emulator.
const emulatorPrefix = "/ovhapi"

// Demo-mode task durations, long enough for the UI's polling to be seen. The
// issue asks for "a move takes tens of seconds like the real one"; the exact
// values are [INF]: REFERENCE has no measured durations.
const (
	demoMoveTime = 40 * time.Second
	demoTaskTime = 15 * time.Second
)

// shutdownGrace is how long in-flight requests get once ctx ends.
const shutdownGrace = 10 * time.Second

// apiSettings are what the console's OVH clients are built from.
type apiSettings struct {
	Endpoint  string // "ovh-eu", … or a URL such as http://127.0.0.1:8080/ovhapi/1.0
	AppKey    string
	AppSecret string
}

// run serves the console until ctx ends, then shuts down gracefully. It
// reads its configuration through getenv only and logs to stderr.
func run(ctx context.Context, getenv func(string) string, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))

	// Listen first: with ADDR=127.0.0.1:0 the port is known only now, and
	// the public URL (hence the emulator's) depends on it.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Serve takes ownership of ln and Shutdown closes it; this covers the
	// returns in between.
	defer func() { _ = ln.Close() }()
	publicURL := publicURLFor(cfg, ln.Addr())

	mux := http.NewServeMux()
	api := apiSettings{Endpoint: cfg.OVHEndpoint, AppKey: cfg.OVHAppKey, AppSecret: cfg.OVHAppSecret}
	if cfg.Demo() {
		// The emulator is served by this same server. The console reaches it
		// over HTTP through the public URL, with go-ovh's real signing; the
		// emulator checks signatures against the raw RequestURI, which
		// StripPrefix leaves untouched.
		emu := ovhemu.New(
			ovhemu.WithPublicURL(publicURL+emulatorPrefix),
			ovhemu.WithAutoAdvance(demoMoveTime, demoTaskTime),
		)
		mux.Handle(emulatorPrefix+"/", http.StripPrefix(emulatorPrefix, emu))
		api = apiSettings{Endpoint: publicURL + emulatorPrefix + "/1.0", AppKey: ovhemu.DemoAppKey, AppSecret: ovhemu.DemoAppSecret}
		log.Info("demo mode: built-in OVH API emulator", "endpoint", api.Endpoint)
	}

	// The application's client: it requests consumer keys at sign-in, and
	// each session gets a client with its user's key derived from it.
	appClient, err := ovh.New(ovh.Config{Endpoint: api.Endpoint, AppKey: api.AppKey, AppSecret: api.AppSecret})
	if err != nil {
		return fmt.Errorf("OVH API client: %w", err)
	}
	store, storeKind, closeStore, err := newSessionStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeStore()
	log.Info("sessions", "store", storeKind,
		"idle_timeout", cfg.SessionIdleTimeout.String(), "max_lifetime", cfg.SessionMaxLifetime.String(),
		"secure_cookies", cfg.SecureCookies)

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	deps := handlers.Deps{
		Log:           log,
		Demo:          cfg.Demo(),
		Dev:           cfg.Dev,
		Endpoint:      api.Endpoint,
		API:           appClient,
		Sessions:      store,
		PublicURL:     publicURL,
		SecureCookies: cfg.SecureCookies,
		IdleTimeout:   cfg.SessionIdleTimeout,
	}
	if cfg.Demo() {
		deps.DemoLogins = demoLogins()
	}
	handlers.New(deps).Register(e)
	mux.Handle("/", e)

	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "url", publicURL, "demo", cfg.Demo(), "endpoint", api.Endpoint)

	select {
	case err := <-served: // failed before anyone asked it to stop
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// publicURLFor returns how browsers reach the console: PUBLIC_URL, or the
// listener's address, with a wildcard host (0.0.0.0, ::) replaced by
// 127.0.0.1, which a browser on the same machine (or through a published
// container port) can use.
func publicURLFor(cfg Config, addr net.Addr) string {
	if cfg.PublicURL != "" {
		return cfg.PublicURL
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil { // a TCP listener's address always splits
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// demoLogins are the emulator's accounts, listed on the login page in demo
// mode.
func demoLogins() []views.DemoLogin {
	return []views.DemoLogin{
		{Login: ovhemu.DemoAccount, Password: ovhemu.DemoPassword, Label: "the demo account (two load balancers)"},
		{Login: ovhemu.DemoAccount + "/" + ovhemu.DemoIAMUser, Password: ovhemu.DemoPassword, Label: "an IAM user of the demo account"},
		{Login: ovhemu.OtherAccount, Password: ovhemu.DemoPassword, Label: "another account (one load balancer)"},
	}
}
