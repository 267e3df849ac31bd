// Package server is ogcard's HTTP endpoint: it serves the cards of a
// content tree as PNGs on demand, and ad-hoc cards from signed URLs.
//
// Posts are found through an index of the tree, rebuilt by polling, never
// by joining a request path onto a folder; files are read through an
// os.Root, so nothing outside the tree is opened. Renders go through a
// bounded pool and queue (429 beyond), identical concurrent renders run
// once, and encoded PNGs are kept in an LRU cache with a byte budget.
//
// # Security considerations
//
// Error bodies are short fixed messages; paths, front matter and internal
// errors go to the log only. Ad-hoc cards need an HMAC-SHA256 signature
// over the path and the canonical query, checked before any render starts.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/lint"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/render"
	"github.com/ogcard/ogcard/internal/safefile"
)

// Config configures New. Content and Renderer are required; every other
// zero value picks the default given.
type Config struct {
	// Content is the content tree's folder.
	Content string
	// Include and Exclude are globs passed to site.Scan.
	Include, Exclude []string
	// Renderer draws the cards. Its card options should have Root "." (files
	// are read by their path relative to Content), so URL paths derive from
	// it as in the batch build.
	Renderer *render.Renderer
	// Template is the default template; "" means "og".
	Template string
	// Workers is how many renders run at once; 0 means GOMAXPROCS.
	Workers int
	// Queue is how many renders may wait for a worker; 0 means 4*Workers,
	// negative means none.
	Queue int
	// Deadline bounds each request's wait and render (503 past it); 0 means
	// 10s.
	Deadline time.Duration
	// CacheBytes is the PNG cache's budget; 0 means 64 MiB, negative
	// disables the cache.
	CacheBytes int64
	// MaxAge is the Cache-Control max-age of card URLs without a key; 0
	// means 5 minutes. URLs carrying the current key (?v=KEY) are immutable.
	MaxAge time.Duration
	// Keys verify ad-hoc URLs at /render.png; none disables the endpoint.
	Keys [][]byte
	// Poll is how often the content tree is rescanned; 0 means 2s, negative
	// disables polling (call Refresh).
	Poll time.Duration
	// NoPreview turns off the preview page at / and /preview/.
	NoPreview bool
	// Lint checks the card the preview's platform page shows; nil means
	// the default rules.
	Lint *lint.Linter
	// Logger receives access and error logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock for signature expiry; nil means time.Now.
	Now func() time.Time
}

// Server serves cards. Its Handler is safe for concurrent use.
type Server struct {
	cfg       Config
	root      *os.Root
	log       *slog.Logger
	templates map[string]bool

	index     atomic.Pointer[snapshot]
	refreshMu chanMutex
	limit     *limiter
	flight    flight
	cache     *lru
	metrics   metrics
	opens     atomic.Int64 // files opened, for tests

	// maxAgeCC is the Cache-Control of card URLs without a key, built once
	// because every card request sends it.
	maxAgeCC []string

	base   context.Context // renders run under it; cancelled by Close
	cancel context.CancelFunc
	reqID  atomic.Uint64

	// beforeRender is a test hook run in the worker slot with the render's
	// context; an error from it is the render's.
	beforeRender func(context.Context) error
}

// MemoryLimit returns a soft memory limit in bytes, for
// debug.SetMemoryLimit, that suits s: the cache's budget, the fonts
// (render.Renderer.FontBytes), 16 MiB per render worker (a canvas of up to
// 6 MB, the encoder's buffers and the PNG) and 40 MiB for the rest (index,
// connections, runtime, the templates' drawn backgrounds). Under it the
// collector reclaims renders' garbage before the heap doubles. With the
// default 64 MiB cache and 2 workers (a 146 MiB limit), peak RSS under
// bench/serve.sh's sustained load, on a quiet machine where the server
// answers 1,100-1,600 cards a second, is the limit plus 30-45 MiB: the
// binary's own pages (code, and the embedded fonts as they are read) and
// what the collector has not yet returned at that allocation rate. A base
// of 64 MiB (170 MiB) peaked at 212-214 MiB there; without a limit,
// 212-393 MiB. It stays above the live heap (about 100-125 MB there), where
// a limit would make the collector run without pause.
func (s *Server) MemoryLimit() int64 {
	return 40<<20 + max(s.cfg.CacheBytes, 0) + s.cfg.Renderer.FontBytes() + int64(s.cfg.Workers)*16<<20
}

// chanMutex is a mutex whose zero value is ready.
type chanMutex struct{ ch chan struct{} }

// New opens the content tree, builds the index and starts polling.
func New(cfg Config) (*Server, error) {
	if cfg.Renderer == nil {
		return nil, errors.New("server: no renderer")
	}
	if cfg.Content == "" {
		return nil, errors.New("server: no content folder")
	}
	if cfg.Template == "" {
		cfg.Template = "og"
	}
	if _, ok := cfg.Renderer.Template(cfg.Template); !ok {
		return nil, fmt.Errorf("server: %w %q", render.ErrUnknownTemplate, cfg.Template)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case cfg.Queue == 0:
		cfg.Queue = 4 * cfg.Workers
	case cfg.Queue < 0:
		cfg.Queue = 0
	}
	if cfg.Deadline <= 0 {
		cfg.Deadline = 10 * time.Second
	}
	if cfg.CacheBytes == 0 {
		cfg.CacheBytes = 64 << 20
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 5 * time.Minute
	}
	if cfg.Poll == 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	root, err := os.OpenRoot(cfg.Content)
	if err != nil {
		return nil, fmt.Errorf("server: content: %w", err)
	}
	s := &Server{
		cfg: cfg, root: root, log: log, templates: map[string]bool{},
		limit: newLimiter(cfg.Workers, cfg.Queue),
		cache: newLRU(max(cfg.CacheBytes, 0)),

		maxAgeCC: []string{fmt.Sprintf("public, max-age=%d", int(cfg.MaxAge.Seconds()))},
	}
	s.refreshMu.ch = make(chan struct{}, 1)
	for _, t := range cfg.Renderer.Templates() {
		s.templates[t] = true
	}
	s.index.Store(&snapshot{byPath: map[string]*entry{}, byRel: map[string]*entry{}})
	s.base, s.cancel = context.WithCancel(context.Background())
	if err := s.Refresh(s.base); err != nil {
		root.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	if cfg.Poll > 0 {
		go s.poll(s.base, cfg.Poll)
	}
	return s, nil
}

func (m *chanMutex) Lock()   { m.ch <- struct{}{} }
func (m *chanMutex) Unlock() { <-m.ch }

// Close stops polling, cancels renders still running and closes the content
// root. Call it after the HTTP server has shut down.
func (s *Server) Close() error {
	s.cancel()
	return s.root.Close()
}

// HTTPServer returns an http.Server for addr with the timeouts and header
// limit a server on the internet needs.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      s.cfg.Deadline + 10*time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully: it stops accepting, lets requests in flight (and their
// renders) finish for up to grace, and returns.
func (s *Server) Serve(ctx context.Context, hs *http.Server, ln net.Listener, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}

// Handler returns the server's routes.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// statusWriter records the status and size for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// note is what a handler tells the access log.
type note struct {
	cache string // "hit", "miss", "shared", "304"
	err   error
}

func (s *Server) serveHTTP(rw http.ResponseWriter, r *http.Request) {
	start := time.Now()
	w := &statusWriter{ResponseWriter: rw}
	n := &note{}
	// The request ID goes first among the record's attributes rather than
	// through Logger.With: the line reads the same, and With would clone and
	// pre-format a handler on every request.
	id := s.reqID.Add(1)
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			n.err = fmt.Errorf("panic: %v", v)
			if w.status == 0 {
				s.fail(w, r, n.err)
			}
		}
		status := w.status
		if status == 0 {
			status = http.StatusOK
		}
		if c := status / 100; c >= 1 && c <= 5 {
			s.metrics.requests[c].Add(1)
		}
		level := slog.LevelInfo
		if n.err != nil && status >= 500 {
			level = slog.LevelError
		}
		if !s.log.Enabled(r.Context(), level) {
			return
		}
		var buf [9]slog.Attr
		attrs := append(buf[:0], slog.Uint64("req", id), slog.String("method", r.Method),
			slog.String("path", clip(r.URL.Path, 256)), slog.Int("status", status), slog.Int64("bytes", w.bytes),
			slog.Float64("ms", float64(time.Since(start).Microseconds())/1000), slog.String("remote", r.RemoteAddr))
		if n.cache != "" {
			attrs = append(attrs, slog.String("cache", n.cache))
		}
		if n.err != nil {
			attrs = append(attrs, slog.String("err", n.err.Error()))
		}
		s.log.LogAttrs(r.Context(), level, "request", attrs...)
	}()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		n.err = errMethod
		s.fail(w, r, errMethod)
		return
	}
	p := r.URL.Path
	switch {
	case p == "/healthz":
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if r.Method == http.MethodGet {
			io.WriteString(w, "ok\n")
		}
	case p == "/metrics":
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		s.writeMetrics(w)
	case p == "/" && !s.cfg.NoPreview:
		n.err = s.servePreview(w, r)
	case p == "/render.png":
		n.err = s.serveAdHoc(w, r, n)
	case (p == "/preview/card" || p == "/preview/card.png") && !s.cfg.NoPreview:
		n.err = s.servePreviewRoute(w, r, n)
	case strings.HasPrefix(p, "/og/"):
		n.err = s.servePost(w, r, n)
	default:
		n.err = errNotFound
		s.fail(w, r, errNotFound)
	}
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Errors the handlers return; httpError maps them to a status.
var (
	errNotFound   = errors.New("not found")
	errMethod     = errors.New("method not allowed")
	errBadRequest = errors.New("bad request")
)

// httpError maps an error to its status and a short public message. It is
// the only place that decides what a client learns about a failure.
func httpError(err error) (int, string) {
	var fe *card.FieldError
	var pe *post.Error
	switch {
	case errors.Is(err, errNotFound), errors.Is(err, render.ErrUnknownTemplate), errors.Is(err, render.ErrNoCards):
		return http.StatusNotFound, "not found"
	case errors.Is(err, errMethod):
		return http.StatusMethodNotAllowed, "method not allowed"
	case errors.Is(err, errSignature):
		return http.StatusForbidden, "invalid or expired signature"
	case errors.Is(err, errBusy):
		return http.StatusTooManyRequests, "too many renders in progress, retry shortly"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "render timed out, retry shortly"
	case errors.Is(err, errBadRequest), errors.As(err, &fe), errors.As(err, &pe):
		return http.StatusBadRequest, "bad request"
	case errors.Is(err, context.Canceled):
		return 499, "request cancelled" // nginx's code; the client has gone
	case errors.Is(err, safefile.ErrNotRegular):
		// A photo the card names is a named pipe, socket or folder: the
		// site's fault, not the client's; the log names the file.
		return http.StatusInternalServerError, "a file this card needs is not a regular file; see the server log"
	}
	return http.StatusInternalServerError, "internal error"
}

// Header values set on every card or error response. They are shared, not
// built per request (http.Header.Set allocates a slice per call); nothing
// writes into a header's value slice once it is set, so sharing is safe.
var (
	hdrNoStore   = []string{"no-store"}
	hdrText      = []string{"text/plain; charset=utf-8"}
	hdrPNG       = []string{"image/png"}
	hdrNosniff   = []string{"nosniff"}
	hdrRetry1    = []string{"1"}
	hdrRetry2    = []string{"2"}
	hdrImmutable = []string{"public, max-age=31536000, immutable"}
)

// fail writes err's public message with no-store.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := httpError(err)
	h := w.Header()
	for _, k := range [...]string{"Etag", "Content-Length", "Last-Modified", "Content-Encoding"} {
		delete(h, k)
	}
	h["Cache-Control"] = hdrNoStore
	h["Content-Type"] = hdrText
	h["X-Content-Type-Options"] = hdrNosniff
	switch code {
	case http.StatusTooManyRequests:
		h["Retry-After"] = hdrRetry1
	case http.StatusServiceUnavailable:
		h["Retry-After"] = hdrRetry2
	case 499:
		return // nobody to answer
	}
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		io.WriteString(w, msg)
		io.WriteString(w, "\n")
	}
}

// maxPathBytes caps the request paths looked up; longer ones are 404.
const maxPathBytes = 2048

// servePost answers /og/{post path}.png and /og/{template}/{post path}.png,
// and every card of a multi-card template by the name build writes it
// under (/og/{post path}-{template}-{card}.png, {card} being "02" or
// "2of3") or as /og/{template}/{post path}-{card}.png.
func (s *Server) servePost(w http.ResponseWriter, r *http.Request, n *note) error {
	p := r.URL.Path
	rest, ok := strings.CutSuffix(p[len("/og"):], ".png")
	if !ok || len(p) > maxPathBytes || rest == "" || rest == "/" {
		s.fail(w, r, errNotFound)
		return errNotFound
	}
	e, tmpl, suffix := s.resolve(s.index.Load(), rest)
	if e == nil {
		s.fail(w, r, errNotFound)
		return errNotFound
	}
	var k *renderKey
	var ref *render.CardRef
	var err error
	if suffix == "" {
		k, err = e.key(s.cfg.Renderer, tmpl)
	} else {
		k, ref, err = e.cardKey(s.cfg.Renderer, tmpl, suffix)
	}
	if err != nil {
		s.fail(w, r, err)
		return err
	}
	if k == nil {
		s.fail(w, r, errNotFound) // no such card: "-17" of a post with 16 talks
		return errNotFound
	}
	cc := s.maxAgeCC
	if r.URL.RawQuery != "" {
		if v := r.URL.Query()["v"]; len(v) == 1 && v[0] == k.key {
			cc = hdrImmutable
		}
	}
	return s.serveCard(w, r, n, k, cc, e.card, tmpl, ref)
}

// resolve finds the post, template and card a request path (without /og
// and .png) names: the post's own path first, then /{template}/{path},
// /{template}/{path}-{card}, {path}-{template} and {path}-{template}-{card}.
// A post whose own path ends like a card name ("-session-02") wins over
// the card of a shorter one.
func (s *Server) resolve(idx *snapshot, rest string) (*entry, string, string) {
	if e := idx.byPath[rest]; e != nil {
		return e, s.cfg.Template, ""
	}
	if first, after, cut := strings.Cut(rest[1:], "/"); cut && s.templates[first] {
		if e := idx.byPath["/"+after]; e != nil {
			return e, first, ""
		}
		if base, suffix, ok := cutCardSuffix("/" + after); ok {
			if e := idx.byPath[base]; e != nil {
				return e, first, suffix
			}
		}
	}
	base, suffix, ok := cutCardSuffix(rest)
	if !ok {
		base = rest
	}
	if i := strings.LastIndexByte(base, '-'); i > 0 && s.templates[base[i+1:]] {
		if e := idx.byPath[base[:i]]; e != nil {
			return e, base[i+1:], suffix
		}
	}
	return nil, "", ""
}

// cutCardSuffix splits "/blog/x-02" into "/blog/x" and "02", and
// "/blog/x-2of3" into "/blog/x" and "2of3".
func cutCardSuffix(p string) (base, suffix string, ok bool) {
	i := strings.LastIndexByte(p, '-')
	if i <= 0 {
		return "", "", false
	}
	suffix = p[i+1:]
	num, of, paged := strings.Cut(suffix, "of")
	if !allDigits(num) || (paged && !allDigits(of)) {
		return "", "", false
	}
	return p[:i], suffix, true
}

func allDigits(s string) bool {
	if s == "" || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// renderKey is a card's render key and its ETag header value (the key
// quoted), built once per card and template.
type renderKey struct {
	key  string
	etag []string
}

// key returns e's render key for tmpl, computed once per entry.
func (e *entry) key(r *render.Renderer, tmpl string) (*renderKey, error) {
	if k, ok := e.keys.Load(tmpl); ok {
		return k.(*renderKey), nil
	}
	key, err := r.Key(e.card, tmpl)
	if err != nil {
		return nil, err
	}
	k := &renderKey{key, []string{etagOf(key)}}
	e.keys.Store(tmpl, k)
	return k, nil
}

// cardKey returns the key of one card of a multi-card template and the
// reference that draws it, or a nil key when the template makes no such
// card of e. The list of cards is computed once per entry and template.
func (e *entry) cardKey(r *render.Renderer, tmpl, suffix string) (*renderKey, *render.CardRef, error) {
	var refs []render.CardRef
	if v, ok := e.keys.Load("cards " + tmpl); ok {
		refs = v.([]render.CardRef)
	} else {
		var err error
		if refs, err = r.Cards(e.card, tmpl); err != nil {
			return nil, nil, err
		}
		e.keys.Store("cards "+tmpl, refs)
	}
	for i := range refs {
		if refs[i].Suffix == suffix {
			return &renderKey{refs[i].Key, []string{etagOf(refs[i].Key)}}, &refs[i], nil
		}
	}
	return nil, nil, nil
}

func etagOf(key string) string { return `"` + key + `"` }

// serveCard answers with card c drawn with tmpl (the card ref names, of a
// multi-card template), whose key is k: 304 when
// the client has it, else from the cache, else rendered once among
// concurrent requests. cacheControl is the Cache-Control header's value.
func (s *Server) serveCard(w http.ResponseWriter, r *http.Request, n *note, k *renderKey, cacheControl []string, c *card.Card, tmpl string, ref *render.CardRef) error {
	h := w.Header()
	key := k.key
	if match(r.Header.Get("If-None-Match"), k.etag[0]) {
		s.metrics.notModified.Add(1)
		n.cache = "304"
		h["Etag"] = k.etag
		h["Cache-Control"] = cacheControl
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	start := time.Now()
	png, ok := s.cache.get(key)
	if ok {
		s.metrics.cacheHits.Add(1)
		n.cache = "hit"
	} else {
		s.metrics.cacheMisses.Add(1)
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Deadline)
		defer cancel()
		var shared bool
		var err error
		png, shared, err = s.flight.do(ctx, s.base, key, func(rctx context.Context) ([]byte, error) {
			rctx, cancel := context.WithTimeout(rctx, s.cfg.Deadline)
			defer cancel()
			img, err := s.render(rctx, c, tmpl, ref)
			if err != nil {
				return nil, err
			}
			// Serve the cache's exactly-sized copy; the encoder's larger
			// buffer then serves a later card (when the cache kept no
			// copy, the buffer is what this answer sends).
			b := s.cache.add(key, img.PNG)
			if len(b) > 0 && &b[0] != &img.PNG[0] {
				s.cfg.Renderer.Recycle(img)
			}
			return b, nil
		})
		n.cache = "miss"
		if shared {
			s.metrics.shared.Add(1)
			n.cache = "shared"
		}
		if err != nil {
			if errors.Is(err, errBusy) {
				s.metrics.rejected.Add(1)
			}
			if ctx.Err() != nil && r.Context().Err() == nil {
				err = fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
			}
			s.fail(w, r, err)
			return err
		}
	}
	h["Content-Type"] = hdrPNG
	h.Set("Content-Length", strconv.Itoa(len(png)))
	h["Etag"] = k.etag
	h["Cache-Control"] = cacheControl
	h["X-Content-Type-Options"] = hdrNosniff
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(png)
	}
	s.metrics.requestSecs.observe(time.Since(start))
	return nil
}

// match reports whether an If-None-Match header lists etag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func match(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// render takes a worker slot (or fails with errBusy) and draws c: the
// card ref names, or the template's first when ref is nil.
func (s *Server) render(ctx context.Context, c *card.Card, tmpl string, ref *render.CardRef) (*render.Image, error) {
	if err := s.limit.acquire(ctx); err != nil {
		return nil, err
	}
	defer s.limit.release()
	if s.beforeRender != nil {
		if err := s.beforeRender(ctx); err != nil {
			s.metrics.renderErrors.Add(1)
			return nil, err
		}
	}
	start := time.Now()
	var img *render.Image
	var err error
	if ref != nil {
		img, err = s.cfg.Renderer.RenderCard(ctx, c, tmpl, *ref)
	} else {
		img, err = s.cfg.Renderer.Render(ctx, c, tmpl)
	}
	if err != nil {
		s.metrics.renderErrors.Add(1)
		return nil, err
	}
	s.metrics.renders.Add(1)
	s.metrics.renderSeconds.observe(time.Since(start))
	return img, nil
}

// adHocParams are the query parameters /render.png accepts.
var adHocParams = map[string]string{
	"title": "title", "summary": "ogSummary", "date": "date", "tags": "tags",
	"author": "authors", "template": "", "exp": "", "sig": "",
}

// serveAdHoc answers /render.png?title=…&sig=…: the signature is checked
// before anything else is looked at.
func (s *Server) serveAdHoc(w http.ResponseWriter, r *http.Request, n *note) error {
	if len(s.cfg.Keys) == 0 {
		s.fail(w, r, errNotFound)
		return errNotFound
	}
	fail := func(err error) error { s.fail(w, r, err); return err }
	if len(r.URL.RawQuery) > MaxQueryBytes {
		return fail(fmt.Errorf("%w: query over %d bytes", errBadRequest, MaxQueryBytes))
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return fail(errSignature)
	}
	if err := verify(s.cfg.Keys, r.URL.Path, q, s.cfg.Now()); err != nil {
		return fail(err)
	}
	front := map[string]any{}
	for k, vs := range q {
		field, ok := adHocParams[k]
		if !ok {
			return fail(fmt.Errorf("%w: unknown parameter %q", errBadRequest, clip(k, 40)))
		}
		if len(vs) != 1 {
			return fail(fmt.Errorf("%w: parameter %q repeated", errBadRequest, k))
		}
		switch field {
		case "":
		case "tags", "authors":
			var list []any
			for _, t := range strings.Split(vs[0], ",") {
				if t = strings.TrimSpace(t); t != "" {
					list = append(list, t)
				}
			}
			front[field] = list
		default:
			front[field] = vs[0]
		}
	}
	tmpl := s.cfg.Template
	if t := q.Get("template"); t != "" {
		tmpl = t
	}
	if !s.templates[tmpl] {
		return fail(fmt.Errorf("%w %q", render.ErrUnknownTemplate, clip(tmpl, 40)))
	}
	c, err := s.cfg.Renderer.Card(&post.Post{Path: "render.png", Format: post.FormatYAML, Front: front})
	if err != nil {
		return fail(fmt.Errorf("%w: %w", errBadRequest, err))
	}
	key, err := s.cfg.Renderer.Key(c, tmpl)
	if err != nil {
		return fail(err)
	}
	cc := "public, max-age=86400"
	if exp := q.Get("exp"); exp != "" {
		e, _ := strconv.ParseInt(exp, 10, 64)
		left := min(e-s.cfg.Now().Unix(), 86400)
		cc = fmt.Sprintf("public, max-age=%d", max(left, 0))
	}
	return s.serveCard(w, r, n, &renderKey{key, []string{etagOf(key)}}, []string{cc}, c, tmpl, nil)
}
