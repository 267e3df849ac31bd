package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// waitFor polls cond until it holds or d passes; it reports whether it held.
func waitFor(d time.Duration, cond func() bool) bool {
	end := time.Now().Add(d)
	for !cond() {
		if time.Now().After(end) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

// TestQueueBound blocks both workers, fills the queue exactly, and checks
// that the next request is refused at once with 429 and Retry-After while
// every admitted one succeeds once the workers are released.
func TestQueueBound(t *testing.T) {
	const workers, queue = 2, 3
	extra := map[string]string{}
	for i := range workers + queue + 1 {
		extra[fmt.Sprintf("content/q/p%d.md", i)] = fmt.Sprintf("---\ntitle: Queued post %d\n---\n", i)
	}
	dir := writeTree(t, extra)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content"), Workers: workers, Queue: queue, Deadline: time.Minute, CacheBytes: -1})
	gate := make(chan struct{})
	entered := make(chan struct{}, workers+queue+1)
	s.beforeRender = func(context.Context) error { entered <- struct{}{}; <-gate; return nil }
	released := false
	release := func() {
		if !released {
			released = true
			close(gate)
		}
	}
	defer release()
	h := s.Handler()
	type result struct {
		i    int
		code int
	}
	results := make(chan result, workers+queue+1)
	send := func(i int) {
		go func() {
			results <- result{i, get(t, h, "GET", fmt.Sprintf("/og/q/p%d.png", i), nil).Code}
		}()
	}

	// Exactly workers requests take the slots and block in the render.
	for i := range workers {
		send(i)
	}
	for range workers {
		select {
		case <-entered:
		case <-time.After(10 * time.Second):
			t.Fatal("the workers' renders never started")
		}
	}
	// Exactly queue requests wait for a slot.
	for i := workers; i < workers+queue; i++ {
		send(i)
	}
	if !waitFor(10*time.Second, func() bool { return s.limit.waiting.Load() == queue }) {
		t.Fatalf("%d requests waiting, want the queue full at %d", s.limit.waiting.Load(), queue)
	}
	if n := s.limit.running.Load(); n != workers {
		t.Fatalf("%d renders running, want %d", n, workers)
	}

	// One more is refused at once, and told when to retry.
	send(workers + queue)
	select {
	case r := <-results:
		if r.i != workers+queue || r.code != http.StatusTooManyRequests {
			t.Fatalf("request %d answered %d first; want request %d to get 429", r.i, r.code, workers+queue)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("request %d beyond %d workers + %d queued was not refused within 5s", workers+queue, workers, queue)
	}
	rec := get(t, h, "GET", fmt.Sprintf("/og/q/p%d.png", workers+queue), nil)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("another request beyond the bound = %d, Retry-After %q; want 429, 1", rec.Code, rec.Header().Get("Retry-After"))
	}

	// Released, every admitted request succeeds.
	release()
	for range workers + queue {
		select {
		case r := <-results:
			if r.code != http.StatusOK {
				t.Errorf("admitted request %d = %d, want 200", r.i, r.code)
			}
		case <-time.After(time.Minute):
			t.Fatal("admitted requests did not finish")
		}
	}
	if n := s.metrics.rejected.Load(); n != 2 {
		t.Errorf("%d rejected, want 2", n)
	}
	if n := s.metrics.renders.Load(); n != workers+queue {
		t.Errorf("%d renders, want %d", n, workers+queue)
	}
}

// TestLRUEviction checks the PNG cache: it evicts the least recently used
// entries (a get counts as a use), its byte total never exceeds the budget,
// and it keeps exactly-sized copies.
func TestLRUEviction(t *testing.T) {
	const size = 1000
	const cost = size + entryOverheadBytes
	keys := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p"}
	tests := []struct {
		name    string
		touch   []string // read after filling, in order
		add     int      // bytes of the new entry "new"
		evicted []string
	}{
		{"untouched: oldest goes", nil, size, []string{"a"}},
		{"read a: b goes", []string{"a"}, size, []string{"b"}},
		{"read a and b: c goes", []string{"b", "a"}, size, []string{"c"}},
		{"read all but e: e goes", []string{"a", "b", "c", "d", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p"}, size, []string{"e"}},
		{"a bigger entry evicts the two oldest", nil, 2 * size, []string{"a", "b"}},
		{"a bigger entry evicts the two least used", []string{"a", "c"}, 2 * size, []string{"b", "d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newLRU(int64(len(keys)) * cost)
			for _, k := range keys {
				c.add(k, make([]byte, size))
			}
			if b, n := c.stats(); b != int64(len(keys))*cost || n != len(keys) {
				t.Fatalf("full cache holds %d bytes in %d entries, want %d in %d", b, n, len(keys)*cost, len(keys))
			}
			for _, k := range tt.touch {
				if _, ok := c.get(k); !ok {
					t.Fatalf("get(%q) missed before any eviction", k)
				}
			}
			c.add("new", make([]byte, tt.add))
			var gone []string
			for _, k := range append(slices.Clone(keys), "new") {
				if _, ok := c.get(k); !ok {
					gone = append(gone, k)
				}
			}
			if !slices.Equal(gone, tt.evicted) {
				t.Errorf("evicted %q, want %q", gone, tt.evicted)
			}
			if b, _ := c.stats(); b > c.budget {
				t.Errorf("cache holds %d bytes, over its budget %d", b, c.budget)
			}
		})
	}

	t.Run("byte total stays within budget", func(t *testing.T) {
		const budget = 64 << 10
		c := newLRU(budget)
		for i := range 2000 {
			// Sizes from tiny to an eighth of the budget, in a fixed order.
			n := (i * 7919) % (budget/8 - entryOverheadBytes)
			c.add(fmt.Sprint(i), make([]byte, n))
			if i%3 == 0 {
				c.get(fmt.Sprint(i / 2))
			}
			b, items := c.stats()
			if b > budget {
				t.Fatalf("after add %d (%d bytes): %d bytes cached, over the budget %d", i, n, b, budget)
			}
			var sum int64
			for el := c.ll.Front(); el != nil; el = el.Next() {
				sum += int64(len(el.Value.(*lruItem).val)) + entryOverheadBytes
			}
			if sum != b || c.ll.Len() != items {
				t.Fatalf("after add %d: stats say %d bytes in %d entries, entries hold %d in %d", i, b, items, sum, c.ll.Len())
			}
		}
	})

	t.Run("exactly-sized copy", func(t *testing.T) {
		c := newLRU(64 << 20)
		buf := make([]byte, 100, 160<<10) // an encoder's buffer, mostly spare
		copy(buf, "PNG")
		kept := c.add("k", buf)
		got, ok := c.get("k")
		if !ok {
			t.Fatal("entry not cached")
		}
		if cap(got) != 100 || cap(kept) != 100 || &got[0] != &kept[0] {
			t.Errorf("cached %d bytes with capacity %d (returned capacity %d), want an exactly-sized copy of 100, returned", len(got), cap(got), cap(kept))
		}
		buf[0] = 'X'
		if !bytes.HasPrefix(got, []byte("PNG")) {
			t.Error("the cached entry changed with the caller's buffer: want a copy")
		}
		if b, _ := c.stats(); b != 100+entryOverheadBytes {
			t.Errorf("cache counts %d bytes, want %d", b, 100+entryOverheadBytes)
		}
	})

	t.Run("over an eighth of the budget is not cached", func(t *testing.T) {
		c := newLRU(8 * cost)
		c.add("small", make([]byte, size))
		c.add("big", make([]byte, size+1))
		if _, ok := c.get("big"); ok {
			t.Error("an entry over an eighth of the budget was cached")
		}
		if _, ok := c.get("small"); !ok {
			t.Error("an entry of an eighth of the budget was not cached")
		}
	})
}

// TestDeadline checks the per-request deadline: a render that outlasts it
// gets 503 with Retry-After soon after the deadline, and the render's
// context is cancelled so its work stops and its slot comes back.
func TestDeadline(t *testing.T) {
	const deadline = 300 * time.Millisecond
	// slack is how late past the deadline the 503 may come on a loaded
	// machine; the renders below would take 10x longer than it.
	const slack = time.Second
	dir := writeTree(t, nil)

	t.Run("render watching its context", func(t *testing.T) {
		s := newTestServer(t, Config{Content: filepath.Join(dir, "content"), Workers: 1, Deadline: deadline})
		stopped := make(chan error, 1)
		s.beforeRender = func(ctx context.Context) error {
			select {
			case <-ctx.Done():
				stopped <- ctx.Err()
				return ctx.Err()
			case <-time.After(10 * slack):
				stopped <- errors.New("the render's context was never cancelled")
				return nil
			}
		}
		start := time.Now()
		rec := get(t, s.Handler(), "GET", refURL, nil)
		took := time.Since(start)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("slow render = %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
		}
		if took < deadline || took > deadline+slack {
			t.Errorf("answered after %v, want between the deadline %v and %v", took, deadline, deadline+slack)
		}
		select {
		case err := <-stopped:
			if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
				t.Errorf("render stopped by %v, want its context cancelled", err)
			}
			if took := time.Since(start); took > deadline+slack {
				t.Errorf("render's context cancelled after %v, want by %v", took, deadline+slack)
			}
		case <-time.After(20 * slack):
			t.Fatal("the render never returned")
		}
		if !waitFor(5*time.Second, func() bool { return s.limit.running.Load() == 0 }) {
			t.Error("the worker slot did not come back after the deadline")
		}
		if n := s.metrics.renders.Load(); n != 0 {
			t.Errorf("%d renders finished, want the cancelled one not to", n)
		}
		if _, n := s.cache.stats(); n != 0 {
			t.Errorf("%d cards cached after a cancelled render, want 0", n)
		}
	})

	t.Run("render ignoring its context", func(t *testing.T) {
		s := newTestServer(t, Config{Content: filepath.Join(dir, "content"), Workers: 1, Deadline: deadline})
		unblock := make(chan struct{})
		defer close(unblock)
		s.beforeRender = func(context.Context) error {
			select {
			case <-unblock:
			case <-time.After(10 * slack):
			}
			return nil
		}
		start := time.Now()
		rec := get(t, s.Handler(), "GET", refURL, nil)
		if took := time.Since(start); rec.Code != http.StatusServiceUnavailable || took > deadline+slack {
			t.Errorf("stuck render = %d after %v, want 503 by %v", rec.Code, took, deadline+slack)
		}
	})
}

// TestSlotSurvivesPanic: a render that panics gives its slot back (the
// preview routes take slots through withSlot; serveHTTP recovers the
// panic), so panics cannot use up the workers one by one.
func TestSlotSurvivesPanic(t *testing.T) {
	const workers = 2
	s := &Server{limit: newLimiter(workers, 0)}
	for range workers + 1 {
		func() {
			defer func() { recover() }()
			s.withSlot(context.Background(), func() error { panic("drawing failed") })
		}()
	}
	if n := len(s.limit.slots); n != 0 {
		t.Fatalf("%d of %d slots still taken after the panics", n, workers)
	}
	for range workers {
		if err := s.limit.acquire(context.Background()); err != nil {
			t.Fatalf("acquire after the panics: %v", err)
		}
	}
}
