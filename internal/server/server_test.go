package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/render"
)

var (
	rendererOnce sync.Once
	renderer     *render.Renderer
	rendererErr  error
)

// testRenderer builds the built-in renderer once for all tests.
func testRenderer(t testing.TB) *render.Renderer {
	t.Helper()
	rendererOnce.Do(func() {
		renderer, rendererErr = render.New(render.Options{
			Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand,
			BrandName: "brand.yaml", Card: &card.Options{Root: "."},
		})
	})
	if rendererErr != nil {
		t.Fatal(rendererErr)
	}
	return renderer
}

const refPost = `---
path: '/blog/2026/01/23/cilium-at-kubecon-eu-2026'
date: '2025-01-23T12:00:00.000Z'
title: 'Cilium at KubeCon + CloudNativeCon and CiliumCon Europe 2026'
ogSummary: 'Learn how to engage with the Cilium community'
---

Body.
`

// writeTree makes a content tree: the reference post, a post by file path,
// a draft, a dotfile, and a sibling folder "content-secret" beside it.
func writeTree(t testing.TB, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"content/ref/index.md":             refPost,
		"content/blog/2024-05-22-hello.md": "---\ntitle: Hello\n---\nhi\n",
		"content/blog/draft.md":            "---\ntitle: Secret draft\ndraft: true\n---\n",
		"content/blog/.hidden.md":          "---\ntitle: Hidden\n---\n",
		"content/.git/config.md":           "---\ntitle: Git\n---\n",
		"content-secret/blog/leak.md":      "---\ntitle: Leak\n---\n",
		"content-secret/blog/passwd.md":    "---\ntitle: passwd\npath: /etc/passwd\n---\n",
		"outside.md":                       "---\ntitle: Outside\n---\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func newTestServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	cfg.Renderer = testRenderer(t)
	if cfg.Poll == 0 {
		cfg.Poll = -1
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func get(t testing.TB, h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "http://example.com/", nil)
	// Set the raw target so payloads reach the handler as a client sent them.
	u, err := url.ParseRequestURI(target)
	if err != nil {
		// Some payloads are not valid request URIs; send them as an opaque path.
		u = &url.URL{Path: target}
	}
	req.URL = u
	req.RequestURI = target
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

const refURL = "/og/blog/2026/01/23/cilium-at-kubecon-eu-2026.png"

func TestRoutes(t *testing.T) {
	dir := writeTree(t, nil)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content")})
	h := s.Handler()
	tests := []struct {
		name, method, target string
		want                 int
		ctype                string
	}{
		{"reference post", "GET", refURL, 200, "image/png"},
		{"reference post HEAD", "HEAD", refURL, 200, "image/png"},
		{"path from file name", "GET", "/og/blog/2024/05/22/hello.png", 200, "image/png"},
		{"template", "GET", "/og/og/blog/2024/05/22/hello.png", 200, "image/png"},
		{"unknown template", "GET", "/og/nope/blog/2024/05/22/hello.png", 404, "text/plain; charset=utf-8"},
		{"draft", "GET", "/og/blog/draft.png", 404, "text/plain; charset=utf-8"},
		{"dotfile", "GET", "/og/blog/.hidden.png", 404, "text/plain; charset=utf-8"},
		{"dotfile by derived path", "GET", "/og/blog/hidden.png", 404, "text/plain; charset=utf-8"},
		{"no extension", "GET", "/og/blog/2024/05/22/hello", 404, "text/plain; charset=utf-8"},
		{"healthz", "GET", "/healthz", 200, "text/plain; charset=utf-8"},
		{"healthz HEAD", "HEAD", "/healthz", 200, "text/plain; charset=utf-8"},
		{"metrics", "GET", "/metrics", 200, "text/plain; version=0.0.4; charset=utf-8"},
		{"preview", "GET", "/", 200, "text/html; charset=utf-8"},
		{"preview HEAD", "HEAD", "/", 200, "text/html; charset=utf-8"},
		{"post method", "POST", refURL, 405, "text/plain; charset=utf-8"},
		{"ad hoc disabled without keys", "GET", "/render.png?title=x", 404, "text/plain; charset=utf-8"},
		{"unknown route", "GET", "/favicon.ico", 404, "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, tt.method, tt.target, nil)
			if rec.Code != tt.want {
				t.Fatalf("%s %s = %d, want %d; body %q", tt.method, tt.target, rec.Code, tt.want, rec.Body.String())
			}
			if got := rec.Header().Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
			}
			if tt.want >= 400 && rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("error Cache-Control = %q, want no-store", rec.Header().Get("Cache-Control"))
			}
			if tt.method == "HEAD" && rec.Body.Len() != 0 {
				t.Errorf("HEAD body has %d bytes, want 0", rec.Body.Len())
			}
			if tt.ctype == "image/png" && tt.method == "GET" && !strings.HasPrefix(rec.Body.String(), "\x89PNG\r\n\x1a\n") {
				t.Errorf("body is not a PNG")
			}
		})
	}
	t.Run("HEAD headers equal GET headers", func(t *testing.T) {
		g, hd := get(t, h, "GET", refURL, nil), get(t, h, "HEAD", refURL, nil)
		for _, k := range []string{"Etag", "Content-Length", "Cache-Control", "Content-Type"} {
			if g.Header().Get(k) != hd.Header().Get(k) {
				t.Errorf("%s: GET %q, HEAD %q", k, g.Header().Get(k), hd.Header().Get(k))
			}
		}
	})
	t.Run("preview lists posts but no draft", func(t *testing.T) {
		body := get(t, h, "GET", "/", nil).Body.String()
		for _, want := range []string{"Cilium at KubeCon", "/blog/2024/05/22/hello", `loading="lazy"`, "?v="} {
			if !strings.Contains(body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		for _, bad := range []string{"Secret draft", "Hidden", "Leak", "Outside"} {
			if strings.Contains(body, bad) {
				t.Errorf("preview shows %q", bad)
			}
		}
	})
}

// TestTraversal sends payloads a server that joins paths onto a folder
// would turn into files outside the root; all must 404 without opening any
// file.
func TestTraversal(t *testing.T) {
	dir := writeTree(t, nil)
	content := filepath.Join(dir, "content")
	// A symlink out of the tree, to a file and to a folder: never served.
	if err := os.Symlink(filepath.Join(dir, "outside.md"), filepath.Join(content, "blog", "link.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "content-secret", "blog"), filepath.Join(content, "linked")); err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, Config{Content: content})
	h := s.Handler()
	long := strings.Repeat("a", 1900)
	payloads := []string{
		"/og/../outside.png",
		"/og/..%2Foutside.png",
		"/og/..%2f..%2foutside.png",
		"/og/%2e%2e/outside.png",
		"/og/%2e%2e%2foutside.png",
		"/og/%2E%2E%2Foutside.png",
		"/og/%252e%252e%252foutside.png",
		"/og/%252e%252e/outside.png",
		"/og/....//outside.png",
		"/og/..;/outside.png",
		"/og/..\\outside.png",
		"/og/..%5coutside.png",
		"/og/%c0%ae%c0%ae/outside.png",
		"/og/blog/../../outside.png",
		"/og/../content-secret/blog/leak.png",
		"/og/..%2Fcontent-secret%2Fblog%2Fleak.png",
		"/og/content-secret/blog/leak.png",
		"/og/blog/leak.png",
		"/og/etc/passwd.png",
		"/og//etc/passwd.png",
		"/og/%2Fetc%2Fpasswd.png",
		"/og/" + filepath.ToSlash(dir) + "/outside.png",
		"/og/" + filepath.ToSlash(content) + "/blog/2024-05-22-hello.png",
		"/og/blog/2024-05-22-hello.md.png",
		"/og/blog/2024-05-22-hello.png%00.png",
		"/og/blog/hello%00.png",
		"/og/.git/config.png",
		"/og/git/config.png",
		"/og/.git%2fconfig.png",
		"/og/blog/link.png",
		"/og/outside.png",
		"/og/linked/leak.png",
		"/og/linked/blog/leak.png",
		"/og/" + long + ".png",
		"/og/" + long + "/" + long + ".png",
		"/og/blog/.hidden.png",
		"/og/blog/draft.png",
		"/og/ref/index.png",
		"/og/ref/index.md.png",
		"/og/.png",
		"/og/og/.png",
		"/og/og/../blog/2024/05/22/hello.png",
		"/og/BLOG/2024/05/22/HELLO.png",
		"/og/blog/2024/05/22/hello.png/..",
		"/og/blog/2024/05/22/hello.png.png",
	}
	if len(payloads) < 30 {
		t.Fatalf("only %d payloads", len(payloads))
	}
	opens := s.opens.Load()
	for _, p := range payloads {
		t.Run(clip(p, 60), func(t *testing.T) {
			rec := get(t, h, "GET", p, nil)
			if rec.Code != 404 {
				t.Fatalf("GET %q = %d, want 404", clip(p, 80), rec.Code)
			}
			body := rec.Body.String()
			if body != "not found\n" {
				t.Errorf("body = %q, want the public message only", clip(body, 80))
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", rec.Header().Get("Cache-Control"))
			}
		})
	}
	if n := s.opens.Load() - opens; n != 0 {
		t.Errorf("requests opened %d files, want 0 (only the index reads files)", n)
	}
	for _, e := range s.index.Load().byRel {
		if e.card != nil && (e.card.Title == "Outside" || e.card.Title == "Leak" || e.card.Title == "passwd") {
			t.Errorf("index serves %s (%q) from outside the root", e.rel, e.card.Title)
		}
	}
	// The control: the real post is served.
	if rec := get(t, h, "GET", "/og/blog/2024/05/22/hello.png", nil); rec.Code != 200 {
		t.Errorf("control request = %d, want 200", rec.Code)
	}
}

// TestTraversalRealServer sends raw request lines over TCP, so payloads
// reach the handler exactly as written, with Go's URL parsing in between.
func TestTraversalRealServer(t *testing.T) {
	dir := writeTree(t, nil)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content")})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	for _, p := range []string{
		"/og/..%2F..%2Foutside.png", "/og/%2e%2e%2f%2e%2e%2foutside.png", "/og/../../outside.png",
		"/og/%252e%252e%252foutside.png", "/og/blog%00/x.png", "/og/" + strings.Repeat("%2e%2e%2f", 200) + "etc/passwd.png",
	} {
		t.Run(clip(p, 40), func(t *testing.T) {
			conn, err := net.DialTimeout("tcp", ts.Listener.Addr().String(), 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", p)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 404 && resp.StatusCode != 400 {
				t.Errorf("GET %q = %d, want 404 (or 400 from net/http)", clip(p, 60), resp.StatusCode)
			}
		})
	}
}

func mustSign(t *testing.T, key []byte, path string, q url.Values, exp time.Time) string {
	t.Helper()
	u, err := Sign(key, path, q, exp)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSignedURLs(t *testing.T) {
	dir := writeTree(t, nil)
	key1, key2 := []byte("first-key-0123456789abcdef"), []byte("second-key-0123456789abcdef")
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content"), Keys: [][]byte{key1, key2}, Now: func() time.Time { return now }})
	h := s.Handler()
	q := url.Values{"title": {"Hello ad hoc"}, "summary": {"A summary"}, "tags": {"a,b"}}
	good := mustSign(t, key1, "/render.png", q, time.Time{})
	rotated := mustSign(t, key2, "/render.png", q, time.Time{})
	expiring := mustSign(t, key1, "/render.png", q, now.Add(time.Hour))
	expired := mustSign(t, key1, "/render.png", q, now.Add(-time.Second))
	other := mustSign(t, []byte("not-a-server-key-0123456789"), "/render.png", q, time.Time{})
	otherPath := mustSign(t, key1, "/render/square.png", q, time.Time{})
	_, goodQuery, _ := strings.Cut(good, "?")
	tampered := strings.Replace(good, "Hello", "Hullo", 1)
	extra := good + "&summary=injected"
	tests := []struct {
		name, target string
		want         int
	}{
		{"signed", good, 200},
		{"second key", rotated, 200},
		{"not yet expired", expiring, 200},
		{"unsigned", "/render.png?title=Hello+ad+hoc", 403},
		{"empty sig", "/render.png?title=Hello+ad+hoc&sig=", 403},
		{"garbage sig", "/render.png?title=x&sig=%%%", 403},
		{"tampered title", tampered, 403},
		{"added parameter", extra, 403},
		{"two sigs", good + "&sig=abc", 403},
		{"other key", other, 403},
		{"expired", expired, 403},
		{"expiry removed", strings.Replace(expiring, "exp=", "x=", 1), 403},
		{"signed for another path", "/render.png?" + strings.SplitN(otherPath, "?", 2)[1], 403},
		{"replayed on a post path", "/og/blog/2024/05/22/hello.png?" + goodQuery, 200},
		{"replayed on another path", "/render2.png?" + goodQuery, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			renders := s.metrics.renders.Load() + s.metrics.cacheHits.Load() + s.metrics.cacheMisses.Load()
			rec := get(t, h, "GET", tt.target, nil)
			if rec.Code != tt.want {
				t.Fatalf("GET %s = %d, want %d (%q)", tt.target, rec.Code, tt.want, rec.Body.String())
			}
			after := s.metrics.renders.Load() + s.metrics.cacheHits.Load() + s.metrics.cacheMisses.Load()
			if tt.want == 403 && after != renders {
				t.Errorf("a refused URL reached the renderer or cache")
			}
		})
	}
	t.Run("ad hoc card is the post's title", func(t *testing.T) {
		rec := get(t, h, "GET", good, nil)
		c, _ := testRenderer(t).Card(nil2post(q))
		key, _ := testRenderer(t).Key(c, "og")
		if rec.Header().Get("ETag") != `"`+key+`"` {
			t.Errorf("ETag = %s, want %q", rec.Header().Get("ETag"), key)
		}
	})
}

func TestETag(t *testing.T) {
	dir := writeTree(t, nil)
	content := filepath.Join(dir, "content")
	s := newTestServer(t, Config{Content: content})
	h := s.Handler()
	first := get(t, h, "GET", refURL, nil)
	etag := first.Header().Get("ETag")
	if first.Code != 200 || len(etag) < 10 {
		t.Fatalf("GET = %d, ETag %q", first.Code, etag)
	}
	if cc := first.Header().Get("Cache-Control"); strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=300") {
		t.Errorf("Cache-Control without key = %q, want a short max-age", cc)
	}
	key := strings.Trim(etag, `"`)
	tests := []struct {
		name, target, inm string
		want              int
		cc                string
	}{
		{"match", refURL, etag, 304, "public, max-age=300"},
		{"weak match", refURL, "W/" + etag, 304, "public, max-age=300"},
		{"list", refURL, `"x", ` + etag, 304, "public, max-age=300"},
		{"star", refURL, "*", 304, "public, max-age=300"},
		{"other", refURL, `"other"`, 200, "public, max-age=300"},
		{"keyed URL", refURL + "?v=" + key, "", 200, "public, max-age=31536000, immutable"},
		{"stale key", refURL + "?v=0123", "", 200, "public, max-age=300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, h, "GET", tt.target, map[string]string{"If-None-Match": tt.inm})
			if rec.Code != tt.want {
				t.Fatalf("= %d, want %d", rec.Code, tt.want)
			}
			if rec.Header().Get("ETag") != etag {
				t.Errorf("ETag = %q, want %q", rec.Header().Get("ETag"), etag)
			}
			if rec.Header().Get("Cache-Control") != tt.cc {
				t.Errorf("Cache-Control = %q, want %q", rec.Header().Get("Cache-Control"), tt.cc)
			}
			if tt.want == 304 && rec.Body.Len() != 0 {
				t.Errorf("304 with a body")
			}
		})
	}
	t.Run("edited title gives a new ETag", func(t *testing.T) {
		p := filepath.Join(content, "ref", "index.md")
		edited := strings.Replace(refPost, "CiliumCon Europe 2026", "CiliumCon Europe 2026, updated", 1)
		if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		// Make sure the mtime moves even on coarse-grained file systems.
		later := time.Now().Add(time.Minute)
		os.Chtimes(p, later, later)
		if err := s.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		rec := get(t, h, "GET", refURL, map[string]string{"If-None-Match": etag})
		if rec.Code != 200 {
			t.Fatalf("after edit with old ETag = %d, want 200", rec.Code)
		}
		if got := rec.Header().Get("ETag"); got == etag || got == "" {
			t.Errorf("ETag after edit = %q, old %q: want a new one", got, etag)
		}
		if rec.Body.String() == first.Body.String() {
			t.Errorf("card unchanged after the title changed")
		}
	})
}

// TestOverload sends 64 concurrent requests for distinct uncached cards to a
// server with 2 workers and a queue of 8: each gets 200 or 429, never more
// than 2 render at once, and the 429s say when to retry.
func TestOverload(t *testing.T) {
	extra := map[string]string{}
	for i := range 64 {
		extra[fmt.Sprintf("content/load/p%02d.md", i)] = fmt.Sprintf("---\ntitle: Post number %d under load\n---\n", i)
	}
	dir := writeTree(t, extra)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content"), Workers: 2, Queue: 8, Deadline: time.Minute, CacheBytes: -1})
	var mu sync.Mutex
	running, peak := 0, 0
	s.beforeRender = func(context.Context) error {
		mu.Lock()
		running++
		peak = max(peak, running)
		mu.Unlock()
		time.Sleep(5 * time.Millisecond) // keep slots busy while the burst arrives
		mu.Lock()
		running--
		mu.Unlock()
		return nil
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var ms0 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := client.Get(fmt.Sprintf("%s/og/load/p%02d.png", ts.URL, i))
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	var ms1 runtime.MemStats
	runtime.ReadMemStats(&ms1)
	for code := range codes {
		if code != 200 && code != 429 {
			t.Errorf("got status %d (%v), want only 200 and 429", code, codes)
		}
	}
	if codes[200] < 2 || codes[200] > 64 {
		t.Errorf("codes %v: want at least the 2 workers' renders to succeed", codes)
	}
	if peak > 2 {
		t.Errorf("%d renders at once, want at most 2", peak)
	}
	if s.limit.waiting.Load() != 0 || s.limit.running.Load() != 0 {
		t.Errorf("after the burst: %d waiting, %d running, want 0", s.limit.waiting.Load(), s.limit.running.Load())
	}
	// Admitted renders hold at most workers+queue cards; the heap must not
	// grow with the 64 requests (a card is ~3 MiB of pixels while drawn).
	if grown := int64(ms1.HeapInuse) - int64(ms0.HeapInuse); grown > 64<<20 {
		t.Errorf("heap grew by %d MiB, want under 64", grown>>20)
	}
	t.Logf("codes %v, peak renders %d", codes, peak)
}

// TestSharedRender checks identical concurrent requests render once, on
// /og/ and on the preview's card route, and a cancelled request frees its
// slot.
func TestSharedRender(t *testing.T) {
	dir := writeTree(t, nil)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content"), Workers: 1, Queue: 8, Deadline: time.Minute})
	entered := make(chan struct{}, 16)
	h := s.Handler()
	rendersOnce(t, s, h, refURL, entered)
	// The preview's card route shares them the same way.
	rendersOnce(t, s, h, "/preview/card.png?"+cardQuery(refURLPath(t, s), "square", ""), entered)

	t.Run("cancelled request frees its slot", func(t *testing.T) {
		block := make(chan struct{})
		s.beforeRender = func(context.Context) error { entered <- struct{}{}; <-block; return nil }
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int)
		go func() {
			req := httptest.NewRequest("GET", "/og/blog/2024/05/22/hello.png", nil).WithContext(ctx)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			done <- rec.Code
		}()
		<-entered
		cancel()
		<-done
		close(block)
		// The slot comes back once the abandoned render returns.
		for s.limit.running.Load() != 0 {
			runtime.Gosched()
		}
		s.beforeRender = nil
		if rec := get(t, h, "GET", "/og/blog/2024/05/22/hello.png", nil); rec.Code != 200 {
			t.Errorf("after a cancelled request = %d, want 200", rec.Code)
		}
	})
}

// rendersOnce sends eight identical requests for a card not yet drawn
// while its render is held, and checks they all get it from one render.
// A route that renders outside the server's render path fails after 30 s.
func rendersOnce(t *testing.T, s *Server, h http.Handler, url string, entered chan struct{}) {
	t.Helper()
	gate := make(chan struct{})
	s.beforeRender = func(context.Context) error { entered <- struct{}{}; <-gate; return nil }
	renders, misses := s.metrics.renders.Load(), s.metrics.cacheMisses.Load()
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Go(func() { codes[i] = get(t, h, "GET", url, nil).Code })
	}
	select {
	case <-entered:
	case <-time.After(30 * time.Second):
		close(gate)
		wg.Wait()
		t.Fatalf("%s: no render went through the server's render path in 30 s (%d renders counted)", url, s.metrics.renders.Load()-renders)
	}
	// Wait until all 8 have joined the one render.
	for s.metrics.cacheMisses.Load() < misses+8 {
		runtime.Gosched()
	}
	close(gate)
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Errorf("%s: request %d = %d, want 200", url, i, c)
		}
	}
	if n := s.metrics.renders.Load() - renders; n != 1 {
		t.Errorf("%s: %d renders for 8 identical requests, want 1", url, n)
	}
}

// TestSlowHeaders checks that a client trickling its headers is cut off by
// ReadHeaderTimeout while other clients are served.
func TestSlowHeaders(t *testing.T) {
	dir := writeTree(t, nil)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content")})
	hs := s.HTTPServer("")
	hs.ReadHeaderTimeout = 300 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, hs, ln, 5*time.Second) }()
	defer func() { cancel(); <-served }()
	addr := ln.Addr().String()

	var slow []net.Conn
	for range 8 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n") // never finished
		slow = append(slow, c)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("normal client while slow ones wait: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("normal client = %d, want 200", resp.StatusCode)
	}
	for i, c := range slow {
		c.SetReadDeadline(time.Now().Add(20 * time.Second)) // a bound, not a measurement
		_, err := io.ReadAll(c)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Errorf("slow client %d was not cut off", i)
		}
	}
}

// TestGracefulShutdown cancels the server while renders are in flight: they
// complete and their clients get the cards.
func TestGracefulShutdown(t *testing.T) {
	dir := writeTree(t, nil)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content"), Workers: 2, Deadline: time.Minute})
	gate := make(chan struct{})
	entered := make(chan struct{}, 4)
	s.beforeRender = func(context.Context) error { entered <- struct{}{}; <-gate; return nil }
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, s.HTTPServer(""), ln, time.Minute) }()
	base := "http://" + ln.Addr().String()
	type result struct {
		code int
		n    int
		err  error
	}
	results := make(chan result, 2)
	for _, p := range []string{refURL, "/og/blog/2024/05/22/hello.png"} {
		go func() {
			resp, err := (&http.Client{Timeout: time.Minute}).Get(base + p)
			if err != nil {
				results <- result{err: err}
				return
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			results <- result{resp.StatusCode, len(b), err}
		}()
	}
	<-entered
	<-entered
	cancel() // SIGTERM, as main's signal.NotifyContext delivers it
	// New connections are refused once the listener closes.
	for {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
		if err != nil {
			break
		}
		c.Close()
		runtime.Gosched()
	}
	close(gate)
	for range 2 {
		r := <-results
		if r.err != nil || r.code != 200 || r.n < 1000 {
			t.Errorf("in-flight request: code %d, %d bytes, err %v; want a full 200", r.code, r.n, r.err)
		}
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v, want nil after a graceful shutdown", err)
	}
}

func TestMetrics(t *testing.T) {
	dir := writeTree(t, nil)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content")})
	h := s.Handler()
	get(t, h, "GET", refURL, nil)
	get(t, h, "GET", refURL, nil)
	body := get(t, h, "GET", "/metrics", nil).Body.String()
	for _, want := range []string{
		"ogcard_renders_total 1\n", "ogcard_cache_hits_total 1\n", "ogcard_cache_misses_total 1\n",
		"ogcard_queue_depth 0\n", "ogcard_posts 2\n", `ogcard_render_seconds_bucket{le="+Inf"} 1`,
		"# TYPE ogcard_http_request_seconds histogram", `ogcard_http_requests_total{code="2xx"} 2`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestHTTPError(t *testing.T) {
	secret := fmt.Errorf("post /srv/content/x.md: line 3: yaml: mapping values: %w", errBadRequest)
	tests := []struct {
		err  error
		code int
	}{
		{errNotFound, 404},
		{fmt.Errorf("%w %q", render.ErrUnknownTemplate, "x"), 404},
		{errSignature, 403},
		{errBusy, 429},
		{context.DeadlineExceeded, 503},
		{secret, 400},
		{fmt.Errorf("open /srv/content/x.md: permission denied"), 500},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			code, msg := httpError(tt.err)
			if code != tt.code {
				t.Errorf("httpError = %d, want %d", code, tt.code)
			}
			if strings.Contains(msg, "/srv") || strings.Contains(msg, "yaml") {
				t.Errorf("public message %q leaks the error", msg)
			}
		})
	}
}

// nil2post turns ad-hoc query parameters into the post serveAdHoc builds.
func nil2post(q url.Values) *post.Post {
	front := map[string]any{"title": q.Get("title"), "ogSummary": q.Get("summary")}
	if t := q.Get("tags"); t != "" {
		var l []any
		for _, s := range strings.Split(t, ",") {
			l = append(l, s)
		}
		front["tags"] = l
	}
	return &post.Post{Path: "render.png", Format: post.FormatYAML, Front: front}
}

// TestReplacedPhotoGivesNewCard: a speaker photo replaced on disk changes
// the card's key and pixels, though the post itself did not change.
func TestReplacedPhotoGivesNewCard(t *testing.T) {
	post := "---\ntitle: Talk\npath: /talk\nauthors:\n  - name: Ada Lovelace\n    avatar: ada.png\n---\n"
	dir := writeTree(t, map[string]string{"content/talk/index.md": post})
	content := filepath.Join(dir, "content")
	photo := func(c color.RGBA) {
		img := image.NewRGBA(image.Rect(0, 0, 64, 64))
		draw.Draw(img, img.Rect, image.NewUniform(c), image.Point{}, draw.Src)
		var b bytes.Buffer
		png.Encode(&b, img)
		p := filepath.Join(content, "talk", "ada.png")
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(time.Duration(c.R) * time.Second)
		os.Chtimes(p, later, later)
	}
	photo(color.RGBA{200, 0, 0, 255})
	r, err := render.New(render.Options{
		Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand,
		Card: &card.Options{Root: "."}, ContentRoot: content,
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Content: content, Renderer: r, Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	first := get(t, h, "GET", "/og/talk.png", nil)
	if first.Code != 200 {
		t.Fatalf("GET = %d", first.Code)
	}
	photo(color.RGBA{0, 0, 200, 255})
	if err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	second := get(t, h, "GET", "/og/talk.png", nil)
	if second.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Error("ETag unchanged after the photo was replaced")
	}
	if bytes.Equal(second.Body.Bytes(), first.Body.Bytes()) {
		t.Error("card unchanged after the photo was replaced")
	}
}

// TestSignQueryLimit checks that Sign and the server agree on the longest
// query: a URL Sign makes at exactly MaxQueryBytes is served, and one byte
// more is refused by Sign, naming the long parameter.
func TestSignQueryLimit(t *testing.T) {
	dir := writeTree(t, nil)
	key := []byte("first-key-0123456789abcdef")
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content"), Keys: [][]byte{key}})
	h := s.Handler()
	q := url.Values{"title": {"Long summary"}, "summary": {""}}
	short := mustSign(t, key, "/render.png", q, time.Time{})
	_, query, _ := strings.Cut(short, "?")
	q.Set("summary", strings.Repeat("a", MaxQueryBytes-len(query)))
	atLimit := mustSign(t, key, "/render.png", q, time.Time{})
	if _, query, _ := strings.Cut(atLimit, "?"); len(query) != MaxQueryBytes {
		t.Fatalf("query is %d bytes, want %d", len(query), MaxQueryBytes)
	}
	if rec := get(t, h, "GET", atLimit, nil); rec.Code != 200 {
		t.Errorf("GET a signed URL with a %d-byte query = %d, want 200 (%q)", MaxQueryBytes, rec.Code, rec.Body.String())
	}

	q.Set("summary", q.Get("summary")+"a")
	u, err := Sign(key, "/render.png", q, time.Time{})
	if !errors.Is(err, ErrQueryTooLong) {
		t.Fatalf("Sign with a %d-byte query = %q, %v; want ErrQueryTooLong", MaxQueryBytes+1, u, err)
	}
	for _, want := range []string{"4097 bytes", "at most 4096", "summary ("} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Sign error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "title (") {
		t.Errorf("Sign error %q names the short title", err)
	}
	// What Sign refuses, the server refuses too.
	_, query, _ = strings.Cut(atLimit, "?")
	if rec := get(t, h, "GET", "/render.png?"+query+"a", nil); rec.Code != 400 {
		t.Errorf("GET a %d-byte query = %d, want 400", MaxQueryBytes+1, rec.Code)
	}
}

// TestCachedCardsKeepTheirBytes: a rendered card's encoder buffer goes
// back to the renderer once the cache has its own copy, so cards drawn
// after it must not change what the cache serves.
func TestCachedCardsKeepTheirBytes(t *testing.T) {
	dir := writeTree(t, nil)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content")})
	h := s.Handler()
	urls := []string{refURL, "/og/blog/2024/05/22/hello.png"}
	first := map[string][]byte{}
	for round := range 3 {
		for _, u := range urls {
			w := get(t, h, "GET", u, nil)
			if w.Code != 200 {
				t.Fatalf("%s: %d", u, w.Code)
			}
			if round == 0 {
				first[u] = bytes.Clone(w.Body.Bytes())
			} else if !bytes.Equal(w.Body.Bytes(), first[u]) {
				t.Errorf("round %d: %s serves %d bytes, first %d: its cached copy changed", round, u, w.Body.Len(), len(first[u]))
			}
		}
		// More cards drawn between rounds, some into recycled buffers.
		for _, tm := range []string{"square", "landscape", "portrait"} {
			get(t, h, "GET", "/preview/card.png?"+cardQuery(refURLPath(t, s), tm, ""), nil)
		}
	}
	if hits := s.metrics.cacheHits.Load(); hits < 4 {
		t.Errorf("%d cache hits, want the later rounds served from the cache", hits)
	}
	if _, err := png.Decode(bytes.NewReader(first[refURL])); err != nil {
		t.Errorf("the reference card does not decode: %v", err)
	}
}
