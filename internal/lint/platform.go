package lint

import "image"

// Platform is how one site or app shows a link's card: what it crops to,
// how large it shows it, and the limits it enforces. The numbers come from
// each platform's documentation where it publishes them (Source says
// where and what it says); where it publishes none, they are the widely
// documented observed values, and Source says so.
type Platform struct {
	ID, Name string
	// Aspect is the width:height the platform crops the card to; 0 keeps
	// the card's own aspect (no crop).
	Aspect float64
	// DisplayW is the width in CSS pixels the preview shows the image at
	// (desktop feed or chat); DisplayH is its height, 0 for "by aspect".
	DisplayW, DisplayH int
	MinW, MinH         int // smallest image it shows as a large preview; 0 none
	MaxBytes           int // largest file it shows; 0 none published
	Source             string
}

// Platforms are the link previews ogcard checks cards against and the
// preview page mocks.
var Platforms = []Platform{
	{
		ID: "x", Name: "X (summary_large_image)", Aspect: 2, DisplayW: 506, DisplayH: 253,
		MinW: 300, MinH: 157, MaxBytes: 5 << 20,
		// developer.x.com/en/docs/x-for-websites/cards/overview/summary-card-with-large-image:
		// "Images for this Card support an aspect ratio of 2:1 with minimum
		// dimensions of 300x157 or maximum of 4096x4096 pixels. Images must
		// be less than 5MB in size." The 506x253 display size is the desktop
		// timeline's (widely documented; X does not publish it).
		Source: "https://developer.x.com/en/docs/x-for-websites/cards/overview/summary-card-with-large-image: 2:1, min 300x157, under 5MB",
	},
	{
		ID: "facebook", Name: "Facebook", Aspect: 1.91, DisplayW: 500, DisplayH: 261,
		MinW: 200, MinH: 200, MaxBytes: 8 << 20,
		// developers.facebook.com/docs/sharing/webmasters/images: "The
		// minimum allowed image dimension is 200 x 200 pixels. The size of
		// the image file must not exceed 8 MB. ... Try to keep your images
		// as close to 1.91:1 aspect ratio as possible to display the full
		// image in Feed without any cropping." 500 px is the desktop feed
		// width (widely documented).
		Source: "https://developers.facebook.com/docs/sharing/webmasters/images: 1.91:1, min 200x200, max 8 MB",
	},
	{
		ID: "linkedin", Name: "LinkedIn", Aspect: 1.91, DisplayW: 552, DisplayH: 289,
		MinW: 200, MinH: 200, MaxBytes: 5 << 20,
		// LinkedIn's help (linkedin.com/help/linkedin/answer/a521928, "Make
		// your website shareable") and its Post Inspector recommend 1200x627
		// (1.91:1); the 200x200 minimum, 5 MB cap and 552 px feed width are
		// the widely documented values, not numbers from a LinkedIn page we
		// could read.
		Source: "https://www.linkedin.com/help/linkedin/answer/a521928 and widely documented: 1200x627 (1.91:1), min 200x200, max 5 MB",
	},
	{
		ID: "slack", Name: "Slack", Aspect: 0, DisplayW: 360,
		// api.slack.com/reference/messaging/link-unfurling describes
		// unfurls from og:image but publishes no size; Slack shows the
		// image uncropped, at most 360 px wide (widely documented).
		Source: "https://api.slack.com/reference/messaging/link-unfurling (no size published); widely documented: uncropped, up to 360 px wide",
	},
	{
		ID: "discord", Name: "Discord", Aspect: 0, DisplayW: 400,
		// Discord's embed docs (discord.com/developers/docs/resources/message#embed-object)
		// give no display size; embeds show og:image uncropped at up to
		// 400x300 (widely documented).
		Source: "https://discord.com/developers/docs/resources/message#embed-object (no size published); widely documented: uncropped, up to 400x300",
	},
	{
		ID: "whatsapp", Name: "WhatsApp", Aspect: 1, DisplayW: 96, DisplayH: 96,
		MinW: 300, MinH: 200, MaxBytes: 300_000,
		// WhatsApp publishes no link-preview spec. Widely documented: the
		// chat preview is a square thumbnail cropped from the centre, the
		// image must be at least about 300x200, and an og:image over about
		// 300 KB shows no image at all.
		Source: "no WhatsApp documentation; widely documented: centre square thumbnail, min ~300x200, ~300 KB cap",
	},
	{
		ID: "imessage", Name: "iMessage", Aspect: 0, DisplayW: 300,
		// Apple's TN2444 "Best Practices for Link Previews in Messages"
		// (developer.apple.com/library/archive/technotes/tn2444) asks for
		// og:image and large images; the rich link shows it uncropped at the
		// bubble's width, about 300 pt on iPhone (widely documented).
		Source: "https://developer.apple.com/library/archive/technotes/tn2444/ and widely documented: uncropped, ~300 pt wide",
	},
}

// PlatformByID returns the platform with that ID.
func PlatformByID(id string) (Platform, bool) {
	for _, p := range Platforms {
		if p.ID == id {
			return p, true
		}
	}
	return Platform{}, false
}

// Crop is the part of a w×h card the platform shows: the centred
// rectangle of its aspect (object-fit: cover), or the whole card.
func (p Platform) Crop(w, h int) image.Rectangle {
	if p.Aspect == 0 || w <= 0 || h <= 0 {
		return image.Rect(0, 0, w, h)
	}
	if float64(w)/float64(h) > p.Aspect {
		cw := int(float64(h)*p.Aspect + 0.5)
		x := (w - cw) / 2
		return image.Rect(x, 0, x+cw, h)
	}
	ch := int(float64(w)/p.Aspect + 0.5)
	y := (h - ch) / 2
	return image.Rect(0, y, w, y+ch)
}
