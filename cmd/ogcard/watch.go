package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ogcard/ogcard"
)

// watchBuild is `ogcard build --watch`: it builds once, then rebuilds
// whenever files under the content folder change, until ctx is done (the
// first Ctrl-C). Each rebuild is the ordinary incremental build run again
// with the same flags, so it redraws only the cards whose inputs changed,
// and it reloads ogcard.yaml and templates, which may have changed too.
// Folders the build writes (the output folder, .ogcard, .git) are not
// watched, and neither are the cards and state file the last two builds
// wrote (colocated cards sit beside their posts). It returns the last build's exit code, 2 when watching fails.
func watchBuild(ctx context.Context, e *env, root, out string, args []string) int {
	args = withoutWatch(args)
	// The files the builds wrote: the state file and every card its
	// manifest lists (paths relative to -o, else the content folder), of
	// this build and the one before (whose removed cards' deletions are
	// events too).
	var mu sync.Mutex
	var wrote, wroteBefore map[string]bool
	cardBase := out
	if cardBase == "" {
		cardBase = root
	}
	we := *e
	we.built = func(rep *ogcard.BuildReport) {
		if rep.Manifest == "" {
			return // nothing written
		}
		set := map[string]bool{}
		add := func(p string) {
			if abs, err := filepath.Abs(p); err == nil {
				set[abs] = true
			}
		}
		add(rep.Manifest)
		if m, err := ogcard.ReadManifest(rep.Manifest); err == nil {
			for _, p := range m.Posts {
				for _, o := range p.Outputs {
					add(filepath.Join(cardBase, filepath.FromSlash(o.File)))
				}
			}
		}
		mu.Lock()
		wrote, wroteBefore = set, wrote
		mu.Unlock()
	}
	e = &we
	code := runBuild(ctx, e, args)
	if code == exitUsage || ctx.Err() != nil {
		return code
	}
	outAbs, _ := filepath.Abs(out)
	skip := func(p string, isDir bool) bool {
		base := filepath.Base(p)
		if base == ".git" || base == ".ogcard" || strings.HasPrefix(base, ogcard.TempFilePrefix) {
			return true
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return false
		}
		if out != "" && (abs == outAbs || strings.HasPrefix(abs, outAbs+string(filepath.Separator))) {
			return true
		}
		mu.Lock()
		defer mu.Unlock()
		return !isDir && (wrote[abs] || wroteBefore[abs])
	}
	err := ogcard.Watch(ctx, root, ogcard.WatchOptions{
		Skip:  skip,
		Ready: func() { fmt.Fprintf(e.stderr, "ogcard build: watching %s for changes (Ctrl-C stops)\n", root) },
	}, func(ctx context.Context, paths []string) error {
		what := paths[0]
		if len(paths) > 1 {
			what = fmt.Sprintf("%s and %d more", what, len(paths)-1)
		}
		fmt.Fprintf(e.stderr, "ogcard build: changed: %s; rebuilding\n", what)
		code = runBuild(ctx, e, args)
		return nil // a failed post is reported; watching goes on
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard build: %v\n", err)
		return exitUsage
	}
	return code
}

// withoutWatch drops --watch (in any spelling) from build's arguments.
func withoutWatch(args []string) []string {
	var out []string
	for _, a := range args {
		switch strings.TrimLeft(a, "-") {
		case "watch", "watch=true", "watch=1":
			if strings.HasPrefix(a, "-") {
				continue
			}
		}
		out = append(out, a)
	}
	return out
}
