// Command switchboard-db runs FerretDB (MongoDB wire protocol) on an SQLite data
// directory, for local development and tests. It prints one line
// "ready mongodb://host:port/" once it accepts connections and stops cleanly
// on SIGINT/SIGTERM, or when its standard input closes (-exit-with-stdin), so
// it never outlives the process that started it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (port 0 picks a free one; empty: no plain TCP listener)")
	var tlsListener tlsOptions
	flag.StringVar(&tlsListener.listen, "listen-tls", "", "TLS address to listen on (with -tls-cert and -tls-key)")
	flag.StringVar(&tlsListener.certFile, "tls-cert", "", "PEM server certificate for -listen-tls")
	flag.StringVar(&tlsListener.keyFile, "tls-key", "", "PEM server key for -listen-tls")
	flag.StringVar(&tlsListener.caFile, "tls-ca", "", "PEM CA: clients must present a certificate it signed (mutual TLS)")
	dataDir := flag.String("data", "data/ferretdb", "directory for the SQLite files")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	exitWithStdin := flag.Bool("exit-with-stdin", false, "stop when standard input reaches end of file")
	synchronous := flag.String("synchronous", "normal", "SQLite synchronous mode: normal (sync the write-ahead log at checkpoints) or full (at every commit)")
	pprofAddr := flag.String("pprof", os.Getenv("SWITCHBOARD_DB_PPROF"), "serve Go's pprof profiles on this address (profiling only; default from SWITCHBOARD_DB_PPROF)")
	flag.Parse()

	if *pprofAddr != "" {
		host, _, err := net.SplitHostPort(*pprofAddr)
		if ip := net.ParseIP(host); err != nil || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
			fmt.Fprintln(os.Stderr, "switchboard-db: -pprof must be a loopback host:port")
			os.Exit(2)
		}
		go func() { _ = http.ListenAndServe(*pprofAddr, nil) }()
	}

	if *synchronous != "normal" && *synchronous != "full" {
		fmt.Fprintln(os.Stderr, "switchboard-db: -synchronous must be normal or full")
		os.Exit(2)
	}
	if tlsListener.listen != "" && (tlsListener.certFile == "" || tlsListener.keyFile == "") {
		fmt.Fprintln(os.Stderr, "switchboard-db: -listen-tls needs -tls-cert and -tls-key")
		os.Exit(2)
	}
	if err := run(*listen, tlsListener, *dataDir, *logLevel, *synchronous, *exitWithStdin); err != nil {
		fmt.Fprintln(os.Stderr, "switchboard-db:", err)
		os.Exit(1)
	}
}

type tlsOptions struct {
	listen, certFile, keyFile, caFile string
}

func run(listen string, tlsListener tlsOptions, dataDir, logLevel, synchronous string, exitWithStdin bool) error {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return err
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level %q: %w", logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{
			TCP: listen, TLS: tlsListener.listen, TLSCertFile: tlsListener.certFile, TLSKeyFile: tlsListener.keyFile, TLSCAFile: tlsListener.caFile,
		},
		Logger:  logger,
		Handler: "sqlite",
		// WAL with synchronous=normal survives a crash of this process (not of the machine) and is
		// MongoDB's own default durability; write transactions take the lock when they begin, so
		// concurrent writers wait (busy_timeout) instead of failing with SQLITE_BUSY on upgrade.
		SQLiteURL: "file:" + abs + "/?_txlock=immediate&_pragma=synchronous(" + synchronous + ")",
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if exitWithStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// MongoDBURI waits until the listener is bound.
	fmt.Println("ready", f.MongoDBURI())

	return <-done
}
