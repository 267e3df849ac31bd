package sitemanifest

import (
	"html"
	"io"
	"strconv"
)

// Tag is one <meta> tag: property (Open Graph) or name (Twitter) and
// content.
type Tag struct {
	Property string `json:"property,omitempty"`
	Name     string `json:"name,omitempty"`
	Content  string `json:"content"`
}

// Tags returns the <meta> tags of a page's cards: og:image with its
// secure_url (for https), type, width, height and alt for each card, the
// first card first; then twitter:card (summary_large_image), twitter:image
// and twitter:image:alt of the first. No cards give no tags.
func Tags(cards []Card) []Tag {
	if len(cards) == 0 {
		return nil
	}
	var tags []Tag
	og := func(p, c string) { tags = append(tags, Tag{Property: "og:" + p, Content: c}) }
	for _, c := range cards {
		og("image", c.URL)
		if len(c.URL) > 8 && c.URL[:8] == "https://" {
			og("image:secure_url", c.URL)
		}
		og("image:type", c.Type)
		og("image:width", strconv.Itoa(c.Width))
		og("image:height", strconv.Itoa(c.Height))
		og("image:alt", c.Alt)
	}
	tw := func(n, c string) { tags = append(tags, Tag{Name: "twitter:" + n, Content: c}) }
	tw("card", "summary_large_image")
	tw("image", cards[0].URL)
	tw("image:alt", cards[0].Alt)
	return tags
}

// WriteHTML writes tags as HTML, one per line, attribute values escaped.
func WriteHTML(w io.Writer, tags []Tag) error {
	for _, t := range tags {
		attr, key := "property", t.Property
		if t.Name != "" {
			attr, key = "name", t.Name
		}
		if _, err := io.WriteString(w, `<meta `+attr+`="`+html.EscapeString(key)+`" content="`+html.EscapeString(t.Content)+`">`+"\n"); err != nil {
			return err
		}
	}
	return nil
}
