package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/ogcard/ogcard"
)

const metaSynopsis = `meta [flags] POST.md|-

Prints the <meta> tags of a post's cards as 'ogcard build' (without
--colocate) names them: og:image (absolute with an absolute --base-url),
og:image:type, :width, :height and :alt for every card the templates make
(each talk's card, each line-up page), then twitter:card
(summary_large_image), twitter:image and twitter:image:alt of the first.
Nothing is drawn. --base-url is where the build's output folder is served.`

func runMeta(ctx context.Context, e *env, args []string) int {
	fl := newFlags(e, "meta", metaSynopsis, "ogcard meta content/posts/hello.md --base-url https://example.org/og/ --urls hugo")
	base := fl.String("base-url", "", "`URL` where the cards folder is served, like https://example.org/og/ (a path like /og/ gives relative URLs)")
	var tmpls listFlag
	fl.Var(&tmpls, "template", "template `names`, repeatable or comma-separated (default: the config's templates, else og)")
	format := fl.String("format", "html", "output `format`: html or json")
	urls := fl.String("urls", "", "page URLs as `GENERATOR` makes them: hugo, jekyll, zola or path (default: the config's urls, else path)")
	cfgPath := fl.String("config", "", "site config `file` (default: the nearest ogcard.yaml at or above the post)")
	site := fl.String("site", "", "site `name` (default: the config's)")
	root := fl.String("content", "", "content `folder` the post's URL derives from (default: the config's folder)")
	pos, code, done := parseFlags(e, fl, args)
	if done {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "ogcard meta: "+format+"\n", a...)
		fmt.Fprintln(e.stderr, "Run 'ogcard meta --help' for the flags.")
		return exitUsage
	}
	if len(pos) != 1 {
		return usageErr("want exactly one POST (a file, or - for standard input)")
	}
	if *format != "html" && *format != "json" {
		return usageErr("--format %q: want html or json", *format)
	}
	baseURL := "/"
	if *base != "" {
		var err error
		if baseURL, err = ogcard.CheckBaseURL(*base); err != nil {
			return usageErr("--base-url: %v", err)
		}
	} else {
		fmt.Fprintln(e.stderr, "ogcard meta: no --base-url: card URLs are relative to the site's root, and og:image wants an absolute URL")
	}
	spec := rendererSpec{configPath: *cfgPath, site: *site, templates: tmpls, urls: *urls, cardRoot: *root, note: e.stderr}
	if pos[0] != "-" {
		spec.searchFrom = filepath.Dir(pos[0])
	}
	r, names, err := loadRenderer(spec)
	if err != nil {
		return usageErr("%v", err)
	}
	c, err := readPost(e, r, pos[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard meta: %s\n", cardErr(err))
		return exitFail
	}
	for _, w := range c.Warnings {
		fmt.Fprintf(e.stderr, "warning: %s: %s\n", c.Source, w)
	}
	var cards []ogcard.SiteCard
	for _, name := range names {
		t, ok := r.Template(name)
		if !ok {
			return usageErr("unknown template %q", name)
		}
		refs, err := r.Cards(c, name)
		if err != nil && !errors.Is(err, ogcard.ErrNoCards) {
			fmt.Fprintf(e.stderr, "ogcard meta: %v\n", err)
			return exitFail
		}
		for _, ref := range refs {
			card := ogcard.SiteCard{
				URL:   ogcard.CardURL(baseURL, ogcard.CardFile(c.URLPath, name, ref.Suffix)),
				Width: t.Width, Height: t.Height, Type: "image/png",
				Alt: ref.Alt, Template: name, Card: ref.Suffix,
			}
			if name == "og" {
				cards = append([]ogcard.SiteCard{card}, cards...)
			} else {
				cards = append(cards, card)
			}
		}
	}
	tags := ogcard.MetaTags(cards)
	if *format == "json" {
		page := c.PageURL
		if page == "" {
			page = c.URLPath
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(struct {
			Page  string            `json:"page"`
			Cards []ogcard.SiteCard `json:"cards"`
			Tags  []ogcard.MetaTag  `json:"tags"`
		}{page, cards, tags})
	} else {
		err = ogcard.WriteMetaHTML(e.stdout, tags)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard meta: %v\n", err)
		return exitFail
	}
	return exitOK
}
