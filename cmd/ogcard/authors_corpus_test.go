package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// ciliumAuthors reads the names out of the cilium.io author module
// (src/utils/author-data.js): each entry is `  id: {` followed by a
// `header:` string, sometimes wrapped in a link.
func ciliumAuthors(t *testing.T, file string) map[string]string {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("author data: %v", err)
	}
	key := regexp.MustCompile(`^  ([A-Za-z0-9_]+): \{`)
	header := regexp.MustCompile("^\\s*header:\\s*['\"`](.*)['\"`],?\\s*$")
	tag := regexp.MustCompile(`<[^>]*>`)
	names := map[string]string{}
	id := ""
	for _, line := range strings.Split(string(src), "\n") {
		if m := key.FindStringSubmatch(line); m != nil {
			id = m[1]
			continue
		}
		if m := header.FindStringSubmatch(line); m != nil && id != "" {
			if name := strings.TrimSpace(tag.ReplaceAllString(m[1], "")); name != "" {
				names[id] = name
			}
			id = ""
		}
	}
	if len(names) < 10 {
		t.Fatalf("author data %s: read only %d names; has its shape changed?", file, len(names))
	}
	return names
}

// TestCorpusAuthorFile: cilium.io posts name their authors only by id
// (<BlogAuthor {...authors.X} />); without author data the build warns about
// each id, and an authors: file built from the site's own author module makes
// the warnings go and the names appear on the cards.
func TestCorpusAuthorFile(t *testing.T) {
	cilium := filepath.Join(corpusDir(t), "cilium")
	names := ciliumAuthors(t, filepath.Join(cilium, "src", "utils", "author-data.js"))
	posts := filepath.Join(cilium, "src", "posts")
	dirs, err := os.ReadDir(posts)
	if err != nil {
		t.Fatalf("corpus: %v", err)
	}
	blogAuthor := regexp.MustCompile(`<BlogAuthor\s*\{\.\.\.authors\.([A-Za-z0-9_]+)\}\s*/>`)

	// One post for each of up to 8 distinct ids that the author data knows.
	site := t.TempDir()
	type post struct{ path, id string }
	var picked []post
	for _, d := range dirs {
		if len(picked) == 8 {
			break
		}
		data, err := os.ReadFile(filepath.Join(posts, d.Name(), "index.md"))
		if err != nil {
			continue
		}
		m := blogAuthor.FindAllStringSubmatch(string(data), -1)
		if len(m) != 1 || names[m[0][1]] == "" || slices.ContainsFunc(picked, func(p post) bool { return p.id == m[0][1] }) {
			continue
		}
		dst := filepath.Join(site, "posts", d.Name(), "index.md")
		writeFile(t, dst, string(data))
		picked = append(picked, post{dst, m[0][1]})
	}
	if len(picked) < 5 {
		t.Fatalf("corpus %s: only %d posts name one known author id, want at least 5", posts, len(picked))
	}
	warning := func(p post) string {
		return fmt.Sprintf("%s: author id %q is not in the author data", p.path, p.id)
	}

	// Without author data: one warning per post.
	writeFile(t, filepath.Join(site, "ogcard.yaml"), "site: Cilium\n")
	code, stdout, errOut := runCLI(t, "", "build", site, "-o", filepath.Join(site, "og1"), "-v")
	if code != exitOK {
		t.Fatalf("build without authors: exit %d\n%s%s", code, stdout, errOut)
	}
	// A post whose body also has a written byline takes that instead of the
	// id; the rest must each be warned about.
	var warned []post
	for _, p := range picked {
		if strings.Contains(errOut, warning(p)) {
			warned = append(warned, p)
		}
	}
	if len(warned) < 5 {
		t.Fatalf("build without authors: %d of %d posts warned about their author id, want at least 5:\n%s", len(warned), len(picked), errOut)
	}

	// With an authors file for those ids: no warnings, names resolved.
	var yml strings.Builder
	for _, p := range picked {
		fmt.Fprintf(&yml, "%s:\n  name: %q\n", p.id, names[p.id])
	}
	writeFile(t, filepath.Join(site, "authors.yml"), yml.String())
	writeFile(t, filepath.Join(site, "ogcard.yaml"), "site: Cilium\nauthors: authors.yml\n")
	code, stdout, errOut = runCLI(t, "", "build", site, "-o", filepath.Join(site, "og2"), "-v")
	if code != exitOK {
		t.Fatalf("build with authors: exit %d\n%s%s", code, stdout, errOut)
	}
	if want := fmt.Sprintf("%d posts: %d rendered", len(picked), len(picked)); !strings.HasPrefix(stdout, want) {
		t.Errorf("build with authors: stdout %q, want it to start %q", stdout, want)
	}
	if strings.Contains(errOut, "is not in the author data") {
		t.Errorf("build with authors still warns about author ids:\n%s", errOut)
	}
	for _, p := range warned[:2] {
		code, out, errOut := runCLI(t, "", "inspect", p.path)
		if want := fmt.Sprintf("%q: %q", "Name", names[p.id]); code != exitOK || !strings.Contains(out, want) {
			t.Errorf("inspect %s: exit %d, output lacks %s:\n%s%s", p.path, code, want, out, errOut)
		}
	}
}
