package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"net"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/ogcard/ogcard"
)

// keysEnv names the environment variable holding signing keys.
const keysEnv = "OGCARD_SIGNING_KEYS"

// loadKeys reads signing keys from file, else from the environment. None is
// not an error: ad-hoc cards are then disabled.
func loadKeys(file string) ([][]byte, error) {
	text := os.Getenv(keysEnv)
	if file != "" {
		data, err := ogcard.ReadRegularFile(file, 64<<10)
		if err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
		text = string(data)
	}
	keys, err := ogcard.ParseKeys(text)
	if err != nil {
		if file != "" {
			return nil, fmt.Errorf("keys %s: %w", file, err)
		}
		return nil, fmt.Errorf("keys from $%s: %w", keysEnv, err)
	}
	return keys, nil
}

// serveURLs is the part of `serve --help` that lists what it answers.
const serveURLs = `URLs:
  GET /                                    a preview page of every card of the site
  GET /og/{url path}.png                   a post's og card ({url path} as in build's manifest: /og/blog/2026/01/23/x.png)
  GET /og/{template}/{url path}.png        the same post with another template (/og/square/blog/x.png)
  GET /og/{url path}-session-02.png        one card of a multi-card template, named as build names it
  GET /og/{template}/{url path}-02.png     the same, by template and number (line-up pages: -2of3)
  GET /render.png?title=…&sig=…            an ad-hoc card from query parameters, signed (see 'ogcard sign')
  GET /healthz                             200 while serving
  GET /metrics                             counters and timings (Prometheus text format)`

func runServe(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "serve", "serve --content DIR [flags]",
		"ogcard serve --content site/src/posts --addr 127.0.0.1:8080\n\n"+serveURLs)
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
	memMiB := fs.Int("memory-limit", 0, "soft memory limit in `MiB` (0: automatic from --cache-mb, --workers and fonts; -1: none; GOMEMLIMIT overrides it)")
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
	case *workers < 0 || *queue < 0 || *cacheMB < 0 || *deadline <= 0 || *maxAge <= 0 || *poll <= 0 || *grace < 0 || *memMiB < -1:
		return usageErr("--workers, --queue and --cache-mb must not be negative, --memory-limit not below -1; --deadline, --max-age and --poll must be positive")
	}
	keys, err := loadKeys(*keysFile)
	if err != nil {
		return usageErr("%v", err)
	}
	r, _, err := loadRenderer(rendererSpec{configPath: *cfgPath, searchFrom: *content, note: e.stderr, site: *site, cardRoot: "."})
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
	srv, err := r.NewHandler(ogcard.HandlerOptions{
		Content: *content, Workers: *workers, Queue: q,
		Deadline: *deadline, CacheBytes: cacheBytes, MaxAge: *maxAge, Keys: keys,
		Poll: *poll, NoPreview: *noPreview, Logger: log,
	})
	if err != nil {
		return usageErr("%v", err)
	}
	defer srv.Close()
	// Without a soft limit the heap doubles before each collection: under
	// sustained load with the default cache, peak RSS went past 300 MiB.
	if os.Getenv("GOMEMLIMIT") == "" && *memMiB >= 0 {
		limit := int64(*memMiB) << 20
		if limit == 0 {
			limit = srv.MemoryLimit()
		}
		debug.SetMemoryLimit(limit)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageErr("%v", err)
	}
	// A signal's stop waits for the shutdown's own grace, and a little more.
	raiseStopGrace(*grace + 2*time.Second)
	memLimit := "none"
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		memLimit = fmt.Sprintf("%d MiB", l>>20)
	}
	log.Info("serving", "addr", ln.Addr().String(), "content", *content, "signed_urls", len(keys) > 0,
		"memory_limit", memLimit)
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
