package server

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
)

// previewPage lists every served post's card. With ?eager=1 the images load
// eagerly and, once all have settled, the body's data-images attribute
// reads "ok N" or "broken K of N" (the browser test reads it).
var previewPage = template.Must(template.New("preview").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>ogcard preview</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#f4f4f6;color:#222}
header{position:sticky;top:0;background:#fff;padding:12px 20px;box-shadow:0 1px 4px #0002;display:flex;gap:16px;align-items:center}
input{flex:1;max-width:480px;font:inherit;padding:6px 10px}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:20px;padding:20px}
figure{margin:0;background:#fff;border-radius:6px;overflow:hidden;box-shadow:0 1px 3px #0002}
img{display:block;width:100%;height:auto;aspect-ratio:1200/630;background:#ddd}
figcaption{padding:8px 10px}
code{font-size:12px;color:#666;word-break:break-all}
</style>
</head>
<body data-images="pending">
<header><strong>ogcard</strong><input id="filter" type="search" placeholder="Filter by title or path" autofocus><span id="count">{{len .Posts}} posts</span></header>
<main id="grid">
{{- range .Posts}}
<figure data-text="{{.Text}}"><a href="{{.Src}}"><img src="{{.Src}}" alt="{{.Title}}" width="1200" height="630" loading="{{$.Loading}}" decoding="async"></a>
<figcaption><span dir="auto">{{.Title}}</span><br><code>{{.Path}}</code></figcaption></figure>
{{- end}}
</main>
<script>
(function () {
  var figs = Array.prototype.slice.call(document.querySelectorAll('figure'));
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
	Title, Path, Src, Text string
}

// servePreview renders the preview page from the current index. Image URLs
// carry the card's key, so a browser caches each card until its post
// changes.
func (s *Server) servePreview(w http.ResponseWriter, r *http.Request) error {
	idx := s.index.Load()
	data := struct {
		Posts   []previewPost
		Loading string
		Eager   bool
	}{Loading: "lazy"}
	if r.URL.Query().Get("eager") == "1" {
		data.Loading, data.Eager = "eager", true
	}
	for _, e := range idx.list {
		k, err := e.key(s.cfg.Renderer, s.cfg.Template)
		if err != nil {
			s.fail(w, r, err)
			return err
		}
		c := e.card
		data.Posts = append(data.Posts, previewPost{
			Title: c.Title, Path: c.URLPath,
			Src:  "og" + c.URLPath + ".png?v=" + k.key, // relative: the page works under any prefix
			Text: lower(c.Title + " " + c.URLPath),
		})
	}
	var buf bytes.Buffer
	if err := previewPage.Execute(&buf, data); err != nil {
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
