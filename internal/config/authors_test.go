package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/permalink"
)

func TestAuthors(t *testing.T) {
	ann := card.Person{Name: "Ann Lee", Role: "Maintainer", Company: "Acme", Avatar: "img/ann.png"}
	tests := []struct {
		name  string
		files map[string]string
		entry string
		want  map[string]card.Person
	}{
		{"jekyll yaml map", map[string]string{"_data/authors.yml": "ann:\n  name: Ann Lee\n  title: Maintainer\n  company: Acme\n  avatar: img/ann.png\nbob: Bob Ray\n"},
			"_data/authors.yml", map[string]card.Person{"ann": ann, "bob": {Name: "Bob Ray"}}},
		{"hugo folder of toml and json", map[string]string{
			"data/authors/ann.toml": "name = \"Ann Lee\"\nrole = \"Maintainer\"\norganization = \"Acme\"\nimage = \"img/ann.png\"\n",
			"data/authors/bob.json": `{"display_name": "Bob Ray"}`,
			"data/authors/.hidden":  "x",
		}, "data/authors", map[string]card.Person{"ann": ann, "bob": {Name: "Bob Ray"}}},
		{"list with ids", map[string]string{"authors.json": `[{"id": "ann", "name": "Ann Lee", "position": "Maintainer", "affiliation": "Acme", "photo": "img/ann.png"}]`},
			"authors.json", map[string]card.Person{"ann": ann}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for n, s := range tt.files {
				write(t, dir, n, []byte(s))
			}
			write(t, dir, FileName, []byte("authors: "+tt.entry+"\n"))
			c, err := Load(filepath.Join(dir, FileName))
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Authors) != len(tt.want) {
				t.Errorf("authors %+v, want %+v", c.Authors, tt.want)
			}
			for id, p := range tt.want {
				if c.Authors[id] != p {
					t.Errorf("author %q = %+v, want %+v", id, c.Authors[id], p)
				}
			}
		})
	}
}

func TestAuthorsAndURLsErrors(t *testing.T) {
	tests := []struct{ name, yaml, file, data, want string }{
		{"missing", "authors: nope.yml\n", "", "", "nope.yml"},
		{"outside", "authors: ../authors.yml\n", "", "", "inside its folder"},
		{"not data", "authors: a.txt\n", "a.txt", "x", "want a .yaml"},
		{"bad entry", "authors: a.yml\n", "a.yml", "ann: [1, 2]\n", `author "ann"`},
		{"bad urls", "urls: gatsby\n", "", "", "want one of hugo, jekyll, zola, path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.file != "" {
				write(t, dir, tt.file, []byte(tt.data))
			}
			write(t, dir, FileName, []byte("site: x\n"+tt.yaml))
			_, err := Load(filepath.Join(dir, FileName))
			var ce *Error
			if !errors.As(err, &ce) || ce.Line != 2 || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load = %v, want a config error at line 2 containing %q", err, tt.want)
			}
		})
	}
	dir := t.TempDir()
	write(t, dir, FileName, []byte("urls: Jekyll\n"))
	if c, err := Load(filepath.Join(dir, FileName)); err != nil || c.URLs != permalink.Jekyll {
		t.Errorf("urls: Jekyll gives %v, %v", c, err)
	}
}
