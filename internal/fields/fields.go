// Package fields knows the names template texts use for a card's fields
// ({{.Title}}, {{.Event.Name}}, {{range .Sessions}}{{.Title}}{{end}}): it
// lists them with their types and an example, checks a compiled template's
// texts against them before any card is drawn, and writes a card as JSON
// under those names. It reads the types by reflection over layout.View, so
// the list cannot drift from what templates see.
package fields

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/template"
)

// root is what a template text's dot is.
var root = reflect.TypeOf(layout.View{})

var timeType = reflect.TypeOf(time.Time{})

// Field is one name a template may use.
type Field struct {
	Name    string // ".Title", ".Event.Name", ".Sessions[].Title"
	Type    string // "text", "list of text", "date", "number", "yes/no", "list of people", ...
	Example string
}

// names returns the exported field and method names of t (a struct or a
// pointer to one), embedded structs' fields included, in declaration order,
// each once: a field of t hides an embedded struct's field of the same
// name, as in Go (layout.View's Sessions hides its Card's).
func names(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	if t.Kind() != reflect.Struct || t == timeType {
		return nil
	}
	own := map[string]bool{}
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && !f.Anonymous {
			own[f.Name] = true
		}
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Anonymous {
			for _, n := range names(f.Type) {
				if !own[n] {
					out = append(out, n)
				}
			}
			continue
		}
		out = append(out, f.Name)
	}
	pt := reflect.PointerTo(t)
	for i := range pt.NumMethod() {
		if n := pt.Method(i).Name; !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// member returns the type of t's field or method name, following
// pointers and embedded structs.
func member(t reflect.Type, name string) (reflect.Type, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	if f, ok := t.FieldByName(name); ok && f.IsExported() {
		return f.Type, true
	}
	if m, ok := reflect.PointerTo(t).MethodByName(name); ok && m.Type.NumOut() > 0 {
		return m.Type.Out(0), true
	}
	return nil, false
}

// elem is what range over a value of type t gives as dot.
func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		return t.Elem()
	}
	return nil
}

// describe names a type for people.
func describe(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return "date (format with {{date \"2 January 2006\" .Date}})"
	case t.Kind() == reflect.String:
		return "text"
	case t.Kind() == reflect.Bool:
		return "yes/no"
	case t.Kind() == reflect.Int:
		return "number"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return "list of text"
	case t.Kind() == reflect.Slice:
		return "list of " + strings.ToLower(t.Elem().Name()) + " (range over it)"
	case t.Kind() == reflect.Struct:
		return strings.ToLower(t.Name())
	}
	return t.String()
}

// List returns every field a template text can name, with its type and
// its value in Example's card.
func List() []Field {
	var out []Field
	view := Example()
	ex := reflect.ValueOf(&view).Elem() // addressable, so methods can be called
	var walk func(prefix string, t reflect.Type, v reflect.Value, depth int)
	walk = func(prefix string, t reflect.Type, v reflect.Value, depth int) {
		for _, n := range names(t) {
			if n == "Warnings" || n == "Source" {
				continue // diagnostics, not card content
			}
			ft, _ := member(t, n)
			var fv reflect.Value
			if v.IsValid() {
				fv = fieldValue(v, n)
			}
			out = append(out, Field{Name: prefix + "." + n, Type: describe(ft), Example: example(fv)})
			sub := ft
			if e := elem(ft); e != nil {
				sub = e
				if fv.IsValid() && fv.Len() > 0 {
					fv = fv.Index(0)
				} else {
					fv = reflect.Value{}
				}
				if depth < 2 && len(names(sub)) > 0 {
					walk(prefix+"."+n+"[]", sub, fv, depth+1)
				}
				continue
			}
			if depth < 2 && len(names(sub)) > 0 {
				walk(prefix+"."+n, sub, fv, depth+1)
			}
		}
	}
	walk("", root, ex, 0)
	return out
}

// fieldValue returns v's field or method result name, or an invalid Value.
func fieldValue(v reflect.Value, name string) reflect.Value {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	if f := v.FieldByName(name); f.IsValid() {
		return f
	}
	if v.CanAddr() {
		if m := v.Addr().MethodByName(name); m.IsValid() && m.Type().NumIn() == 0 {
			return m.Call(nil)[0]
		}
	}
	return reflect.Value{}
}

func example(v reflect.Value) string {
	if !v.IsValid() {
		return ""
	}
	if t, ok := v.Interface().(time.Time); ok {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02 15:04")
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return ""
		}
		return example(v.Elem())
	case reflect.Struct:
		return ""
	case reflect.Slice:
		if v.Len() == 0 {
			return "[]"
		}
		if v.Type().Elem().Kind() == reflect.String {
			b, _ := json.Marshal(v.Interface())
			return string(b)
		}
		if v.Len() == 1 {
			return "1 item"
		}
		return fmt.Sprintf("%d items", v.Len())
	}
	return fmt.Sprint(v.Interface())
}

// Example returns the card the field list shows values of: a talk card of
// an event post.
func Example() layout.View {
	c := &card.Card{
		Title:   "Cilium at KubeCon Europe 2026",
		Summary: "Talks, demos and where to find us in Amsterdam",
		Date:    time.Date(2026, 1, 23, 0, 0, 0, 0, time.UTC),
		Authors: []card.Person{{Name: "Katie Meinders", Role: "Community Manager", Company: "Isovalent", Avatar: "katie.png"}},
		Tags:    []string{"KubeCon", "eBPF"}, Categories: []string{"Community"},
		URLPath: "/blog/2026/01/23/cilium-at-kubecon", Slug: "cilium-at-kubecon", PageURL: "/blog/cilium-at-kubecon/",
		Image: "ogimage.png", Lang: "en", Site: "Cilium",
		Event: card.Event{Name: "KubeCon + CloudNativeCon Europe 2026", Dates: "23–26 March", Place: "Amsterdam", Hashtags: []string{"#KubeCon"}},
	}
	c.Sessions = []card.Session{{Title: "Network Flow Aggregation", URL: "https://sched.co/x", Day: "Monday, 23 March", Start: "13:35", End: "14:00", Zone: "CET", Section: "CiliumCon",
		Speakers: []card.Person{{Name: "Mereta Degutyte", Company: "Microsoft"}}}}
	c.Speakers = c.Sessions[0].Speakers
	return layout.View{Card: c, Session: &c.Sessions[0], Sessions: c.Sessions, Page: 1, Pages: 1}
}

// Error is a template text that names a field cards do not have.
type Error struct {
	Template string // the template's name
	Line     int    // 1-based line of the text in the template's YAML; 0 if unknown
	Layer    string // "layers[2].text"
	Field    string // ".Titel" as written
	Suggest  string // ".Title", or ""
	Known    []string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "template %s: %s: unknown field %s", e.Template, e.Layer, e.Field)
	if e.Suggest != "" {
		fmt.Fprintf(&b, "; did you mean %s?", e.Suggest)
	}
	fmt.Fprintf(&b, " The fields here are %s ('ogcard templates --fields' lists them all)", strings.Join(e.Known, ", "))
	return b.String()
}

// Check reports the first field a text of t names that cards do not have,
// as an *Error. Texts are checked where dot's type is known: the card,
// and inside range and with over its fields; variables other than $ are
// not followed.
func Check(t *template.Template) error {
	lines := textLines(t.Source)
	var walkLayers func(prefix string, ls []template.CLayer) error
	walkLayers = func(prefix string, ls []template.CLayer) error {
		for i := range ls {
			key := fmt.Sprintf("%s[%d]", prefix, i)
			if tx := ls[i].Text; tx != nil && tx.Tree != nil {
				if bad := checkList(tx.Tree.Root, root); bad != nil {
					bad.Template, bad.Layer, bad.Line = t.Name, key+".text", lines[key+".text"]
					return bad
				}
			}
			if err := walkLayers(key+".children", ls[i].Children); err != nil {
				return err
			}
		}
		return nil
	}
	return walkLayers("layers", t.Layers)
}

// textLines maps "layers[2].text" (and children's) to the line of its
// text key in the template's YAML.
func textLines(src []byte) map[string]int {
	out := map[string]int{}
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil || len(doc.Content) == 0 {
		return out
	}
	var walk func(prefix string, seq *yaml.Node)
	walk = func(prefix string, seq *yaml.Node) {
		if seq == nil || seq.Kind != yaml.SequenceNode {
			return
		}
		for i, l := range seq.Content {
			key := fmt.Sprintf("%s[%d]", prefix, i)
			for j := 0; j+1 < len(l.Content); j += 2 {
				switch l.Content[j].Value {
				case "text":
					out[key+".text"] = l.Content[j].Line
				case "children":
					walk(key+".children", l.Content[j+1])
				}
			}
		}
	}
	m := doc.Content[0]
	for j := 0; j+1 < len(m.Content); j += 2 {
		if m.Content[j].Value == "layers" {
			walk("layers", m.Content[j+1])
		}
	}
	return out
}

func checkList(n *parse.ListNode, dot reflect.Type) *Error {
	if n == nil {
		return nil
	}
	for _, c := range n.Nodes {
		if e := checkNode(c, dot); e != nil {
			return e
		}
	}
	return nil
}

func checkNode(n parse.Node, dot reflect.Type) *Error {
	switch n := n.(type) {
	case *parse.ActionNode:
		_, e := checkPipe(n.Pipe, dot)
		return e
	case *parse.IfNode:
		return checkBranch(&n.BranchNode, dot, false)
	case *parse.RangeNode:
		return checkBranch(&n.BranchNode, dot, true)
	case *parse.WithNode:
		return checkBranch(&n.BranchNode, dot, false)
	}
	return nil
}

func checkBranch(b *parse.BranchNode, dot reflect.Type, isRange bool) *Error {
	t, e := checkPipe(b.Pipe, dot)
	if e != nil {
		return e
	}
	inner := dot
	switch {
	case t == nil:
		inner = nil // not known: not checked inside
	case isRange:
		inner = elem(t)
	case b.NodeType == parse.NodeWith:
		inner = t
	}
	if e := checkList(b.List, inner); e != nil {
		return e
	}
	return checkList(b.ElseList, dot)
}

// checkPipe checks a pipeline's fields and returns the type of its value
// when it is one field chain (nil when unknown).
func checkPipe(p *parse.PipeNode, dot reflect.Type) (reflect.Type, *Error) {
	if p == nil {
		return nil, nil
	}
	var last reflect.Type
	for _, cmd := range p.Cmds {
		last = nil
		for _, a := range cmd.Args {
			t, e := checkArg(a, dot)
			if e != nil {
				return nil, e
			}
			if len(cmd.Args) == 1 {
				last = t
			}
		}
	}
	return last, nil
}

func checkArg(a parse.Node, dot reflect.Type) (reflect.Type, *Error) {
	switch a := a.(type) {
	case *parse.FieldNode:
		return chain(dot, a.Ident, "")
	case *parse.VariableNode:
		if a.Ident[0] == "$" && len(a.Ident) > 1 {
			return chain(root, a.Ident[1:], "$")
		}
	case *parse.ChainNode:
		if _, ok := a.Node.(*parse.DotNode); ok {
			return chain(dot, a.Field, "")
		}
		if p, ok := a.Node.(*parse.PipeNode); ok {
			if _, e := checkPipe(p, dot); e != nil {
				return nil, e
			}
		}
	case *parse.PipeNode:
		return checkPipe(a, dot)
	case *parse.DotNode:
		return dot, nil
	}
	return nil, nil
}

// chain follows idents from t, and reports the first unknown one.
func chain(t reflect.Type, idents []string, prefix string) (reflect.Type, *Error) {
	if t == nil {
		return nil, nil
	}
	path := prefix
	for _, id := range idents {
		next, ok := member(t, id)
		if !ok {
			known := names(t)
			for i := range known {
				known[i] = path + "." + known[i]
			}
			return nil, &Error{Field: path + "." + id, Suggest: suggest(path+"."+id, known), Known: known}
		}
		path += "." + id
		t = next
	}
	return t, nil
}

// suggest returns the known name closest to name, ignoring case, at most
// two edits away.
func suggest(name string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := distance(strings.ToLower(k), strings.ToLower(name)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// distance is the Levenshtein distance of a and b (bytes).
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// JSON writes v (a card, or any value holding cards) as indented JSON
// under the names templates use: "Title", "Authors", "Event": {"Name"},
// leaving out empty fields and diagnostics other than Warnings.
func JSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := encode(&b, reflect.ValueOf(v)); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func encode(b *bytes.Buffer, v reflect.Value) error {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		v = v.Elem()
	}
	if t, ok := v.Interface().(time.Time); ok {
		js, err := json.Marshal(t)
		b.Write(js)
		return err
	}
	switch v.Kind() {
	case reflect.Struct:
		b.WriteByte('{')
		n := 0
		var fieldsOf func(v reflect.Value) error
		fieldsOf = func(v reflect.Value) error {
			for i := range v.NumField() {
				f := v.Type().Field(i)
				if !f.IsExported() {
					continue
				}
				fv := v.Field(i)
				if f.Anonymous {
					for fv.Kind() == reflect.Pointer {
						fv = fv.Elem()
					}
					if err := fieldsOf(fv); err != nil {
						return err
					}
					continue
				}
				if fv.IsZero() || (fv.Kind() == reflect.Slice && fv.Len() == 0) {
					continue
				}
				if n > 0 {
					b.WriteByte(',')
				}
				n++
				k, _ := json.Marshal(f.Name)
				b.Write(k)
				b.WriteByte(':')
				if err := encode(b, fv); err != nil {
					return err
				}
			}
			return nil
		}
		if err := fieldsOf(v); err != nil {
			return err
		}
		b.WriteByte('}')
		return nil
	case reflect.Slice, reflect.Array:
		b.WriteByte('[')
		for i := range v.Len() {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encode(b, v.Index(i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v.Interface()); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}

// CheckSet checks every template of set with Check, before any card is
// drawn. files maps template files to their bytes, so the error can name
// the file and line: "site/mine.yaml:14: template mine: layers[2].text:
// unknown field .Titel; did you mean .Title? …". The error wraps the
// *Error.
func CheckSet(set *template.Set, files map[string][]byte) error {
	for _, name := range set.Names() {
		t, _ := set.Get(name)
		err := Check(t)
		if err == nil {
			continue
		}
		file := "built-in template " + name + ".yaml"
		paths := make([]string, 0, len(files))
		for p := range files {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		for _, p := range paths {
			if bytes.Equal(files[p], t.Source) {
				file = p
				break
			}
		}
		var fe *Error
		if errors.As(err, &fe) && fe.Line > 0 {
			file += ":" + strconv.Itoa(fe.Line)
		}
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}
