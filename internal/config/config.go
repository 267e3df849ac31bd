// Package config loads a site's ogcard.yaml: its brand (name, colours,
// fonts, logo, background artwork), the templates to render per post, and
// field-mapping overrides. Decoding is strict: an unknown key or a wrong
// type is an error naming the file and line. Files the config names are
// read inside the config's folder (os.Root): "../" cannot reach out.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/imageio"
	"github.com/ogcard/ogcard/internal/permalink"
	"github.com/ogcard/ogcard/internal/safefile"
	"github.com/ogcard/ogcard/internal/template"
)

// FileName is the config file ogcard looks for in a content root.
const FileName = "ogcard.yaml"

// File is ogcard.yaml as written.
type File struct {
	Site       string              `yaml:"site"`       // site name shown on cards
	Colors     map[string]string   `yaml:"colors"`     // override the default brand's colours
	Fonts      Fonts               `yaml:"fonts"`      // font roles and extra font files
	Logo       string              `yaml:"logo"`       // PNG, JPEG or WebP, relative to this file
	Background string              `yaml:"background"` // artwork for templates with an image layer
	Templates  []string            `yaml:"templates"`  // built-in names or template files; default [og]
	Fields     map[string][]string `yaml:"fields"`     // card field -> front matter keys, in order
	URLs       string              `yaml:"urls"`       // page URL rules: hugo, jekyll, zola or path (default)
	Authors    string              `yaml:"authors"`    // author data: a YAML/JSON/TOML file or folder, relative to this file
	// Emoji is colour (the default: Twemoji's pictures) or monochrome
	// (Noto Emoji's outlines in the text's colour, for brands that want
	// no colours but their own).
	Emoji string `yaml:"emoji"`
}

// Fonts names font families by role and lists extra font files.
type Fonts struct {
	Heading []string `yaml:"heading"`
	Body    []string `yaml:"body"`
	Files   []string `yaml:"files"` // .ttf/.otf, relative to this file; tried before the embedded fallback
}

// Config is a loaded, validated ogcard.yaml with the files it names read.
type Config struct {
	Path  string // the file, for messages ("" for the built-in defaults)
	File  File
	Raw   []byte            // the YAML, for cache keys
	Fonts map[string][]byte // font file path, relative to the config -> bytes
	// Logo and Background are decoded images (nil when not configured).
	Logo, Background image.Image
	// TemplateFiles maps each templates entry that is a file to its bytes.
	TemplateFiles map[string][]byte
	// ImageBytes are the raw bytes of logo and background, for cache keys.
	ImageBytes [][]byte
	// URLs is File.URLs, checked.
	URLs permalink.Style
	// Authors maps the author ids of the authors: data to people (nil when
	// not configured).
	Authors map[string]card.Person
}

// Error is a config error with the file and, where known, the line.
type Error struct {
	Path string
	Line int
	Key  string
	Err  error
}

func (e *Error) Error() string {
	s := "config " + e.Path
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Key != "" {
		s += ": " + e.Key
	}
	return s + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("invalid config")

// maxConfigBytes caps ogcard.yaml and each template file it names.
const maxConfigBytes = 1 << 20

// maxFontBytes caps each font file.
const maxFontBytes = 32 << 20

// Load reads and validates the config at path.
func Load(path string) (*Config, error) {
	dir := filepath.Dir(path)
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	defer root.Close()
	// safefile.FS refuses a named pipe, socket or device without blocking
	// on it, here and for every file the config names.
	fsys := safefile.FS(root)
	data, err := readCapped(fsys, filepath.Base(path), maxConfigBytes)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	return parse(path, data, fsys)
}

// Find returns the path of ogcard.yaml in dir, or "" when there is none.
func Find(dir string) string {
	p := filepath.Join(dir, FileName)
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
		return p
	}
	return ""
}

// inside checks that a path the config names stays inside its folder,
// with a message that says so (os.Root's own error reads "invalid
// argument").
func inside(name string) error {
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return fmt.Errorf("%s: paths in ogcard.yaml must be inside its folder (relative, without ..); copy the file there", name)
	}
	return nil
}

// readCapped reads the regular file name of fsys, at most limit bytes.
func readCapped(fsys fs.FS, name string, limit int64) ([]byte, error) {
	return safefile.ReadFS(fsys, name, limit)
}

func parse(path string, data []byte, fsys fs.FS) (_ *Config, err error) {
	c := &Config{Path: path, Raw: data, Fonts: map[string][]byte{}, TemplateFiles: map[string][]byte{}}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(path, data, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c.File); err != nil && err != io.EOF {
		return nil, yamlError(path, data, err)
	}
	bad := func(key string, err error) error {
		return &Error{Path: path, Line: keyLine(&root, key), Key: key, Err: err}
	}
	f := &c.File
	if len([]rune(f.Site)) > 200 {
		return nil, bad("site", fmt.Errorf("%w: over 200 characters", ErrInvalid))
	}
	if len(f.Colors) > 64 {
		return nil, bad("colors", fmt.Errorf("%w: more than 64 colours", ErrInvalid))
	}
	keys := make([]string, 0, len(f.Colors))
	for k := range f.Colors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !validColor(f.Colors[k]) {
			return nil, bad("colors", fmt.Errorf("%w: %s: %q is not #rrggbb or #rrggbbaa", ErrInvalid, k, f.Colors[k]))
		}
	}
	switch f.Emoji {
	case "", "colour", "color", "monochrome":
	default:
		return nil, bad("emoji", fmt.Errorf("%w: %q: want colour (the default) or monochrome", ErrInvalid, f.Emoji))
	}
	if len(f.Fonts.Files) > 32 {
		return nil, bad("fonts", fmt.Errorf("%w: more than 32 font files", ErrInvalid))
	}
	for _, name := range f.Fonts.Files {
		ext := strings.ToLower(filepath.Ext(name))
		if ext != ".ttf" && ext != ".otf" {
			return nil, bad("fonts", fmt.Errorf("%w: %s: want a .ttf or .otf file (WOFF and WOFF2 are not supported)", ErrInvalid, name))
		}
		if err := inside(name); err != nil {
			return nil, bad("fonts", fmt.Errorf("%w: %v", ErrInvalid, err))
		}
		b, err := readCapped(fsys, filepath.ToSlash(filepath.Clean(name)), maxFontBytes)
		if err != nil {
			return nil, bad("fonts", fmt.Errorf("%w: %w", ErrInvalid, err))
		}
		c.Fonts[filepath.ToSlash(filepath.Clean(name))] = b
	}
	for _, im := range []struct {
		key  string
		name string
		dst  *image.Image
	}{{"logo", f.Logo, &c.Logo}, {"background", f.Background, &c.Background}} {
		if im.name == "" {
			continue
		}
		if err := inside(im.name); err != nil {
			return nil, bad(im.key, fmt.Errorf("%w: %v", ErrInvalid, err))
		}
		b, err := readCapped(fsys, filepath.ToSlash(filepath.Clean(im.name)), imageio.MaxBytes)
		if err != nil {
			return nil, bad(im.key, fmt.Errorf("%w: %w", ErrInvalid, err))
		}
		img, err := imageio.Decode(im.name, b)
		if err != nil {
			return nil, bad(im.key, err)
		}
		*im.dst = img
		c.ImageBytes = append(c.ImageBytes, b)
	}
	if len(f.Templates) > 32 {
		return nil, bad("templates", fmt.Errorf("%w: more than 32 templates", ErrInvalid))
	}
	for _, t := range f.Templates {
		if !IsTemplateFile(t) {
			continue
		}
		if err := inside(t); err != nil {
			return nil, bad("templates", fmt.Errorf("%w: %v", ErrInvalid, err))
		}
		b, err := readCapped(fsys, filepath.ToSlash(filepath.Clean(t)), maxConfigBytes)
		if err != nil {
			return nil, bad("templates", fmt.Errorf("%w: %w", ErrInvalid, err))
		}
		c.TemplateFiles[t] = b
	}
	if c.URLs, err = permalink.ParseStyle(f.URLs); err != nil {
		return nil, bad("urls", fmt.Errorf("%w: %v", ErrInvalid, err))
	}
	if f.Authors != "" {
		if err := inside(f.Authors); err != nil {
			return nil, bad("authors", fmt.Errorf("%w: %v", ErrInvalid, err))
		}
		if c.Authors, err = loadAuthors(fsys, f.Authors); err != nil {
			return nil, bad("authors", fmt.Errorf("%w: %v", ErrInvalid, err))
		}
	}
	known := card.DefaultFields()
	fieldNames := make([]string, 0, len(f.Fields))
	for field := range f.Fields {
		fieldNames = append(fieldNames, field)
	}
	sort.Strings(fieldNames)
	for _, field := range fieldNames {
		if _, ok := known[field]; !ok {
			names := make([]string, 0, len(known))
			for k := range known {
				names = append(names, k)
			}
			sort.Strings(names)
			return nil, bad("fields", fmt.Errorf("%w: %q is not a card field (fields are %s)", ErrInvalid, field, strings.Join(names, ", ")))
		}
		if ks := f.Fields[field]; len(ks) == 0 || len(ks) > 16 {
			return nil, bad("fields", fmt.Errorf("%w: %s: list 1 to 16 front matter keys", ErrInvalid, field))
		}
	}
	return c, nil
}

// IsTemplateFile reports whether a templates entry names a file rather
// than a built-in template.
func IsTemplateFile(s string) bool {
	return strings.HasSuffix(s, ".yaml") || strings.HasSuffix(s, ".yml") || strings.ContainsAny(s, `/\`)
}

func validColor(s string) bool {
	h, ok := strings.CutPrefix(s, "#")
	if !ok || (len(h) != 3 && len(h) != 6 && len(h) != 8) {
		return false
	}
	_, err := strconv.ParseUint(h, 16, 32)
	return err == nil
}

func yamlError(path string, data []byte, err error) error {
	if line, msg, ok := template.DescribeYAMLError(data, err); ok {
		msg = strings.Replace(msg, "not found in type config.File", "is not a known key (see 'ogcard init' for a commented example)", 1)
		msg = strings.Replace(msg, "not found in type config.Fonts", "is not a known key of fonts (heading, body, files)", 1)
		return &Error{Path: path, Line: line, Err: fmt.Errorf("%w: %s", ErrInvalid, msg)}
	}
	return &Error{Path: path, Err: fmt.Errorf("%w: %v", ErrInvalid, err)}
}

func keyLine(root *yaml.Node, key string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return 0
}
