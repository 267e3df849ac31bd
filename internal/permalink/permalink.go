// Package permalink reproduces the page URLs static site generators give
// posts, so a card can be looked up by the URL of the page that shows it.
//
// Each Style reads the front matter keys its generator reads (Hugo: url and
// slug; Jekyll: permalink, slug, categories and date; Zola: path and slug)
// and otherwise applies the generator's default permalink rule. Site-wide
// permalink settings (Hugo's [permalinks], Jekyll's permalink: in
// _config.yml, Zola's slugify) are not read: they are what a post's own
// front matter is for. The functions are pure and safe for concurrent use.
package permalink

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Style names a generator's permalink rules.
type Style string

const (
	// Path is ogcard's own rule (card.SlugFromPath): the file path without
	// extension, a leading YYYY-MM-DD- turned into folders, no trailing
	// slash. Front matter path, url or permalink replace it.
	Path Style = "path"
	// Hugo: /<sections>/<file name or bundle folder>/, lowercased; slug
	// replaces the last segment; url replaces the whole path.
	Hugo Style = "hugo"
	// Jekyll: posts (files under a _posts folder named YYYY-MM-DD-title.md)
	// get /:categories/:year/:month/:day/:title.html, the default "date"
	// style; other pages /<path>/<name>.html, index files /<path>/;
	// permalink replaces either and may use those placeholders.
	Jekyll Style = "jekyll"
	// Zola: /<sections>/<slug>/ where the slug is the file name (or the
	// bundle folder) without a leading date; slug replaces it; path
	// replaces the whole path.
	Zola Style = "zola"
)

// Styles lists the styles in the order the help text shows them.
var Styles = []Style{Hugo, Jekyll, Zola, Path}

// ParseStyle returns the style named s ("" gives Path).
func ParseStyle(s string) (Style, error) {
	if s == "" {
		return Path, nil
	}
	for _, st := range Styles {
		if string(st) == strings.ToLower(s) {
			return st, nil
		}
	}
	return "", fmt.Errorf("urls %q: want one of hugo, jekyll, zola, path", s)
}

// Page is what a style needs to know of a post.
type Page struct {
	// Rel is the post file's slash path relative to the generator's root:
	// Hugo's and Zola's content folder, Jekyll's site source.
	Rel string
	// Front is the post's front matter (may be nil). Only string values of
	// url, slug, permalink and path, and categories/category, are read.
	Front map[string]any
	// Date is the post's date (zero when it has none); Jekyll's URLs use
	// its year, month and day as the post wrote them.
	Date time.Time
}

// URL returns the URL path the generator serves p at: "/posts/x/",
// "/blog/2025/05/20/x.html", starting with "/". For Path it returns "":
// ogcard's own rule lives in card.SlugFromPath, with the front matter
// keys of the card's field table.
func (s Style) URL(p Page) string {
	switch s {
	case Hugo:
		return hugo(p)
	case Jekyll:
		return jekyll(p)
	case Zola:
		return zola(p)
	}
	return ""
}

// FileBase turns a page URL into the path a card file is named after:
// "/posts/x/" and "/posts/x.html" give "/posts/x", "/" gives "/".
func FileBase(pageURL string) string {
	p := strings.TrimSuffix(pageURL, "/")
	for _, ext := range []string{"/index.html", ".html", ".htm"} {
		p = strings.TrimSuffix(p, ext)
	}
	if p == "" {
		return "/"
	}
	return p
}

// str returns the string value of key in front, matching the key exactly
// or, with fold, case-insensitively (Hugo lowercases front matter keys).
func str(front map[string]any, key string, fold bool) string {
	if v, ok := front[key].(string); ok {
		return strings.TrimSpace(v)
	}
	if fold {
		for k, v := range front {
			if s, ok := v.(string); ok && strings.EqualFold(k, key) {
				return strings.TrimSpace(s)
			}
		}
	}
	return ""
}

// split returns rel's folders and its file name without extension.
func split(rel string) (dirs []string, name string) {
	rel = strings.Trim(path.Clean("/"+strings.ReplaceAll(rel, "\\", "/")), "/")
	segs := strings.Split(rel, "/")
	name = segs[len(segs)-1]
	if ext := path.Ext(name); ext != "" && len(ext) < len(name) {
		name = name[:len(name)-len(ext)]
	}
	return segs[:len(segs)-1], name
}

// join makes "/a/b" of segments, skipping empty ones; trailing adds "/".
func join(segs []string, trailing bool) string {
	var b strings.Builder
	for _, s := range segs {
		if s = strings.Trim(s, "/"); s == "" {
			continue
		}
		b.WriteByte('/')
		b.WriteString(s)
	}
	if b.Len() == 0 {
		return "/"
	}
	if trailing {
		b.WriteByte('/')
	}
	return b.String()
}

// absPath makes a front matter url/path "/x/y" form: the leading slash
// added, the query and fragment dropped, the rest as written.
func absPath(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		if j := strings.IndexByte(s[i+3:], '/'); j >= 0 {
			s = s[i+3+j:]
		} else {
			s = "/"
		}
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	if !strings.HasPrefix(s, "/") {
		s = "/" + s
	}
	return s
}

// hugoSegment is Hugo's path treatment of one segment (MakePath with
// disablePathToLower false): lowercased, spaces turned into hyphens, and
// characters Hugo drops from paths removed.
func hugoSegment(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == ' ' || r == '\t':
			b.WriteByte('-')
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune("-._~/", r):
			b.WriteRune(r)
		case strings.ContainsRune("#?%&=+:@", r):
			// Hugo keeps these in paths; they are rare in file names.
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hugo(p Page) string {
	if u := str(p.Front, "url", true); u != "" {
		u = absPath(u)
		// Hugo serves a url without an extension as a folder: "/about" is
		// public/about/index.html at "/about/".
		if path.Ext(u) == "" && !strings.HasSuffix(u, "/") {
			u += "/"
		}
		return u
	}
	dirs, name := split(p.Rel)
	if strings.EqualFold(name, "index") || strings.EqualFold(name, "_index") {
		if len(dirs) == 0 {
			return "/"
		}
		name, dirs = dirs[len(dirs)-1], dirs[:len(dirs)-1]
	}
	if s := str(p.Front, "slug", true); s != "" {
		name = s
	}
	segs := make([]string, 0, len(dirs)+1)
	for _, d := range append(dirs, name) {
		segs = append(segs, hugoSegment(d))
	}
	return join(segs, true)
}

// jekyllPost matches a Jekyll post file name: YYYY-MM-DD-title.ext.
var jekyllPost = regexp.MustCompile(`^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.+)$`)

// jekyllSlugify is Jekyll's Utils.slugify in its "pretty" mode with case
// kept (as :title uses it): runs of characters other than letters, digits
// and ._~!$&'()+,;=@ become one "-", trimmed at the ends.
func jekyllSlugify(s string) string {
	return slugify(s, "._~!$&'()+,;=@")
}

// slugify turns runs of characters other than letters, digits and keep
// into one "-", trimmed at the ends.
func slugify(s, keep string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(keep, r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// categories returns front matter category (one, as written) and
// categories (a list, or a string split on spaces) as Jekyll reads them.
func categories(front map[string]any) []string {
	var out []string
	if v, ok := front["category"].(string); ok {
		out = append(out, strings.TrimSpace(v))
	}
	switch v := front["categories"].(type) {
	case string:
		out = append(out, strings.Fields(v)...)
	case []any:
		for _, e := range v {
			out = append(out, strings.TrimSpace(fmt.Sprint(e)))
		}
	}
	return out
}

func jekyll(p Page) string {
	dirs, name := split(p.Rel)
	postAt := -1
	for i, d := range dirs {
		if d == "_posts" {
			postAt = i
		}
	}
	m := jekyllPost.FindStringSubmatch(name)
	if postAt < 0 || m == nil {
		return jekyllPage(p, dirs, name)
	}
	title := m[4]
	if s := str(p.Front, "slug", false); s != "" {
		title = s
	}
	title = jekyllSlugify(title)
	year, month, day := m[1], pad2(m[2]), pad2(m[3])
	if !p.Date.IsZero() {
		year, month, day = p.Date.Format("2006"), p.Date.Format("01"), p.Date.Format("02")
	}
	// Categories: the folders above _posts, then front matter, each
	// lowercased, repeats dropped (Jekyll's UrlDrop#categories).
	var cats []string
	seen := map[string]bool{}
	for _, c := range append(append([]string(nil), dirs[:postAt]...), categories(p.Front)...) {
		c = strings.ToLower(c)
		if c != "" && !seen[c] {
			seen[c] = true
			cats = append(cats, c)
		}
	}
	if pl := str(p.Front, "permalink", false); pl != "" {
		return expand(pl, map[string]string{
			"categories": strings.Join(cats, "/"), "year": year, "month": month, "day": day,
			"title": title, "slug": strings.ToLower(title),
		})
	}
	return strings.ReplaceAll(join(append(cats, year, month, day, title+".html"), false), " ", "%20")
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// jekyllPage is the URL of a file that is not a post: its path with .html,
// or its folder for an index file.
func jekyllPage(p Page, dirs []string, name string) string {
	if pl := str(p.Front, "permalink", false); pl != "" {
		return expand(pl, map[string]string{"title": jekyllSlugify(name), "path": strings.Join(dirs, "/")})
	}
	var clean []string
	for _, d := range dirs {
		if d != "_posts" && d != "_drafts" {
			clean = append(clean, d)
		}
	}
	if name == "index" {
		return join(clean, true)
	}
	return join(append(clean, name+".html"), false)
}

// expand replaces :name placeholders of a Jekyll permalink and squeezes
// the empty segments a missing one leaves.
func expand(pattern string, vals map[string]string) string {
	out := regexp.MustCompile(`:([a-z_]+)`).ReplaceAllStringFunc(pattern, func(m string) string {
		if v, ok := vals[m[1:]]; ok {
			return v
		}
		return m
	})
	trailing := strings.HasSuffix(out, "/")
	var segs []string
	for _, s := range strings.Split(out, "/") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	return join(segs, trailing)
}

// zolaDate matches the date Zola strips from a file or folder name:
// YYYY-MM-DD (with an optional time) followed by "-" or "_".
var zolaDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?[-_](.+)$`)

// zolaSlug is Zola's default slugify ("on"): lowercase, runs of other
// characters than letters and digits turned into one "-".
func zolaSlug(s string) string {
	return strings.ToLower(slugify(s, ""))
}

func zola(p Page) string {
	if v := str(p.Front, "path", false); v != "" {
		v = absPath(v)
		if !strings.HasSuffix(v, "/") && path.Ext(v) == "" {
			v += "/"
		}
		return v
	}
	dirs, name := split(p.Rel)
	if name == "index" || name == "_index" {
		if len(dirs) == 0 {
			return "/"
		}
		name, dirs = dirs[len(dirs)-1], dirs[:len(dirs)-1]
	}
	if m := zolaDate.FindStringSubmatch(name); m != nil {
		name = m[1]
	}
	if s := str(p.Front, "slug", false); s != "" {
		name = s
	}
	segs := make([]string, 0, len(dirs)+1)
	for _, d := range dirs {
		segs = append(segs, zolaSlug(d))
	}
	return join(append(segs, zolaSlug(name)), true)
}
