package build

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ogcard/ogcard/internal/atomicfile"
	"github.com/ogcard/ogcard/internal/safefile"
)

// ManifestName is the manifest's file name in the output folder.
const ManifestName = "ogcard-manifest.json"

// ManifestVersion is the manifest format's version. A manifest of another
// version is ignored (a full rebuild), never misread.
const ManifestVersion = 1

// ErrManifest reports a manifest that cannot be read or merged.
var ErrManifest = errors.New("bad manifest")

// Manifest lists the cards of a site, for the site's <meta> tags and for the
// next incremental build. Posts are sorted by Source, outputs by Template.
type Manifest struct {
	Version  int    `json:"version"`
	Renderer string `json:"renderer"` // render.Version of the build that wrote it
	Posts    []Post `json:"posts"`
	// Pending lists files (relative to the manifest's folder) that an
	// interrupted build may have left on disk and no entry lists; the next
	// complete build deletes them. A finished build's manifest has none.
	Pending []string `json:"pending,omitempty"`
}

// Post is one post's entry in a Manifest.
type Post struct {
	Source  string `json:"source"`  // slash path relative to the content root
	URLPath string `json:"urlPath"` // "/blog/2026/01/23/slug"
	// Page is the page's URL as the site generator makes it ("/posts/x/"),
	// when the build was told its rules (card.Options.URLs).
	Page    string   `json:"page,omitempty"`
	Slug    string   `json:"slug"` // last segment of URLPath
	Title   string   `json:"title"`
	Outputs []Output `json:"outputs"`
	// Error is set when the post's latest build failed; Outputs are then
	// those of an earlier, good build (the files were left in place).
	Error string `json:"error,omitempty"`
	// SourceSize, SourceMod (Unix ns) and Inputs (the renderer's and the
	// build options' hash) let the next build skip reading a post whose
	// file and inputs are unchanged. Photos marks a post whose cards show
	// speaker photos, whose files the skip would not see change.
	SourceSize int64  `json:"sourceSize,omitempty"`
	SourceMod  int64  `json:"sourceMod,omitempty"`
	Inputs     string `json:"inputs,omitempty"`
	Photos     bool   `json:"photos,omitempty"`
	// Warnings are the card's warnings (author data, photos, front
	// matter), which a build that does not read the post again repeats.
	Warnings []string `json:"warnings,omitempty"`
}

// Output is one card file.
type Output struct {
	File     string `json:"file"` // slash path relative to the manifest's folder
	Template string `json:"template"`
	Card     string `json:"card,omitempty"` // which card of a multi-card template: "03" (third session), "2of3" (line-up page)
	Width    int    `json:"width"`          // pixels
	Height   int    `json:"height"`         // pixels
	Bytes    int64  `json:"bytes"`
	Key      string `json:"key"`           // render.Renderer.Key of the card drawn
	Alt      string `json:"alt,omitempty"` // alternative text: what the card says
	// Warnings are what drawing the card warned (a title shrunk, a glyph
	// missing), which a build that does not draw it again repeats.
	Warnings []string `json:"warnings,omitempty"`
}

// maxManifestBytes caps a manifest file: about a million cards.
const maxManifestBytes = 512 << 20

// ReadManifest reads a manifest file. A missing file gives an error that
// wraps fs.ErrNotExist; an unreadable or malformed one, or one of another
// version, wraps ErrManifest.
func ReadManifest(file string) (*Manifest, error) {
	// safefile: a named pipe in its place fails at once instead of blocking.
	data, err := safefile.ReadPath(file, maxManifestBytes)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", file, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest %s: %w: %v", file, ErrManifest, err)
	}
	if m.Version != ManifestVersion {
		return nil, fmt.Errorf("manifest %s: %w: version %d, want %d", file, ErrManifest, m.Version, ManifestVersion)
	}
	return &m, nil
}

// sort puts posts and outputs in their canonical order.
func (m *Manifest) sort() {
	slices.SortFunc(m.Posts, func(a, b Post) int { return strings.Compare(a.Source, b.Source) })
	for i := range m.Posts {
		slices.SortFunc(m.Posts[i].Outputs, func(a, b Output) int {
			if c := strings.Compare(a.Template, b.Template); c != 0 {
				return c
			}
			return strings.Compare(a.Card, b.Card) // "01" < "02", "1of3" < "2of3"
		})
		if m.Posts[i].Outputs == nil {
			m.Posts[i].Outputs = []Output{}
		}
	}
	if m.Posts == nil {
		m.Posts = []Post{}
	}
	slices.Sort(m.Pending)
}

// WriteFile writes m atomically as indented JSON, sorted first.
func (m *Manifest) WriteFile(file string) error {
	data, err := m.encode(file)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(file, data, 0o644); err != nil {
		return fmt.Errorf("manifest %s: %w", file, err)
	}
	return nil
}

// write is WriteFile through the build's writeFile.
func (m *Manifest) write(file string) error {
	data, err := m.encode(file)
	if err != nil {
		return err
	}
	if err := writeFile(file, data, 0o644); err != nil {
		return fmt.Errorf("manifest %s: %w", file, err)
	}
	return nil
}

func (m *Manifest) encode(file string) ([]byte, error) {
	m.sort()
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", file, err)
	}
	return append(data, '\n'), nil
}

// MergeManifests merges the manifests of shard builds into one to be
// written to outFile. Each input names the file it was read from; its
// output paths are rebased from that file's folder onto outFile's folder,
// so shards copied into one folder, or kept in folders of their own, both
// work. A post or an output file in two inputs is an error wrapping
// ErrManifest.
func MergeManifests(outFile string, files []string) (*Manifest, error) {
	outDir, err := filepath.Abs(filepath.Dir(outFile))
	if err != nil {
		return nil, err
	}
	merged := &Manifest{Version: ManifestVersion}
	sources := map[string]string{}
	outputs := map[string]string{}
	for _, f := range files {
		m, err := ReadManifest(f)
		if err != nil {
			return nil, err
		}
		if merged.Renderer == "" {
			merged.Renderer = m.Renderer
		} else if m.Renderer != merged.Renderer {
			return nil, fmt.Errorf("manifest %s: %w: renderer %q, others have %q", f, ErrManifest, m.Renderer, merged.Renderer)
		}
		dir, err := filepath.Abs(filepath.Dir(f))
		if err != nil {
			return nil, err
		}
		for _, p := range m.Posts {
			if prev, ok := sources[p.Source]; ok {
				return nil, fmt.Errorf("manifest %s: %w: post %s is also in %s", f, ErrManifest, p.Source, prev)
			}
			sources[p.Source] = f
			for i, o := range p.Outputs {
				abs := filepath.Join(dir, filepath.FromSlash(o.File))
				rel, err := filepath.Rel(outDir, abs)
				if err != nil {
					return nil, fmt.Errorf("manifest %s: %w", f, err)
				}
				o.File = filepath.ToSlash(rel)
				if prev, ok := outputs[o.File]; ok {
					return nil, fmt.Errorf("manifest %s: %w: file %s is also in %s", f, ErrManifest, o.File, prev)
				}
				outputs[o.File] = f
				p.Outputs[i] = o
			}
			merged.Posts = append(merged.Posts, p)
		}
	}
	merged.sort()
	return merged, nil
}

// relFile is target as a slash path relative to dir.
func relFile(dir, target string) (string, error) {
	ad, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	at, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(ad, at)
	if err != nil {
		return "", err
	}
	return path.Clean(filepath.ToSlash(rel)), nil
}
