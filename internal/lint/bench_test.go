package lint_test

import (
	"context"
	"os"
	"testing"

	"github.com/ogcard/ogcard/internal/lint"
	"github.com/ogcard/ogcard/internal/post"
)

// BenchmarkReference compares rendering the reference post's og card with
// rendering it for lint and checking it, side by side.
func BenchmarkReference(b *testing.B) {
	r := newRenderer(&testing.T{})
	data, err := os.ReadFile("../../testdata/posts/cilium-at-kubecon-eu-2026.md")
	if err != nil {
		b.Fatal(err)
	}
	p, err := post.Parse("ref.md", data)
	if err != nil {
		b.Fatal(err)
	}
	c, err := r.Card(p)
	if err != nil {
		b.Fatal(err)
	}
	l, _ := lint.New(nil)
	ctx := context.Background()
	b.Run("render", func(b *testing.B) {
		for b.Loop() {
			if _, err := r.Render(ctx, c, "og"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("lint", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := l.Post(ctx, r, c, "ref.md", []string{"og"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
