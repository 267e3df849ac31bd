package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/ogcard/ogcard/internal/lint"
	"github.com/ogcard/ogcard/internal/server"
)

// keysEnv names the environment variable holding signing keys.
const keysEnv = "OGCARD_SIGNING_KEYS"

// loadKeys reads signing keys from file, else from the environment. None is
// not an error: ad-hoc cards are then disabled.
func loadKeys(file string) ([][]byte, error) {
	text := os.Getenv(keysEnv)
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
		text = string(data)
	}
	keys, err := server.ParseKeys(text)
	if err != nil {
		if file != "" {
			return nil, fmt.Errorf("keys %s: %w", file, err)
		}
		return nil, fmt.Errorf("keys from $%s: %w", keysEnv, err)
	}
	return keys, nil
}

func runServe(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "serve", "serve --content DIR [flags]",
		"ogcard serve --content site/src/posts --addr 127.0.0.1:8080")
	content := fs.String("content", "", "content `folder` whose posts are served (required)")
	cfgPath := fs.String("config", "", "site config `file` (default: DIR/ogcard.yaml when it exists)")
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on")
	site := fs.String("site", "", "site `name` shown on the cards (default: the brand's)")
	workers := fs.Int("workers", 0, "renders at once (default GOMAXPROCS)")
	queue := fs.Int("queue", 0, "renders waiting for a worker before 429 (default 4 x workers)")
	deadline := fs.Duration("deadline", 10*time.Second, "per-request `time` limit (503 past it)")
	cacheMB := fs.Int("cache-mb", 64, "PNG cache budget in MiB (0 disables it)")
	maxAge := fs.Duration("max-age", 5*time.Minute, "Cache-Control max-age of card URLs that carry no key")
	poll := fs.Duration("poll", 2*time.Second, "how often to rescan the content folder for changes")
	keysFile := fs.String("keys", "", "signing keys `file` for /render.png, one per line (default $"+keysEnv+")")
	noPreview := fs.Bool("no-preview", false, "turn off the preview page at /")
	grace := fs.Duration("grace", 30*time.Second, "how long shutdown waits for requests in flight")
	pos, code, done := parseFlags(e, fs, args)
	if done {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "ogcard serve: "+format+"\n", a...)
		return exitUsage
	}
	switch {
	case len(pos) > 0:
		return usageErr("unexpected arguments %q; the content folder goes in --content", pos)
	case *content == "":
		return usageErr("--content is required\nRun 'ogcard serve --help' for an example.")
	case *workers < 0 || *queue < 0 || *cacheMB < 0 || *deadline <= 0 || *maxAge <= 0 || *poll <= 0 || *grace < 0:
		return usageErr("--workers, --queue and --cache-mb must not be negative; --deadline, --max-age and --poll must be positive")
	}
	keys, err := loadKeys(*keysFile)
	if err != nil {
		return usageErr("%v", err)
	}
	r, cfg, _, err := loadRenderer(rendererSpec{configPath: *cfgPath, searchFrom: *content, site: *site, cardRoot: ".", contentRoot: *content, oneCoreEncode: true})
	if err != nil {
		return usageErr("%v", err)
	}
	linter, err := lint.FromConfig(cfg)
	if err != nil {
		return usageErr("%v", err)
	}
	log := slog.New(slog.NewJSONHandler(e.stderr, nil))
	cacheBytes := int64(*cacheMB) << 20
	if cacheBytes == 0 {
		cacheBytes = -1
	}
	q := *queue
	if q == 0 && isFlagSet(fs.Visit, "queue") {
		q = -1
	}
	srv, err := server.New(server.Config{
		Content: *content, Renderer: r, Workers: *workers, Queue: q,
		Deadline: *deadline, CacheBytes: cacheBytes, MaxAge: *maxAge, Keys: keys,
		Poll: *poll, NoPreview: *noPreview, Logger: log, Lint: linter,
	})
	if err != nil {
		return usageErr("%v", err)
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageErr("%v", err)
	}
	log.Info("serving", "addr", ln.Addr().String(), "content", *content, "signed_urls", len(keys) > 0)
	if err := srv.Serve(ctx, srv.HTTPServer(*addr), ln, *grace); err != nil {
		log.Error("server stopped", "err", err)
		return exitFail
	}
	return exitOK
}

// isFlagSet reports whether the flag name was given on the command line.
func isFlagSet(visit func(func(*flag.Flag)), name string) bool {
	set := false
	visit(func(f *flag.Flag) { set = set || strings.EqualFold(f.Name, name) })
	return set
}
