// Command ferretdb runs the embeddable FerretDB 1.x (SQLite backend) for Shouwang's local
// infrastructure (infra/local/up.sh).
//
// Why a wrapper: a plain `go install github.com/FerretDB/FerretDB/cmd/ferretdb` builds a binary that
// panics at start because build/version/version.txt is generated and absent from the module
// (FerretDB issue 2982). The embeddable package github.com/FerretDB/FerretDB/ferretdb has no such
// requirement.
//
// Network: it only listens on -listen-addr and makes no outbound calls. FerretDB's outbound callers
// (the telemetry reporter in internal/util/telemetry, the OTLP trace exporter and the debug handler)
// are created only by cmd/ferretdb; the telemetry package is not even linked into this binary
// (`go list -deps . | grep util/telemetry` prints nothing), and ferretdb.New disables and locks
// telemetry in its state provider anyway.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listenAddr := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on (host:port)")
	sqliteDir := flag.String("sqlite-dir", "", "directory holding the SQLite databases (created if missing)")
	logLevel := flag.String("log-level", "info", "log level: debug, info, warn or error")
	flag.Parse()

	if err := run(*listenAddr, *sqliteDir, *logLevel); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(listenAddr, sqliteDir, logLevel string) error {
	if sqliteDir == "" {
		return errors.New("-sqlite-dir is required")
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("invalid -log-level %q: %w", logLevel, err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	dir, err := filepath.Abs(sqliteDir)
	if err != nil {
		return err
	}

	if err = os.MkdirAll(dir, 0o755); err != nil {
		return err
	}

	// FerretDB wants a "file:" URI of an existing directory, ending with a slash
	sqliteURL := (&url.URL{Scheme: "file", Path: strings.TrimSuffix(dir, "/") + "/"}).String()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: listenAddr},
		Logger:   logger,
		Handler:  "sqlite",

		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	// the embeddable package reports version "unknown" (buildInfo.ferretdbVersion, logs): use the
	// version of the FerretDB module this binary was built with
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/FerretDB/FerretDB" && version.Get().Version == "unknown" {
				version.Get().Version = dep.Version
			}
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	logger.Info("starting FerretDB (embedded, SQLite backend)", "version", version.Get().Version, "listen", listenAddr, "sqlite", sqliteURL, "pid", os.Getpid())

	if err = f.Run(ctx); err != nil {
		return err
	}

	logger.Info("FerretDB stopped")

	return nil
}
