package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ogcard/ogcard"
)

func runSign(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "sign", "sign --title TITLE [flags]  |  ogcard sign --new-key FILE",
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
	newKey := fs.String("new-key", "", "write a new random key at the top of `file` (created with mode 0600; keys already in it stay after it, so URLs they signed keep working) and exit")
	pos, code, done := parseFlags(e, fs, args)
	if done {
		return code
	}
	if *newKey != "" {
		if len(pos) > 0 || *title != "" {
			fmt.Fprintln(e.stderr, "ogcard sign: --new-key takes no title and no arguments")
			return exitUsage
		}
		if err := addNewKey(*newKey); err != nil {
			fmt.Fprintf(e.stderr, "ogcard sign: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(e.stderr, "ogcard sign: wrote a new signing key at the top of %s; give the file to 'ogcard serve --keys' and 'ogcard sign --keys'\n", *newKey)
		return exitOK
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

// addNewKey puts a new random key (32 bytes, hex) on the first line of
// name, keeping the keys already there after it: the first key signs, all
// verify, so rotating keys leaves URLs signed before valid. The file is
// replaced by rename, never rewritten in place, and is readable by its
// owner only.
func addNewKey(name string) error {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	old, err := os.ReadFile(name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("keys file %s: %w", name, err)
	}
	if len(old) > 0 {
		if _, err := ogcard.ParseKeys(string(old)); err != nil {
			return fmt.Errorf("keys file %s: %w; fix or remove it first", name, err)
		}
	}
	data := append([]byte(hex.EncodeToString(raw[:])+"\n"), old...)
	tmp, err := os.CreateTemp(filepath.Dir(name), ".ogcard-key-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
