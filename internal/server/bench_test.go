package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// corpusDir is the shared corpus the load benchmarks serve; they skip
// without it.
const corpusDir = "/work/shared/corpus/cilium"

// The load benchmarks run a real server on loopback and 64 concurrent Go
// clients. Run them with:
//
//	go test -run '^$' -bench Serve -benchtime 2000x ./internal/server
//
// They report requests/s, p50 and p99 latency, and the process's peak RSS
// (server and clients share the process, so it is an upper bound).
func benchServer(b *testing.B, cfg Config) (*Server, string) {
	b.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		b.Skipf("corpus not found: %v", err)
	}
	cfg.Content = corpusDir
	s := newTestServer(b, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Serve(ctx, s.HTTPServer(""), ln, 10*time.Second); close(done) }()
	b.Cleanup(func() { cancel(); <-done })
	return s, "http://" + ln.Addr().String()
}

// load sends b.N requests from 64 clients, urls taken round-robin.
func load(b *testing.B, urls []string) {
	b.Helper()
	const clients = 64
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: time.Minute}
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var bad atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				t0 := time.Now()
				resp, err := client.Get(urls[i%len(urls)])
				if err != nil {
					bad.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					bad.Add(1)
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	b.StopTimer()
	if n := bad.Load(); n > 0 {
		b.Errorf("%d of %d requests failed", n, b.N)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/el.Seconds(), "req/s")
	b.ReportMetric(float64(lat[b.N/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[b.N*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peakRSS-MiB")
}

// peakRSS returns the process's peak resident set (VmHWM) in bytes.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func postURLs(s *Server, base string) []string {
	var urls []string
	for _, e := range s.index.Load().list {
		urls = append(urls, base+"/og"+e.card.URLPath+".png")
	}
	return urls
}

// BenchmarkServeCached asks for one card over and over: all cache hits.
func BenchmarkServeCached(b *testing.B) {
	s, base := benchServer(b, Config{})
	urls := postURLs(s, base)[:1]
	http.Get(urls[0])
	load(b, urls)
}

// BenchmarkServeUncached asks for distinct cards with the cache off: every
// request renders. Queue is large so the 64 clients are never refused.
func BenchmarkServeUncached(b *testing.B) {
	s, base := benchServer(b, Config{CacheBytes: -1, Queue: 128, Deadline: time.Minute})
	load(b, postURLs(s, base))
}

// BenchmarkBatchBaseline renders the same cards as BenchmarkServeUncached
// with no HTTP, in a pool of GOMAXPROCS workers as the batch build does:
// the yardstick for uncached throughput.
func BenchmarkBatchBaseline(b *testing.B) {
	s, _ := benchServer(b, Config{})
	list := s.index.Load().list
	workers := cap(s.limit.slots)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				if _, err := s.cfg.Renderer.Render(context.Background(), list[i%len(list)].card, "og"); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "cards/s")
}
