// Package ogcard turns blog posts (Markdown with YAML, TOML or JSON front
// matter, as Hugo, Jekyll, Gatsby, Astro, Zola and Next.js write them) into
// branded social images: Open Graph cards and square, portrait and
// landscape "snackables". It is what the ogcard command is built on.
//
// The data flow, in one line per step:
//
//	post bytes --Renderer.ParsePost / ReadPost / ReadPostFile / ReadPostFS--> *Card (typed fields)
//	*Card --Renderer.Render / RenderAll--> *Image (PNG bytes, size, cache key, warnings)
//	*Card --Renderer.Draw / DrawAll--> *image.RGBA (the pixels, unencoded)
//	content folder --Renderer.Build--> cards on disk + manifest (incremental)
//	content folder --Renderer.NewHandler--> http.Handler (on demand, cached)
//	*Card --Renderer.Cards + MetaTags--> <meta> tags; build state --WriteSiteManifest--> the site's manifest
//
// A Renderer is built once by New from Options (brand config, templates,
// fonts, byte budget; nil or zero means the embedded defaults) and is then
// immutable and safe for concurrent use: fonts are parsed and templates
// compiled once, and the render path parses nothing. The same inputs give
// the same pixels, and Image.Key hashes every input that changes them.
//
// # Templates
//
// Built-in templates are og (1200x630), square, portrait, landscape,
// session (one card per talk), lineup (an event's talks, several cards when
// they do not fit on one) and event. Templates are YAML; `ogcard templates
// og` prints one to start from. A template may declare `version: 1`
// (TemplateVersion); another version is refused.
//
// # Errors
//
// Errors name the file, and the line where known. Callers branch on them
// with errors.As and errors.Is: *PostError (a malformed post, with File,
// Line and Key), *SkipError (a file that is no post, or has no title),
// *BudgetError and ErrOverBudget (a card over its byte budget, with
// Options.FailOverBudget), ErrUnknownTemplate, ErrNoCards, ErrBuildConfig
// and ErrManifest.
//
// # Security considerations
//
// Posts are capped at MaxPostBytes and their front matter and text are
// capped before parsing and layout. Images (logo, artwork, speaker photos)
// are recognised by their magic bytes (PNG, JPEG, WebP only) and their
// dimensions checked before decoding; photos are read inside the post's
// folder and URLs are never fetched. The Handler reads files inside its
// content folder only, never joins a request path onto a folder, answers
// errors with fixed messages, and renders ad-hoc cards only for URLs
// signed with one of its keys (Sign).
//
// # Stability
//
// The exported API of this package, the ogcard command's flags, the
// manifest's JSON format (ManifestVersion) and the template YAML format
// (TemplateVersion) are stable: changes to them are additions. A change
// that is not (a key that means something else) comes with a new version
// number, which older releases refuse with a clear error rather than
// misread. The pixels of a card may change between releases; the
// renderer version inside every Image.Key changes with them, so
// incremental builds redraw what changed.
package ogcard
