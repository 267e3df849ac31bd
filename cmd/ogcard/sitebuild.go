package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ogcard/ogcard"
)

// siteFlags are build's flags for the site generator's side: where the
// public manifest goes and under which URL the cards are served, where the
// build keeps its own state, and whose page URLs to follow.
type siteFlags struct {
	manifest, baseURL, state, urls *string
	base                           string // baseURL, checked
}

func addSiteFlags(fs *flag.FlagSet) *siteFlags {
	return &siteFlags{
		manifest: fs.String("manifest", "", "write the manifest site templates read to `FILE` (Hugo: data/ogcard.json, Jekyll: _data/ogcard.json); needs --base-url"),
		baseURL:  fs.String("base-url", "", "`URL` where OUT_DIR is served, like https://example.org/og/ or /og/"),
		state:    fs.String("state", "", "the build's own state `file` (keys, source paths, times; default .ogcard/state-NAME.json beside ogcard.yaml, else in CONTENT_DIR)"),
		urls:     fs.String("urls", "", "page URLs as `GENERATOR` makes them: hugo, jekyll, zola or path (default: the config's urls, else path)"),
	}
}

// check validates the flags before anything is built.
func (sf *siteFlags) check() error {
	if *sf.baseURL != "" || *sf.manifest != "" {
		b, err := ogcard.CheckBaseURL(*sf.baseURL)
		if err != nil {
			return fmt.Errorf("--base-url: %w", err)
		}
		sf.base = b
	}
	return nil
}

// stateFile sets opts.StateFile: --state, else a file under .ogcard/ in
// the config's folder (or the content folder), named after the output
// folder, so the state never lands in the published cards folder. A state
// left in the output folder by an older ogcard is moved there. Sharded
// builds keep theirs in the output folder: --merge-manifests reads it
// from there.
func (sf *siteFlags) stateFile(e *env, opts *ogcard.BuildOptions, configFile string) error {
	switch {
	case *sf.state != "":
		opts.StateFile = *sf.state
		return nil
	case opts.Shards > 1:
		return nil
	}
	home := opts.Root
	if configFile != "" {
		home = filepath.Dir(configFile)
	}
	name := "colocated"
	if opts.OutDir != "" {
		name = stateName(home, opts.OutDir)
	}
	opts.StateFile = filepath.Join(home, ".ogcard", "state-"+name+".json")
	old := filepath.Join(opts.OutDir, ogcard.ManifestName)
	if opts.OutDir == "" {
		old = filepath.Join(opts.Root, ogcard.ManifestName)
	}
	if _, err := os.Stat(opts.StateFile); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if _, err := os.Stat(old); err != nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(opts.StateFile), 0o755); err != nil {
		return fmt.Errorf("state folder: %w", err)
	}
	if err := os.Rename(old, opts.StateFile); err != nil {
		return fmt.Errorf("moving the build state out of the output folder: %w", err)
	}
	fmt.Fprintf(e.stderr, "ogcard: moved the build state from %s to %s (it no longer goes in the published folder)\n", old, opts.StateFile)
	return nil
}

// stateName names a state file after the output folder relative to home
// ("static/og" gives "static-og"), or a hash of its absolute path when it
// is elsewhere.
func stateName(home, out string) string {
	ah, err1 := filepath.Abs(home)
	ao, err2 := filepath.Abs(out)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(ah, ao); err == nil && filepath.IsLocal(rel) {
			var b strings.Builder
			for _, r := range filepath.ToSlash(rel) {
				if r == '/' || r == '.' || r == ' ' {
					r = '-'
				}
				b.WriteRune(r)
			}
			return b.String()
		}
	}
	sum := sha256.Sum256([]byte(ao))
	return hex.EncodeToString(sum[:6])
}

// writeManifest writes the public manifest from the state the build wrote.
func (sf *siteFlags) writeManifest(e *env, rep *ogcard.BuildReport) error {
	if *sf.manifest == "" || rep.Manifest == "" {
		return nil
	}
	if dir := filepath.Dir(*sf.manifest); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("manifest folder: %w", err)
		}
	}
	pages, err := ogcard.WriteSiteManifest(rep.Manifest, sf.base, *sf.manifest)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "ogcard: wrote %s (%d pages)\n", *sf.manifest, pages)
	return nil
}
