package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"

	"github.com/ogcard/ogcard/internal/card"
)

// maxAuthorFiles caps the files of an authors folder.
const maxAuthorFiles = 2000

// authorKeys are the keys an author entry's fields are read from, in order:
// the names Hugo themes, Jekyll's _data/authors.yml and Docusaurus use.
var authorKeys = map[string][]string{
	"name":    {"name", "display_name", "displayName", "fullName", "full_name", "title"},
	"role":    {"role", "job_title", "jobTitle", "position", "title"},
	"company": {"company", "org", "organization", "organisation", "affiliation", "employer"},
	"avatar":  {"avatar", "image_url", "imageURL", "image", "photo", "picture", "img"},
}

// loadAuthors reads the authors: entry: a YAML, JSON or TOML file mapping
// ids to entries (Jekyll's _data/authors.yml, Hugo's data/authors.toml), or
// a folder of such files, one per author, named by id (Hugo's
// data/authors/<id>.yaml). A file may also hold a list of entries with an
// id (or key) field.
func loadAuthors(fsys fs.FS, name string) (map[string]card.Person, error) {
	name = filepath.ToSlash(filepath.Clean(name))
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	out := map[string]card.Person{}
	if !info.IsDir() {
		v, err := decodeData(fsys, name)
		if err != nil {
			return nil, err
		}
		if err := addAuthors(out, name, v); err != nil {
			return nil, err
		}
		return out, nil
	}
	entries, err := fs.ReadDir(fsys, name)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, e := range entries {
		ext := strings.ToLower(path.Ext(e.Name()))
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || !dataExt(ext) {
			continue
		}
		if n++; n > maxAuthorFiles {
			return nil, fmt.Errorf("%s: more than %d author files", name, maxAuthorFiles)
		}
		file := path.Join(name, e.Name())
		v, err := decodeData(fsys, file)
		if err != nil {
			return nil, err
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: want a map of author fields (name, role, company, avatar)", file)
		}
		id := strings.TrimSuffix(e.Name(), path.Ext(e.Name()))
		if p := person(m); p.Name != "" {
			out[id] = p
		} else {
			out[id] = card.Person{Name: id, Role: p.Role, Company: p.Company, Avatar: p.Avatar}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no .yaml, .yml, .json or .toml author files", name)
	}
	return out, nil
}

func dataExt(ext string) bool {
	return ext == ".yaml" || ext == ".yml" || ext == ".json" || ext == ".toml"
}

// decodeData decodes a YAML, JSON or TOML file into plain values.
func decodeData(fsys fs.FS, file string) (any, error) {
	ext := strings.ToLower(path.Ext(file))
	if !dataExt(ext) {
		return nil, fmt.Errorf("%s: want a .yaml, .yml, .json or .toml file, or a folder of them", file)
	}
	data, err := readCapped(fsys, file, maxConfigBytes)
	if err != nil {
		return nil, err
	}
	var v any
	switch ext {
	case ".json":
		dec := json.NewDecoder(bytes.NewReader(data))
		err = dec.Decode(&v)
	case ".toml":
		var m map[string]any
		_, err = toml.Decode(string(data), &m)
		v = m
	default:
		err = yaml.Unmarshal(data, &v)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return v, nil
}

// addAuthors adds the entries of one decoded file: a map of id -> entry
// (an entry may be a bare name), or a list of entries with an id or key.
func addAuthors(out map[string]card.Person, file string, v any) error {
	switch v := v.(type) {
	case map[string]any:
		ids := make([]string, 0, len(v))
		for id := range v {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			switch e := v[id].(type) {
			case string:
				out[id] = card.Person{Name: strings.TrimSpace(e)}
			case map[string]any:
				p := person(e)
				if p.Name == "" {
					p.Name = id
				}
				out[id] = p
			default:
				return fmt.Errorf("%s: author %q: want a name or a map of fields (name, role, company, avatar)", file, id)
			}
		}
		return nil
	case []any:
		for i, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				return fmt.Errorf("%s: entry %d: want a map with id and name", file, i+1)
			}
			id := text(m, "id", "key", "slug", "username")
			if id == "" {
				return fmt.Errorf("%s: entry %d: no id (or key) field", file, i+1)
			}
			out[id] = person(m)
		}
		return nil
	}
	return fmt.Errorf("%s: want a map of author ids to entries, or a list of entries with an id", file)
}

// person reads an author entry's fields.
func person(m map[string]any) card.Person {
	p := card.Person{
		Name:    text(m, authorKeys["name"]...),
		Company: text(m, authorKeys["company"]...),
		Avatar:  text(m, authorKeys["avatar"]...),
	}
	// "title" is a person's job title when a name is given by another key.
	role := authorKeys["role"]
	if text(m, "name", "display_name", "displayName", "fullName", "full_name") == "" {
		role = role[:len(role)-1]
	}
	p.Role = text(m, role...)
	return p
}

// text returns the first non-empty string value of keys in m, matching a
// key exactly first, then case-insensitively in sorted order.
func text(m map[string]any, keys ...string) string {
	mkeys := make([]string, 0, len(m))
	for k := range m {
		mkeys = append(mkeys, k)
	}
	sort.Strings(mkeys)
	for _, k := range keys {
		if s, ok := m[k].(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
		for _, mk := range mkeys {
			if s, ok := m[mk].(string); ok && strings.EqualFold(mk, k) && strings.TrimSpace(s) != "" {
				return strings.TrimSpace(s)
			}
		}
	}
	return ""
}
