package ogcard

import (
	"io"

	"github.com/ogcard/ogcard/internal/build"
	"github.com/ogcard/ogcard/internal/sitemanifest"
)

// SiteCard is one card as a site's pages name it: in the site manifest
// (WriteSiteManifest) and in <meta> tags (MetaTags).
type SiteCard struct {
	URL      string `json:"url"`             // absolute when the base URL is; else from the site's root ("/og/x.png")
	Width    int    `json:"width"`           // pixels
	Height   int    `json:"height"`          // pixels
	Bytes    int64  `json:"bytes,omitempty"` // file size; 0 when not built yet
	Type     string `json:"type"`            // MIME type
	Alt      string `json:"alt"`             // alternative text: what the card says
	Template string `json:"template"`        // the template's name
	Card     string `json:"card,omitempty"`  // Image.Suffix: which card of a multi-card template ("03", "2of3")
}

// MetaTag is one <meta> tag: Property (Open Graph) or Name (Twitter), and
// Content.
type MetaTag struct {
	Property string `json:"property,omitempty"` // "og:image", ...
	Name     string `json:"name,omitempty"`     // "twitter:card", ...
	Content  string `json:"content"`            // the value
}

// CheckBaseURL validates where a build's output folder is served: an
// http(s) URL or a path from the site's root. It returns it with one
// trailing slash.
func CheckBaseURL(s string) (string, error) { return sitemanifest.CheckBaseURL(s) }

// CardFile is the path, relative to a build's output folder, of the card
// template makes (suffix: Image.Suffix) for the page at urlPath:
// "blog/x.png", "blog/x-session-03.png".
func CardFile(urlPath, template, suffix string) string {
	return sitemanifest.CardFile(urlPath, template, suffix)
}

// CardURL is file (a CardFile) under base (a CheckBaseURL value).
func CardURL(base, file string) string { return sitemanifest.CardURL(base, file) }

// MetaTags returns the <meta> tags of a page's cards: og:image with its
// secure_url (for https), type, width, height and alt for each card, the
// first card first; then twitter:card, twitter:image and twitter:image:alt
// of the first. No cards give no tags.
func MetaTags(cards []SiteCard) []MetaTag {
	in := make([]sitemanifest.Card, len(cards))
	for i, c := range cards {
		in[i] = sitemanifest.Card(c)
	}
	tags := sitemanifest.Tags(in)
	out := make([]MetaTag, len(tags))
	for i, t := range tags {
		out[i] = MetaTag(t)
	}
	return out
}

// WriteMetaHTML writes tags as HTML, one <meta> per line, attribute values
// escaped.
func WriteMetaHTML(w io.Writer, tags []MetaTag) error {
	in := make([]sitemanifest.Tag, len(tags))
	for i, t := range tags {
		in[i] = sitemanifest.Tag(t)
	}
	return sitemanifest.WriteHTML(w, in)
}

// WriteSiteManifest writes, atomically to dest, the manifest site templates
// read (Hugo's data/ogcard.json, Jekyll's _data/ogcard.json, a JSON import
// elsewhere): every page's cards, keyed by page URL and by source path,
// with public URLs under base (a CheckBaseURL value), sizes, MIME types and
// alt text. It is made from a build's state (BuildReport.Manifest, or
// BuildOptions.StateFile), which holds keys and source times and is not
// meant to be published. It returns the number of pages.
func WriteSiteManifest(state, base, dest string) (pages int, err error) {
	st, err := build.ReadManifest(state)
	if err != nil {
		return 0, convertErr(err)
	}
	m := sitemanifest.From(st, base)
	if err := m.WriteFile(dest); err != nil {
		return 0, err
	}
	return len(m.Pages), nil
}
