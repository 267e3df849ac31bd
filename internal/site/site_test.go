package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"*.md", "a/b/c.md", true},
		{"*.md", "a/b/c.mdx", false},
		{"blog/*.md", "blog/x.md", true},
		{"blog/*.md", "blog/2024/x.md", false},
		{"blog/**/*.md", "blog/x.md", true},
		{"blog/**/*.md", "blog/2024/05/x.md", true},
		{"**/drafts/**", "a/drafts/x.md", true},
		{"**/drafts/**", "drafts/", true},
		{"drafts/**", "drafts/", true},
		{"drafts/**", "draftsx/a.md", false},
		{"README.md", "docs/README.md", true},
		{"./blog/*.md", "blog/a.md", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.name, func(t *testing.T) {
			got, err := Match(tt.pattern, tt.name)
			if err != nil || got != tt.want {
				t.Errorf("Match(%q, %q) = %v, %v; want %v, nil", tt.pattern, tt.name, got, err, tt.want)
			}
		})
	}
	if _, err := Match("[", "x"); err == nil {
		t.Errorf("Match(%q) = nil error, want one", "[")
	}
}

func TestScan(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{
		"blog/b.md", "blog/a.MD", "blog/c.mdx", "blog/d.markdown", "blog/e.txt",
		"blog/.hidden.md", ".git/x.md", "node_modules/pkg/readme.md",
		"drafts/wip.md", "blog/2024/deep.md", ".md",
	} {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("---\ntitle: x\n---\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"all", Options{}, []string{"blog/2024/deep.md", "blog/a.MD", "blog/b.md", "blog/c.mdx", "blog/d.markdown", "drafts/wip.md"}},
		{"include", Options{Include: []string{"blog/*"}}, []string{"blog/a.MD", "blog/b.md", "blog/c.mdx", "blog/d.markdown"}},
		{"exclude folder", Options{Exclude: []string{"drafts/**", "*.mdx"}}, []string{"blog/2024/deep.md", "blog/a.MD", "blog/b.md", "blog/d.markdown"}},
		{"include deep", Options{Include: []string{"**/deep.md"}}, []string{"blog/2024/deep.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Scan(context.Background(), root, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var rels []string
			for _, e := range got {
				rels = append(rels, e.Rel)
				if e.Abs != filepath.Join(root, filepath.FromSlash(e.Rel)) {
					t.Errorf("entry %q: Abs = %q", e.Rel, e.Abs)
				}
			}
			if !slices.Equal(rels, tt.want) {
				t.Errorf("Scan = %q, want %q", rels, tt.want)
			}
		})
	}
	t.Run("bad glob", func(t *testing.T) {
		if _, err := Scan(context.Background(), root, Options{Include: []string{"["}}); !errors.Is(err, ErrBadPattern) {
			t.Errorf("Scan with glob %q: err = %v, want ErrBadPattern", "[", err)
		}
	})
	t.Run("missing root", func(t *testing.T) {
		if _, err := Scan(context.Background(), filepath.Join(root, "nope"), Options{}); err == nil {
			t.Error("Scan of a missing folder: nil error")
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Scan(ctx, root, Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("Scan with cancelled ctx: err = %v, want context.Canceled", err)
		}
	})
}

func TestShard(t *testing.T) {
	var all []Entry
	for i := range 500 {
		all = append(all, Entry{Rel: string(rune('a'+i%26)) + "/" + string(rune('0'+i%10)) + "-" + string(rune('A'+i/26)) + ".md"})
	}
	for _, n := range []int{1, 2, 3, 7} {
		t.Run("n="+string(rune('0'+n)), func(t *testing.T) {
			seen := map[string]int{}
			for i := range n {
				part := Shard(all, i, n)
				if n > 1 && (len(part) < len(all)/n/2 || len(part) > 2*len(all)/n) {
					t.Errorf("Shard(%d/%d) has %d of %d entries: unbalanced", i, n, len(part), len(all))
				}
				again := Shard(all, i, n)
				if !slices.Equal(part, again) {
					t.Errorf("Shard(%d/%d) differs between calls", i, n)
				}
				for _, e := range part {
					seen[e.Rel]++
				}
			}
			for _, e := range all {
				if seen[e.Rel] != 1 {
					t.Errorf("entry %q is in %d shards, want 1", e.Rel, seen[e.Rel])
				}
			}
		})
	}
	if got := Shard(all, 3, 3); got != nil {
		t.Errorf("Shard(3/3) = %d entries, want nil", len(got))
	}
}
