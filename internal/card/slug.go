package card

import (
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/ogcard/ogcard/internal/permalink"
	"golang.org/x/text/unicode/norm"
)

// postExts are the file extensions SlugFromPath drops.
var postExts = []string{".md", ".mdx", ".markdown", ".mdown", ".mkd", ".html", ".htm", ".txt"}

// SlugFromPath returns the URL path of a post file given its path relative
// to the content root: "blog/2024-05-22-hello.md" gives
// "/blog/2024/05/22/hello", "posts/foo/index.md" gives "/posts/foo". It
// drops the extension, index and _index names and Jekyll's _posts and
// _drafts folders, turns a leading "YYYY-MM-DD-" of the name into folders,
// lowercases, and makes every segment URL-safe (letters, digits and "-_.~";
// other runs become "-"; empty, "." and ".." segments are dropped). The
// result starts with "/" and has no trailing "/" unless it is "/".
func SlugFromPath(rel string) string {
	segs := splitPath(rel)
	if n := len(segs); n > 0 {
		last := segs[n-1]
		lower := strings.ToLower(last)
		for _, ext := range postExts {
			if strings.HasSuffix(lower, ext) && len(last) > len(ext) {
				last = last[:len(last)-len(ext)]
				break
			}
		}
		segs[n-1] = last
		if l := strings.ToLower(last); l == "index" || l == "_index" {
			segs = segs[:n-1]
		}
	}
	var out []string
	for _, s := range segs {
		switch strings.ToLower(s) {
		case "_posts", "_drafts":
			continue
		}
		out = append(out, s)
	}
	if n := len(out); n > 0 {
		out = append(out[:n-1], splitDatePrefix(out[n-1])...)
	}
	return joinSegments(out, true)
}

// splitDatePrefix turns "2024-05-22-hello" into "2024", "05", "22", "hello".
func splitDatePrefix(s string) []string {
	if len(s) > 11 && s[4] == '-' && s[7] == '-' && s[10] == '-' &&
		isDigits(s[:4], 4, 4) && isDigits(s[5:7], 2, 2) && isDigits(s[8:10], 2, 2) {
		return []string{s[:4], s[5:7], s[8:10], s[11:]}
	}
	return []string{s}
}

// splitPath splits p on slashes and backslashes, dropping empty, "." and
// ".." segments.
func splitPath(p string) []string {
	var segs []string
	for _, s := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
		if s == "." || s == ".." {
			continue
		}
		segs = append(segs, s)
	}
	return segs
}

// joinSegments makes each segment URL-safe and joins them into "/a/b".
func joinSegments(segs []string, lower bool) string {
	var b strings.Builder
	for _, s := range segs {
		s = safeSegment(s, lower)
		if s == "" {
			continue
		}
		b.WriteByte('/')
		b.WriteString(s)
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// safeSegment keeps letters, digits and "-_.~" and turns every other run
// into one "-", trimmed at the ends; a segment of dots alone is dropped.
func safeSegment(s string, lower bool) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || r == '_' || r == '.' || r == '~' || r == '-':
			if r == '-' {
				dash = true
				continue
			}
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			if lower {
				r = unicode.ToLower(r)
			}
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	out := b.String()
	if strings.Trim(out, ".") == "" {
		return ""
	}
	return out
}

// cleanURLPath makes a front matter path, url or permalink a URL path: the
// path of an absolute URL, a leading "/", no query or fragment, URL-safe
// segments, case kept as written.
func cleanURLPath(s string) string {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Scheme != "" {
		s = u.Path
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	return joinSegments(splitPath(s), false)
}

// relPath is the post's path relative to the content root: Options.Root
// stripped when the path is under it, else everything up to and including
// the last "content" folder.
func (c *converter) relPath() string {
	p := path.Clean(strings.ReplaceAll(c.p.Path, "\\", "/"))
	if c.root != "" {
		root := path.Clean(strings.ReplaceAll(c.root, "\\", "/"))
		if root == "." {
			return strings.TrimPrefix(p, "/")
		}
		if rest, ok := strings.CutPrefix(p, root+"/"); ok {
			return rest
		}
		// A root found as an absolute path (ogcard.yaml above the post)
		// and a post named relative to the working directory, or the
		// other way round: compare them both absolute.
		if path.IsAbs(root) != path.IsAbs(p) {
			ar, err1 := filepath.Abs(filepath.FromSlash(root))
			ap, err2 := filepath.Abs(filepath.FromSlash(p))
			if err1 == nil && err2 == nil {
				if rest, ok := strings.CutPrefix(filepath.ToSlash(ap), filepath.ToSlash(ar)+"/"); ok {
					return rest
				}
			}
		}
	}
	segs := strings.Split(p, "/")
	for i := len(segs) - 2; i >= 0; i-- {
		if segs[i] == "content" {
			return strings.Join(segs[i+1:], "/")
		}
	}
	if len(segs) == 1 && isIndexFile(p) {
		// A bare index.md, rendered from inside its page bundle: the
		// bundle is the post, so its folder names it.
		if abs, err := filepath.Abs(filepath.FromSlash(c.p.Path)); err == nil {
			if dir := filepath.Base(filepath.Dir(abs)); dir != "" && dir != string(filepath.Separator) && dir != "." {
				return dir + "/" + p
			}
		}
	}
	return strings.TrimPrefix(p, "/")
}

// isIndexFile reports whether a file name is a page bundle's index.md
// (any of postExts).
func isIndexFile(name string) bool {
	lower := strings.ToLower(name)
	for _, ext := range postExts {
		if strings.HasSuffix(lower, ext) {
			return lower[:len(lower)-len(ext)] == "index"
		}
	}
	return false
}

// urlPath sets URLPath and Slug: from the front matter path, url or
// permalink; else the file-derived path with its last segment replaced by
// the front matter slug, if any.
func (c *converter) urlPath() error {
	if c.urls != "" && c.urls != permalink.Path {
		// The generator's own rule: the page URL as it serves it, and the
		// card named after it.
		c.card.PageURL = c.urls.URL(permalink.Page{Rel: c.relPath(), Front: c.p.Front, Date: c.card.Date})
		c.setURLPath(permalink.FileBase(c.card.PageURL))
		return nil
	}
	if f, ok := c.lookup("path", nil); ok {
		s, ok := f.val.(string)
		if !ok {
			return c.wantErr(f, "a string")
		}
		c.setURLPath(cleanURLPath(s))
		return nil
	}
	p := SlugFromPath(c.relPath())
	if f, ok := c.lookup("slug", nil); ok {
		s, ok := scalarText(f.val)
		if !ok {
			return c.wantErr(f, "a string")
		}
		if slug := safeSegment(strings.ReplaceAll(s, "/", "-"), true); slug != "" {
			dir, _ := path.Split(p)
			p = dir + slug
		}
	}
	c.setURLPath(p)
	return nil
}

func (c *converter) setURLPath(p string) {
	c.card.URLPath = p
	c.card.Slug = p[strings.LastIndexByte(p, '/')+1:]
}

// PersonSlug is the file name stem a site gives a person's photo: "Mahé
// Tardy" is "mahe-tardy" (accents dropped, lower case, words joined by
// dashes). It returns "" for a name with no letters or digits.
func PersonSlug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	return b.String()
}
