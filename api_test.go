package ogcard

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ogcard/ogcard/internal/atomicfile"
	"github.com/ogcard/ogcard/internal/build"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/config"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/render"
	"github.com/ogcard/ogcard/internal/server"
	"github.com/ogcard/ogcard/internal/sitemanifest"
	"github.com/ogcard/ogcard/internal/template"
)

// parsePackage parses the package's non-test files with comments.
func parsePackage(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	pkg := pkgs["ogcard"]
	if pkg == nil {
		t.Fatalf("no package ogcard in . (found %d packages)", len(pkgs))
	}
	var files []*ast.File
	for _, f := range pkg.Files {
		files = append(files, f)
	}
	return fset, files
}

// exportedParts calls visit with every part of f that `go doc` shows: the
// signatures of exported functions and of exported methods of exported
// types, exported types (with only their exported fields and methods), and
// exported constants and variables with their types and values.
func exportedParts(f *ast.File, visit func(name string, n ast.Node)) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			name := d.Name.Name
			if d.Recv != nil {
				recv := receiverName(d.Recv.List[0].Type)
				if !ast.IsExported(recv) {
					continue
				}
				name = recv + "." + name
				visit(name, d.Recv)
			}
			visit(name, d.Type)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if !s.Name.IsExported() {
						continue
					}
					switch tt := s.Type.(type) {
					case *ast.StructType:
						for _, fld := range tt.Fields.List {
							for _, n := range fld.Names {
								if n.IsExported() {
									visit(s.Name.Name+"."+n.Name, fld.Type)
								}
							}
							if len(fld.Names) == 0 {
								visit(s.Name.Name+" (embedded)", fld.Type)
							}
						}
					default:
						visit(s.Name.Name, s.Type)
					}
				case *ast.ValueSpec:
					for i, n := range s.Names {
						if !n.IsExported() {
							continue
						}
						if s.Type != nil {
							visit(n.Name, s.Type)
						}
						if i < len(s.Values) {
							visit(n.Name, s.Values[i])
						}
					}
				}
			}
		}
	}
}

func receiverName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return receiverName(e.X)
	case *ast.Ident:
		return e.Name
	}
	return ""
}

// TestAPIHasNoInternalTypes fails when an exported signature, field, type,
// constant or variable of the package mentions an internal package: callers
// could not name such a type, and `go doc` would show it.
func TestAPIHasNoInternalTypes(t *testing.T) {
	_, files := parsePackage(t)
	checked := 0
	for _, f := range files {
		internal := map[string]string{} // import name -> path
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if !strings.Contains(p, "/internal/") {
				continue
			}
			name := p[strings.LastIndex(p, "/")+1:]
			if im.Name != nil {
				name = im.Name.Name
			}
			internal[name] = p
		}
		exportedParts(f, func(name string, n ast.Node) {
			checked++
			ast.Inspect(n, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && internal[id.Name] != "" {
						t.Errorf("exported %s mentions %s.%s (package %s)", name, id.Name, sel.Sel.Name, internal[id.Name])
					}
				}
				return true
			})
		})
	}
	if checked < 50 {
		t.Errorf("checked %d exported parts; the walk is broken", checked)
	}
}

// TestExportedHaveDocs fails when an exported identifier (function, method,
// type, field, constant, variable) has no doc comment.
func TestExportedHaveDocs(t *testing.T) {
	fset, files := parsePackage(t)
	pkgDoc := false
	count := 0
	for _, f := range files {
		if f.Doc != nil && strings.HasPrefix(f.Doc.Text(), "Package ogcard ") {
			pkgDoc = true
		}
		missing := func(pos token.Pos, name string) {
			t.Errorf("%s: exported %s has no doc comment", fset.Position(pos), name)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() || (d.Recv != nil && !ast.IsExported(receiverName(d.Recv.List[0].Type))) {
					continue
				}
				count++
				if d.Doc == nil {
					missing(d.Pos(), d.Name.Name)
				} else if !strings.HasPrefix(d.Doc.Text(), d.Name.Name+" ") {
					t.Errorf("%s: the doc comment of %s does not start with its name", fset.Position(d.Pos()), d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						count++
						if s.Doc == nil && d.Doc == nil {
							missing(s.Pos(), s.Name.Name)
						}
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fld := range st.Fields.List {
								for _, n := range fld.Names {
									if !n.IsExported() {
										continue
									}
									count++
									// A field documented by the comment of the
									// field list it belongs to (Width, Height int //
									// pixels) counts.
									if fld.Doc == nil && fld.Comment == nil {
										missing(n.Pos(), s.Name.Name+"."+n.Name)
									}
								}
							}
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if !n.IsExported() {
								continue
							}
							count++
							if s.Doc == nil && s.Comment == nil && d.Doc == nil {
								missing(n.Pos(), n.Name)
							}
						}
					}
				}
			}
		}
	}
	if !pkgDoc {
		t.Error(`no file has a package comment starting "Package ogcard "`)
	}
	if count < 50 {
		t.Errorf("checked %d exported identifiers; the walk is broken", count)
	}
}

// TestConstantsMatchInternals keeps the literal constants `go doc` shows
// equal to the values the internal packages use.
func TestConstantsMatchInternals(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"DefaultMaxBytes", DefaultMaxBytes, render.DefaultMaxBytes},
		{"MaxPostBytes", MaxPostBytes, post.MaxFileBytes},
		{"TemplateVersion", TemplateVersion, template.FormatVersion},
		{"ManifestName", ManifestName, build.ManifestName},
		{"ManifestVersion", ManifestVersion, build.ManifestVersion},
		{"ConfigFileName", ConfigFileName, config.FileName},
		{"MinKeyBytes", MinKeyBytes, server.MinKeyBytes},
		{"MaxQueryBytes", MaxQueryBytes, server.MaxQueryBytes},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, internal value %v", c.name, c.got, c.want)
		}
	}
}

// TestCardMirrorsInternal fails when the public card types and the internal
// ones drift apart: a field added inside would otherwise be lost in the
// conversions.
func TestCardMirrorsInternal(t *testing.T) {
	for _, pair := range [][2]any{
		{Card{}, card.Card{}}, {Person{}, card.Person{}}, {Session{}, card.Session{}}, {Event{}, card.Event{}},
		{ManifestOutput{}, build.Output{}}, {SiteCard{}, sitemanifest.Card{}}, {MetaTag{}, sitemanifest.Tag{}},
	} {
		pub, in := reflect.TypeOf(pair[0]), reflect.TypeOf(pair[1])
		if pub.NumField() != in.NumField() {
			t.Errorf("%s has %d fields, %s %d", pub, pub.NumField(), in, in.NumField())
			continue
		}
		for i := range pub.NumField() {
			a, b := pub.Field(i), in.Field(i)
			if a.Name != b.Name || a.Tag != b.Tag {
				t.Errorf("%s field %d is %s %q, %s has %s %q", pub, i, a.Name, a.Tag, in, b.Name, b.Tag)
			}
		}
	}
}

// TestCardRoundTrip converts a full card out and back: no field is lost.
func TestCardRoundTrip(t *testing.T) {
	r := newRenderer(t, &Options{ConfigFile: "testdata/site/ogcard.yaml"})
	c, err := r.ReadPostFile("testdata/site/posts/summit/index.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sessions) == 0 || len(c.Speakers) == 0 || c.Event.Name == "" || c.Speakers[0].Avatar == "" || c.Site == "" {
		t.Fatalf("reference card lacks sessions, speakers or event: %+v", c)
	}
	// Every field set, so a field a conversion drops shows.
	c.Draft, c.Lang, c.HasTime, c.Image, c.PageURL, c.Cover = true, "en", true, "own.png", "/posts/summit/", "hero.jpg"
	c.Warnings = append(c.Warnings, "a warning")
	c.Speakers[0].Role = "Countess"
	c.Authors = c.Speakers[1:2]
	c.Categories = []string{"news"}
	c.Sessions[0] = Session{Title: "T", URL: "https://x", Day: "Monday", Start: "09:00", End: "09:30", Zone: "WEST", Section: "Keynotes",
		DayFrom: "event dates", Date: "2026-06-22", ZoneFrom: "front matter", When: "Mon 22 June · 09:00", Speakers: c.Speakers[:1]}
	c.Event.Start, c.Event.End, c.Event.Zone, c.Event.DatesFrom = "2026-06-22", "2026-06-24", "WEST", "front matter"
	for _, v := range []reflect.Value{reflect.ValueOf(*c), reflect.ValueOf(c.Event), reflect.ValueOf(c.Speakers[0]), reflect.ValueOf(c.Sessions[0])} {
		for i := range v.NumField() {
			if v.Field(i).IsZero() {
				t.Fatalf("%s.%s is zero: the round trip would not see it dropped", v.Type(), v.Type().Field(i).Name)
			}
		}
	}
	if back := fromCard(toCard(c)); !reflect.DeepEqual(back, c) {
		t.Errorf("round trip changed the card:\n got %+v\nwant %+v", back, c)
	}
}

// TestCLIUsesOnlyPublicPackage fails when the ogcard command imports an
// internal package: it is built on the public API alone, so every command
// exercises that API.
func TestCLIUsesOnlyPublicPackage(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, "cmd/ogcard", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	public := false
	for _, pkg := range pkgs {
		for name, f := range pkg.Files {
			for _, im := range f.Imports {
				p, _ := strconv.Unquote(im.Path.Value)
				if strings.Contains(p, "/internal/") {
					t.Errorf("%s imports %s; use github.com/ogcard/ogcard instead (add what is missing there)", name, p)
				}
				public = public || p == "github.com/ogcard/ogcard"
			}
		}
	}
	if !public {
		t.Error("cmd/ogcard does not import github.com/ogcard/ogcard")
	}
}

// TestPublicConstantsMatchInternal keeps the public copies of internal
// constants equal to what the code uses.
func TestPublicConstantsMatchInternal(t *testing.T) {
	if DefaultColocateName != build.DefaultColocateName || TempFilePrefix != atomicfile.TempPrefix ||
		PNG != render.PNG || JPEG != render.JPEG || DefaultJPEGQuality != render.DefaultJPEGQuality {
		t.Error("a public constant differs from the internal one it stands for")
	}
	if _, err := EncodingFor("card.webp", 0); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "card.webp") {
		t.Errorf("EncodingFor(card.webp) = %v, want ErrFormat naming the file", err)
	}
}
