package server

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/ogcard/ogcard/internal/lint"
	"github.com/ogcard/ogcard/internal/render"
)

const previewStyle = `
body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#f4f4f6;color:#222}
header{position:sticky;top:0;z-index:2;background:#fff;padding:12px 20px;box-shadow:0 1px 4px #0002;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header nav a{margin-right:8px;padding:3px 8px;border-radius:4px;text-decoration:none;color:#333}
header nav a.on{background:#222;color:#fff}
input[type=search]{flex:1;max-width:420px;font:inherit;padding:6px 10px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:20px;padding:20px}
figure{margin:0}
.post{background:#fff;border-radius:6px;overflow:hidden;box-shadow:0 1px 3px #0002}
.cards{display:flex;flex-wrap:wrap;gap:4px}
.cards a{flex:1 1 100%}
.cards.multi a{flex:0 0 calc(33.3% - 3px)}
.cards img{display:block;width:100%;height:auto;background:#ddd}
figcaption{padding:8px 10px}
code,.meta{font-size:12px;color:#666;word-break:break-all}
.warn{color:#9a5b00;font-size:12px;margin:4px 0 0;padding-left:16px}
.error{color:#b00020}
`

// previewPage lists every served post's cards for one template. With
// ?eager=1 the images load eagerly and, once all have settled, the body's
// data-images attribute reads "ok N" or "broken K of N" (the browser test
// reads it).
var previewPage = template.Must(template.New("preview").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>ogcard preview</title>
<style>` + previewStyle + `</style>
</head>
<body data-images="pending">
<header><strong>ogcard</strong>
<nav>{{range .Templates}}<a href="?template={{.}}"{{if eq . $.Template}} class="on"{{end}}>{{.}}</a>{{end}}</nav>
<input id="filter" type="search" placeholder="Filter by title or path" autofocus><span id="count">{{len .Posts}} posts</span></header>
<main id="grid" class="grid">
{{- range .Posts}}
<figure class="post" data-text="{{.Text}}"><div class="cards{{if gt (len .Cards) 1}} multi{{end}}">
{{- range .Cards}}<a href="{{.Detail}}" title="{{.Name}}"><img src="{{.Src}}" alt="{{.Name}}" width="{{.W}}" height="{{.H}}" style="aspect-ratio:{{.W}}/{{.H}}" loading="{{$.Loading}}" decoding="async"></a>{{end}}</div>
<figcaption><span dir="auto">{{.Title}}</span><br><code>{{.Path}}</code>
<div class="meta">{{len .Cards}} card{{if gt (len .Cards) 1}}s{{end}} · {{.Size}} · <span class="bytes">…</span></div>
{{- if .Warnings}}<ul class="warn">{{range .Warnings}}<li>{{.}}</li>{{end}}</ul>{{end}}
</figcaption></figure>
{{- end}}
</main>
<script>
(function () {
  var figs = Array.prototype.slice.call(document.querySelectorAll('figure.post'));
  var count = document.getElementById('count');
  document.getElementById('filter').addEventListener('input', function (ev) {
    var q = ev.target.value.toLowerCase(), n = 0;
    figs.forEach(function (f) {
      var show = f.dataset.text.indexOf(q) >= 0;
      f.hidden = !show;
      if (show) n++;
    });
    count.textContent = n + ' of ' + figs.length + ' posts';
  });
  // Bytes as the browser received them (Resource Timing), once loaded.
  figs.forEach(function (f) {
    var imgs = f.querySelectorAll('img'), span = f.querySelector('.bytes');
    function sum() {
      var total = 0, known = 0;
      imgs.forEach(function (i) {
        var e = i.complete && performance.getEntriesByName(i.currentSrc)[0];
        if (e && e.encodedBodySize) { total += e.encodedBodySize; known++; }
      });
      if (known === imgs.length) span.textContent = (imgs.length > 1 ? 'total ' : '') + Math.round(total / 1000) + ' KB';
    }
    imgs.forEach(function (i) { i.addEventListener('load', sum); });
    sum();
  });
  if ({{.Eager}}) {
    window.addEventListener('load', function () {
      var imgs = document.querySelectorAll('img'), bad = 0;
      imgs.forEach(function (i) { if (!i.complete || i.naturalWidth === 0) bad++; });
      document.body.dataset.images = bad ? 'broken ' + bad + ' of ' + imgs.length : 'ok ' + imgs.length;
    });
  }
})();
</script>
</body>
</html>
`))

type previewPost struct {
	Title, Path, Text, Size string
	Cards                   []previewCard
	Warnings                []string
}

type previewCard struct {
	Name, Src, Detail string
	W, H              int
}

// previewTemplate returns the template the page shows: ?template= when it
// names one the server knows, else the default.
func (s *Server) previewTemplate(r *http.Request) string {
	if t := r.URL.Query().Get("template"); s.templates[t] {
		return t
	}
	return s.cfg.Template
}

// cardQuery addresses one card of a post for the preview's routes.
func cardQuery(urlPath, tmpl, suffix string) string {
	v := url.Values{"post": {urlPath}, "template": {tmpl}}
	if suffix != "" {
		v.Set("card", suffix)
	}
	return v.Encode()
}

// servePreview renders the preview page from the current index. Image URLs
// carry the card's key, so a browser caches each card until its post
// changes.
func (s *Server) servePreview(w http.ResponseWriter, r *http.Request) error {
	idx := s.index.Load()
	tmpl := s.previewTemplate(r)
	data := struct {
		Posts     []previewPost
		Templates []string
		Template  string
		Loading   string
		Eager     bool
	}{Loading: "lazy", Templates: s.cfg.Renderer.Templates(), Template: tmpl}
	if r.URL.Query().Get("eager") == "1" {
		data.Loading, data.Eager = "eager", true
	}
	t, _ := s.cfg.Renderer.Template(tmpl)
	for _, e := range idx.list {
		c := e.card
		refs, err := s.cfg.Renderer.Cards(c, tmpl)
		if err != nil {
			s.fail(w, r, err)
			return err
		}
		if len(refs) == 0 {
			continue // a repeating template and a post without sessions
		}
		pp := previewPost{
			Title: c.Title, Path: c.URLPath, Warnings: c.Warnings,
			Text: lower(c.Title + " " + c.URLPath),
			Size: fmt.Sprintf("%d×%d px", t.Width, t.Height),
		}
		for _, ref := range refs {
			q := cardQuery(c.URLPath, tmpl, ref.Suffix)
			// URLs are relative: the page works under any prefix.
			src := "preview/card.png?" + q + "&v=" + ref.Key
			if ref.Suffix == "" && tmpl == s.cfg.Template {
				src = "og" + c.URLPath + ".png?v=" + ref.Key
			}
			pp.Cards = append(pp.Cards, previewCard{
				Name: lint.CardName(tmpl, ref.Suffix), Src: src, Detail: "preview/card?" + q,
				W: t.Width, H: t.Height,
			})
		}
		data.Posts = append(data.Posts, pp)
	}
	return s.writePage(w, r, previewPage, data)
}

func (s *Server) writePage(w http.ResponseWriter, r *http.Request, page *template.Template, data any) error {
	var buf bytes.Buffer
	if err := page.Execute(&buf, data); err != nil {
		s.fail(w, r, err)
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	if r.Method == http.MethodGet {
		w.Write(buf.Bytes())
	}
	return nil
}

func lower(s string) string { return strings.ToLower(s) }

// lookupCard finds the post, template and card a preview URL names.
func (s *Server) lookupCard(r *http.Request) (*entry, string, render.CardRef, error) {
	q := r.URL.Query()
	e := s.index.Load().byPath[q.Get("post")]
	tmpl := q.Get("template")
	if e == nil || !s.templates[tmpl] {
		return nil, "", render.CardRef{}, errNotFound
	}
	refs, err := s.cfg.Renderer.Cards(e.card, tmpl)
	if err != nil {
		return nil, "", render.CardRef{}, err
	}
	for _, ref := range refs {
		if ref.Suffix == q.Get("card") {
			return e, tmpl, ref, nil
		}
	}
	return nil, "", render.CardRef{}, errNotFound
}

// servePreviewCardPNG answers /preview/card.png: any card of any
// template, multi-card templates' included, by its key, as /og/ does:
// through the same cache, render bound and in-flight sharing.
func (s *Server) servePreviewCardPNG(w http.ResponseWriter, r *http.Request, n *note) error {
	e, tmpl, ref, err := s.lookupCard(r)
	if err != nil {
		s.fail(w, r, err)
		return err
	}
	cc := s.maxAgeCC
	if r.URL.Query().Get("v") == ref.Key {
		cc = hdrImmutable
	}
	return s.serveCard(w, r, n, &renderKey{ref.Key, []string{etagOf(ref.Key)}}, cc, e.card, tmpl, &ref)
}
