package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/myaccount/myaccount/app/ui"
	"github.com/myaccount/myaccount/server"
	"github.com/myaccount/myaccount/server/internal/bootstrap"
	"github.com/myaccount/myaccount/server/internal/config"
	"github.com/myaccount/myaccount/server/internal/store"
)

// sweepEvery is how often expired records are deleted.
const sweepEvery = 10 * time.Minute

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(args, getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := logger(stderr, cfg.LogLevel)
	st, kek, err := server.OpenStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	log.Info("store ready", "backend", st.Backend())

	opts := server.Options{Config: cfg, Store: st, KEK: kek, Logger: log}
	wasm, err := server.LoadWasm(cfg.AssetsDir)
	hc := ui.HandlerConfig{AssetsDir: cfg.AssetsDir, Version: "dev", PublicURL: cfg.PublicURL}
	if err != nil {
		log.Warn("the PWA is not built: pages will not load", "err", err)
	} else {
		opts.Wasm, hc.Version, hc.WasmSize = wasm, wasm.Hash, wasm.Size()
	}
	ui.Register()
	opts.Pages = ui.Handler(hc)
	opts.IsPage = ui.IsAppPath

	srv, err := server.New(ctx, opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	printWelcome(stdout, cfg, srv.Bootstrap)
	go sweep(ctx, st, log)

	errc := make(chan error, 1)
	go func() { errc <- srv.App.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// A connection a client opened but never used counts as active until
	// the read timeout; it must not turn a clean stop into a failure.
	if err := srv.App.ShutdownWithContext(sctx); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		log.Warn("connections still open at the end of the shutdown grace period; closed them")
	}
	// A stop that arrives before the accept loop took the listener leaves
	// that loop to start later; closing the listener ends it at once.
	_ = ln.Close()
	return nil
}

func sweep(ctx context.Context, st store.Store, log *slog.Logger) {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if n, err := st.Sweep(ctx, now); err != nil {
				log.Warn("sweep failed", "err", err)
			} else if n > 0 {
				log.Debug("swept expired records", "count", n)
			}
		}
	}
}

// printWelcome tells the operator where everything is. The generated
// administrator password is printed here once, to stdout, never logged.
func printWelcome(w io.Writer, cfg config.Config, b bootstrap.Result) {
	fmt.Fprintf(w, "\nMyAccount is running at %s\n\n", cfg.PublicURL)
	fmt.Fprintf(w, "  Administrators environment: %s\n", b.AdminEnvID)
	fmt.Fprintf(w, "  Default environment:        %s\n\n", b.DefaultEnvID)
	fmt.Fprintf(w, "  Admin console (sign on as %q): %s\n", bootstrap.AdminUsername, bootstrap.AdminRedirect(cfg.PublicURL))
	fmt.Fprintf(w, "  Admin MyAccount (pair your first device here): %s\n", bootstrap.MyAccountRedirect(cfg.PublicURL, b.AdminEnvID))
	switch {
	case b.AdminPassword != "":
		fmt.Fprintf(w, "  First administrator password (shown once, save it now): %s\n", b.AdminPassword)
	case b.AdminCreated:
		fmt.Fprintln(w, "  First administrator password: the value of MYACCOUNT_ADMIN_PASSWORD")
	default:
		fmt.Fprintln(w, "  The administrator already exists; its password was shown on the first start.")
	}
	fmt.Fprintf(w, "  Users' MyAccount: %s\n", bootstrap.MyAccountRedirect(cfg.PublicURL, b.DefaultEnvID))
	fmt.Fprintf(w, "  Users' app portal: %s\n\n", bootstrap.MyAppsRedirect(cfg.PublicURL, b.DefaultEnvID))
	fmt.Fprintf(w, "  Create a user:  echo 'a-long-password' | ./bin/myaccount users create --env %s --username alice --email alice@example.com\n", b.DefaultEnvID)
	if cfg.MailSMTPURL == "" {
		fmt.Fprintf(w, "  Mail goes to the dev outbox:  ./bin/myaccount outbox --env %s\n", b.DefaultEnvID)
	}
	fmt.Fprintln(w)
}
