package server

import (
	"context"
	"fmt"
	"html/template"
	"image"
	"math"
	"net/http"
	"strings"

	"github.com/ogcard/ogcard/internal/lint"
	"github.com/ogcard/ogcard/internal/render"
)

// platformPage shows one card as each platform's link preview shows it:
// its crop, at its display size, with the zone every crop keeps outlined.
// With ?eager=1 the body's data-images reads "ok N" once all images have
// loaded, as on the preview page.
var platformPage = template.Must(template.New("platforms").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Name}} · {{.Title}} · ogcard preview</title>
<style>` + previewStyle + `
.detail{display:grid;grid-template-columns:minmax(0,640px) minmax(280px,1fr);gap:24px;padding:20px;align-items:start}
.card{position:relative;width:100%;line-height:0}
.card img{width:100%;height:auto;display:block}
.zone{position:absolute;box-sizing:border-box;pointer-events:none}
.crop{border:2px dashed #ff3b6b}
.crop span{position:absolute;left:2px;top:2px;font:600 11px/1.2 system-ui;background:#ff3b6b;color:#fff;padding:1px 4px}
.safe{border:2px solid #22c55e;background:#22c55e14}
#zones:not(:checked)~main .zone{display:none}
.facts{background:#fff;border-radius:6px;padding:12px 16px;box-shadow:0 1px 3px #0002}
.facts li{margin:4px 0}
.lvl-error{color:#b00020}.lvl-warning{color:#9a5b00}.lvl-info{color:#555}
.mocks{display:flex;flex-wrap:wrap;gap:28px;padding:0 20px 40px;align-items:flex-start}
.mock{font:14px/1.3 system-ui,sans-serif}
.mock>h3{font-size:13px;margin:0 0 6px}
.mock>p{font-size:11px;color:#666;max-width:420px;margin:6px 0 0}
.frame{position:relative;overflow:hidden;background:#ccc}
.frame img{position:absolute;max-width:none}
.u{box-sizing:border-box}
.u-x .frame{border-radius:16px}
.u-x .u{position:relative}
.u-x .dom{position:absolute;left:12px;bottom:12px;background:#000a;color:#fff;font-size:13px;padding:0 6px;border-radius:4px}
.u-facebook{border:1px solid #dadde1;background:#f0f2f5}
.u-facebook .m{padding:10px 12px}.u-facebook .dom{text-transform:uppercase;font-size:12px;color:#65676b}
.u-linkedin{border:1px solid #e0dfdc;background:#fff}.u-linkedin .m{padding:8px 12px}
.u-slack{border-left:4px solid #ddd;padding-left:12px;background:#fff}.u-slack .t{color:#1264a3;font-weight:700}
.u-discord{background:#2b2d31;color:#dbdee1;border-left:4px solid #1e1f22;border-radius:4px;padding:8px 16px 16px 12px}.u-discord .t{color:#00a8fc;font-weight:600}.u-discord .frame{border-radius:4px;margin-top:8px}
.u-whatsapp{display:flex;gap:8px;background:#d9fdd3;border-radius:8px;padding:6px;width:340px}.u-whatsapp .m{background:#0000000d;flex:1;padding:4px 8px;border-radius:4px}.u-whatsapp .frame{flex:none;border-radius:4px}
.u-imessage{background:#e9e9eb;border-radius:18px;overflow:hidden}.u-imessage .m{padding:8px 12px}
.t{font-weight:600;display:block}.d{color:#555;font-size:13px;display:block}.dom{color:#666;font-size:12px}
</style>
</head>
<body data-images="pending">
<input type="checkbox" id="zones" checked hidden>
<header><a href="../?template={{.Template}}">← all {{.Template}} cards</a><strong dir="auto">{{.Title}}</strong><code>{{.Name}}</code>
<label for="zones"><input type="checkbox" checked onclick="document.getElementById('zones').checked=this.checked"> safe zones</label></header>
<main class="detail">
<div class="card" data-size="{{.W}}x{{.H}}"><img src="{{.Src}}" alt="{{.Title}}" width="{{.W}}" height="{{.H}}">
{{- range .Crops}}<div class="zone crop" data-platform="{{.ID}}" style="{{.Style}}"><span style="{{.LabelStyle}}">{{.Label}}</span></div>{{end}}
<div class="zone safe" style="{{.SafeStyle}}" title="kept by every crop"></div></div>
<div class="facts"><strong>{{.W}}×{{.H}} px · {{.KB}} KB</strong> <span class="meta">({{.Bytes}} bytes)</span>
<p class="meta">Dashed: each platform's crop. Green: the zone every crop keeps; keep text and logo inside it.</p>
{{- if .Warnings}}<h4>Warnings</h4><ul class="warn">{{range .Warnings}}<li>{{.}}</li>{{end}}</ul>{{end}}
<h4>ogcard lint</h4>{{if .Findings}}<ul>{{range .Findings}}<li class="lvl-{{.Level}}" data-rule="{{.Rule}}"><b>{{.Level}} {{.Rule}}</b>: {{.Message}}; {{.Fix}}</li>{{end}}</ul>{{else}}<p>No findings.</p>{{end}}
</div>
</main>
<section class="mocks" id="mocks">
{{- range .Platforms}}
<figure class="mock" data-platform="{{.ID}}" data-frame="{{.FrameW}}x{{.FrameH}}" data-crop="{{.CropText}}">
<h3>{{.Name}}</h3>
<div class="u u-{{.ID}}" style="width:{{.BoxW}}px">
{{- if eq .ID "slack" "discord"}}<div class="m"><span class="dom">{{$.Host}}</span><span class="t" dir="auto">{{$.Title}}</span><span class="d" dir="auto">{{$.Summary}}</span></div>{{end}}
<div class="frame" style="width:{{.FrameW}}px;height:{{.FrameH}}px"><img src="{{$.Src}}" alt="" style="{{.ImgStyle}}"><div class="zone safe" style="{{.SafeStyle}}"></div>{{if eq .ID "x"}}<span class="dom">{{$.Host}}</span>{{end}}</div>
{{- if eq .ID "facebook" "linkedin" "imessage" "whatsapp"}}<div class="m">{{if eq .ID "facebook"}}<span class="dom">{{$.Host}}</span>{{end}}<span class="t" dir="auto">{{$.Title}}</span>{{if ne .ID "imessage"}}<span class="d" dir="auto">{{$.Summary}}</span>{{end}}{{if ne .ID "facebook"}}<span class="dom">{{$.Host}}</span>{{end}}</div>{{end}}
</div>
<p>{{.Note}}. Source: {{.Source}}</p>
</figure>
{{- end}}
</section>
<script>
(function () {
  if ({{.Eager}}) {
    window.addEventListener('load', function () {
      var imgs = document.querySelectorAll('img[src]'), bad = 0;
      imgs.forEach(function (i) { if (!i.complete || i.naturalWidth === 0) bad++; });
      document.body.dataset.images = bad ? 'broken ' + bad + ' of ' + imgs.length : 'ok ' + imgs.length;
    });
  }
})();
</script>
</body>
</html>
`))

type cropZone struct {
	ID, Label         string
	Style, LabelStyle template.CSS
}

type platformView struct {
	lint.Platform
	BoxW, FrameW, FrameH int
	CropText             string
	ImgStyle, SafeStyle  template.CSS
	Note                 string
}

// pct positions a rectangle inside a w×h area, in percent.
func pct(r image.Rectangle, w, h int) string {
	f := func(v, of int) float64 { return math.Round(float64(v)*10000/float64(of)) / 100 }
	return fmt.Sprintf("left:%g%%;top:%g%%;width:%g%%;height:%g%%", f(r.Min.X, w), f(r.Min.Y, h), f(r.Dx(), w), f(r.Dy(), h))
}

// platformViews works out, for a w×h card, how each platform shows it
// and the zone every cropping platform keeps.
func platformViews(w, h int) ([]platformView, []cropZone, image.Rectangle) {
	safe := image.Rect(0, 0, w, h)
	var crops []cropZone
	for _, p := range lint.Platforms {
		if p.Aspect == 0 {
			continue
		}
		c := p.Crop(w, h)
		safe = safe.Intersect(c)
		// Labels stack down the card's left edge, so crops that share an
		// edge do not hide each other's.
		crops = append(crops, cropZone{ID: p.ID, Label: fmt.Sprintf("%s %g:1", p.Name, p.Aspect), Style: template.CSS(pct(c, w, h)),
			LabelStyle: template.CSS(fmt.Sprintf("top:%dpx", 2+18*len(crops)))})
	}
	var views []platformView
	for _, p := range lint.Platforms {
		c := p.Crop(w, h)
		var scale float64
		v := platformView{Platform: p}
		if p.Aspect > 0 {
			v.FrameW = p.DisplayW
			v.FrameH = int(math.Round(float64(p.DisplayW) / p.Aspect))
			if p.DisplayH > 0 {
				v.FrameH = p.DisplayH
			}
			scale = float64(v.FrameW) / float64(c.Dx())
			v.Note = fmt.Sprintf("%s crops to %g:1 from the centre and shows it at %d×%d px", p.Name, p.Aspect, v.FrameW, v.FrameH)
		} else {
			scale = float64(p.DisplayW) / float64(w)
			if p.ID == "discord" { // at most 400×300
				scale = math.Min(scale, 300/float64(h))
			}
			scale = math.Min(scale, 1)
			v.FrameW, v.FrameH = int(math.Round(float64(w)*scale)), int(math.Round(float64(h)*scale))
			v.Note = fmt.Sprintf("%s does not crop; it shows the whole card at %d×%d px", p.Name, v.FrameW, v.FrameH)
		}
		v.BoxW = v.FrameW
		switch p.ID {
		case "whatsapp":
			v.BoxW = 340
		case "slack", "discord":
			v.BoxW = v.FrameW + 32
		}
		v.CropText = fmt.Sprintf("%d,%d,%d,%d", c.Min.X, c.Min.Y, c.Max.X, c.Max.Y)
		v.ImgStyle = template.CSS(fmt.Sprintf("width:%.1fpx;height:%.1fpx;left:%.1fpx;top:%.1fpx",
			float64(w)*scale, float64(h)*scale, -float64(c.Min.X)*scale, -float64(c.Min.Y)*scale))
		// The safe zone, in the frame's coordinates.
		v.SafeStyle = template.CSS(pct(safe.Sub(c.Min), c.Dx(), c.Dy()))
		views = append(views, v)
	}
	return views, crops, safe
}

// servePlatforms answers /preview/card: one card, its lint findings and
// the mock link previews of every platform.
func (s *Server) servePlatforms(w http.ResponseWriter, r *http.Request) error {
	e, tmpl, ref, err := s.lookupCard(r)
	if err != nil {
		s.fail(w, r, err)
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Deadline)
	defer cancel()
	var in *render.Inspected
	err = s.withSlot(ctx, func() (err error) {
		in, err = s.cfg.Renderer.InspectCard(ctx, e.card, tmpl, ref)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return err
	}
	// The page shows the card it inspected: kept, the image request
	// that follows is a cache hit, not a second render.
	s.cache.add(ref.Key, in.PNG)
	name := lint.CardName(tmpl, ref.Suffix)
	c := e.card
	findings := s.linter().Check(&lint.Card{Post: e.rel, Name: name, Bytes: len(in.PNG), Pixels: in.Pixels, NoText: in.NoText, Plan: in.Plan, Logo: in.Logo})
	s.cfg.Renderer.Release(in)
	views, crops, safe := platformViews(in.Width, in.Height)
	q := cardQuery(c.URLPath, tmpl, ref.Suffix)
	host := c.Site
	if host == "" {
		host = "example.com"
	}
	data := struct {
		Title, Summary, Host, Name, Template, Src string
		W, H, Bytes, KB                           int
		Warnings                                  []string
		Findings                                  []lint.Finding
		Platforms                                 []platformView
		Crops                                     []cropZone
		SafeStyle                                 template.CSS
		Eager                                     bool
	}{
		Title: c.Title, Summary: c.Summary, Host: strings.ToLower(host), Name: name, Template: tmpl,
		Src: "card.png?" + q + "&v=" + ref.Key, // relative: the page works under any prefix
		W:   in.Width, H: in.Height, Bytes: len(in.PNG), KB: len(in.PNG) / 1000,
		Warnings: append(append([]string(nil), c.Warnings...), in.Warnings...),
		Findings: findings, Platforms: views, Crops: crops,
		SafeStyle: template.CSS(pct(safe, in.Width, in.Height)),
		Eager:     r.URL.Query().Get("eager") == "1",
	}
	return s.writePage(w, r, platformPage, data)
}

// defaultLinter checks with the default rules when Config.Lint is nil.
var defaultLinter, _ = lint.New(nil)

func (s *Server) linter() *lint.Linter {
	if s.cfg.Lint != nil {
		return s.cfg.Lint
	}
	return defaultLinter
}

// servePreviewRoute answers the preview's own routes.
func (s *Server) servePreviewRoute(w http.ResponseWriter, r *http.Request, n *note) error {
	if r.URL.Path == "/preview/card.png" {
		return s.servePreviewCardPNG(w, r, n)
	}
	return s.servePlatforms(w, r)
}
