package build

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ogcard/ogcard/internal/atomicfile"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/render"
	"github.com/ogcard/ogcard/internal/site"
)

// inputs are the renderer's inputs, read from the repo's embedded-asset
// folders so a test can change one.
type inputs struct {
	fonts     fstest.MapFS
	templates fs.FS
	brand     []byte
	extra     map[string][]byte
}

func defaultInputs(t *testing.T) inputs {
	t.Helper()
	fonts := fstest.MapFS{}
	names, err := filepath.Glob("../../fonts/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		fonts[filepath.Base(n)] = &fstest.MapFile{Data: data}
	}
	brand, err := os.ReadFile("../../assets/brand.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return inputs{fonts: fonts, templates: os.DirFS("../../assets/templates"), brand: brand}
}

func (in inputs) renderer(t *testing.T, root string) *render.Renderer {
	t.Helper()
	r, err := render.New(render.Options{
		Fonts: in.fonts, Templates: in.templates, Brand: in.brand, BrandName: "brand.yaml",
		ExtraTemplates: in.extra, Card: &card.Options{Root: root},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func writeText(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newSite writes a small content tree: three posts, a section index, a draft.
func newSite(t *testing.T) (root, out string) {
	t.Helper()
	dir := t.TempDir()
	root, out = filepath.Join(dir, "content"), filepath.Join(dir, "public")
	writeText(t, filepath.Join(root, "blog/2024-05-22-alpha.md"), "---\ntitle: Alpha post\ndate: 2024-05-22\n---\nThe body of alpha.\n")
	writeText(t, filepath.Join(root, "blog/beta/index.md"), "---\ntitle: Beta ünïcode “post”\ntags: [go, cards]\n---\nBeta body.\n")
	writeText(t, filepath.Join(root, "blog/gamma.mdx"), "---\ntitle: Gamma\npath: /custom/gamma-path\n---\nimport X from 'x'\n\nGamma.\n")
	writeText(t, filepath.Join(root, "blog/_index.md"), "---\ntitle: Blog\n---\n")
	writeText(t, filepath.Join(root, "blog/wip.md"), "---\ntitle: Work in progress\ndraft: true\n---\n")
	return root, out
}

var wantFiles = []string{"blog/2024/05/22/alpha.png", "blog/beta.png", "custom/gamma-path.png"}

func TestIncremental(t *testing.T) {
	tests := []struct {
		name         string
		change       func(t *testing.T, root, out string, in *inputs)
		wantRendered int
		wantWarning  bool
	}{
		{"nothing changed", func(*testing.T, string, string, *inputs) {}, 0, false},
		{"title edited", func(t *testing.T, root, _ string, _ *inputs) {
			writeText(t, filepath.Join(root, "blog/2024-05-22-alpha.md"), "---\ntitle: Alpha post, renamed\ndate: 2024-05-22\n---\nThe body of alpha.\n")
		}, 1, false},
		{"body edited", func(t *testing.T, root, _ string, _ *inputs) {
			writeText(t, filepath.Join(root, "blog/2024-05-22-alpha.md"), "---\ntitle: Alpha post\ndate: 2024-05-22\n---\nA new body, longer.\n\nWith a second paragraph.\n")
		}, 0, false},
		{"new post", func(t *testing.T, root, _ string, _ *inputs) {
			writeText(t, filepath.Join(root, "blog/delta.md"), "---\ntitle: Delta\n---\n")
		}, 1, false},
		{"card file deleted", func(t *testing.T, _, out string, _ *inputs) {
			if err := os.Remove(filepath.Join(out, "blog/beta.png")); err != nil {
				t.Fatal(err)
			}
		}, 1, false},
		{"card file truncated", func(t *testing.T, _, out string, _ *inputs) {
			writeText(t, filepath.Join(out, "blog/beta.png"), "x")
		}, 1, false},
		{"brand changed", func(_ *testing.T, _, _ string, in *inputs) {
			in.brand = []byte(strings.Replace(string(in.brand), "#38bdf8", "#ff0000", 1))
		}, 3, false},
		{"font removed", func(_ *testing.T, _, _ string, in *inputs) {
			delete(in.fonts, "NotoSansHebrew-Bold.ttf")
		}, 3, false},
		{"template changed", func(t *testing.T, _, _ string, in *inputs) {
			data, err := fs.ReadFile(in.templates, "og.yaml")
			if err != nil {
				t.Fatal(err)
			}
			in.extra = map[string][]byte{"og.yaml": append(data, "\n# edited\n"...)}
		}, 3, false},
		{"manifest corrupt", func(t *testing.T, _, out string, _ *inputs) {
			writeText(t, filepath.Join(out, ManifestName), `{"version": 1, "posts": [`)
		}, 3, true},
		{"manifest of another version", func(t *testing.T, _, out string, _ *inputs) {
			writeText(t, filepath.Join(out, ManifestName), `{"version": 99, "posts": []}`)
		}, 3, true},
		{"manifest missing", func(t *testing.T, _, out string, _ *inputs) {
			if err := os.Remove(filepath.Join(out, ManifestName)); err != nil {
				t.Fatal(err)
			}
		}, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, out := newSite(t)
			in := defaultInputs(t)
			opts := Options{Root: root, OutDir: out, Jobs: 2}
			rep, err := Build(context.Background(), in.renderer(t, root), opts)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Rendered != 3 || rep.Skipped["not a post"] != 1 || rep.Skipped["draft"] != 1 || rep.Failed != 0 {
				t.Fatalf("cold build: %+v, want 3 rendered, 1 not a post, 1 draft", rep)
			}
			for _, f := range wantFiles {
				decodePNG(t, filepath.Join(out, f))
			}
			manFile := filepath.Join(out, ManifestName)
			before, _ := os.Stat(manFile)
			tt.change(t, root, out, &in)
			rep, err = Build(context.Background(), in.renderer(t, root), opts)
			if err != nil {
				t.Fatal(err)
			}
			// Only a build that changes nothing leaves the state file
			// as it was (it is rewritten by rename: a new file, whose
			// inode may be an old one's, with a new time).
			after, err := os.Stat(manFile)
			if err != nil {
				t.Fatal(err)
			}
			if kept := before != nil && os.SameFile(before, after) && before.ModTime().Equal(after.ModTime()); kept != (tt.name == "nothing changed") {
				t.Errorf("rebuild kept the state file: %v, want %v", kept, tt.name == "nothing changed")
			}
			if rep.Rendered != tt.wantRendered || rep.Failed != 0 {
				t.Errorf("rebuild: rendered %d, failed %d (%v); want %d, 0", rep.Rendered, rep.Failed, rep.Failures, tt.wantRendered)
			}
			if got := len(rep.Warnings) > 0; got != tt.wantWarning {
				t.Errorf("rebuild warnings = %q, want some: %v", rep.Warnings, tt.wantWarning)
			}
			m, err := ReadManifest(filepath.Join(out, ManifestName))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range m.Posts {
				for _, o := range p.Outputs {
					info, err := os.Stat(filepath.Join(out, filepath.FromSlash(o.File)))
					if err != nil || info.Size() != o.Bytes || o.Width != 1200 || o.Height != 630 || o.Key == "" {
						t.Errorf("manifest output %+v: file %v, %v", o, info, err)
					}
				}
			}
			// A third build changes nothing whatever the second did, and
			// leaves the state as the second wrote it.
			data, _ := os.ReadFile(manFile)
			rep, err = Build(context.Background(), in.renderer(t, root), opts)
			if err != nil || rep.Rendered != 0 {
				t.Errorf("third build: rendered %d, err %v; want 0, nil", rep.Rendered, err)
			}
			third, err := os.Stat(manFile)
			if err != nil || !os.SameFile(after, third) || !after.ModTime().Equal(third.ModTime()) {
				t.Errorf("third build rewrote the state file (%v)", err)
			}
			if now, _ := os.ReadFile(manFile); !bytes.Equal(now, data) {
				t.Error("third build changed the state file")
			}
		})
	}
}

func decodePNG(t *testing.T, name string) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

func TestFailedPostKeepsItsCard(t *testing.T) {
	root, out := newSite(t)
	in := defaultInputs(t)
	r := in.renderer(t, root)
	opts := Options{Root: root, OutDir: out}
	if _, err := Build(context.Background(), r, opts); err != nil {
		t.Fatal(err)
	}
	card := filepath.Join(out, "blog/beta.png")
	before, err := os.ReadFile(card)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(root, "blog/beta/index.md")
	writeText(t, bad, "+++\ntitle = \"Beta\"\ntitle = \"twice\"\n+++\n") // TOML refuses a repeated key
	for _, run := range []string{"first", "rerun"} {
		rep, err := Build(context.Background(), r, opts)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Failed != 1 || len(rep.Failures) != 1 || rep.Failures[0].Path != bad || rep.Failures[0].Line != 3 {
			t.Fatalf("%s: failures %+v, want one at %s:3", run, rep.Failures, bad)
		}
		if s := rep.Failures[0].String(); !strings.HasPrefix(s, bad+":3: ") || strings.Contains(s, "post "+bad) {
			t.Errorf("%s: failure reads %q, want %q without the path repeated", run, s, bad+":3: ...")
		}
		after, err := os.ReadFile(card)
		if err != nil || string(after) != string(before) {
			t.Errorf("%s: the failed post's previous card changed or went (%v)", run, err)
		}
		m, err := ReadManifest(filepath.Join(out, ManifestName))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range m.Posts {
			if p.Source == "blog/beta/index.md" {
				found = p.Error != "" && len(p.Outputs) == 1 && p.Outputs[0].File == "blog/beta.png"
			}
		}
		if !found {
			t.Errorf("%s: manifest lost the failed post's previous card, or has no error for it", run)
		}
	}
}

func TestFailFast(t *testing.T) {
	root, out := newSite(t)
	writeText(t, filepath.Join(root, "blog/000-bad.md"), "---\ntitle: [unclosed\n---\n")
	in := defaultInputs(t)
	rep, err := Build(context.Background(), in.renderer(t, root), Options{Root: root, OutDir: out, Jobs: 1, FailFast: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 1 || rep.Rendered != 0 {
		t.Errorf("fail-fast build: %d failed, %d rendered; want 1, 0", rep.Failed, rep.Rendered)
	}
}

func TestConfigErrorsWriteNothing(t *testing.T) {
	root, out := newSite(t)
	in := defaultInputs(t)
	r := in.renderer(t, root)
	tests := []struct {
		name string
		opts Options
	}{
		{"unknown template", Options{Root: root, OutDir: out, Templates: []string{"nope"}}},
		{"missing root", Options{Root: filepath.Join(root, "nope"), OutDir: out}},
		{"no output", Options{Root: root}},
		{"bad shard", Options{Root: root, OutDir: out, Shard: 2, Shards: 2}},
		{"bad glob", Options{Root: root, OutDir: out, Site: siteOptions("[")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(context.Background(), r, tt.opts)
			if !errors.Is(err, ErrConfig) {
				t.Errorf("Build: err = %v, want ErrConfig", err)
			}
			if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("output folder exists after a config error (%v)", err)
			}
		})
	}
}

func TestColocate(t *testing.T) {
	root, _ := newSite(t)
	writeText(t, filepath.Join(root, "blog/beta/index.md"), "---\ntitle: Beta\nogImage: social.png\n---\n")
	writeText(t, filepath.Join(root, "blog/2024-05-22-alpha.md"), "---\ntitle: Alpha\nogImage: alpha.png\n---\n")
	writeText(t, filepath.Join(root, "blog/alpha.png"), "not ours")
	writeText(t, filepath.Join(root, "blog/jpeg.md"), "---\ntitle: J\nimage: j.jpg\n---\n")
	in := defaultInputs(t)
	r := in.renderer(t, root)
	rep, err := Build(context.Background(), r, Options{Root: root, Colocate: true})
	if err != nil {
		t.Fatal(err)
	}
	decodePNG(t, filepath.Join(root, "blog/beta/social.png"))
	if data, _ := os.ReadFile(filepath.Join(root, "blog/alpha.png")); string(data) != "not ours" {
		t.Errorf("colocate overwrote a file ogcard did not write")
	}
	if rep.Rendered != 1 || rep.Failed != 2 || rep.Skipped["no image path"] != 1 {
		t.Errorf("colocate: %d rendered, %d failed (%v), skipped %v; want 1, 2 (alpha exists, j.jpg), 1 no image path", rep.Rendered, rep.Failed, rep.Failures, rep.Skipped)
	}
	rep, err = Build(context.Background(), r, Options{Root: root, Colocate: true, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	decodePNG(t, filepath.Join(root, "blog/alpha.png"))
	if rep.Rendered != 1 || rep.Unchanged != 1 {
		t.Errorf("colocate --force: %d rendered, %d unchanged; want 1, 1", rep.Rendered, rep.Unchanged)
	}
}

func TestShardsMerge(t *testing.T) {
	root, _ := newSite(t)
	in := defaultInputs(t)
	r := in.renderer(t, root)
	dir := t.TempDir()
	var files []string
	total := 0
	for i := range 2 {
		out := filepath.Join(dir, "shard"+string(rune('0'+i)))
		rep, err := Build(context.Background(), r, Options{Root: root, OutDir: out, Shard: i, Shards: 2})
		if err != nil {
			t.Fatal(err)
		}
		total += rep.Rendered
		files = append(files, filepath.Join(out, ManifestName))
	}
	if total != 3 {
		t.Errorf("shards rendered %d cards in all, want 3", total)
	}
	m, err := MergeManifests(filepath.Join(dir, ManifestName), files)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Posts) != 3 {
		t.Fatalf("merged manifest has %d posts, want 3", len(m.Posts))
	}
	for _, p := range m.Posts {
		decodePNG(t, filepath.Join(dir, filepath.FromSlash(p.Outputs[0].File)))
	}
	if _, err := MergeManifests(filepath.Join(dir, ManifestName), []string{files[0], files[0]}); !errors.Is(err, ErrManifest) {
		t.Errorf("merging a manifest with itself: err = %v, want ErrManifest", err)
	}
}

func siteOptions(include string) site.Options {
	return site.Options{Include: []string{include}}
}

// TestMultiCardTemplates: a session template makes one card per talk for
// the event post and none for the others (no failure), named by suffix;
// a rebuild renders nothing.
func TestMultiCardTemplates(t *testing.T) {
	root, out := newSite(t)
	ref, err := os.ReadFile("../../testdata/posts/cilium-at-kubecon-eu-2026.md")
	if err != nil {
		t.Fatal(err)
	}
	writeText(t, filepath.Join(root, "events/kubecon.md"), string(ref))
	r := defaultInputs(t).renderer(t, root)
	opts := Options{Root: root, OutDir: out, Templates: []string{"og", "session"}}
	rep, err := Build(context.Background(), r, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 || rep.CardsRendered != 4+16 {
		t.Fatalf("rendered %d cards, failed %d (%v); want 20 (4 og cards, 16 session cards), 0", rep.CardsRendered, rep.Failed, rep.Failures)
	}
	for _, f := range []string{"blog/2026/01/23/cilium-at-kubecon-eu-2026-session-01.png", "blog/2026/01/23/cilium-at-kubecon-eu-2026-session-16.png"} {
		decodePNG(t, filepath.Join(out, filepath.FromSlash(f)))
	}
	m, err := ReadManifest(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Posts {
		if p.Source == "events/kubecon.md" {
			if len(p.Outputs) != 17 || p.Outputs[1].Card == "" {
				t.Errorf("manifest lists %d outputs for the event post, want 17 with card suffixes", len(p.Outputs))
			}
		}
	}
	rep, err = Build(context.Background(), r, opts)
	if err != nil || rep.CardsRendered != 0 || rep.CardsUnchanged != 20 || rep.Unchanged != 4 {
		t.Errorf("rebuild: %d cards rendered, %d unchanged (%d posts), err %v; want 0, 20 (4)", rep.CardsRendered, rep.CardsUnchanged, rep.Unchanged, err)
	}
}

// TestStaleCardsRemoved: a deleted post's card, and the cards of a
// template no longer built, are removed; nothing else is.
func TestStaleCardsRemoved(t *testing.T) {
	root, out := newSite(t)
	r := defaultInputs(t).renderer(t, root)
	if _, err := Build(context.Background(), r, Options{Root: root, OutDir: out, Templates: []string{"og", "square"}}); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(out, "notes.txt")
	writeText(t, mine, "not ogcard's")
	os.Remove(filepath.Join(root, "blog/beta/index.md"))
	rep, err := Build(context.Background(), r, Options{Root: root, OutDir: out, Templates: []string{"og"}})
	if err != nil {
		t.Fatal(err)
	}
	// beta's og and square cards, and alpha's and gamma's square cards.
	if rep.Removed != 4 || rep.Rendered != 0 {
		t.Errorf("removed %d, rendered %d; want 4, 0", rep.Removed, rep.Rendered)
	}
	for _, f := range []string{"blog/beta.png", "blog/beta-square.png", "blog/2024/05/22/alpha-square.png"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(f))); err == nil {
			t.Errorf("%s is still there", f)
		}
	}
	for _, f := range []string{"blog/2024/05/22/alpha.png", "notes.txt"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(f))); err != nil {
			t.Errorf("%s was removed: %v", f, err)
		}
	}
}

// TestColocateDefaultName checks that --colocate writes og.png into a page
// bundle whose post names no ogImage, and says which posts it named; that
// a plain file post without one is still skipped; and that a cover
// picture at the card's own path is not drawn on it.
func TestColocateDefaultName(t *testing.T) {
	root, _ := newSite(t)
	writeText(t, filepath.Join(root, "blog/delta/index.md"), "---\ntitle: Delta\ncover: ./og.png\n---\n")
	in := defaultInputs(t)
	r := in.renderer(t, root)
	rep, err := Build(context.Background(), r, Options{Root: root, Colocate: true})
	if err != nil {
		t.Fatal(err)
	}
	decodePNG(t, filepath.Join(root, "blog/beta/og.png"))
	decodePNG(t, filepath.Join(root, "blog/delta/og.png"))
	// delta names its card through cover (an image key too): not named by default.
	want := []string{filepath.Join(root, "blog/beta/index.md")}
	if !slices.Equal(rep.DefaultNamed, want) {
		t.Errorf("DefaultNamed = %q, want %q", rep.DefaultNamed, want)
	}
	if rep.Rendered != 2 || rep.Skipped["no image path"] != 2 {
		t.Errorf("%d rendered, skipped %v; want 2, and 2 with no image path (alpha, gamma: not bundles)", rep.Rendered, rep.Skipped)
	}
	found := false
	for _, w := range rep.CardWarnings {
		found = found || strings.Contains(w, "delta/index.md") && strings.Contains(w, `cover "./og.png" is where --colocate writes this card`)
	}
	if !found {
		t.Errorf("no warning about delta's cover being its own card; warnings: %q", rep.CardWarnings)
	}
	// The second build finds its own og.png files and draws nothing: a
	// cover read from the card itself would change the key every time.
	rep, err = Build(context.Background(), r, Options{Root: root, Colocate: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rendered != 0 || rep.Unchanged != 2 {
		t.Errorf("second build: %d rendered, %d unchanged; want 0, 2", rep.Rendered, rep.Unchanged)
	}
}

// TestWarningsOfUnchangedPosts checks that a post's warnings are reported
// by a build that finds it unchanged and does not read it again.
func TestWarningsOfUnchangedPosts(t *testing.T) {
	root, out := newSite(t)
	writeText(t, filepath.Join(root, "blog/twice.md"), "---\ntitle: A\ntitle: B\n---\n")
	in := defaultInputs(t)
	r := in.renderer(t, root)
	var first []string
	for i := range 2 {
		rep, err := Build(context.Background(), r, Options{Root: root, OutDir: out})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range rep.CardWarnings {
			if strings.Contains(w, "twice.md") {
				got = append(got, w)
			}
		}
		if i == 0 {
			if len(got) == 0 {
				t.Fatalf("first build: no warning about twice.md's repeated key; warnings %q", rep.CardWarnings)
			}
			first = got
			continue
		}
		if rep.Unchanged != 4 || !slices.Equal(got, first) {
			t.Errorf("second build: %d unchanged (want 4), twice.md's warnings %q, want %q", rep.Unchanged, got, first)
		}
	}
}

// TestMissingGlyphWarnsOncePerPost: a post whose title has a character no
// font has gets one warning line, though two templates draw it.
func TestMissingGlyphWarnsOncePerPost(t *testing.T) {
	root, out := newSite(t)
	writeText(t, filepath.Join(root, "blog/linear-b.md"), "---\ntitle: Linear B \U00010000 and \U00010000 again\n---\n")
	r := defaultInputs(t).renderer(t, root)
	rep, err := Build(context.Background(), r, Options{Root: root, OutDir: out, Templates: []string{"og", "square"}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, w := range rep.CardWarnings {
		if strings.Contains(w, "linear-b.md") && strings.Contains(w, "U+10000") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d warnings about U+10000 in %q, want 1", n, rep.CardWarnings)
	}
}

// TestMakeDir: a new folder, one whose parents are new too, and one that
// exists all come out as folders.
func TestMakeDir(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"a", "b/c/d", "a", "b/c"} {
		p := filepath.Join(root, d)
		if err := makeDir(p); err != nil {
			t.Fatalf("makeDir %s: %v", d, err)
		}
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			t.Fatalf("after makeDir %s: %v, %v", d, fi, err)
		}
	}
}

// TestLeftTempsRemoved: temporary files an interrupted build left in the
// output folder are gone after the next build, which says so, and gone
// before it writes its first card (the search for them runs beside the
// reading of posts; a slow one must still end first); other files stay.
func TestLeftTempsRemoved(t *testing.T) {
	root, out := newSite(t)
	r := defaultInputs(t).renderer(t, root)
	opts := Options{Root: root, OutDir: out, Templates: []string{"og"}}
	if _, err := Build(context.Background(), r, opts); err != nil {
		t.Fatal(err)
	}
	temps := []string{
		filepath.Join(out, "blog/2024/05/22", atomicfile.TempPrefix+"alpha.png-123"),
		filepath.Join(out, atomicfile.TempPrefix+"manifest-9"),
	}
	for _, p := range temps {
		writeText(t, p, "half a card")
	}
	os.Remove(filepath.Join(out, "blog/beta.png")) // one card to write again
	clean, write := cleanOutput, writeCardFile
	defer func() { cleanOutput, writeCardFile = clean, write }()
	cleanOutput = func(dir string) int {
		time.Sleep(200 * time.Millisecond)
		return clean(dir)
	}
	writes := 0
	writeCardFile = func(b *atomicfile.Batch, name string, data []byte, perm os.FileMode) error {
		writes++
		for _, p := range temps {
			if _, err := os.Stat(p); err == nil {
				t.Errorf("card %s written while %s, left by an earlier build, was still there", name, p)
			}
		}
		return write(b, name, data, perm)
	}
	rep, err := Build(context.Background(), r, opts)
	if err != nil {
		t.Fatal(err)
	}
	if writes != 1 || !slices.Contains(rep.Warnings, "removed 2 temporary files left by an interrupted build") {
		t.Errorf("%d cards written, warnings %q; want 1, and the removal said", writes, rep.Warnings)
	}
	for _, p := range temps {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s is still there", p)
		}
	}
	for _, f := range wantFiles {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(f))); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestParallel: every index once, on at most jobs goroutines at a time,
// and no new index once ctx is done.
func TestParallel(t *testing.T) {
	for _, jobs := range []int{1, 2, 5} {
		var mu sync.Mutex
		seen := map[int]int{}
		var running, most atomic.Int64
		parallel(context.Background(), jobs, 200, func(i int) {
			n := running.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(50 * time.Microsecond)
			mu.Lock()
			seen[i]++
			mu.Unlock()
			running.Add(-1)
		})
		if len(seen) != 200 {
			t.Errorf("jobs %d: %d of 200 indices run", jobs, len(seen))
		}
		for i, n := range seen {
			if n != 1 || i < 0 || i >= 200 {
				t.Errorf("jobs %d: index %d run %d times", jobs, i, n)
			}
		}
		if m := most.Load(); m > int64(jobs) {
			t.Errorf("jobs %d: %d ran at once", jobs, m)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int64
	parallel(ctx, 2, 1000, func(i int) {
		if calls.Add(1) == 10 {
			cancel()
		}
	})
	if n := calls.Load(); n < 10 || n > 12 {
		t.Errorf("cancelled at the 10th of 1000 calls on 2 goroutines: %d made, want 10-12", n)
	}
}
