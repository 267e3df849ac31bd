package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestMetaHTML(t *testing.T) {
	dir := t.TempDir()
	post := filepath.Join(dir, "content", "posts", "2025-05-20-x.md")
	writeFile(t, post, "---\ntitle: Fish & \"Chips\" 1<2\nauthor: Ann\n---\nbody\n")
	writeFile(t, filepath.Join(dir, "ogcard.yaml"), "site: Shop\nurls: hugo\n")
	code, out, errOut := runCLI(t, "", "meta", post, "--base-url", "https://example.org/og")
	if code != exitOK {
		t.Fatalf("meta = exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		// The card is named after the page URL Hugo gives the post.
		`<meta property="og:image" content="https://example.org/og/posts/2025-05-20-x.png">`,
		`<meta property="og:image:type" content="image/png">`,
		`<meta property="og:image:width" content="1200">`,
		`<meta property="og:image:height" content="630">`,
		`<meta property="og:image:alt" content="Fish &amp; &#34;Chips&#34; 1&lt;2, by Ann — Shop">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<meta name="twitter:image" content="https://example.org/og/posts/2025-05-20-x.png">`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("meta output lacks %s:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "using config "+filepath.Join(dir, "ogcard.yaml")) {
		t.Errorf("stderr does not name the config used: %q", errOut)
	}
}

func TestMetaMultiCardJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "", "meta", refPost, "--template", "og,session,lineup", "--format", "json", "--base-url", "/og/")
	if code != exitOK {
		t.Fatalf("meta = exit %d: %s", code, errOut)
	}
	var got struct {
		Page  string
		Cards []struct {
			URL, Template, Card, Alt string
			Width, Height            int
		}
		Tags []struct{ Property, Name, Content string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// Nothing is drawn, so no file size is known: none is given, not 0.
	if strings.Contains(out, `"bytes"`) {
		t.Errorf("meta gives a file size for cards it did not draw:\n%s", out)
	}
	n := map[string]int{}
	for _, c := range got.Cards {
		n[c.Template]++
		if c.Alt == "" || c.Width == 0 || !strings.HasPrefix(c.URL, "/og/") {
			t.Errorf("card %+v: want alt, size and a URL under /og/", c)
		}
	}
	// The reference post lists 11 talks; the line-up spreads them over
	// two cards of at most six.
	if n["og"] != 1 || n["session"] < 2 || n["lineup"] < 2 || got.Cards[0].Template != "og" {
		t.Errorf("cards per template %v (first %q): want og first, one per talk and per line-up page", n, got.Cards[0].Template)
	}
	images := 0
	for _, tg := range got.Tags {
		if tg.Property == "og:image" {
			images++
		}
	}
	if images != len(got.Cards) {
		t.Errorf("%d og:image tags for %d cards", images, len(got.Cards))
	}
	if !strings.Contains(errOut, "no --base-url") && strings.Contains(errOut, "absolute") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestMetaUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"bad format":   {"meta", refPost, "--format", "xml"},
		"bad base URL": {"meta", refPost, "--base-url", "example.org/og"},
		"bad urls":     {"meta", refPost, "--urls", "gatsby"},
		"no post":      {"meta"},
	} {
		t.Run(name, func(t *testing.T) {
			if code, _, errOut := runCLI(t, "", args...); code != exitUsage {
				t.Errorf("exit %d, want %d: %s", code, exitUsage, errOut)
			}
		})
	}
}

// TestConfigRule: every command finds ogcard.yaml the same way (in the
// start folder or above it), and says which file it used, or that it used
// the built-in brand.
func TestConfigRule(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, ".git"), 0o755) // the search stops at the repository's root
	post := filepath.Join(dir, "content", "posts", "a.md")
	writeFile(t, post, "---\ntitle: A\n---\n")
	cfg := filepath.Join(dir, "ogcard.yaml")
	writeFile(t, cfg, "site: Above\n")
	out := filepath.Join(dir, "public", "og")
	for name, args := range map[string][]string{
		"build":   {"build", filepath.Join(dir, "content"), "-o", out},
		"render":  {"render", post, "-o", filepath.Join(dir, "a.png")},
		"inspect": {"inspect", post},
		"meta":    {"meta", post, "--base-url", "/og/"},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, errOut := runCLI(t, "", args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(errOut, "ogcard: using config "+cfg+"\n") {
				t.Errorf("stderr does not say it used %s:\n%s", cfg, errOut)
			}
			if name == "inspect" && !strings.Contains(stdout, `"Above"`) {
				t.Errorf("inspect did not take the site name from the config above:\n%s", stdout)
			}
		})
	}
	os.Remove(cfg)
	code, _, errOut := runCLI(t, "", "inspect", post)
	if code != exitOK || !strings.Contains(errOut, "using the built-in brand (no ogcard.yaml in "+filepath.Join(dir, "content", "posts")+" or the folders above it up to the repository's root "+dir+")") {
		t.Errorf("without a config: exit %d, stderr %q", code, errOut)
	}
}

// TestBuildState: the build's own state is kept out of the output folder,
// an old one there is moved, and --manifest writes the public manifest.
func TestBuildState(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	writeFile(t, filepath.Join(content, "posts", "a.md"), "---\ntitle: A\n---\n")
	writeFile(t, filepath.Join(dir, "ogcard.yaml"), "urls: hugo\n")
	out := filepath.Join(dir, "static", "og")
	man := filepath.Join(dir, "data", "ogcard.json")
	if code, _, errOut := runCLI(t, "", "build", content, "-o", out, "--manifest", man); code != exitUsage || !strings.Contains(errOut, "--base-url") {
		t.Errorf("--manifest without --base-url: exit %d, %q", code, errOut)
	}
	// An older ogcard left its state in the output folder.
	code, _, errOut := runCLI(t, "", "build", content, "-o", out, "--state", filepath.Join(out, "ogcard-manifest.json"))
	if code != exitOK {
		t.Fatalf("build = exit %d: %s", code, errOut)
	}
	code, stdout, errOut := runCLI(t, "", "build", content, "-o", out, "--base-url", "https://example.org/og/", "--manifest", man)
	if code != exitOK {
		t.Fatalf("build = exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(stdout, "1 post: 0 rendered, 1 unchanged") {
		t.Errorf("the build after the move did not use the moved state: %s", stdout)
	}
	state := filepath.Join(dir, ".ogcard", "state-static-og.json")
	if !strings.Contains(errOut, "moved the build state from "+filepath.Join(out, "ogcard-manifest.json")+" to "+state) {
		t.Errorf("stderr does not say the state moved:\n%s", errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "ogcard-manifest.json")); err == nil {
		t.Error("the state is still in the output folder")
	}
	if _, err := os.Stat(state); err != nil {
		t.Errorf("state: %v", err)
	}
	data, err := os.ReadFile(man)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Pages map[string]struct {
			Source string
			Image  struct{ URL string }
		}
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if p := m.Pages["/posts/a/"]; p.Source != "posts/a.md" || p.Image.URL != "https://example.org/og/posts/a.png" {
		t.Errorf("manifest pages %+v: want /posts/a/ from posts/a.md with its card's URL", m.Pages)
	}
	if _, err := os.Stat(filepath.Join(out, "posts", "a.png")); err != nil {
		t.Errorf("card: %v", err)
	}
	// meta names the card the build wrote, without a build.
	_, metaOut, _ := runCLI(t, "", "meta", filepath.Join(content, "posts", "a.md"), "--base-url", "https://example.org/og/")
	if !strings.Contains(metaOut, `<meta property="og:image" content="https://example.org/og/posts/a.png">`) {
		t.Errorf("meta disagrees with the build:\n%s", metaOut)
	}
}

// TestAuthorData: author ids in posts resolve through the config's
// authors: data, in every command; an unknown id is warned about with
// the post's name.
func TestAuthorData(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ogcard.yaml"), "authors: _data/authors.yml\n")
	writeFile(t, filepath.Join(dir, "_data", "authors.yml"), "ann:\n  name: Ann Lee\n  role: Maintainer\n  company: Acme\n")
	post := filepath.Join(dir, "_posts", "2025-01-02-x.md")
	writeFile(t, post, "---\ntitle: X\nauthor: ann\n---\n")
	ghost := filepath.Join(dir, "_posts", "2025-01-03-y.md")
	writeFile(t, ghost, "---\ntitle: Y\nauthors: [ann, ghost]\n---\n")
	code, out, errOut := runCLI(t, "", "inspect", post)
	if code != exitOK || !strings.Contains(out, `"Name": "Ann Lee"`) || !strings.Contains(out, `"Role": "Maintainer"`) || !strings.Contains(out, `"Company": "Acme"`) {
		t.Errorf("inspect: exit %d, %s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "build", dir, "-o", filepath.Join(dir, "og"), "-v")
	if code != exitOK || !strings.Contains(errOut, ghost+`: author id "ghost" is not in the author data`) {
		t.Errorf("build: exit %d, stderr lacks the unknown id with its post:\n%s", code, errOut)
	}
	if strings.Contains(errOut, post+": author id") {
		t.Errorf("a known id is warned about:\n%s", errOut)
	}
}

// TestURLsChangeRebuilds: changing the URL rules is no reason to skip a
// post: cards move to the new names, the old ones go.
func TestURLsChangeRebuilds(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	writeFile(t, filepath.Join(content, "posts", "2025-05-20-x.md"), "---\ntitle: X\n---\n")
	out := filepath.Join(dir, "og")
	state := filepath.Join(dir, "state.json") // the same state for both builds
	writeFile(t, filepath.Join(dir, "ogcard.yaml"), "site: S\n")
	if code, _, errOut := runCLI(t, "", "build", content, "-o", out, "--state", state); code != exitOK {
		t.Fatal(errOut)
	}
	old := filepath.Join(out, "posts", "2025", "05", "20", "x.png")
	if _, err := os.Stat(old); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "ogcard.yaml"), "site: S\nurls: hugo\n")
	if code, stdout, errOut := runCLI(t, "", "build", content, "-o", out, "--state", state); code != exitOK || !strings.HasPrefix(stdout, "1 post: 1 rendered, 0 unchanged, 0 failed; 1 card drawn, 0 unchanged, 1 removed") {
		t.Errorf("build after urls: hugo: exit %d, %s%s", code, stdout, errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "posts", "2025-05-20-x.png")); err != nil {
		t.Errorf("after urls: hugo: %v", err)
	}
	if _, err := os.Stat(old); err == nil {
		t.Errorf("the card at the old URL is still there")
	}
}

// TestShardsMergeManifest: sharded builds keep their state in their output
// folders for --merge-manifests, which also writes the public manifest.
func TestShardsMergeManifest(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		writeFile(t, filepath.Join(content, n+".md"), "---\ntitle: "+n+"\n---\n")
	}
	out := filepath.Join(dir, "og")
	var states []string
	for i := range 2 {
		if code, _, errOut := runCLI(t, "", "build", content, "-o", out, "--shard", strconv.Itoa(i)+"/2"); code != exitOK {
			t.Fatal(errOut)
		}
		states = append(states, filepath.Join(out, "ogcard-manifest.json"))
		// Shards run on different machines; here they share a folder, so
		// each keeps its state under its own name.
		moved := filepath.Join(dir, "shard"+strconv.Itoa(i)+".json")
		if err := os.Rename(states[i], moved); err != nil {
			t.Fatal(err)
		}
		states[i] = moved
	}
	man := filepath.Join(dir, "data", "ogcard.json")
	args := append([]string{"build", "--merge-manifests", "-o", out, "--base-url", "/og/", "--manifest", man}, states...)
	if code, _, errOut := runCLI(t, "", args...); code != exitOK {
		t.Fatalf("merge: exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(man)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Pages map[string]struct{ Image struct{ URL string } }
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Pages) != 5 || m.Pages["/c"].Image.URL != "/og/c.png" {
		t.Errorf("merged public manifest: %+v, want 5 pages with /c at /og/c.png", m.Pages)
	}
}

// TestConfigSearchStopsAtRepo: an ogcard.yaml above the repository's root
// is not used, and the note says where the search stopped, so a user who
// has one there is not told there is none "above".
func TestConfigSearchStopsAtRepo(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ogcard.yaml"), "site: Outside\n")
	repo := filepath.Join(dir, "repo")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	posts := filepath.Join(repo, "content", "posts")
	post := filepath.Join(posts, "a.md")
	writeFile(t, post, "---\ntitle: A\n---\n")
	code, stdout, errOut := runCLI(t, "", "inspect", post)
	want := "using the built-in brand (no ogcard.yaml in " + posts + " or the folders above it up to the repository's root " + repo + ")\n"
	if code != exitOK || !strings.Contains(errOut, want) || strings.Contains(stdout, "Outside") {
		t.Errorf("exit %d, stderr %q, stdout %q; want 0, %q and not the config above the repository", code, errOut, stdout, want)
	}
	code, _, errOut = runCLI(t, "", "build", repo, "-o", filepath.Join(dir, "out"))
	if want := "using the built-in brand (no ogcard.yaml in " + repo + ")\n"; code != exitOK || !strings.Contains(errOut, want) {
		t.Errorf("build from the repository's root: exit %d, stderr %q; want %q", code, errOut, want)
	}
}
