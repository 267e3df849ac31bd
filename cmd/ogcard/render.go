package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ogcard/ogcard"
	"github.com/ogcard/ogcard/assets"
)

// stdinSlug is the slug of a post read from standard input without a slug
// or path of its own: the stand-in file name's.
const stdinSlug = "stdin"

// readPost reads a post's card from a path, or from standard input for "-".
func readPost(e *env, r *ogcard.Renderer, path string) (*ogcard.Card, error) {
	if path != "-" {
		return r.ReadPostFile(path)
	}
	return r.ReadPost("<stdin>", e.stdin)
}

func runRender(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "render", "render [flags] POST.md|-",
		"ogcard render content/posts/2026-01-23-kubecon/index.md -o kubecon.png\n"+
			"  ogcard render content/posts/2026-01-23-kubecon/index.md --template session --all -o cards/")
	out := fs.String("o", "", "output `file`, .png or .jpg (JPEG), or folder with --all (default: <slug>.png here)")
	quality := fs.Int("quality", 0, "JPEG `quality` 1..100 for a .jpg -o file (default 85)")
	tmpl := fs.String("template", "", "template: a built-in `name` ("+strings.Join(builtinTemplates(), ", ")+") or a .yaml file (default: the config's first, else og)")
	all := fs.Bool("all", false, "write every card the template makes (one per session, or every line-up page) into the -o folder")
	cfgPath := fs.String("config", "", "site config `file` (default: the nearest ogcard.yaml above the post)")
	site := fs.String("site", "", "site `name` shown on the card (default: the config's)")
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
	// The format comes from the file name, checked before any work: PNG
	// bytes under a .webp name would break whatever serves the file.
	format := ogcard.Encoding{Format: ogcard.PNG}
	switch {
	case *all && *quality != 0:
		fmt.Fprintln(e.stderr, "ogcard render: --quality applies to one .jpg card; --all writes PNG files")
		return exitUsage
	case *out != "" && !*all && !isFolder(*out): // a folder gets its own message below
		f, err := ogcard.EncodingFor(*out, *quality)
		if err != nil {
			fmt.Fprintf(e.stderr, "ogcard render: %v\n", err)
			return exitUsage
		}
		format = f
	case *quality != 0:
		fmt.Fprintln(e.stderr, "ogcard render: --quality applies to JPEG: name a .jpg file with -o")
		return exitUsage
	}
	spec := rendererSpec{configPath: *cfgPath, site: *site, note: e.stderr}
	if *tmpl != "" {
		spec.templates = []string{*tmpl}
	}
	if pos[0] != "-" {
		spec.searchFrom = filepath.Dir(pos[0])
	}
	r, names, err := loadRenderer(spec)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard render: %v\n", err)
		return exitUsage
	}
	name := names[0]
	t, ok := r.Template(name)
	if !ok {
		fmt.Fprintf(e.stderr, "ogcard render: unknown template %q; the built-in ones are: %s (or give a .yaml file)\n", name, strings.Join(r.Templates(), ", "))
		return exitUsage
	}
	c, err := readPost(e, r, pos[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard render: %s\n", cardErr(err))
		return exitFail
	}
	slug := c.Slug
	if pos[0] == "-" && slug == stdinSlug {
		// No file names a post read from standard input: its title does.
		slug = ogcard.TitleSlug(c.Title)
	}
	if slug == "" {
		slug = "card"
	}
	if *all {
		return renderAll(ctx, e, r, c, name, slug, *out)
	}
	dest := *out
	if dest == "" {
		dest = slug + ".png"
		if name != "og" {
			dest = slug + "-" + name + ".png"
		}
	}
	if st, err := os.Stat(dest); err == nil && st.IsDir() {
		fmt.Fprintf(e.stderr, "ogcard render: -o %s is a folder; name a .png file, or pass --all to write every card into it\n", dest)
		return exitUsage
	}
	if !*force && pos[0] != "-" && c.Image != "" && samePath(filepath.Join(filepath.Dir(pos[0]), c.Image), dest) {
		fmt.Fprintf(e.stderr, "ogcard render: %s is the post's own image (%s in its front matter); pass --force to overwrite it, or choose another -o\n", dest, c.Image)
		return exitUsage
	}
	img, err := r.RenderAs(ctx, c, name, format)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard render: %s: %v\n", c.Source, err)
		return exitFail
	}
	if t.MultiCard {
		fmt.Fprintf(e.stderr, "note: template %s makes a card per session; this is the first (--all writes them all)\n", name)
	}
	for _, w := range append(c.Warnings, img.Warnings...) {
		fmt.Fprintf(e.stderr, "warning: %s: %s\n", c.Source, w)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		fmt.Fprintf(e.stderr, "ogcard render: %v\n", err)
		return exitFail
	}
	if err := ogcard.WriteFile(dest, img.Data(), 0o644); err != nil {
		fmt.Fprintf(e.stderr, "ogcard render: %v\n", err)
		return exitFail
	}
	fmt.Fprintln(e.stdout, dest)
	return exitOK
}

// renderAll writes every card of a template into dir, named
// <slug>-<template>.png, <slug>-<template>-03.png (third session) or
// <slug>-<template>-2of3.png (second line-up page), and prints each path.
func renderAll(ctx context.Context, e *env, r *ogcard.Renderer, c *ogcard.Card, name, slug, dir string) int {
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(e.stderr, "ogcard render: %v\n", err)
		return exitFail
	}
	imgs, err := r.RenderAll(ctx, c, name)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard render: %s: %v\n", c.Source, err)
		return exitFail
	}
	for _, w := range c.Warnings {
		fmt.Fprintf(e.stderr, "warning: %s: %s\n", c.Source, w)
	}
	warned := map[string]bool{} // cards of one post share warnings: print each once
	for _, img := range imgs {
		for _, w := range img.Warnings {
			if !warned[w] {
				warned[w] = true
				fmt.Fprintf(e.stderr, "warning: %s: %s\n", c.Source, w)
			}
		}
		file := slug + "-" + name
		if img.Suffix != "" {
			file += "-" + img.Suffix
		}
		dest := filepath.Join(dir, file+".png")
		if err := ogcard.WriteFile(dest, img.PNG, 0o644); err != nil {
			fmt.Fprintf(e.stderr, "ogcard render: %v\n", err)
			return exitFail
		}
		fmt.Fprintln(e.stdout, dest)
	}
	return exitOK
}

func isFolder(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
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

// builtinTemplates names the embedded templates, for flag help: listing
// them needs no Renderer.
func builtinTemplates() []string {
	names, _ := fs.Glob(assets.Templates, "*.yaml")
	for i, n := range names {
		names[i] = strings.TrimSuffix(n, ".yaml")
	}
	return names
}

// cardErr is the message for a post's card error. A file ogcard makes no
// card of (skipped: not a post, no title) is named, with what to do about
// it; other errors name the file themselves.
func cardErr(err error) string {
	var skip *ogcard.SkipError
	if !errors.As(err, &skip) {
		return err.Error()
	}
	msg := fmt.Sprintf("%s: not rendered: %v", skip.File, err)
	switch skip.Reason {
	case "not a post":
		msg += "; ogcard takes such files for pages, not posts: if it is a post, rename or move it"
	case "no title":
		msg += "; add title: to its front matter or a # heading to its body"
	}
	return msg
}
