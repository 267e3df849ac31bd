package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ogcard/ogcard"
)

// watchBuild is `ogcard build --watch`: it builds once, then rebuilds
// whenever files under the content folder change, until ctx is done (the
// first Ctrl-C). Each rebuild is the ordinary incremental build run again
// with the same flags, so it redraws only the cards whose inputs changed,
// and it reloads ogcard.yaml and templates, which may have changed too.
// Folders the build writes (the output folder, .ogcard, .git) are not
// watched. It returns the last build's exit code, 2 when watching fails.
func watchBuild(ctx context.Context, e *env, root, out string, args []string) int {
	args = withoutWatch(args)
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
		return err == nil && out != "" && (abs == outAbs || strings.HasPrefix(abs, outAbs+string(filepath.Separator)))
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
