package sitemanifest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogcard/ogcard/internal/build"
)

func state() *build.Manifest {
	return &build.Manifest{Version: build.ManifestVersion, Posts: []build.Post{
		{Source: "posts/a.md", URLPath: "/posts/a", Page: "/posts/a/", Title: "A", SourceMod: 42, Inputs: "secret",
			Outputs: []build.Output{
				{File: "posts/a-session-01.png", Template: "session", Card: "01", Width: 1080, Height: 1080, Bytes: 9, Key: "k1", Alt: "Talk: X"},
				{File: "posts/a.png", Template: "og", Width: 1200, Height: 630, Bytes: 7, Key: "k2"},
			}},
		{Source: "b.md", URLPath: "/b", Title: "B & <C>", Outputs: []build.Output{{File: "b.png", Template: "og", Width: 1200, Height: 630, Key: "k3", Alt: "B"}}},
		{Source: "gone.md", URLPath: "/gone", Title: "No cards"},
	}}
}

func TestFrom(t *testing.T) {
	m := From(state(), "https://example.org/og/")
	a := m.Pages["/posts/a/"]
	if a == nil || m.Sources["posts/a.md"] != a {
		t.Fatalf("pages %v, sources %v: want posts/a.md under /posts/a/ in both", m.Pages, m.Sources)
	}
	if len(a.Cards) != 2 || a.Cards[0].Template != "og" || a.Image.URL != "https://example.org/og/posts/a.png" {
		t.Errorf("cards %+v: want og first, at its public URL", a.Cards)
	}
	if a.Cards[0].Alt != "A" || a.Cards[1].Alt != "Talk: X" {
		t.Errorf("alts %q, %q: want the title where the state has none, else the state's", a.Cards[0].Alt, a.Cards[1].Alt)
	}
	if c := a.Cards[1]; c.Width != 1080 || c.Height != 1080 || c.Bytes != 9 || c.Type != "image/png" || c.Card != "01" {
		t.Errorf("session card %+v", c)
	}
	if m.Pages["/b"] == nil {
		t.Error("a post without a generator URL is not keyed by its URL path /b")
	}
	if _, ok := m.Sources["gone.md"]; ok {
		t.Error("a post without cards is listed")
	}
	js, _ := json.Marshal(m)
	for _, private := range []string{"secret", "sourceMod", `"key"`, "k1"} {
		if bytes.Contains(js, []byte(private)) {
			t.Errorf("public manifest holds the build's %s: %s", private, js)
		}
	}
}

func TestCheckBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.org/og": "https://example.org/og/", "/og/": "/og/", "/": "/", "http://x.org": "http://x.org/",
	} {
		if got, err := CheckBaseURL(in); err != nil || got != want {
			t.Errorf("CheckBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "og/", "ftp://x.org/", "https:///og", "/og/?x=1", "javascript:alert(1)"} {
		if _, err := CheckBaseURL(bad); err == nil {
			t.Errorf("CheckBaseURL(%q) = nil error, want one", bad)
		}
	}
}

func TestCardURLAndFile(t *testing.T) {
	if got := CardURL("/og/", "blog/a b#1.png"); got != "/og/blog/a%20b%231.png" {
		t.Errorf("CardURL = %q, want the segment escaped", got)
	}
	for _, tt := range []struct{ url, tmpl, card, want string }{
		{"/blog/x", "og", "", "blog/x.png"},
		{"/blog/x", "session", "03", "blog/x-session-03.png"},
		{"/", "og", "", "index.png"},
	} {
		if got := CardFile(tt.url, tt.tmpl, tt.card); got != tt.want {
			t.Errorf("CardFile(%q, %q, %q) = %q, want %q", tt.url, tt.tmpl, tt.card, got, tt.want)
		}
	}
}

func TestTagsHTML(t *testing.T) {
	var b strings.Builder
	cards := []Card{
		{URL: "https://e.org/a.png?x=1&y=2", Width: 1200, Height: 630, Type: "image/png", Alt: `Say "hi" <b> & go`},
		{URL: "http://e.org/s.png", Width: 1080, Height: 1080, Type: "image/png", Alt: "Talk"},
	}
	if err := WriteHTML(&b, Tags(cards)); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		`<meta property="og:image" content="https://e.org/a.png?x=1&amp;y=2">`,
		`<meta property="og:image:secure_url" content="https://e.org/a.png?x=1&amp;y=2">`,
		`<meta property="og:image:alt" content="Say &#34;hi&#34; &lt;b&gt; &amp; go">`,
		`<meta property="og:image:width" content="1080">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<meta name="twitter:image" content="https://e.org/a.png?x=1&amp;y=2">`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("tags lack %s:\n%s", want, got)
		}
	}
	if strings.Count(got, `og:image:secure_url`) != 1 {
		t.Errorf("secure_url for an http URL:\n%s", got)
	}
	if Tags(nil) != nil {
		t.Error("Tags(nil) gives tags")
	}
}

func TestWriteFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "ogcard.json")
	if err := From(state(), "/og/").WriteFile(f); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil || m.Version != Version || m.Pages["/posts/a/"].Image.URL != "/og/posts/a.png" {
		t.Errorf("read back %+v, %v", m, err)
	}
}
