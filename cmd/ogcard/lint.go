package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ogcard/ogcard"
)

const lintSynopsis = `lint CONTENT_DIR|POST.md [--template NAME|all]... [--json]

Renders each post's cards and checks them: text cut off or under a readable
size at 400 px wide, text contrast against the pixels behind it under WCAG
AA, text or logo outside X's 2:1 crop or WhatsApp's centre square, files
over a platform's byte limit or images under its minimum, characters no
font has, and posts whose cards are identical. Each finding names the post,
card, rule and what to change. Rules are switched and tuned in
ogcard.yaml:

  lint:
    contrast: {level: error, value: 7}    # AAA instead of AA
    safe-zone-whatsapp: {level: off}
    small-text: {value: 8}                # px when shown 400 px wide

Rules: ` + "%s" + `.
Exit status 1 when any error-level finding remains or a post fails.`

func runLint(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "lint", fmt.Sprintf(lintSynopsis, strings.Join(ogcard.LintRules(), ", ")),
		"ogcard lint content --template og,session")
	var tmpls listFlag
	fs.Var(&tmpls, "template", "template `names` to check, repeatable or comma-separated; all for every one (default: the config's, else og)")
	jsonOut := fs.Bool("json", false, "print the findings as JSON on standard output")
	cfgPath := fs.String("config", "", "site config `file` (default: ogcard.yaml in CONTENT_DIR, or the nearest above POST)")
	jobs := fs.Int("jobs", 0, "render `workers` (default GOMAXPROCS)")
	verbose := fs.Bool("v", false, "list info-level notes too (WhatsApp's square crop); --json always has them")
	pos, code, done := parseFlags(e, fs, args)
	if done {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "ogcard lint: "+format+"\n", a...)
		fmt.Fprintln(e.stderr, "Run 'ogcard lint --help' for the flags.")
		return exitUsage
	}
	if len(pos) != 1 {
		return usageErr("want one CONTENT_DIR or POST, got %d arguments", len(pos))
	}
	if *jobs < 0 || *jobs > 1024 {
		return usageErr("--jobs %d: want 0 (GOMAXPROCS) to 1024", *jobs)
	}
	target := pos[0]
	st, err := os.Stat(target)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard lint: %v\n", err)
		return exitUsage
	}
	all := false
	var names []string
	for _, t := range tmpls {
		if t == "all" {
			all = true
		} else {
			names = append(names, t)
		}
	}
	spec := rendererSpec{configPath: *cfgPath, templates: names, note: e.stderr}
	if st.IsDir() {
		spec.searchFrom, spec.cardRoot = target, target
	} else {
		spec.searchFrom = filepath.Dir(target)
	}
	r, names, err := loadRenderer(spec)
	if err != nil {
		return usageErr("%v", err)
	}
	if all {
		names = r.Templates()
	}
	for _, n := range names {
		if _, ok := r.Template(n); !ok {
			return usageErr("unknown template %q; known: %s, or all", n, strings.Join(r.Templates(), ", "))
		}
	}
	o := ogcard.LintOptions{Templates: names, Jobs: *jobs}
	if st.IsDir() {
		o.Root = target
	} else {
		o.Files = []string{target}
	}
	start := time.Now()
	rep, err := r.Lint(ctx, o)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard lint: %v\n", err)
		return exitFail
	}
	elapsed := time.Since(start)
	counts := map[string]int{}
	for _, f := range rep.Findings {
		counts[f.Level]++
	}
	if *jsonOut {
		failures := make([]string, len(rep.Failures))
		for i, f := range rep.Failures {
			failures[i] = f.Error()
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			Posts    int                  `json:"posts"`
			Cards    int                  `json:"cards"`
			Findings []ogcard.LintFinding `json:"findings"`
			Failures []string             `json:"failures"`
			Seconds  float64              `json:"seconds"`
		}{rep.Posts, rep.Cards, nonNil(rep.Findings), failures, elapsed.Seconds()})
	} else {
		for _, f := range rep.Findings {
			if f.Level != "info" || *verbose {
				fmt.Fprintln(e.stdout, f.String())
			}
		}
		for _, f := range rep.Failures {
			fmt.Fprintf(e.stderr, "ogcard lint: %v\n", f)
		}
		fmt.Fprintf(e.stdout, "%d posts, %d cards: %d errors, %d warnings, %d notes (%.1fs)%s\n",
			rep.Posts, rep.Cards, counts["error"], counts["warning"], counts["info"], elapsed.Seconds(), notesHint(counts["info"], *verbose))
	}
	if rep.Errors > 0 || len(rep.Failures) > 0 {
		return exitFail
	}
	return exitOK
}

func nonNil(f []ogcard.LintFinding) []ogcard.LintFinding {
	if f == nil {
		return []ogcard.LintFinding{}
	}
	return f
}

func notesHint(n int, verbose bool) string {
	if n == 0 || verbose {
		return ""
	}
	return "; -v lists the notes"
}
