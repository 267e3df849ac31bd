package config

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogcard/ogcard/internal/imageio"
)

func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, w, h)))
	return b.Bytes()
}

// bomb is a PNG header declaring 40000x40000 pixels.
func bomb() []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 40000)
	binary.BigEndian.PutUint32(ihdr[4:], 40000)
	ihdr[8], ihdr[9] = 8, 6
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.WriteString("IHDR")
	b.Write(ihdr)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("IHDR"), ihdr...)))
	return b.Bytes()
}

func TestLoadTestSite(t *testing.T) {
	c, err := Load("../../testdata/site/ogcard.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.File.Site != "Summit Weekly" || c.Logo == nil || c.Background == nil || len(c.File.Templates) != 2 {
		t.Errorf("config = %+v", c.File)
	}
	if got := c.File.Fields["summary"]; len(got) != 2 || got[0] != "teaser" {
		t.Errorf("fields.summary = %v", got)
	}
}

func TestLoadErrors(t *testing.T) {
	outside := t.TempDir()
	write(t, outside, "secret.png", pngBytes(t, 4, 4))
	tests := []struct {
		name     string
		yaml     string
		files    map[string][]byte
		wantLine int
		want     string
	}{
		{"unknown key", "site: x\ncolours:\n  a: \"#fff\"\n", nil, 2, "colours"},
		{"bad colour", "colors:\n  accent: blue\n", nil, 1, "#rrggbb"},
		{"missing logo", "logo: nope.png\n", nil, 1, "nope.png"},
		{"logo outside the folder", "logo: ../" + filepath.Base(outside) + "/secret.png\n", nil, 1, "logo"},
		{"bomb", "background: art.png\n", map[string][]byte{"art.png": bomb()}, 1, "too large"},
		{"gif logo", "logo: l.gif\n", map[string][]byte{"l.gif": []byte("GIF89a....")}, 1, "PNG, JPEG or WebP"},
		{"woff font", "fonts:\n  files: [x.woff2]\n", nil, 1, ".ttf or .otf"},
		{"wrong type", "templates: og\n", nil, 1, "templates"},
		{"empty fields list", "fields:\n  summary: []\n", nil, 1, "summary"},
		{"emoji style", "site: x\nemoji: grey\n", nil, 2, "want colour (the default) or monochrome"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "site")
			write(t, dir, FileName, []byte(tt.yaml))
			for n, b := range tt.files {
				write(t, dir, n, b)
			}
			_, err := Load(filepath.Join(dir, FileName))
			if err == nil {
				t.Fatalf("Load succeeded, want an error about %q", tt.want)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if ce.Line != tt.wantLine {
				t.Errorf("line %d, want %d: %v", ce.Line, tt.wantLine, err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), FileName) {
				t.Errorf("error %q lacks the file name or %q", err, tt.want)
			}
			if tt.name == "bomb" && !errors.Is(err, imageio.ErrTooBig) {
				t.Errorf("bomb error %v is not imageio.ErrTooBig", err)
			}
		})
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	if Find(dir) != "" {
		t.Error("Find in an empty folder found a config")
	}
	write(t, dir, FileName, []byte("site: x\n"))
	if Find(dir) != filepath.Join(dir, FileName) {
		t.Error("Find missed the config")
	}
}

func TestMoreLoadErrors(t *testing.T) {
	for _, tt := range []struct{ yaml, want string }{
		{"fields:\n  titel: [heading]\n", "not a card field"},
		{"logo: /etc/hostname\n", "inside its folder"},
		{"background: ../x.png\n", "inside its folder"},
	} {
		dir := t.TempDir()
		write(t, dir, FileName, []byte(tt.yaml))
		if _, err := Load(filepath.Join(dir, FileName)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.yaml, err, tt.want)
		}
	}
}
