package card

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ogcard/ogcard/internal/post"
)

// newPost builds a YAML post whose front matter keys are kv's pairs, in
// order, on lines 2, 3, ... (line 1 being "---").
func newPost(path, body string, kv ...any) *post.Post {
	p := &post.Post{Path: path, Format: post.FormatYAML, Front: map[string]any{}, KeyLines: map[string]int{}, Body: []byte(body)}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		p.Front[k] = kv[i+1]
		p.KeyLines[k] = i/2 + 2
	}
	p.BodyLine = len(kv)/2 + 3
	return p
}

func mustCard(t *testing.T, p *post.Post, opts *Options) *Card {
	t.Helper()
	c, err := FromPost(p, opts)
	if err != nil {
		t.Fatalf("FromPost(%s) error: %v", p.Path, err)
	}
	return c
}

func TestTitle(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct {
		name  string
		p     *post.Post
		opts  *Options
		want  string
		warns int
	}{
		{"front matter", newPost("a.md", "", "title", "Hello"), nil, "Hello", 0},
		{"whitespace", newPost("a.md", "", "title", "  Hello \n\t world  "), nil, "Hello world", 0},
		{"NFC", newPost("a.md", "", "title", "Mahe\u0301 Tardy"), nil, "Mahé Tardy", 0},
		{"entities", newPost("a.md", "", "title", "Tom &amp; Jerry &#8212; &quot;live&quot;"), nil, "Tom & Jerry — \"live\"", 0},
		{"bare ampersand", newPost("a.md", "", "title", "S&P Global & Cilium"), nil, "S&P Global & Cilium", 0},
		{"html tags", newPost("a.md", "", "title", "<b>Bold</b> <a href=\"x\">move</a>"), nil, "Bold move", 0},
		{"emphasis", newPost("a.md", "", "title", "**Strong** and _em_ and *em*"), nil, "Strong and em and em", 0},
		{"code span", newPost("a.md", "", "title", "Announcing `async fn` in traits"), nil, "Announcing async fn in traits", 0},
		{"underscores in words", newPost("a.md", "", "title", "crates faster_log and async_println"), nil, "crates faster_log and async_println", 0},
		{"brackets", newPost("a.md", "", "title", "[GIT] Networking"), nil, "[GIT] Networking", 0},
		{"link", newPost("a.md", "", "title", "See [the docs](https://x.y) now"), nil, "See the docs now", 0},
		{"heading marker stays", newPost("a.md", "", "title", "# 1 thing"), nil, "# 1 thing", 0},
		{"escapes", newPost("a.md", "", "title", `2 \* 3`), nil, "2 * 3", 0},
		{"number", newPost("a.md", "", "title", int64(1984)), nil, "1984", 0},
		{"CJK", newPost("a.md", "", "title", "弃用 Dockershim 的常见问题"), nil, "弃用 Dockershim 的常见问题", 0},
		{"body ATX", newPost("a.md", "intro\n\n## Sub\n\n# The *Real* Title\n\ntext\n# Second\n"), nil, "The Real Title", 0},
		{"body setext", newPost("a.md", "The `Setext` Title\n===\n\nbody\n"), nil, "The Setext Title", 0},
		{"empty front title falls back", newPost("a.md", "# Body\n", "title", "  "), nil, "Body", 0},
		{"default cap", newPost("a.md", "", "title", long+long), nil, strings.TrimSpace(strings.Repeat("word ", 60)[:299]) + "…", 1},
		{"option cap", newPost("a.md", "", "title", "abcdefgh"), &Options{MaxTitleRunes: 5}, "abcd…", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCard(t, tt.p, tt.opts)
			if c.Title != tt.want {
				t.Errorf("Title = %q, want %q", c.Title, tt.want)
			}
			if len(c.Warnings) != tt.warns {
				t.Errorf("Warnings = %q, want %d", c.Warnings, tt.warns)
			}
		})
	}
}

func TestFields(t *testing.T) {
	tests := []struct {
		name  string
		p     *post.Post
		opts  *Options
		check func(t *testing.T, c *Card)
	}{
		{
			name: "summary order",
			p:    newPost("a.md", "", "title", "T", "description", "desc", "ogSummary", "og"),
			check: func(t *testing.T, c *Card) {
				if c.Summary != "og" {
					t.Errorf("Summary = %q, want %q", c.Summary, "og")
				}
			},
		},
		{
			name: "summary case-insensitive",
			p:    newPost("a.md", "", "title", "T", "Description", "Hello *there*"),
			check: func(t *testing.T, c *Card) {
				if c.Summary != "Hello there" {
					t.Errorf("Summary = %q, want %q", c.Summary, "Hello there")
				}
			},
		},
		{
			name: "exact key before case-insensitive",
			p:    newPost("a.md", "", "title", "T", "Summary", "folded", "summary", "exact"),
			check: func(t *testing.T, c *Card) {
				if c.Summary != "exact" {
					t.Errorf("Summary = %q, want %q", c.Summary, "exact")
				}
			},
		},
		{
			name: "fields option replaces one list",
			p:    newPost("a.md", "", "title", "T", "ogSummary", "og", "teaser", "tease", "tags", "x"),
			opts: &Options{Fields: FieldMap{"summary": {"teaser"}}},
			check: func(t *testing.T, c *Card) {
				if c.Summary != "tease" || !slices.Equal(c.Tags, []string{"x"}) {
					t.Errorf("Summary, Tags = %q, %q, want %q, [x]", c.Summary, c.Tags, "tease")
				}
			},
		},
		{
			name: "summary cap",
			p:    newPost("a.md", "", "title", "T", "summary", strings.Repeat("é", 20)),
			opts: &Options{MaxTextRunes: 10},
			check: func(t *testing.T, c *Card) {
				if c.Summary != strings.Repeat("é", 9)+"…" || len(c.Warnings) != 1 {
					t.Errorf("Summary = %q, Warnings = %q, want 9 runes and an ellipsis, 1 warning", c.Summary, c.Warnings)
				}
			},
		},
		{
			name: "tags from a comma string, categories from a list",
			p:    newPost("a.md", "", "title", "T", "tags", "go, Rust ,, go", "categories", []any{"News", int64(2024), 1.5, "news"}),
			check: func(t *testing.T, c *Card) {
				if !slices.Equal(c.Tags, []string{"go", "Rust"}) || !slices.Equal(c.Categories, []string{"News", "2024", "1.5"}) {
					t.Errorf("Tags, Categories = %q, %q", c.Tags, c.Categories)
				}
			},
		},
		{
			name: "zola taxonomies and extra",
			p: newPost("a.md", "", "title", "T",
				"taxonomies", map[string]any{"tags": []any{"a", "b"}, "categories": []any{"c"}},
				"extra", map[string]any{"author": "Ann Lee", "image": "x.png"}),
			check: func(t *testing.T, c *Card) {
				if !slices.Equal(c.Tags, []string{"a", "b"}) || !slices.Equal(c.Categories, []string{"c"}) {
					t.Errorf("Tags, Categories = %q, %q", c.Tags, c.Categories)
				}
				if len(c.Authors) != 1 || c.Authors[0].Name != "Ann Lee" || c.Image != "x.png" {
					t.Errorf("Authors, Image = %+v, %q", c.Authors, c.Image)
				}
			},
		},
		{
			name: "image object",
			p:    newPost("a.md", "", "title", "T", "image", map[string]any{"src": "./hero.jpg", "alt": "Hero"}),
			check: func(t *testing.T, c *Card) {
				if c.Image != "./hero.jpg" {
					t.Errorf("Image = %q, want ./hero.jpg", c.Image)
				}
			},
		},
		{
			name: "image order",
			p:    newPost("a.md", "", "title", "T", "cover", "c.png", "ogImage", "og.png"),
			check: func(t *testing.T, c *Card) {
				if c.Image != "og.png" {
					t.Errorf("Image = %q, want og.png", c.Image)
				}
			},
		},
		{
			name: "draft",
			p:    newPost("a.md", "", "title", "T", "draft", true),
			check: func(t *testing.T, c *Card) {
				if !c.Draft {
					t.Error("Draft = false, want true")
				}
			},
		},
		{
			name: "jekyll published false",
			p:    newPost("a.md", "", "title", "T", "published", false, "date", "2024-05-22"),
			check: func(t *testing.T, c *Card) {
				if !c.Draft || c.Date.IsZero() {
					t.Errorf("Draft, Date = %v, %v, want true and a date", c.Draft, c.Date)
				}
			},
		},
		{
			name: "lang",
			p:    newPost("a.md", "", "title", "T", "lang", "zh-Hans"),
			check: func(t *testing.T, c *Card) {
				if c.Lang != "zh-Hans" {
					t.Errorf("Lang = %q, want zh-Hans", c.Lang)
				}
			},
		},
		{
			name: "speakers",
			p:    newPost("a.md", "", "title", "T", "speakers", []any{"Ann Lee", map[string]any{"name": "Bo Ma", "company": "Acme"}}),
			check: func(t *testing.T, c *Card) {
				want := []Person{{Name: "Ann Lee"}, {Name: "Bo Ma", Company: "Acme"}}
				if !slices.Equal(c.Speakers, want) {
					t.Errorf("Speakers = %+v, want %+v", c.Speakers, want)
				}
			},
		},
		{
			name: "front matter sessions",
			p: newPost("a.md", "", "title", "T", "sessions", []any{
				map[string]any{"title": "Talk *one*", "start": "13:35", "track": "CiliumCon", "speakers": "Ann Lee & Bo Ma"},
				map[string]any{"name": "Talk two", "speakers": []any{map[string]any{"name": "Cy Ng", "company": "Acme"}}},
			}),
			check: func(t *testing.T, c *Card) {
				want := []Session{
					{Title: "Talk one", Start: "13:35", Section: "CiliumCon", Speakers: []Person{{Name: "Ann Lee"}, {Name: "Bo Ma"}}},
					{Title: "Talk two", Speakers: []Person{{Name: "Cy Ng", Company: "Acme"}}},
				}
				if len(c.Sessions) != 2 || c.Sessions[0].Title != want[0].Title || c.Sessions[0].Section != "CiliumCon" ||
					!slices.Equal(c.Sessions[0].Speakers, want[0].Speakers) || !slices.Equal(c.Sessions[1].Speakers, want[1].Speakers) {
					t.Errorf("Sessions = %+v, want %+v", c.Sessions, want)
				}
				if wantSp := []Person{{Name: "Ann Lee"}, {Name: "Bo Ma"}, {Name: "Cy Ng", Company: "Acme"}}; !slices.Equal(c.Speakers, wantSp) {
					t.Errorf("Speakers = %+v, want the sessions' %+v", c.Speakers, wantSp)
				}
			},
		},
		{
			name: "body sessions give speakers",
			p:    newPost("a.md", "## CiliumCon\n\n[**Welcome + Opening Remarks**](https://colocatedeventseu2026.sched.com/event/2DZMa/x)  \n*Hemanth Malla & Mahé Tardy, Program Committee Co-Chairs | 13:25 - 13:30 CET*\n", "title", "T"),
			check: func(t *testing.T, c *Card) {
				if len(c.Sessions) == 0 || len(c.Speakers) == 0 {
					t.Errorf("Sessions, Speakers = %+v, %+v, want ParseSessions' talks and their speakers", c.Sessions, c.Speakers)
				}
			},
		},
		{
			name: "source",
			p:    newPost("content/a.md", "", "title", "T"),
			check: func(t *testing.T, c *Card) {
				if c.Source != "content/a.md" {
					t.Errorf("Source = %q, want content/a.md", c.Source)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, mustCard(t, tt.p, tt.opts))
		})
	}
}

func TestFieldErrors(t *testing.T) {
	tests := []struct {
		name string
		p    *post.Post
		want string // the whole message
	}{
		{"title list", newPost("x.md", "", "title", []any{int64(1), int64(2)}),
			`post x.md: line 2: key "title": want a string, got a list`},
		{"title bool", newPost("x.md", "", "date", "2024-01-01", "title", true),
			`post x.md: line 3: key "title": want a string, got a boolean`},
		{"tags map", newPost("x.md", "", "title", "T", "tags", map[string]any{"a": int64(1)}),
			`post x.md: line 3: key "tags": want a string or a list of strings, got a map`},
		{"tags nested list", newPost("x.md", "", "title", "T", "tags", []any{"a", []any{"b"}}),
			`post x.md: line 3: key "tags": want a string or a list of strings, got a list with a list`},
		{"date bool", newPost("x.md", "", "title", "T", "date", true),
			`post x.md: line 3: key "date": want a date, got a boolean`},
		{"date number", newPost("x.md", "", "title", "T", "x", 1, "date", int64(20240522)),
			`post x.md: line 4: key "date": want a date, got a number`},
		{"image list", newPost("x.md", "", "title", "T", "image", []any{"a.png"}),
			`post x.md: line 3: key "image": want a string, got a list`},
		{"image map without src", newPost("x.md", "", "title", "T", "image", map[string]any{"alt": "x"}),
			`post x.md: line 3: key "image": want a string or a map with src, got a map without it`},
		{"authors number", newPost("x.md", "", "title", "T", "author", int64(5)),
			`post x.md: line 3: key "author": want a name, a list of names or of {name: ...} maps, got a number`},
		{"authors list of lists", newPost("x.md", "", "title", "T", "authors", []any{[]any{"a"}}),
			`post x.md: line 3: key "authors": want a name, a list of names or of {name: ...} maps, got a list with a list`},
		{"author object name list", newPost("x.md", "", "title", "T", "authors", []any{map[string]any{"name": []any{"a"}}}),
			`post x.md: line 3: key "authors": name: want a string, got a list`},
		{"sessions string", newPost("x.md", "", "title", "T", "sessions", "talk"),
			`post x.md: line 3: key "sessions": want a list of sessions, got a string`},
		{"session title list", newPost("x.md", "", "title", "T", "sessions", []any{map[string]any{"title": []any{}}, map[string]any{"title": []any{"x"}}}),
			`post x.md: line 3: key "sessions": title: want a string, got a list`},
		{"session speakers number", newPost("x.md", "", "title", "T", "talks", []any{map[string]any{"title": "x", "speakers": 1.5}}),
			`post x.md: line 3: key "talks.speakers": want a name, a list of names or of {name: ...} maps, got a number`},
		{"path number", newPost("x.md", "", "title", "T", "path", int64(3)),
			`post x.md: line 3: key "path": want a string, got a number`},
		{"draft string", newPost("x.md", "", "title", "T", "draft", "maybe"),
			`post x.md: line 3: key "draft": want a boolean, got "maybe"`},
		{"nested key uses the table's line", newPost("x.md", "", "title", "T", "extra", map[string]any{"author": false}),
			`post x.md: line 3: key "extra.author": want a name, a list of names or of {name: ...} maps, got a boolean`},
		{"unknown line", &post.Post{Path: "y.md", Front: map[string]any{"title": map[string]any{"a": "b"}}},
			`post y.md: key "title": want a string, got a map`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromPost(tt.p, nil)
			if err == nil {
				t.Fatalf("FromPost() = %+v, want error %q", c, tt.want)
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("FromPost() error %v (%T), want a *FieldError", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("FromPost() error\n got %q\nwant %q", err, tt.want)
			}
		})
	}
}

func TestSkips(t *testing.T) {
	tests := []struct {
		name string
		p    *post.Post
		want SkipReason
	}{
		{"section index", newPost("content/blog/_index.md", "", "title", "Blog"), NotPost},
		{"templates folder", newPost("site/_templates/post.md", "", "title", "T"), NotPost},
		{"archetype", newPost("archetypes/default.md", "", "title", "T"), NotPost},
		{"readme", newPost("content/README.md", "# Readme\n"), NotPost},
		{"license with suffix", newPost("LICENSE-DOCS.md", "# License\n"), NotPost},
		{"layout list", newPost("content/x.md", "", "title", "T", "layout", "list"), NotPost},
		{"zola section template", newPost("content/x.md", "", "title", "T", "template", "section.html"), NotPost},
		{"no title", newPost("content/x.md", "just text\n\n## only h2\n", "date", "2024-01-01"), NoTitle},
		{"empty", &post.Post{Path: "e.md"}, NoTitle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromPost(tt.p, nil)
			var se *SkipError
			if !errors.As(err, &se) {
				t.Fatalf("FromPost() error = %v, want a *SkipError", err)
			}
			if se.Reason != tt.want {
				t.Errorf("Reason = %v, want %v", se.Reason, tt.want)
			}
		})
	}
	t.Run("posts that look close", func(t *testing.T) {
		for _, path := range []string{"content/security-advisory.md", "content/readme-tips.md", "content/posts/index.md", "content/layout.md"} {
			if _, err := FromPost(newPost(path, "", "title", "T", "layout", "post"), nil); err != nil {
				t.Errorf("FromPost(%s) error %v, want a card", path, err)
			}
		}
	})
	t.Run("nil post", func(t *testing.T) {
		if _, err := FromPost(nil, nil); err == nil {
			t.Error("FromPost(nil) error = nil, want an error")
		}
	})
}

func TestSkipErrorString(t *testing.T) {
	tests := []struct {
		err  *SkipError
		want string
	}{
		{&SkipError{Reason: NotPost, Detail: "section index page _index.md"}, "skipped: not a post: section index page _index.md"},
		{&SkipError{Reason: NoTitle}, "skipped: no title"},
		{&SkipError{Reason: Draft}, "skipped: draft"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestTestdataPosts runs post.Parse and FromPost over the files that also
// seed FuzzFromPost.
func TestTestdataPosts(t *testing.T) {
	opts := &Options{Authors: map[string]Person{"thomasGraf": {Name: "Thomas Graf"}}}
	tests := []struct {
		file    string
		title   string
		date    string
		urlPath string
		authors []string
		tags    []string
		image   string
		draft   bool
		wantErr string
	}{
		{file: "gatsby.md", title: "Cilium at KubeCon + CloudNativeCon & CiliumCon", date: "2025-01-23T12:00:00Z",
			urlPath: "/blog/2026/01/23/cilium-at-kubecon-eu-2026", authors: []string{"Katie Meinders"}, tags: []string{"Cilium", "2026"}, image: "snackable.png"},
		{file: "zola.md", title: "Rust 1.0: Scheduling the trains", date: "2024-05-22T00:00:00Z",
			urlPath: "/inside-rust/2024/05/22/1.0-Timeline", authors: []string{"Aaron Turon", "Ann Lee", "Bo Ma"}, tags: []string{"release"}},
		{file: "hugo.md", title: "弃用 Dockershim 的常见问题", date: "2020-12-02T00:00:00Z",
			urlPath: "/dockershim-faq", authors: []string{"Jay Vyas", "Amim Knabben"}, image: "cover.jpg", draft: true},
		{file: "json.md", title: "JSON post", date: "2024-05-22T10:00:00Z", urlPath: "/json", tags: []string{"a", "b", "c"}},
		{file: "body-title.mdx", title: "Setext title with & entity", urlPath: "/body-title", authors: []string{"Ann Lee", "Bo Ma", "Cy Ng"}},
		{file: "bad-date.md", wantErr: `post bad-date.md: line 3: key "date": "2024-13-45": month out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "posts", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p, err := post.Parse(tt.file, data)
			if err != nil {
				t.Fatalf("post.Parse(%s) error: %v", tt.file, err)
			}
			c, err := FromPost(p, opts)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("FromPost() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromPost() error: %v", err)
			}
			date := ""
			if !c.Date.IsZero() {
				date = c.Date.UTC().Format(time.RFC3339)
			}
			var authors []string
			for _, a := range c.Authors {
				authors = append(authors, a.Name)
			}
			if c.Title != tt.title || date != tt.date || c.URLPath != tt.urlPath || c.Image != tt.image || c.Draft != tt.draft {
				t.Errorf("FromPost() = title %q, date %q, URL path %q, image %q, draft %v\nwant title %q, date %q, URL path %q, image %q, draft %v",
					c.Title, date, c.URLPath, c.Image, c.Draft, tt.title, tt.date, tt.urlPath, tt.image, tt.draft)
			}
			if !slices.Equal(authors, tt.authors) || !slices.Equal(c.Tags, tt.tags) {
				t.Errorf("Authors, Tags = %q, %q, want %q, %q", authors, c.Tags, tt.authors, tt.tags)
			}
		})
	}
}

// FuzzFromPost parses arbitrary files and turns them into cards: neither may
// panic, and a card must have a title and a URL path starting with "/".
func FuzzFromPost(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "posts", "*"))
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(filepath.Base(s), data)
		}
	}
	f.Add("content/_index.md", []byte("+++\ntitle = \"x\"\n+++\n"))
	f.Add("a.md", []byte("---\ndate: 2024-13-45\ntitle: [1, 2]\n---\n"))
	f.Add("2024-05-22-x.md", []byte("_Authors: A, B @Org_\n\nSetext\n===\n"))
	f.Add("b.md", []byte("{\"title\": \"J\", \"tags\": \"a, b\", \"image\": {\"src\": \"i.png\"}}\n"))
	opts := &Options{Authors: map[string]Person{"x": {Name: "X Y"}}}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		p, err := post.Parse(name, data)
		if err != nil {
			return
		}
		c, err := FromPost(p, opts)
		if err != nil {
			return
		}
		if c.Title == "" || !strings.HasPrefix(c.URLPath, "/") || strings.Contains(c.URLPath, "//") {
			t.Errorf("FromPost(%q) = title %q, URL path %q", data, c.Title, c.URLPath)
		}
	})
}

// TestParseWarningsReachCard checks that what post.Parse accepted with a
// warning becomes a card carrying the warning, not a "no title" skip.
func TestParseWarningsReachCard(t *testing.T) {
	tests := []struct {
		name, in, title, warning string
	}{
		{"repeated yaml title", "---\ntitle: News\ndate: 2024-01-02\ntitle: Nachrichten\n---\n", "Nachrichten",
			`line 4: key "title" repeats the one on line 2; the value on line 4 is used, as Jekyll does`},
		{"cr-only line endings", "---\rtitle: Classic\rdate: 2024-01-02\r---\rBody\r", "Classic",
			"the file's lines end with CR alone (classic Mac OS)"},
		{"utf-16le", "\xff\xfe-\x00-\x00-\x00\n\x00t\x00i\x00t\x00l\x00e\x00:\x00 \x00W\x00i\x00n\x00\n\x00-\x00-\x00-\x00\n\x00", "Win",
			"the file is UTF-16LE (it starts with a byte-order mark)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := post.Parse("content/x.md", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			c := mustCard(t, p, nil)
			if c.Title != tt.title {
				t.Errorf("Title = %q, want %q", c.Title, tt.title)
			}
			if len(c.Warnings) != 1 || !strings.HasPrefix(c.Warnings[0], tt.warning) {
				t.Errorf("Warnings = %q, want one starting %q", c.Warnings, tt.warning)
			}
		})
	}
}

// TestCover checks which front matter keys name the picture a card draws:
// the generators' cover keys, never ogImage (the card itself).
func TestCover(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    *post.Post
		want string
	}{
		{"astro heroImage", newPost("a.md", "", "title", "T", "heroImage", "./hero.jpg"), "./hero.jpg"},
		{"hugo image", newPost("a.md", "", "title", "T", "image", "cover.png"), "cover.png"},
		{"cover before image", newPost("a.md", "", "title", "T", "image", "b.png", "cover", "a.png"), "a.png"},
		{"ghost feature_image", newPost("a.md", "", "title", "T", "feature_image", "f.jpg"), "f.jpg"},
		{"map with src", newPost("a.md", "", "title", "T", "cover", map[string]any{"src": "c.jpg", "alt": "C"}), "c.jpg"},
		{"ogImage is the card, not a cover", newPost("a.md", "", "title", "T", "ogImage", "card.png"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := FromPost(tc.p, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.Cover != tc.want {
				t.Errorf("Cover = %q, want %q", c.Cover, tc.want)
			}
		})
	}
}

// TestControlCharacters: C0 and C1 controls are removed with a warning that
// names the field; text of only invisible characters is no text; ZWJ, ZWNJ
// and variation selectors stay.
func TestControlCharacters(t *testing.T) {
	tests := []struct {
		name, title, body string
		want              string
		warn              string // a warning containing this; "" for none
	}{
		{"ANSI colour", "\x1b[31mRed\x1b[0m alert", "", "[31mRed[0m alert", "title: removed control character U+001B"},
		{"C1 and C0", "Bell\x07 and \u009bCSI", "", "Bell and CSI", "title: removed control characters U+0007, U+009B"},
		{"tab and newline are spaces", "a\tb\nc", "", "a b c", ""},
		{"ZWJ sequence kept", "Dev 👩\u200d💻 life", "", "Dev 👩\u200d💻 life", ""},
		{"ZWNJ kept", "می\u200cخواهم", "", "می\u200cخواهم", ""},
		{"variation selector kept", "I \u2764\ufe0f Go", "", "I \u2764\ufe0f Go", ""},
		{"only invisible falls back to heading", "\u200b\u200d\ufe0f\u00ad", "# From the body\n", "From the body", ""},
		{"heading with control", "", "# Body \x1b title\n", "Body title", "title (the level-1 heading): removed control character U+001B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var kv []any
			if tt.title != "" {
				kv = []any{"title", tt.title}
			}
			c := mustCard(t, newPost("p.md", tt.body, kv...), nil)
			if c.Title != tt.want {
				t.Errorf("title %q, want %q", c.Title, tt.want)
			}
			got := strings.Join(c.Warnings, "\n")
			if tt.warn == "" && got != "" {
				t.Errorf("warnings %q, want none", got)
			}
			if tt.warn != "" && !strings.Contains(got, tt.warn) {
				t.Errorf("warnings %q, want one containing %q", got, tt.warn)
			}
		})
	}

	// A tag list names its field too.
	c := mustCard(t, newPost("p.md", "", "title", "T", "tags", []any{"go\x1b", "rust"}), nil)
	if !slices.Equal(c.Tags, []string{"go", "rust"}) || !slices.ContainsFunc(c.Warnings, func(w string) bool { return strings.HasPrefix(w, "tags: removed control character U+001B") }) {
		t.Errorf("tags %q, warnings %q", c.Tags, c.Warnings)
	}

	// Only invisible characters and no heading: no title, so no card.
	_, err := FromPost(newPost("p.md", "text\n", "title", "\u200b\u2060 \ufe0f"), nil)
	var skip *SkipError
	if !errors.As(err, &skip) || skip.Reason != NoTitle {
		t.Errorf("FromPost of an invisible title: %v, want a NoTitle skip", err)
	}
}
