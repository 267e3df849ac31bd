// Package sitemanifest makes the manifest site templates read: the cards of
// every page, keyed by page URL and by source path, each with its public
// URL, pixel size, bytes, MIME type, alt text and template. It holds no
// keys, times or sizes of source files: those stay in the build's state
// file (build.Manifest), which is not meant to be published. It also
// writes the <meta> tags of a page's cards.
package sitemanifest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/ogcard/ogcard/internal/atomicfile"
	"github.com/ogcard/ogcard/internal/build"
)

// Version is the format's version, bumped on an incompatible change.
const Version = 1

// Manifest is what a site template reads: Hugo's site.Data.ogcard, Jekyll's
// site.data.ogcard, or a JSON import in Astro, Next.js and Gatsby.
type Manifest struct {
	Version int    `json:"version"`
	BaseURL string `json:"baseURL"` // where the cards folder is served, as given
	// Pages maps a page URL as the generator makes it ("/posts/x/" with
	// --urls hugo) to the page's cards.
	Pages map[string]*Page `json:"pages"`
	// Sources maps a post file's path relative to the content root
	// ("posts/x.md", Hugo's .File.Path, Jekyll's page.path) to the same
	// entries.
	Sources map[string]*Page `json:"sources"`
}

// Page is one post's cards.
type Page struct {
	URL    string `json:"url"`    // the page's URL path
	Source string `json:"source"` // its file, relative to the content root
	Title  string `json:"title"`
	// Image is the card to name first: the og template's, else the first.
	Image *Card  `json:"image"`
	Cards []Card `json:"cards"` // every card, Image first
}

// Card is one card file.
type Card struct {
	URL      string `json:"url"` // absolute when the base URL is; else from the site's root ("/og/x.png")
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Bytes    int64  `json:"bytes,omitempty"` // file size; 0 (left out) from 'ogcard meta', which draws nothing
	Type     string `json:"type"`            // MIME type
	Alt      string `json:"alt"`
	Template string `json:"template"`
	Card     string `json:"card,omitempty"` // which card of a multi-card template ("03", "2of3")
}

// CheckBaseURL validates a --base-url value: an http(s) URL or a path from
// the site's root. It returns the value with one trailing slash.
func CheckBaseURL(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("base URL is empty: give where the cards folder is served, like https://example.org/og/ or /og/")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("base URL %q: %w", s, err)
	}
	switch {
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host == "" {
			return "", fmt.Errorf("base URL %q has no host", s)
		}
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(s, "/"):
	default:
		return "", fmt.Errorf("base URL %q: want an http(s) URL or a path from the site's root, like https://example.org/og/ or /og/", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q: no query or fragment, please", s)
	}
	return strings.TrimSuffix(s, "/") + "/", nil
}

// CardURL joins a checked base URL and a card file's slash path (relative
// to the cards folder), escaping what a URL path must.
func CardURL(base, file string) string {
	segs := strings.Split(strings.TrimPrefix(path.Clean("/"+file), "/"), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return base + strings.Join(segs, "/")
}

// CardFile is the slash path, relative to the cards folder, that `ogcard
// build` (without --colocate) gives a post's card: "<url path>.png" for
// og, "<url path>-<template>[-<card>].png" for the others.
func CardFile(urlPath, template, card string) string {
	p := strings.TrimPrefix(urlPath, "/")
	if p == "" {
		p = "index"
	}
	if template != "og" {
		p += "-" + template
	}
	if card != "" {
		p += "-" + card
	}
	return p + ".png"
}

// mimeType names a card file's type by its extension.
func mimeType(file string) string {
	switch strings.ToLower(path.Ext(file)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".webp":
		return "image/webp"
	}
	return "image/png"
}

// From makes the public manifest of a build's state. base is a value
// CheckBaseURL returned; card files are relative to the folder the state's
// paths are relative to (the build's output folder). Posts whose last build
// failed keep the cards of their last good build, which are still on disk.
func From(st *build.Manifest, base string) *Manifest {
	m := &Manifest{Version: Version, BaseURL: base, Pages: map[string]*Page{}, Sources: map[string]*Page{}}
	for _, p := range st.Posts {
		if len(p.Outputs) == 0 {
			continue
		}
		pg := &Page{URL: p.Page, Source: p.Source, Title: p.Title}
		if pg.URL == "" {
			pg.URL = p.URLPath
		}
		outs := slices.Clone(p.Outputs)
		// og first; the rest keep the state's order (by template, card).
		slices.SortStableFunc(outs, func(a, b build.Output) int {
			switch {
			case a.Template == "og" && b.Template != "og":
				return -1
			case b.Template == "og" && a.Template != "og":
				return 1
			}
			return 0
		})
		for _, o := range outs {
			alt := o.Alt
			if alt == "" {
				alt = p.Title
			}
			pg.Cards = append(pg.Cards, Card{
				URL: CardURL(base, o.File), Width: o.Width, Height: o.Height, Bytes: o.Bytes,
				Type: mimeType(o.File), Alt: alt, Template: o.Template, Card: o.Card,
			})
		}
		pg.Image = &pg.Cards[0]
		m.Pages[pg.URL] = pg
		m.Sources[pg.Source] = pg
	}
	return m
}

// WriteFile writes m atomically as indented JSON (map keys sorted).
func (m *Manifest) WriteFile(file string) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("manifest %s: %w", file, err)
	}
	if err := atomicfile.WriteFile(file, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("manifest %s: %w", file, err)
	}
	return nil
}
