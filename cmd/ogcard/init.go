package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ogcard/ogcard"
	"github.com/ogcard/ogcard/assets"
)

// starterConfig is what `ogcard init` writes: every key, commented.
const starterConfig = `# ogcard.yaml: your site's brand for ogcard. ogcard finds it in the content
# folder (ogcard build/serve) or the nearest folder above a post (ogcard render).
# Every key is optional; remove what you do not need.

# The site's name, shown on cards.
site: My Site

# Colours, as #rrggbb or #rrggbbaa. Templates use them as $name.
colors:
  background: "#0b1533"   # gradient start
  background2: "#1d3f8f"  # gradient end
  accent: "#38bdf8"       # eyebrows, bars, highlights
  text: "#ffffff"
  muted: "#c3cee6"        # summaries, dates, affiliations
  pill: "#ffffff1c"       # tag pill background
  pill_text: "#e6ecf8"
  avatar: "#38bdf8"       # initials circles when there is no photo

# Fonts: families for headings and body text, and font files (.ttf or .otf)
# to load. They come before the embedded fallback (Inter, Noto Sans Arabic
# and Hebrew, Droid Sans Fallback for CJK, Noto Emoji).
# fonts:
#   heading: [My Sans]
#   body: [My Sans]
#   files: [fonts/MySans-Regular.ttf, fonts/MySans-Bold.ttf]

# A logo (PNG, JPEG or WebP) and background artwork for templates that
# draw them (event, and any template with an image layer).
# logo: assets/logo.png
# background: assets/artwork.jpg

# The templates ogcard build renders for every post: built-in names
# (ogcard templates lists them) or template files of your own.
templates: [%s]

# Which front matter keys fill which card fields, in order of preference.
# fields:
#   summary: [ogSummary, description]

# Page URLs as your generator makes them (hugo, jekyll, zola; default path),
# so ogcard build --manifest keys each page's cards by its URL.
# urls: hugo

# Author data kept apart from posts: a YAML, JSON or TOML file mapping ids
# to name, role, company and avatar, or a folder of one file per author.
# authors: data/authors

# Emoji in colour (Twemoji, the default) or monochrome: Noto Emoji's
# outlines in the text colour, for brands that want no colours but theirs.
# emoji: monochrome
`

func runInit(ctx context.Context, e *env, args []string) int {
	fl := newFlags(e, "init", "init [flags] [DIR]", "ogcard init content && ogcard render content/posts/hello.md")
	tmpl := fl.String("template", "og", "built-in template `name` to copy beside the config, for editing (\"\" for none)")
	force := fl.Bool("force", false, "overwrite existing files")
	pos, code, done := parseFlags(e, fl, args)
	if done {
		return code
	}
	if len(pos) > 1 {
		fmt.Fprintln(e.stderr, "ogcard init: want at most one DIR")
		return exitUsage
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	var tmplData []byte
	if *tmpl != "" {
		var err error
		if tmplData, err = fs.ReadFile(assets.Templates, *tmpl+".yaml"); err != nil {
			fmt.Fprintf(e.stderr, "ogcard init: no built-in template %q; run 'ogcard templates' for the list\n", *tmpl)
			return exitUsage
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(e.stderr, "ogcard init: %v\n", err)
		return exitFail
	}
	// The copy gets a name of its own, so it sits beside the built-in,
	// and the config lists it, so editing it changes the cards at once.
	listed := "og"
	type file struct {
		name string
		data []byte
	}
	var files []file
	if tmplData != nil {
		custom := "custom-" + *tmpl
		tmplData = renameTemplate(tmplData, custom)
		listed = custom + ".yaml"
		files = append(files, file{listed, tmplData})
	}
	files = append([]file{{ogcard.ConfigFileName, []byte(fmt.Sprintf(starterConfig, listed))}}, files...)
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if _, err := os.Stat(p); err == nil && !*force {
			fmt.Fprintf(e.stderr, "ogcard init: %s exists; pass --force to overwrite it\n", p)
			return exitUsage // nothing failed: the command was asked for twice
		}
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := ogcard.WriteFile(p, f.data, 0o644); err != nil {
			fmt.Fprintf(e.stderr, "ogcard init: %v\n", err)
			return exitFail
		}
		fmt.Fprintln(e.stdout, p)
	}
	if tmplData != nil {
		fmt.Fprintf(e.stderr, "Edit %s to change your cards; ogcard.yaml lists it under templates.\n", listed)
	}
	return exitOK
}

// renameTemplate replaces the template's top-level name: line.
func renameTemplate(data []byte, name string) []byte {
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "name:") {
			lines[i] = "name: " + name
			break
		}
	}
	return []byte(strings.Join(lines, "\n"))
}
