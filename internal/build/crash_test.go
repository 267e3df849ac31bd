package build

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ogcard/ogcard/internal/atomicfile"
	"github.com/ogcard/ogcard/internal/render"
)

// talk is one session of an event post, in the form the session
// extractor reads from a post's body.
func talk(title, speakers, hours string) string {
	return fmt.Sprintf("[**%s**](https://example.com/%d)  \n*%s | %s*\n\nAbout it.\n\n", title, len(title), speakers, hours)
}

// crashSite writes the fixture of the interruption tests: 12 posts (one
// an event with three talks, so the session template makes three cards of
// it and none of the others), a section index and a draft. v2 is the same
// site edited: a post deleted, one moved to another URL, one turned into a
// draft, a title changed, and a talk dropped.
func crashSite(t *testing.T, root string, v2 bool) {
	t.Helper()
	post := func(name, front string) {
		writeText(t, filepath.Join(root, name), "---\n"+front+"---\nBody of "+name+".\n")
	}
	for i := range 8 {
		title := fmt.Sprintf("Post number %d about cards", i)
		if v2 && i == 3 {
			title = "Post three, renamed"
		}
		front := fmt.Sprintf("title: %s\ndate: 2024-05-%02d\ntags: [t%d]\n", title, i+1, i)
		// The first posts are drawn first: a build killed early has
		// written the cards the edited site no longer has.
		switch {
		case i == 0 && v2:
			continue // deleted
		case i == 1 && v2:
			front += "path: /moved/one\n"
		case i == 2 && v2:
			front += "draft: true\n"
		}
		post(fmt.Sprintf("blog/p%02d.md", i), front)
	}
	post("blog/rtl.md", "title: مرحبا بالعالم\n")
	post("blog/wrap.md", "title: "+strings.Repeat("A very long title that has to wrap ", 4)+"\n")
	writeText(t, filepath.Join(root, "blog/_index.md"), "---\ntitle: Blog\n---\n")
	writeText(t, filepath.Join(root, "blog/wip.md"), "---\ntitle: Work in progress\ndraft: true\n---\n")
	talks := talk("Opening remarks", "Ada Lovelace & Alan Turing, Chairs", "13:25 - 13:30") +
		talk("Flow aggregation", "Grace Hopper, Navy", "13:35 - 14:00") +
		talk("DNS at the edge", "Edsger Dijkstra, TU Eindhoven", "14:10 - 14:35")
	if v2 {
		talks = talk("Opening remarks", "Ada Lovelace & Alan Turing, Chairs", "13:25 - 13:30") +
			talk("Flow aggregation", "Grace Hopper, Navy", "13:35 - 14:00")
	}
	writeText(t, filepath.Join(root, "events/con.md"), "---\ntitle: Our talks at the conference\ndate: 2026-03-23\n---\n\n"+talks)
	writeText(t, filepath.Join(root, "events/meetup.md"), "---\ntitle: A meetup without a programme\n---\nNo talks yet.\n")
	// Fixed times, so a site written again is the same to the manifest.
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if v2 {
		mod = mod.Add(time.Hour)
	}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			err = os.Chtimes(p, mod, mod)
		}
		return err
	})
}

// crasher stands for the disk of a process that dies at its at-th step,
// a file write or removal (1-based): a write leaves half its data in a
// temporary file, as a kill during the write would, and neither that step
// nor any later one reaches the disk. at <= 0 never crashes.
type crasher struct {
	mu     sync.Mutex
	at, n  int
	dead   bool
	cancel context.CancelFunc
}

var errCrashed = errors.New("process killed (simulated)")

func (c *crasher) writeFile(name string, data []byte, perm os.FileMode) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dead {
		return errCrashed
	}
	c.n++
	if c.n != c.at {
		return atomicfile.WriteFile(name, data, perm)
	}
	c.dead = true
	c.cancel() // the rest of the build runs on, but touches nothing
	tmp := filepath.Join(filepath.Dir(name), atomicfile.TempPrefix+filepath.Base(name)+"-crash")
	if err := os.WriteFile(tmp, data[:len(data)/2], perm); err != nil {
		return err
	}
	return errCrashed
}

func (c *crasher) remove(name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dead {
		return errCrashed
	}
	c.n++
	if c.n == c.at {
		c.dead = true
		c.cancel()
		return errCrashed
	}
	return os.Remove(name)
}

// install makes Build's writes go through c, and saves the manifest
// after every card so every state is reached, until restore is called.
func (c *crasher) install() (restore func()) {
	w, wc, rm, every := writeFile, writeCardFile, removeFile, checkpointEvery
	writeFile, removeFile, checkpointEvery = c.writeFile, c.remove, 0
	writeCardFile = func(_ *atomicfile.Batch, name string, data []byte, perm os.FileMode) error {
		return c.writeFile(name, data, perm)
	}
	return func() { writeFile, writeCardFile, removeFile, checkpointEvery = w, wc, rm, every }
}

// crashBuild runs Build with a process death at the at-th write, and
// returns how many writes it made (or tried) and its report.
func crashBuild(t *testing.T, r *render.Renderer, opts Options, at int) (int, *Report) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &crasher{at: at, cancel: cancel}
	defer c.install()()
	rep, err := Build(ctx, r, opts)
	if at > 0 && c.dead && err == nil {
		t.Fatalf("crash at write %d: Build returned no error", at)
	}
	if !c.dead && err != nil {
		t.Fatalf("build without crash: %v", err)
	}
	return c.n, rep
}

// completeBuild runs Build to the end and checks its counts.
func completeBuild(t *testing.T, r *render.Renderer, opts Options) *Report {
	t.Helper()
	rep, err := Build(context.Background(), r, opts)
	if err != nil {
		t.Fatalf("complete build: %v", err)
	}
	if rep.Failed != 0 || rep.Interrupted != 0 || rep.Cancelled {
		t.Fatalf("complete build: %+v, want no failed or interrupted post", rep)
	}
	return rep
}

// tree reads every file under dir, by slash path.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameTree fails the test unless got holds exactly want's files, byte for
// byte (the manifest included: it has no timestamps of its own, and both
// builds read the same source files).
func sameTree(t *testing.T, what string, want, got map[string][]byte) {
	t.Helper()
	var diffs []string
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			diffs = append(diffs, "missing "+name)
		case !bytes.Equal(g, w):
			diffs = append(diffs, fmt.Sprintf("%s differs (%d bytes, want %d)", name, len(g), len(w)))
			if name == ManifestName {
				t.Logf("%s: manifest:\n%s", what, g)
			}
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			diffs = append(diffs, "extra "+name)
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		t.Errorf("%s: output differs from a clean build's: %s", what, strings.Join(diffs, "; "))
	}
}

// withSite rewrites root as version v2 (or v1) of the fixture and
// returns opts.
func withSite(t *testing.T, root string, v2 bool, opts Options) Options {
	t.Helper()
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	crashSite(t, root, v2)
	return opts
}

// copyTree copies the files under src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	for name, data := range tree(t, src) {
		writeText(t, filepath.Join(dst, filepath.FromSlash(name)), string(data))
	}
}

// TestInterruptedBuilds stops a build at every file write it makes (card
// or manifest, a half-written temporary file left behind), and after every
// card by cancelling its context; then runs a complete build and compares
// the output folder with a clean build's, byte for byte. It does so from
// an empty folder and from the folder of an earlier version of the site,
// for templates that give one card per post, several, or none.
func TestInterruptedBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a few thousand cards")
	}
	in := defaultInputs(t)
	for _, tmpls := range [][]string{{"og", "session"}, {"session"}} {
		for _, from := range []string{"empty", "earlier version"} {
			t.Run(strings.Join(tmpls, "+")+"/from "+from, func(t *testing.T) {
				dir := t.TempDir()
				root := filepath.Join(dir, "content")
				r := in.renderer(t, root)
				opts := Options{Root: root, Templates: tmpls, Jobs: 2}
				base := filepath.Join(dir, "base")
				if from != "empty" {
					crashSite(t, root, false)
					opts.OutDir = base
					completeBuild(t, r, opts)
				}
				withSite(t, root, true, opts)
				opts.OutDir = filepath.Join(dir, "clean")
				clean := completeBuild(t, r, opts)
				if tmpls[0] == "og" && clean.CardsRendered != 10+2 || tmpls[0] == "session" && (clean.CardsRendered != 2 || clean.Unchanged != 9) {
					t.Fatalf("clean build: %+v; want 12 cards (og), or 2 session cards and 9 posts with none", clean)
				}
				want := tree(t, opts.OutDir)
				fresh := func(name string) Options {
					o := opts
					o.OutDir = filepath.Join(dir, name)
					if from != "empty" {
						copyTree(t, base, o.OutDir)
					}
					return o
				}

				writes, whole := crashBuild(t, r, fresh("count"), 0)
				if writes < 3 {
					t.Fatalf("a build made %d writes, want at least a card and two manifests", writes)
				}
				for at := 1; at <= writes; at += raceStride {
					o := fresh(fmt.Sprintf("crash%02d", at))
					crashBuild(t, r, o, at)
					completeBuild(t, r, o)
					sameTree(t, fmt.Sprintf("killed at step %d of %d", at, writes), want, tree(t, o.OutDir))
				}
				for k := 0; k <= whole.CardsRendered; k += raceStride {
					o := fresh(fmt.Sprintf("cancel%02d", k))
					ctx, cancel := context.WithCancel(context.Background())
					o.Progress = func(p Progress) {
						if p.Done == k {
							cancel()
						}
					}
					if k == 0 {
						cancel()
					}
					rep, err := Build(ctx, r, o)
					cancel()
					if k < whole.CardsRendered && !errors.Is(err, context.Canceled) || rep.Failed != 0 {
						t.Errorf("cancelled after card %d: err = %v, %d failed; want context.Canceled, none", k, err, rep.Failed)
					}
					o.Progress = nil
					completeBuild(t, r, o)
					sameTree(t, fmt.Sprintf("cancelled after card %d", k), want, tree(t, o.OutDir))
				}
				// A build of the earlier version killed, then the site edited
				// before the complete build: what the killed build wrote
				// for paths the new version no longer has must go.
				writesV1 := 0
				if from == "empty" { // from the earlier version's folder, it is the same
					writesV1, _ = crashBuild(t, r, withSite(t, root, false, fresh("v1count")), 0)
					withSite(t, root, true, opts)
				}
				for at := 1; at <= writesV1; at += raceStride {
					o := withSite(t, root, false, fresh(fmt.Sprintf("edited%02d", at)))
					crashBuild(t, r, o, at)
					withSite(t, root, true, o)
					completeBuild(t, r, o)
					sameTree(t, fmt.Sprintf("killed at step %d of %d, site edited", at, writesV1), want, tree(t, o.OutDir))
				}
				// Several interrupted builds in a row, then a complete one.
				for _, chain := range [][]int{{3, 2, 5}, {writes / 2, 1, writes / 2}, {4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4}} {
					o := fresh(fmt.Sprint("chain", chain))
					for _, at := range chain {
						crashBuild(t, r, o, at)
					}
					completeBuild(t, r, o)
					sameTree(t, fmt.Sprintf("killed at steps %v", chain), want, tree(t, o.OutDir))
				}
			})
		}
	}
}

// TestCountsMustAddUp: a report whose post outcomes do not add up to the
// posts found, or whose cards differ from the manifest's, is an error.
func TestCountsMustAddUp(t *testing.T) {
	m := &Manifest{Posts: []Post{{Source: "a.md", Outputs: []Output{{File: "a.png"}}}, {Source: "b.md"}}}
	tests := []struct {
		name string
		rep  Report
		ok   bool
	}{
		{"adds up", Report{Posts: 3, Rendered: 1, Unchanged: 1, Skipped: map[string]int{"draft": 1}, CardsRendered: 1}, true},
		{"a post with no outcome", Report{Posts: 4, Rendered: 1, Unchanged: 1, Skipped: map[string]int{"draft": 1}, CardsRendered: 1}, false},
		{"a post counted twice", Report{Posts: 3, Rendered: 2, Unchanged: 1, Skipped: map[string]int{"draft": 1}, CardsRendered: 1}, false},
		{"a card the manifest lacks", Report{Posts: 3, Rendered: 1, Unchanged: 1, Skipped: map[string]int{"draft": 1}, CardsRendered: 1, CardsUnchanged: 1}, false},
		{"interrupted", Report{Posts: 3, Rendered: 1, Interrupted: 2, CardsRendered: 5}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rep.check(m)
			if (err == nil) != tt.ok || err != nil && !errors.Is(err, ErrCounts) {
				t.Errorf("check(%+v) = %v, want ok %v", tt.rep, err, tt.ok)
			}
		})
	}
}

// TestCardsSyncedBeforeRecorded: cards are written without a sync each,
// so every state the build saves (each checkpoint and the last) must come
// after a sync of the cards it records as written; a card recorded before
// its sync could be lost to a power failure and then trusted by the next
// build. The test logs every card write, sync and state write in order.
func TestCardsSyncedBeforeRecorded(t *testing.T) {
	in := defaultInputs(t)
	// A state after every card, and none but the first and the last.
	for _, every := range []time.Duration{0, time.Hour} {
		t.Run(every.String(), func(t *testing.T) { cardsSyncedBeforeRecorded(t, in, every) })
	}
}

func cardsSyncedBeforeRecorded(t *testing.T, in inputs, checkpoints time.Duration) {
	dir := t.TempDir()
	root := filepath.Join(dir, "content")
	r := in.renderer(t, root)
	crashSite(t, root, false)
	opts := Options{Root: root, OutDir: filepath.Join(dir, "out"), Templates: []string{"og", "session"}, Jobs: 2}

	var mu sync.Mutex
	written := map[string]int{} // card (slash path under out) -> when it was written
	synced := -1                // when the last sync was
	step := 0
	var states, recorded int
	var bad []string
	w, wc, sc, every := writeFile, writeCardFile, syncCards, checkpointEvery
	defer func() { writeFile, writeCardFile, syncCards, checkpointEvery = w, wc, sc, every }()
	checkpointEvery = checkpoints
	writeCardFile = func(b *atomicfile.Batch, name string, data []byte, perm os.FileMode) error {
		mu.Lock()
		defer mu.Unlock()
		step++
		rel, _ := filepath.Rel(opts.OutDir, name)
		written[filepath.ToSlash(rel)] = step
		return wc(b, name, data, perm)
	}
	syncCards = func(b *atomicfile.Batch) error {
		mu.Lock()
		defer mu.Unlock()
		step++
		synced = step
		return sc(b)
	}
	writeFile = func(name string, data []byte, perm os.FileMode) error {
		mu.Lock()
		defer mu.Unlock()
		step++
		var m Manifest
		if err := json.Unmarshal(data, &m); err == nil {
			states++
			for _, p := range m.Posts {
				for _, o := range p.Outputs {
					at, ok := written[o.File]
					if !ok {
						continue // from no write of this build
					}
					recorded++
					if at > synced {
						bad = append(bad, fmt.Sprintf("state %d records %s, written at step %d, after the last sync (step %d)", states, o.File, at, synced))
					}
				}
			}
		}
		return w(name, data, perm)
	}
	completeBuild(t, r, opts)
	if states < 2 || recorded < 10 {
		t.Fatalf("%d states recording %d cards: the test saw too little", states, recorded)
	}
	if len(bad) > 0 {
		t.Errorf("%d cards recorded before they were synced, first: %s", len(bad), bad[0])
	}
}

// TestCheckpointDoesNotStopWriters: saving the state waits for the disk
// (a sync of every card written so far); the other writers and renderers
// must go on meanwhile. A sync during the build is held until three more
// cards are done; when saving stops the build, they never are.
func TestCheckpointDoesNotStopWriters(t *testing.T) {
	in := defaultInputs(t)
	dir := t.TempDir()
	root := filepath.Join(dir, "content")
	r := in.renderer(t, root)
	crashSite(t, root, false)
	var done atomic.Int64
	opts := Options{Root: root, OutDir: filepath.Join(dir, "out"), Templates: []string{"og"}, Jobs: 2,
		Progress: func(p Progress) { done.Store(int64(p.Done)) }}

	sc, every := syncCards, checkpointEvery
	defer func() { syncCards, checkpointEvery = sc, every }()
	checkpointEvery = 0 // a state after every card
	var held atomic.Bool
	stalled := make(chan int64, 1)
	syncCards = func(b *atomicfile.Batch) error {
		if n := done.Load(); n >= 1 && held.CompareAndSwap(false, true) {
			deadline := time.Now().Add(20 * time.Second)
			for done.Load() < n+3 && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			if done.Load() < n+3 {
				stalled <- n
			}
		}
		return sc(b)
	}
	rep := completeBuild(t, r, opts)
	if !held.Load() || rep.CardsRendered < 8 {
		t.Fatalf("no sync was held during the build (%d cards): the test saw nothing", rep.CardsRendered)
	}
	select {
	case n := <-stalled:
		t.Errorf("while the state recording %d cards was saved, no other card was finished", n)
	default:
	}
}
