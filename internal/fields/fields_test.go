package fields

import (
	"errors"
	"strings"
	"testing"

	"github.com/ogcard/ogcard/internal/template"
)

func compile(t *testing.T, text string) *template.Template {
	t.Helper()
	src := "name: t\nwidth: 100\nheight: 100\nlayers:\n  - kind: fill\n    color: '#000000'\n  - kind: stack\n    box: {x: 0, y: 0, w: 100, h: 100}\n    children:\n      - kind: text\n        box: {x: 0, y: 0, w: 100, h: 50}\n        text: '" + text + "'\n"
	b, err := template.DecodeBrand("brand.yaml", []byte("name: B\n"))
	if err != nil {
		t.Fatal(err)
	}
	tm, err := template.Load("t.yaml", []byte(src), b)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return tm
}

func TestCheck(t *testing.T) {
	tests := []struct {
		text, field, suggest string
	}{
		{"{{.Titel}}", ".Titel", ".Title"},
		{"{{.title}}", ".title", ".Title"},
		{"{{.Event.Nmae}}", ".Event.Nmae", ".Event.Name"},
		{"{{range .Sessions}}{{.Titel}}{{end}}", ".Titel", ".Title"},
		{"{{range .Authors}}{{.Compnay}}{{end}}", ".Compnay", ".Company"},
		{"{{with .Session}}{{.Strat}}{{end}}", ".Strat", ".Start"},
		{"{{range .Tags}}{{$.Sumary}}{{end}}", "$.Sumary", "$.Summary"},
		{`{{date "2006" .Dat}}`, ".Dat", ".Date"},
		{"{{upper .Xyzzy}}", ".Xyzzy", ""},
		{"{{.Title}} {{.Event.Name}} {{range .Sessions}}{{.Title}} {{range .Speakers}}{{.Name}}{{end}}{{end}} {{len .People}} {{.Page}}/{{.Pages}} {{.PageURL}}", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			err := Check(compile(t, tt.text))
			var fe *Error
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			if !errors.As(err, &fe) {
				t.Fatalf("Check = %v, want an *Error", err)
			}
			if fe.Field != tt.field || fe.Suggest != tt.suggest || fe.Line != 12 || fe.Layer != "layers[1].children[0].text" {
				t.Errorf("Check = field %q suggest %q line %d layer %q; want %q, %q, line 12", fe.Field, fe.Suggest, fe.Line, fe.Layer, tt.field, tt.suggest)
			}
			if len(fe.Known) == 0 || !strings.Contains(err.Error(), "'ogcard templates --fields'") {
				t.Errorf("message %q lacks the list of fields", err)
			}
		})
	}
}

func TestList(t *testing.T) {
	got := map[string]Field{}
	for _, f := range List() {
		got[f.Name] = f
	}
	for name, typ := range map[string]string{
		".Title": "text", ".Authors": "list of person (range over it)", ".Authors[].Name": "text",
		".Event.Hashtags": "list of text", ".Sessions[].Speakers": "list of person (range over it)", ".Page": "number",
	} {
		if f, ok := got[name]; !ok || f.Type != typ {
			t.Errorf("List()[%s] = %+v, want type %q", name, f, typ)
		}
	}
	if got[".Title"].Example == "" || got[".Event.Name"].Example == "" {
		t.Errorf("no examples: %+v %+v", got[".Title"], got[".Event.Name"])
	}
	if _, ok := got[".Warnings"]; ok {
		t.Error("List names .Warnings, which is not card content")
	}
}

// TestListOnce: a field of layout.View that hides its Card's (Sessions) is
// listed once, by List and in the "fields here are" of an unknown field.
func TestListOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range List() {
		if seen[f.Name] {
			t.Errorf("List names %s twice", f.Name)
		}
		seen[f.Name] = true
	}
	err := Check(compile(t, "{{.Titel}}"))
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("Check = %v, want an *Error", err)
	}
	known := map[string]bool{}
	for _, k := range fe.Known {
		if known[k] {
			t.Errorf("Known names %s twice: %v", k, fe.Known)
		}
		known[k] = true
	}
	if !known[".Sessions"] || !known[".Title"] {
		t.Errorf("Known = %v, want .Sessions and .Title in it", fe.Known)
	}
}

func TestJSON(t *testing.T) {
	v := Example()
	js, err := JSON(v.Card)
	if err != nil {
		t.Fatal(err)
	}
	s := string(js)
	for _, want := range []string{`"Title": "Cilium at KubeCon Europe 2026"`, `"Authors": [`, `"Company": "Isovalent"`, `"Event": {`, `"Hashtags": [`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, `"title"`) || strings.Contains(s, `"HasTime"`) {
		t.Errorf("JSON has a json-tag name or an empty field:\n%s", s)
	}
}
