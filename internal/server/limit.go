package server

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// errBusy means every worker is busy and the queue is full.
var errBusy = errors.New("server busy: render queue full")

// limiter admits at most workers renders at once and lets at most queue
// more wait for a slot; beyond that acquire fails at once with errBusy.
type limiter struct {
	slots   chan struct{}
	queue   int64
	waiting atomic.Int64
	running atomic.Int64
}

func newLimiter(workers, queue int) *limiter {
	return &limiter{slots: make(chan struct{}, workers), queue: int64(queue)}
}

// acquire takes a slot, waiting in the queue if there is room. It returns
// ctx's error when ctx ends first, which gives the queue place back.
func (l *limiter) acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
		l.running.Add(1)
		return nil
	default:
	}
	if l.waiting.Add(1) > l.queue {
		l.waiting.Add(-1)
		return errBusy
	}
	defer l.waiting.Add(-1)
	select {
	case l.slots <- struct{}{}:
		l.running.Add(1)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *limiter) release() {
	l.running.Add(-1)
	<-l.slots
}

// flight makes identical concurrent renders run once. Unlike singleflight,
// the shared render runs under its own context, cancelled when every caller
// waiting for it has gone, so one cancelled request neither fails the others
// nor keeps a worker busy for nobody.
type flight struct {
	mu    sync.Mutex
	calls map[string]*call
}

type call struct {
	done chan struct{}
	refs int
	// abandoned is set, under flight.mu, when every caller has gone.
	abandoned bool
	cancel    context.CancelFunc
	val       []byte
	err       error
}

// do runs fn once per key among concurrent callers and returns its result;
// shared is true for callers that did not start it. base is the context the
// render runs under (the server's), not any one request's.
func (g *flight) do(ctx, base context.Context, key string, fn func(context.Context) ([]byte, error)) (val []byte, shared bool, err error) {
	g.mu.Lock()
	if g.calls == nil {
		g.calls = map[string]*call{}
	}
	c, ok := g.calls[key]
	if ok && c.abandoned {
		ok = false // its render is being cancelled; start afresh
	}
	if ok {
		c.refs++
	} else {
		rctx, cancel := context.WithCancel(base)
		c = &call{done: make(chan struct{}), refs: 1, cancel: cancel}
		g.calls[key] = c
		go func() {
			defer cancel()
			defer func() {
				if v := recover(); v != nil {
					c.err = fmt.Errorf("render panic: %v", v)
				}
				g.mu.Lock()
				if g.calls[key] == c {
					delete(g.calls, key)
				}
				g.mu.Unlock()
				close(c.done)
			}()
			c.val, c.err = fn(rctx)
		}()
	}
	g.mu.Unlock()
	select {
	case <-c.done:
		return c.val, ok, c.err
	case <-ctx.Done():
		g.mu.Lock()
		c.refs--
		if c.refs == 0 {
			c.abandoned = true
			c.cancel()
		}
		g.mu.Unlock()
		return nil, ok, ctx.Err()
	}
}

// lru is a cache of encoded PNGs by render key with a byte budget. Safe for
// concurrent use.
type lru struct {
	mu     sync.Mutex
	budget int64
	used   int64
	ll     *list.List
	items  map[string]*list.Element
}

type lruItem struct {
	key string
	val []byte
}

func newLRU(budget int64) *lru {
	return &lru{budget: budget, ll: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*lruItem).val, true
}

// entryOverheadBytes is what an entry costs besides its PNG (key, list
// element, map slot), counted against the budget so that many small entries
// cannot overrun it.
const entryOverheadBytes = 256

// add stores a copy of val unless it alone is over an eighth of the budget,
// evicting the least recently used entries to stay within it, and returns
// the slice callers should keep: the stored copy, or val when not stored.
// The copy is exactly len(val) bytes: an encoder's buffer has spare
// capacity (160 KiB at least) that the budget would not see.
func (c *lru) add(key string, val []byte) []byte {
	n := int64(len(val)) + entryOverheadBytes
	if n > c.budget/8 {
		return val
	}
	kept := make([]byte, len(val))
	copy(kept, val)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		return el.Value.(*lruItem).val
	}
	c.items[key] = c.ll.PushFront(&lruItem{key, kept})
	c.used += n
	for c.used > c.budget {
		el := c.ll.Back()
		it := el.Value.(*lruItem)
		c.ll.Remove(el)
		delete(c.items, it.key)
		c.used -= int64(len(it.val)) + entryOverheadBytes
	}
	return kept
}

func (c *lru) stats() (bytes int64, items int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used, len(c.items)
}

// withSlot runs fn in a render slot, taken within ctx and given back even
// when fn panics (serveHTTP recovers panics; a slot not given back would be
// lost until restart, and after Workers of them every render is a 429).
func (s *Server) withSlot(ctx context.Context, fn func() error) error {
	if err := s.limit.acquire(ctx); err != nil {
		return err
	}
	defer s.limit.release()
	return fn()
}
