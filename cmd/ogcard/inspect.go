package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
)

func runInspect(ctx context.Context, e *env, args []string) int {
	fl := newFlags(e, "inspect", "inspect [flags] POST.md|-", "ogcard inspect content/posts/hello.md")
	site := fl.String("site", "", "site `name` (default: the config's)")
	cfgPath := fl.String("config", "", "site config `file` (default: the nearest ogcard.yaml above the post)")
	pos, code, done := parseFlags(e, fl, args)
	if done {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "ogcard inspect: want exactly one POST (a file, or - for standard input)")
		return exitUsage
	}
	spec := rendererSpec{configPath: *cfgPath, site: *site, note: e.stderr}
	if pos[0] != "-" {
		spec.searchFrom = filepath.Dir(pos[0])
	}
	r, _, _, err := loadRenderer(spec)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard inspect: %v\n", err)
		return exitUsage
	}
	p, err := readPost(e, pos[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard inspect: %v\n", err)
		return exitFail
	}
	c, err := r.Card(p)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard inspect: %v\n", err)
		return exitFail
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		fmt.Fprintf(e.stderr, "ogcard inspect: %v\n", err)
		return exitFail
	}
	return exitOK
}

func runTemplates(ctx context.Context, e *env, args []string) int {
	fl := newFlags(e, "templates", "templates [NAME]", "ogcard templates og > my-card.yaml")
	pos, code, done := parseFlags(e, fl, args)
	if done {
		return code
	}
	r, _, _, err := loadRenderer(rendererSpec{note: e.stderr})
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard templates: %v\n", err)
		return exitUsage
	}
	if len(pos) == 0 {
		for _, n := range r.Templates() {
			t, _ := r.Template(n)
			fmt.Fprintf(e.stdout, "%s\n    %dx%d  %s\n", n, t.Width, t.Height, t.Description)
		}
		return exitOK
	}
	t, ok := r.Template(pos[0])
	if !ok {
		fmt.Fprintf(e.stderr, "ogcard templates: no template %q; the built-in ones are: %s\n", pos[0], strings.Join(r.Templates(), ", "))
		return exitUsage
	}
	e.stdout.Write(t.Source)
	return exitOK
}

func runVersion(ctx context.Context, e *env, args []string) int {
	fl := newFlags(e, "version", "version", "ogcard version")
	if _, code, done := parseFlags(e, fl, args); done {
		return code
	}
	fmt.Fprintf(e.stdout, "ogcard %s\n", version)
	return exitOK
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"
