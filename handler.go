package ogcard

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/ogcard/ogcard/internal/server"
)

// HandlerOptions configure NewHandler. Content is required; every other
// zero value picks the default given.
type HandlerOptions struct {
	// Content is the content folder whose posts are served. Files are read
	// inside it (an os.Root): no request reaches outside it.
	Content string
	// Include and Exclude filter its files as in BuildOptions.
	Include, Exclude []string
	// Template is the template of /og/{path}.png; "" means "og".
	Template string
	// Workers is how many renders run at once; 0 means GOMAXPROCS.
	Workers int
	// Queue is how many renders may wait for a worker before requests get
	// 429 Too Many Requests; 0 means 4 x Workers, negative means none.
	Queue int
	// Deadline bounds each request's wait and render (503 past it); 0
	// means 10 seconds.
	Deadline time.Duration
	// CacheBytes is the budget of the cache of encoded PNGs; 0 means
	// 64 MiB, negative disables the cache.
	CacheBytes int64
	// MaxAge is the Cache-Control max-age of card URLs without a key; 0
	// means 5 minutes. URLs carrying the card's key (?v=KEY) are immutable.
	MaxAge time.Duration
	// Keys verify the signatures of ad-hoc URLs at /render.png (see Sign);
	// none disables that endpoint.
	Keys [][]byte
	// Poll is how often the content folder is rescanned for changes; 0
	// means 2 seconds, negative disables polling (call Refresh).
	Poll time.Duration
	// NoPreview turns off the preview page at /.
	NoPreview bool
	// Logger receives access and error logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock for signature expiry; nil means time.Now.
	Now func() time.Time
}

// Handler serves the cards of a content folder over HTTP. Its routes,
// relative to where it is mounted:
//
//	GET /og/{url path}.png             the post's card (default template)
//	GET /og/{template}/{url path}.png  the post's card with another template
//	GET /render.png?title=…&sig=…      an ad-hoc card from a signed URL
//	GET /                              a preview page of every card
//	GET /healthz, /metrics             liveness, Prometheus text metrics
//
// Cards carry strong ETags (their keys) and answer If-None-Match with 304;
// encoded PNGs are cached; identical concurrent renders run once; renders
// beyond Workers+Queue get 429 with Retry-After. Error bodies are short
// fixed messages; details go to the log. The preview page links
// relatively, so the Handler works under a prefix:
//
//	mux.Handle("/cards/", http.StripPrefix("/cards", h))
//
// A Handler is safe for concurrent use. Close it when done.
type Handler struct {
	s *server.Server
	h http.Handler
}

// NewHandler indexes o.Content and starts polling it for changes. The
// Handler renders with r.
func (r *Renderer) NewHandler(o HandlerOptions) (*Handler, error) {
	if o.Content == "" {
		return nil, errors.New("server: no content folder")
	}
	// The server reads posts by their path inside Content: URL paths
	// derive from those, and photos are read inside Content.
	s, err := server.New(server.Config{
		Content: o.Content, Include: o.Include, Exclude: o.Exclude,
		Renderer: r.r.WithRoots(".", o.Content), Template: o.Template,
		Workers: o.Workers, Queue: o.Queue, Deadline: o.Deadline, CacheBytes: o.CacheBytes,
		MaxAge: o.MaxAge, Keys: o.Keys, Poll: o.Poll, NoPreview: o.NoPreview, Logger: o.Logger, Now: o.Now,
		Lint: r.linter,
	})
	if err != nil {
		return nil, convertErr(err)
	}
	return &Handler{s: s, h: s.Handler()}, nil
}

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.h.ServeHTTP(w, r) }

// Refresh rescans the content folder now, re-reading only changed files.
func (h *Handler) Refresh(ctx context.Context) error { return h.s.Refresh(ctx) }

// Close stops polling and cancels renders still running. Call it after the
// HTTP server has shut down.
func (h *Handler) Close() error { return h.s.Close() }

// MemoryLimit returns a soft memory limit in bytes, for
// debug.SetMemoryLimit, that suits h: the cache's budget, the fonts
// (Renderer.FontBytes), 16 MiB per render worker and 64 MiB for the rest
// (parsed font tables beyond that, backgrounds, index, runtime). Under it the collector reclaims renders' garbage before the heap
// doubles; `ogcard serve` sets it unless GOMEMLIMIT is set.
func (h *Handler) MemoryLimit() int64 { return h.s.MemoryLimit() }

// HTTPServer returns an http.Server for addr serving h, with the timeouts
// and header limits a server on the internet needs.
func (h *Handler) HTTPServer(addr string) *http.Server { return h.s.HTTPServer(addr) }

// Serve answers requests on ln with hs until ctx is done, then shuts down
// gracefully: it stops accepting, lets requests in flight finish for up to
// grace, and returns.
func (h *Handler) Serve(ctx context.Context, hs *http.Server, ln net.Listener, grace time.Duration) error {
	return h.s.Serve(ctx, hs, ln, grace)
}

// MinKeyBytes is the shortest signing key accepted.
const MinKeyBytes = 16

// ParseKeys reads signing keys, one per line or separated by commas or
// spaces (blank lines and lines starting with # are ignored), each at
// least MinKeyBytes long. The first
// signs (Sign); all verify, so keys can be rotated.
func ParseKeys(text string) ([][]byte, error) { return server.ParseKeys(text) }

// MaxQueryBytes is the longest query of an ad-hoc URL a Handler reads, in
// bytes; Sign refuses to make a longer one.
const MaxQueryBytes = 4096

// Sign returns path with q and an HMAC-SHA256 signature (and the expiry,
// unless exp is zero) as its query: a URL a Handler with key among its
// Keys answers. path is "/render.png", relative to the Handler's mount
// point; q may hold title, summary, date, tags, author and template. A
// query over MaxQueryBytes is refused with an error wrapping
// ErrQueryTooLong that names the longest parameters.
func Sign(key []byte, path string, q url.Values, exp time.Time) (string, error) {
	u, err := server.Sign(key, path, q, exp)
	return u, convertErr(err)
}
