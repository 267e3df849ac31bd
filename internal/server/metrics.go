package server

import (
	"fmt"
	"io"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// histogram is a Prometheus histogram of seconds with fixed buckets.
type histogram struct {
	mu     sync.Mutex
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

func (h *histogram) observe(d time.Duration) {
	s := d.Seconds()
	i := 0
	for i < len(latencyBuckets) && s > latencyBuckets[i] {
		i++
	}
	h.mu.Lock()
	if h.counts == nil {
		h.counts = make([]uint64, len(latencyBuckets)+1)
	}
	h.counts[i]++
	h.sum += s
	h.n++
	h.mu.Unlock()
}

func (h *histogram) write(w io.Writer, name, help, labels string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name)
	sep := ""
	if labels != "" {
		sep = ","
	}
	var cum uint64
	for i, b := range latencyBuckets {
		if h.counts != nil {
			cum += h.counts[i]
		}
		fmt.Fprintf(w, "%s_bucket{%s%sle=\"%g\"} %d\n", name, labels, sep, b, cum)
	}
	fmt.Fprintf(w, "%s_bucket{%s%sle=\"+Inf\"} %d\n", name, labels, sep, h.n)
	fmt.Fprintf(w, "%s_sum %g\n%s_count %d\n", name, h.sum, name, h.n)
}

// metrics are the server's counters, exported at /metrics.
type metrics struct {
	requests      [6]atomic.Uint64 // by status class: 1xx..5xx, index 0 unused
	renders       atomic.Uint64
	renderErrors  atomic.Uint64
	cacheHits     atomic.Uint64
	cacheMisses   atomic.Uint64
	notModified   atomic.Uint64
	shared        atomic.Uint64
	rejected      atomic.Uint64
	renderSeconds histogram
	requestSecs   histogram
}

func (s *Server) writeMetrics(w io.Writer) {
	m := &s.metrics
	counter := func(name, help string, v uint64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	gauge := func(name, help string, v float64) {
		if v == math.Trunc(v) {
			fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %d\n", name, help, name, name, int64(v))
			return
		}
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %g\n", name, help, name, name, v)
	}
	fmt.Fprintf(w, "# HELP ogcard_http_requests_total HTTP requests answered, by status class.\n# TYPE ogcard_http_requests_total counter\n")
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(w, "ogcard_http_requests_total{code=\"%dxx\"} %d\n", i, m.requests[i].Load())
	}
	counter("ogcard_renders_total", "Cards rendered.", m.renders.Load())
	counter("ogcard_render_errors_total", "Renders that failed.", m.renderErrors.Load())
	counter("ogcard_cache_hits_total", "Cards served from the PNG cache.", m.cacheHits.Load())
	counter("ogcard_cache_misses_total", "Cards not in the PNG cache.", m.cacheMisses.Load())
	counter("ogcard_not_modified_total", "Requests answered 304 from the ETag.", m.notModified.Load())
	counter("ogcard_renders_shared_total", "Requests that waited for an identical render in flight.", m.shared.Load())
	counter("ogcard_rejected_total", "Requests answered 429 because the render queue was full.", m.rejected.Load())
	gauge("ogcard_queue_depth", "Renders waiting for a worker.", float64(s.limit.waiting.Load()))
	gauge("ogcard_renders_in_flight", "Renders running now.", float64(s.limit.running.Load()))
	gauge("ogcard_workers", "Renders allowed at once.", float64(cap(s.limit.slots)))
	b, n := s.cache.stats()
	gauge("ogcard_cache_bytes", "Bytes of PNG in the cache.", float64(b))
	gauge("ogcard_cache_items", "Cards in the cache.", float64(n))
	gauge("ogcard_posts", "Posts in the index.", float64(len(s.index.Load().byPath)))
	m.renderSeconds.write(w, "ogcard_render_seconds", "Time to render and encode one card.", "")
	m.requestSecs.write(w, "ogcard_http_request_seconds", "Time to answer a card request.", "")
}
