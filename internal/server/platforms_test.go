package server

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreviewCardRoutes checks the preview's card routes without a
// browser: the platform page lists lint findings and each platform, the
// PNG route serves any card by key with 304s, and unknown posts,
// templates or cards are 404s.
func TestPreviewCardRoutes(t *testing.T) {
	dir := writeTree(t, nil)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content")})
	h := s.Handler()
	get := func(url, inm string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, url, nil)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	q := cardQuery(refURLPath(t, s), "og", "")
	w := get("/preview/card?"+q, "")
	if w.Code != http.StatusOK {
		t.Fatalf("platform page: %d %s", w.Code, w.Body)
	}
	for _, want := range []string{`data-rule="safe-zone-whatsapp"`, `data-platform="imessage"`, `src="card.png?post=`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("platform page lacks %s", want)
		}
	}
	w = get("/preview/card.png?"+q, "")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" || w.Header().Get("Etag") == "" {
		t.Fatalf("card PNG: %d %v", w.Code, w.Header())
	}
	// The page inspected the card: its image is that render, kept, and
	// the same bytes a render of the card gives.
	if n, hits := s.metrics.renders.Load(), s.metrics.cacheHits.Load(); n != 0 || hits != 1 {
		t.Errorf("after the platform page, its card PNG took %d renders (%d cache hits); want 0 and 1", n, hits)
	}
	e, tmpl, ref, err := s.lookupCard(httptest.NewRequest(http.MethodGet, "/preview/card.png?"+q, nil))
	if err != nil {
		t.Fatal(err)
	}
	img, err := s.cfg.Renderer.RenderCard(context.Background(), e.card, tmpl, ref)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Body.Bytes(), img.PNG) {
		t.Errorf("the card PNG kept from the page's inspection (%d bytes) differs from a render of the card (%d bytes)", w.Body.Len(), len(img.PNG))
	}
	if w2 := get("/preview/card.png?"+q, w.Header().Get("Etag")); w2.Code != http.StatusNotModified {
		t.Errorf("card PNG with its ETag: %d, want 304", w2.Code)
	}
	for _, bad := range []string{
		"/preview/card?" + cardQuery("/nope", "og", ""),
		"/preview/card?" + cardQuery(refURLPath(t, s), "nope", ""),
		"/preview/card.png?" + cardQuery(refURLPath(t, s), "og", "07"),
	} {
		if w := get(bad, ""); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, w.Code)
		}
	}
}
