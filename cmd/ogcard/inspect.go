package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/ogcard/ogcard"
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
	r, _, err := loadRenderer(spec)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard inspect: %v\n", err)
		return exitUsage
	}
	c, err := readPost(e, r, pos[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard inspect: %s\n", cardErr(err))
		return exitFail
	}
	// Under the names templates use: {{.Authors}}, not "authors".
	js, err := c.TemplateJSON()
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard inspect: %v\n", err)
		return exitFail
	}
	e.stdout.Write(js)
	return exitOK
}

func runTemplates(ctx context.Context, e *env, args []string) int {
	fl := newFlags(e, "templates", "templates [NAME] [--fields]", "ogcard templates og > my-card.yaml\n  ogcard templates --fields")
	listFields := fl.Bool("fields", false, "list the card fields template texts can use, with types and examples")
	pos, code, done := parseFlags(e, fl, args)
	if done {
		return code
	}
	if *listFields {
		printFields(e.stdout)
		return exitOK
	}
	r, _, err := loadRenderer(rendererSpec{note: e.stderr})
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
	fmt.Fprintf(e.stdout, "ogcard %s\n", versionString())
	return exitOK
}

// version is set at build time with -ldflags "-X main.version=…"; left
// "dev", versionString reads the build info Go stamps into the binary.
var version = "dev"

// printFields lists ogcard.TemplateFields as a table.
func printFields(w io.Writer) {
	fmt.Fprintln(w, "Fields template texts can use ({{.Title}}; inside {{range .Sessions}}, a session's own: {{.Title}}; $ is the card):")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tTYPE\tEXAMPLE")
	for _, f := range ogcard.TemplateFields() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Type, f.Example)
	}
	tw.Flush()
}
