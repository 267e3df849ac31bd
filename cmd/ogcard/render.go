package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/atomicfile"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/render"
)

// maxStdinBytes caps a post read from standard input, as post.Read caps files.
const maxStdinBytes = post.MaxFileBytes

func newRenderer(site string) (*render.Renderer, error) {
	return render.New(render.Options{
		Fonts:     fonts.FS,
		Templates: assets.Templates,
		Brand:     assets.Brand,
		BrandName: "built-in brand.yaml",
		SiteName:  site,
	})
}

// readPost reads a post from a path, or from standard input for "-".
func readPost(e *env, path string) (*post.Post, error) {
	if path != "-" {
		return post.Read(path)
	}
	data, err := io.ReadAll(io.LimitReader(e.stdin, maxStdinBytes+1))
	if err != nil {
		return nil, fmt.Errorf("post <stdin>: %w", err)
	}
	if len(data) > maxStdinBytes {
		return nil, fmt.Errorf("post <stdin>: over %d bytes", maxStdinBytes)
	}
	return post.Parse("<stdin>", data)
}

func runRender(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "render", "render [flags] POST.md|-",
		"ogcard render content/posts/2026-01-23-kubecon/index.md -o kubecon.png")
	out := fs.String("o", "", "output PNG `file` (default: <slug>.png in the current folder)")
	tmpl := fs.String("template", "og", "template `name`: "+strings.Join(builtinTemplates(), ", "))
	site := fs.String("site", "", "site `name` shown on the card (default: the brand's)")
	force := fs.Bool("force", false, "overwrite the post's own image if -o names it")
	pos, code, done := parseFlags(e, fs, args)
	if done {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "ogcard render: want exactly one POST (a file, or - for standard input)")
		fmt.Fprintln(e.stderr, "Run 'ogcard render --help' for an example.")
		return exitUsage
	}
	r, err := newRenderer(*site)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard render: %v\n", err)
		return exitUsage
	}
	if _, ok := r.Template(*tmpl); !ok {
		fmt.Fprintf(e.stderr, "ogcard render: unknown template %q; the built-in ones are: %s\n", *tmpl, strings.Join(r.Templates(), ", "))
		return exitUsage
	}
	p, err := readPost(e, pos[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard render: %v\n", err)
		return exitFail
	}
	c, err := r.Card(p)
	if err != nil {
		var skip *card.SkipError
		if errors.As(err, &skip) {
			fmt.Fprintf(e.stderr, "ogcard render: %s: not rendered: %v\n", p.Path, err)
		} else {
			fmt.Fprintf(e.stderr, "ogcard render: %v\n", err)
		}
		return exitFail
	}
	dest := *out
	if dest == "" {
		name := c.Slug
		if name == "" {
			name = "card"
		}
		dest = name + ".png"
		if *tmpl != "og" {
			dest = name + "-" + *tmpl + ".png"
		}
	}
	if !*force && pos[0] != "-" && c.Image != "" && samePath(filepath.Join(filepath.Dir(pos[0]), c.Image), dest) {
		fmt.Fprintf(e.stderr, "ogcard render: %s is the post's own image (%s in its front matter); pass --force to overwrite it, or choose another -o\n", dest, c.Image)
		return exitUsage
	}
	img, err := r.Render(ctx, c, *tmpl)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard render: %s: %v\n", p.Path, err)
		return exitFail
	}
	for _, w := range append(c.Warnings, img.Warnings...) {
		fmt.Fprintf(e.stderr, "warning: %s: %s\n", p.Path, w)
	}
	if err := atomicfile.WriteFile(dest, img.PNG, 0o644); err != nil {
		fmt.Fprintf(e.stderr, "ogcard render: %v\n", err)
		return exitFail
	}
	fmt.Fprintln(e.stdout, dest)
	return exitOK
}

func samePath(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 != nil || err2 != nil {
		return false
	}
	if aa == bb {
		return true
	}
	sa, err1 := os.Stat(aa)
	sb, err2 := os.Stat(bb)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

func builtinTemplates() []string {
	names, _ := filepathGlobFS()
	return names
}
