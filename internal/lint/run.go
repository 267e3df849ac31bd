package lint

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/config"
	"github.com/ogcard/ogcard/internal/render"
	"github.com/ogcard/ogcard/internal/site"
)

// FromConfig returns a Linter with ogcard.yaml's lint section applied (c
// may be nil). Errors name the config file.
func FromConfig(c *config.Config) (*Linter, error) {
	if c == nil || len(c.File.Lint) == 0 {
		return New(nil)
	}
	s := map[string]Setting{}
	for name, r := range c.File.Lint {
		d, ok := Defaults[name]
		if !ok {
			d = Setting{}
		}
		lv := d.Level
		if r.Level != "" {
			var err error
			if lv, err = ParseLevel(r.Level); err != nil {
				return nil, &config.Error{Path: c.Path, Key: "lint", Err: fmt.Errorf("%s: %w", name, err)}
			}
		}
		s[name] = Setting{Level: lv, Value: r.Value}
	}
	l, err := New(s)
	if err != nil {
		return nil, &config.Error{Path: c.Path, Key: "lint", Err: err}
	}
	return l, nil
}

// CardName names one card of a template: "og", "session-03", "lineup-2of3".
func CardName(template, suffix string) string {
	if suffix == "" {
		return template
	}
	return template + "-" + suffix
}

// Post renders every card each template makes of c and checks it. A
// repeating template makes no card of a post without sessions; that is not
// a finding. post names the post in findings. It returns one sum per
// card, for Duplicates.
func (l *Linter) Post(ctx context.Context, r *render.Renderer, c *card.Card, post string, templates []string) ([]Finding, []Sum, error) {
	var out []Finding
	var sums []Sum
	for _, name := range templates {
		cards, err := r.Inspect(ctx, c, name)
		if errors.Is(err, render.ErrNoCards) {
			continue
		}
		if err != nil {
			return out, sums, err
		}
		for _, in := range cards {
			cn := CardName(name, in.Suffix)
			out = append(out, l.Check(&Card{Post: post, Name: cn, Bytes: len(in.PNG), Pixels: in.Pixels, NoText: in.NoText, Plan: in.Plan, Logo: in.Logo})...)
			sums = append(sums, SumOf(post, cn, in.PNG))
			r.Release(in)
		}
	}
	return out, sums, nil
}

// checkPost is how Site checks one post; tests replace it.
var checkPost = (*Linter).Post

// Report is the outcome of checking many posts.
type Report struct {
	Posts, Cards int
	Findings     []Finding // sorted by post, card and rule
	Failures     []error   // posts that could not be read or rendered, in order
}

// Site checks every entry's cards on up to jobs goroutines (0 means
// GOMAXPROCS), then looks for identical cards across posts. Drafts are
// checked too; files that are no post are skipped. ctx cancels the run.
func (l *Linter) Site(ctx context.Context, r *render.Renderer, entries []site.Entry, templates []string, jobs int) (*Report, error) {
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	type result struct {
		findings []Finding
		sums     []Sum
		cards    int
		err      error
		skipped  bool
	}
	results := make([]result, len(entries))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, max(len(entries), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res := &results[i]
				func() {
					// A panic checking one post (a bug, never the
					// post's fault) is that post's failure, as in the
					// batch build: the other posts are still checked.
					defer func() {
						if v := recover(); v != nil {
							res.findings, res.sums = nil, nil
							res.err = fmt.Errorf("post %s: internal error: panic: %v", entries[i].Abs, v)
						}
					}()
					c, err := site.Resolve(r, entries[i])
					var skip *card.SkipError
					if errors.As(err, &skip) {
						res.skipped = true
						return
					}
					if err != nil {
						res.err = err
						return
					}
					res.findings, res.sums, res.err = checkPost(l, ctx, r, c, entries[i].Abs, templates)
					if res.err != nil {
						res.err = fmt.Errorf("post %s: %w", entries[i].Abs, res.err)
					}
					res.cards = len(res.sums)
				}()
			}
		}()
	}
feed:
	for i := range entries {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep := &Report{}
	var sums []Sum
	for _, res := range results {
		if res.skipped {
			continue
		}
		rep.Posts++
		rep.Cards += res.cards
		rep.Findings = append(rep.Findings, res.findings...)
		sums = append(sums, res.sums...)
		if res.err != nil {
			rep.Failures = append(rep.Failures, res.err)
		}
	}
	rep.Findings = append(rep.Findings, l.Duplicates(sums)...)
	Sort(rep.Findings)
	return rep, nil
}
