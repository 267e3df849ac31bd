package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/ogcard/ogcard"
)

func runSign(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "sign", "sign --title TITLE [flags]",
		`OGCARD_SIGNING_KEYS=$(cat keys.txt) ogcard sign --title "Hello, world" --summary "A first post" --base https://cards.example.com --ttl 720h`)
	title := fs.String("title", "", "card title (required)")
	summary := fs.String("summary", "", "card summary")
	date := fs.String("date", "", "card date, as in front matter (2026-01-23)")
	tags := fs.String("tags", "", "comma-separated tags")
	author := fs.String("author", "", "comma-separated authors")
	tmpl := fs.String("template", "", "template name (default: the server's)")
	base := fs.String("base", "", "server's base `URL` (https://cards.example.com); default: a path only")
	ttl := fs.Duration("ttl", 0, "how long the URL works (0: no expiry)")
	keysFile := fs.String("keys", "", "signing keys `file`; the first key signs (default $"+keysEnv+")")
	pos, code, done := parseFlags(e, fs, args)
	if done {
		return code
	}
	if len(pos) > 0 || *title == "" || *ttl < 0 {
		fmt.Fprintln(e.stderr, "ogcard sign: want --title (and no arguments); --ttl must not be negative")
		fmt.Fprintln(e.stderr, "Run 'ogcard sign --help' for an example.")
		return exitUsage
	}
	keys, err := loadKeys(*keysFile)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard sign: %v\n", err)
		return exitUsage
	}
	if len(keys) == 0 {
		fmt.Fprintf(e.stderr, "ogcard sign: no signing key: pass --keys FILE or set $%s\n", keysEnv)
		return exitUsage
	}
	q := url.Values{"title": {*title}}
	for k, v := range map[string]string{"summary": *summary, "date": *date, "tags": *tags, "author": *author, "template": *tmpl} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var exp time.Time
	if *ttl > 0 {
		exp = time.Now().Add(*ttl)
	}
	u, err := ogcard.Sign(keys[0], "/render.png", q, exp)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard sign: %v\n", err)
		fmt.Fprintln(e.stderr, "An ad-hoc card carries its text in the URL; make cards of long posts with 'ogcard render' or 'ogcard build'.")
		return exitUsage
	}
	fmt.Fprintln(e.stdout, strings.TrimSuffix(*base, "/")+u)
	return exitOK
}
