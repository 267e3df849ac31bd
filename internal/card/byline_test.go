package card

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestBylineLine(t *testing.T) {
	tests := []struct {
		line string
		want []Person
	}{
		{"**_Author: Katie Meinders, Isovalent_**", []Person{{Name: "Katie Meinders", Company: "Isovalent"}}},
		{"_Author: Paul Arah, Isovalent@Cisco_", []Person{{Name: "Paul Arah", Company: "Isovalent@Cisco"}}},
		{"##### Author: Paul Arah, Isovalent@Cisco", []Person{{Name: "Paul Arah", Company: "Isovalent@Cisco"}}},
		{"**Author: Shedrack Akintayo, Isovalent**", []Person{{Name: "Shedrack Akintayo", Company: "Isovalent"}}},
		{"_Authors: Martynas Pumputis and Bill Mulligan, Isovalent_", []Person{{Name: "Martynas Pumputis", Company: "Isovalent"}, {Name: "Bill Mulligan", Company: "Isovalent"}}},
		{"_Author: Leonard Cohnen & Moritz Eckert, Edgeless Systems_", []Person{{Name: "Leonard Cohnen", Company: "Edgeless Systems"}, {Name: "Moritz Eckert", Company: "Edgeless Systems"}}},
		{"_Authors: Ann Lee, Bo Ma @Acme_", []Person{{Name: "Ann Lee", Company: "Acme"}, {Name: "Bo Ma", Company: "Acme"}}},
		{"*Author: Ann Lee, Bo Ma and Cy Ng*", []Person{{Name: "Ann Lee"}, {Name: "Bo Ma"}, {Name: "Cy Ng"}}},
		{"_Authors: Ann Lee, Bo Ma, and Cy Ng_", []Person{{Name: "Ann Lee"}, {Name: "Bo Ma"}, {Name: "Cy Ng"}}},
		{"_Authors: Bill Mulligan_", []Person{{Name: "Bill Mulligan"}}},
		{"_Authors: Ann Lee, Bo Ma_", []Person{{Name: "Ann Lee"}, {Name: "Bo Ma"}}},
		{"_Author: Pol Arroyo, DevOps Engineer @ Hetzner Cloud_", []Person{{Name: "Pol Arroyo", Role: "DevOps Engineer", Company: "Hetzner Cloud"}}},
		{"_Author: Joseph Irving, Platform Lead at RVU (Uswitch)_", []Person{{Name: "Joseph Irving", Role: "Platform Lead", Company: "RVU (Uswitch)"}}},
		{"_Author: Ann Lee, Staff Engineer, Acme_", []Person{{Name: "Ann Lee", Role: "Staff Engineer", Company: "Acme"}}},
		{"By: Ann Lee, Acme", []Person{{Name: "Ann Lee", Company: "Acme"}}},
		{"_Written by: Shedrack Akintayo, Isovalent_", []Person{{Name: "Shedrack Akintayo", Company: "Isovalent"}}},
		{"_By Ann Lee_", []Person{{Name: "Ann Lee"}}},
		{"> Author: [Ann Lee](https://x.y) (Acme)", []Person{{Name: "Ann Lee", Company: "Acme"}}},
		{"By default, the included Vagrantfile will start a cluster", nil},
		{"_This is a guest post by Daniel Borkmann who was recently recognized_", nil},
		{"Authorization and visibility, transparent encryption", nil},
		{"Author:", nil},
		{"_Author: this is a rather long sentence that goes on and on about nothing at all_", nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := bylineLine(tt.line); !slices.Equal(got, tt.want) {
				t.Errorf("bylineLine(%q) = %+v, want %+v", tt.line, got, tt.want)
			}
		})
	}
}

func TestBodyByline(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"after an image", "![](cover.png)\n\n**_Author: Ann Lee, Acme_**\n\ntext", []string{"Ann Lee"}},
		{"mdx imports do not count", strings.Repeat("import X from 'x';\n", 20) + "_Author: Ann Lee_\n", []string{"Ann Lee"}},
		{"too far down", strings.Repeat("para\n\n", 15) + "_Author: Ann Lee_\n", nil},
		{"inside code", "```\n_Author: Ann Lee_\n```\n", nil},
		{"none", "Just text.\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range bodyByline([]byte(tt.body)) {
				got = append(got, p.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("bodyByline() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAuthors(t *testing.T) {
	authorData := map[string]Person{
		"thomasGraf":      {Name: "Thomas Graf", Company: "Isovalent"},
		"lucasfernog":     {Name: "Lucas Nogueira", Avatar: "lucas.png"},
		"JedAndMartynas":  {Name: "Jed Salazar and Martynas Pumputis"},
		"emptyHeaderOnly": {},
	}
	opts := &Options{Authors: authorData}
	tests := []struct {
		name  string
		kv    []any
		body  string
		want  []Person
		warns int
	}{
		{"string list", []any{"author", "Ann Lee, Bo Ma and Cy Ng"}, "", []Person{{Name: "Ann Lee"}, {Name: "Bo Ma"}, {Name: "Cy Ng"}}, 0},
		{"ampersand", []any{"author", "Ann Lee & Bo Ma"}, "", []Person{{Name: "Ann Lee"}, {Name: "Bo Ma"}}, 0},
		{"chinese and", []any{"author", "Matt Carroll 和 Ricky Hanlon"}, "", []Person{{Name: "Matt Carroll"}, {Name: "Ricky Hanlon"}}, 0},
		{"oxford comma", []any{"author", "Lauren Tan, Joe Savona, and Mofei Zhang"}, "", []Person{{Name: "Lauren Tan"}, {Name: "Joe Savona"}, {Name: "Mofei Zhang"}}, 0},
		{"folded with companies and links", []any{"author", "[Jay Vyas](https://x.y) (Tesla),\nAmim Knabben (Broadcom)\n"}, "", []Person{{Name: "Jay Vyas", Company: "Tesla"}, {Name: "Amim Knabben", Company: "Broadcom"}}, 0},
		{"list", []any{"authors", []any{"Ann Lee", "Bo Ma", "Ann Lee"}}, "", []Person{{Name: "Ann Lee"}, {Name: "Bo Ma"}}, 0},
		{"objects", []any{"authors", []any{map[string]any{"name": "Ann Lee", "title": "CTO", "org": "Acme", "avatar": "a.png"}, map[string]any{"Name": "Bo Ma", "image": map[string]any{"src": "b.png"}}}}, "",
			[]Person{{Name: "Ann Lee", Role: "CTO", Company: "Acme", Avatar: "a.png"}, {Name: "Bo Ma", Avatar: "b.png"}}, 0},
		{"one object", []any{"author", map[string]any{"name": "Ann Lee", "company": "Acme"}}, "", []Person{{Name: "Ann Lee", Company: "Acme"}}, 0},
		{"id", []any{"authors", []any{"lucasfernog"}}, "", []Person{{Name: "Lucas Nogueira", Avatar: "lucas.png"}}, 0},
		{"id case-insensitive", []any{"authors", "LucasFernog"}, "", []Person{{Name: "Lucas Nogueira", Avatar: "lucas.png"}}, 0},
		{"hugo params", []any{"params", map[string]any{"author": "Ann Lee"}}, "", []Person{{Name: "Ann Lee"}}, 0},
		{"zola extra", []any{"extra", map[string]any{"authors": []any{"Ann Lee"}}}, "", []Person{{Name: "Ann Lee"}}, 0},
		{"front matter beats body", []any{"author", "Ann Lee"}, "_Author: Bo Ma_\n", []Person{{Name: "Ann Lee"}}, 0},
		{"body byline", nil, "**_Author: Katie Meinders, Isovalent_**\n", []Person{{Name: "Katie Meinders", Company: "Isovalent"}}, 0},
		{"blog author component", nil, "text\n\n<BlogAuthor {...authors.thomasGraf} />\n", []Person{{Name: "Thomas Graf", Company: "Isovalent"}}, 0},
		{"blog author of two", nil, "<BlogAuthor {...authors.JedAndMartynas}/>\n", []Person{{Name: "Jed Salazar"}, {Name: "Martynas Pumputis"}}, 0},
		{"unknown blog author warns", nil, "<BlogAuthor {...authors.nobody} />\n", nil, 1},
		{"byline beats component", nil, "_Author: Ann Lee_\n\n<BlogAuthor {...authors.thomasGraf} />\n", []Person{{Name: "Ann Lee"}}, 0},
		{"none", nil, "text\n", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCard(t, newPost("a.md", tt.body, append([]any{"title", "T"}, tt.kv...)...), opts)
			if !slices.Equal(c.Authors, tt.want) {
				t.Errorf("Authors = %+v, want %+v", c.Authors, tt.want)
			}
			if len(c.Warnings) != tt.warns {
				t.Errorf("Warnings = %q, want %d", c.Warnings, tt.warns)
			}
		})
	}
}

func TestBlogAuthorIDs(t *testing.T) {
	body := "a\n<BlogAuthor {...authors.PaulArah} />\n<BlogAuthor theme=\"x\" header=\"Guest\" />\n<BlogAuthor {...authors.lizRice}/><BlogAuthor {...authors.PaulArah} />\n<BlogAuthor {...authors."
	want := []string{"PaulArah", "lizRice"}
	if got := BlogAuthorIDs([]byte(body)); !slices.Equal(got, want) {
		t.Errorf("BlogAuthorIDs() = %q, want %q", got, want)
	}
}

func TestParseAuthorDataJS(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    map[string]Person
		wantErr string
	}{
		{
			name: "cilium shape",
			src: "export default {\n  thomasGraf: {\n    header: 'Thomas Graf',\n    bio: `Co-Founder of <a href=\"x\">Isovalent</a>,\n  long`,\n  },\n" +
				"  lizRice: {\n    header: `<a href=\"https://twitter.com/lizrice\">Liz Rice</a>`,\n  },\n" +
				"  // a comment: { header: 'Nobody' }\n  /* block { header: 'Nobody' } */\n" +
				"  \"quoted-key\": { header: \"Ann \\\"A\\\" Lee\", company: 'Acme', avatar: 'ann.png' },\n" +
				"  plus: { header: 'Bo ' + \"Ma\" },\n  noHeader: { bio: 'x' },\n};\n",
			want: map[string]Person{
				"thomasGraf": {Name: "Thomas Graf"},
				"lizRice":    {Name: "Liz Rice"},
				"quoted-key": {Name: `Ann "A" Lee`, Company: "Acme", Avatar: "ann.png"},
				"plus":       {Name: "Bo Ma"},
			},
		},
		{
			name:    "unterminated string",
			src:     "export default {\n  a: { header: 'Ann Lee' },\n  b: { header: 'oops\n  },\n};\n",
			want:    map[string]Person{"a": {Name: "Ann Lee"}},
			wantErr: "author data: line 3: unterminated string",
		},
		{
			name:    "unterminated comment",
			src:     "export default { a: { header: 'Ann Lee' } } /* x",
			want:    map[string]Person{"a": {Name: "Ann Lee"}},
			wantErr: "author data: line 1: unterminated comment",
		},
		{"empty", "", map[string]Person{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseAuthorDataJS([]byte(tt.src))
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr) {
				t.Errorf("parseAuthorDataJS() error = %v, want %q", err, tt.wantErr)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("parseAuthorDataJS() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFieldErrorUnwrap(t *testing.T) {
	cause := errors.New("cause")
	err := error(&FieldError{Path: "p.md", Line: 4, Key: "k", Err: cause})
	if !errors.Is(err, cause) {
		t.Errorf("errors.Is(%v, cause) = false, want true", err)
	}
	if want := `post p.md: line 4: key "k": cause`; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}
