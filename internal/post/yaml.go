package post

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// yaml decodes a YAML front matter block. The block's first line is the
// file line after openLine; closeLine is the line of the closing ---.
//
// The block is parsed into a yaml.Node tree, which keeps each key's line and
// lets repeated keys be found (yaml.v3 reports them only when decoding
// into Go maps or structs, and then as an error), and the tree is converted here rather than by
// yaml.v3's decoder so that unquoted timestamps become time.Time and alias
// expansion is charged against MaxValues.
func (d *decoder) yaml(block []byte, openLine, closeLine int) error {
	c := &yamlConv{d: d, lines: newYAMLLines(block, openLine, closeLine), active: map[*yaml.Node]bool{}}
	dec := yaml.NewDecoder(bytes.NewReader(block))
	var doc yaml.Node
	if err := decodeYAML(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // empty or comments only
		}
		return c.syntaxError(err)
	}
	var extra yaml.Node
	if err := decodeYAML(dec, &extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return c.syntaxError(err)
		}
		return d.errorf(c.lines.file(extra.Line), "", "%w: yaml: front matter holds more than one document; "+
			"remove the ... or --- line that starts the second one", ErrSyntax)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	for root.Kind == yaml.AliasNode && root.Alias != nil && root.Alias != root {
		root = root.Alias
	}
	switch {
	case root.Kind == yaml.MappingNode:
	case root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null":
		return nil // "~" or "null": no keys
	default:
		return d.errorf(c.lines.file(root.Line), "", "%w: yaml: got %s; write key: value pairs",
			ErrNotMapping, yamlKindName(root))
	}
	front, err := c.mapping(root, 0, "", true)
	if err != nil {
		return err
	}
	d.post.Front = front
	return nil
}

// decodeYAML runs dec.Decode, turning a panic in the library into an error
// so that no input can crash the caller.
func decodeYAML(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: parser failed: %v", r)
		}
	}()
	return dec.Decode(n)
}

// yamlConv converts a yaml.Node tree to normalised values.
type yamlConv struct {
	d      *decoder
	lines  *yamlLines
	active map[*yaml.Node]bool // anchors being expanded, to stop cycles
	outer  *yaml.Node          // the outermost alias being expanded, if any
}

// syntaxError translates a yaml.v3 error ("yaml: line 3: ...") to an *Error
// with the file line.
func (c *yamlConv) syntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, text, ok := strings.Cut(rest, ": "); ok {
			if n, convErr := strconv.Atoi(num); convErr == nil {
				line, msg = c.lines.file(n), text
			}
		}
	}
	sentinel := ErrSyntax
	if strings.Contains(msg, "exceeded max depth") {
		sentinel = ErrTooLarge
	}
	return c.d.errorf(line, "", "%w: yaml: %s", sentinel, msg)
}

// fail returns an *Error at node n's line.
func (c *yamlConv) fail(n *yaml.Node, key string, err error) error {
	return &Error{Path: c.d.post.Path, Line: c.lines.file(n.Line), Key: key, Err: err}
}

// value converts n, at nesting depth depth under key path.
func (c *yamlConv) value(n *yaml.Node, depth int, path string) (any, error) {
	if err := c.d.count(depth); err != nil {
		if c.outer != nil { // blame the alias written in the text, not the anchor it expands
			n = c.outer
		}
		return nil, c.fail(n, path, err)
	}
	switch n.Kind {
	case yaml.AliasNode:
		target := n.Alias
		if target == nil {
			return nil, c.fail(n, path, fmt.Errorf("%w: yaml: alias *%s has no anchor", ErrSyntax, n.Value))
		}
		if c.active[target] {
			return nil, c.fail(n, path, fmt.Errorf("%w: yaml: alias *%s refers to a value that contains it",
				ErrSyntax, n.Value))
		}
		if c.outer == nil {
			c.outer = n
			defer func() { c.outer = nil }()
		}
		c.active[target] = true
		v, err := c.value(target, depth, path)
		delete(c.active, target)
		return v, err
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth, path)
	case yaml.MappingNode:
		return c.mapping(n, depth, path, false)
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := c.value(item, depth+1, path)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case yaml.ScalarNode:
		return c.scalar(n, path)
	}
	return nil, c.fail(n, path, fmt.Errorf("%w: yaml: unexpected node kind %d", ErrSyntax, n.Kind))
}

// mapping converts a mapping node. For the top-level mapping (top) it also
// records each key's line in KeyLines.
func (c *yamlConv) mapping(n *yaml.Node, depth int, path string, top bool) (map[string]any, error) {
	m := make(map[string]any, len(n.Content)/2)
	explicit := make(map[string]int, len(n.Content)/2) // key -> file line
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		line := c.lines.file(k.Line)
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			if err := c.merge(m, explicit, v, depth, path, line, top); err != nil {
				return nil, err
			}
			continue
		}
		key, err := c.key(k, path)
		if err != nil {
			return nil, err
		}
		full := joinKey(path, key)
		if first, dup := explicit[key]; dup {
			// YAML forbids this, but Jekyll (Ruby's Psych) keeps the last
			// value, and real sites rely on it: a translated title: after
			// the English one.
			c.d.warnf("line %d: key %q repeats the one on line %d; the value on line %d is used, as Jekyll does; "+
				"remove one of them", line, full, first, line)
		}
		explicit[key] = line
		val, err := c.value(v, depth+1, full)
		if err != nil {
			return nil, err
		}
		m[key] = val
		if top {
			c.d.post.KeyLines[key] = line
		}
	}
	return m, nil
}

// merge applies a YAML merge key (<<: *base or <<: [*a, *b]) to m: merged
// keys never replace keys written in the mapping itself nor earlier merges.
func (c *yamlConv) merge(m map[string]any, explicit map[string]int, v *yaml.Node, depth int, path string, line int, top bool) error {
	sources := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		sources = v.Content
	}
	for _, src := range sources {
		val, err := c.value(src, depth+1, path)
		if err != nil {
			return err
		}
		sub, ok := val.(map[string]any)
		if !ok {
			return c.fail(src, path, fmt.Errorf("%w: yaml: << must be followed by a mapping or a list of mappings", ErrSyntax))
		}
		for key, x := range sub {
			if _, ok := explicit[key]; ok {
				continue
			}
			if _, ok := m[key]; ok {
				continue
			}
			m[key] = x
			if top {
				c.d.post.KeyLines[key] = line
			}
		}
	}
	return nil
}

// key returns the text of a mapping key, which must be a scalar (or an alias
// to one).
func (c *yamlConv) key(k *yaml.Node, path string) (string, error) {
	n := k
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode {
		return "", c.fail(k, path, fmt.Errorf("%w: yaml: a key is a %s; keys must be plain text",
			ErrSyntax, yamlKindName(n)))
	}
	return n.Value, nil
}

// scalar converts a scalar node by its resolved tag.
func (c *yamlConv) scalar(n *yaml.Node, path string) (any, error) {
	var (
		out any
		err error
	)
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		err, out = n.Decode(&b), b
	case "!!int":
		var i int64
		if err = n.Decode(&i); err == nil {
			return i, nil
		}
		var f float64 // beyond int64: yaml.v3 reads it as uint64
		err, out = n.Decode(&f), f
	case "!!float":
		var f float64
		err, out = n.Decode(&f), f
	case "!!timestamp":
		var t time.Time
		err, out = n.Decode(&t), t
	case "!!str":
		if n.Style == 0 { // plain: not quoted, not a block scalar, no explicit tag
			if t, ok := parseLooseTimestamp(n.Value); ok {
				return t, nil
			}
		}
		return n.Value, nil
	case "!!binary":
		var s string
		err, out = n.Decode(&s), s
	default: // custom tags (!foo bar): keep the text
		return n.Value, nil
	}
	if err != nil {
		return nil, c.fail(n, path, fmt.Errorf("%w: yaml: %q is not a valid %s", ErrSyntax, n.Value,
			strings.TrimPrefix(n.ShortTag(), "!!")))
	}
	return out, nil
}

// looseTimestampLayouts are timestamps written by Jekyll and others that
// YAML 1.1 does not resolve ("2013-11-22 05:00:00 +0000": a space before the
// zone, or a zone without a colon).
var looseTimestampLayouts = []string{
	"2006-1-2 15:4:5.999999999 -0700",
	"2006-1-2 15:4:5.999999999 -07:00",
	"2006-1-2T15:4:5.999999999-0700",
	"2006-1-2 15:4:5.999999999-0700",
}

// parseLooseTimestamp parses s if it is in one of looseTimestampLayouts.
func parseLooseTimestamp(s string) (time.Time, bool) {
	if len(s) < len("2006-1-2 1:1:1 -0700") || len(s) > 40 || s[4] != '-' || s[0] < '0' || s[0] > '9' {
		return time.Time{}, false
	}
	for _, layout := range looseTimestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// yamlKindName names a node's kind for messages.
func yamlKindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return fmt.Sprintf("a single value (%s)", strings.TrimPrefix(n.ShortTag(), "!!"))
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing usable"
}

// yamlLines maps yaml.v3's line numbers, which count CR, NEL, LS and PS as
// line breaks too, to file lines, which count only LF.
type yamlLines struct {
	fileLine []int // fileLine[i] is the file line of YAML line i+1
	last     int   // the file line of the closing delimiter
}

// newYAMLLines indexes block, whose first line is file line openLine+1.
func newYAMLLines(block []byte, openLine, closeLine int) *yamlLines {
	l := &yamlLines{fileLine: []int{openLine + 1}, last: closeLine}
	lf := 0
	for i := 0; i < len(block); {
		switch c := block[i]; {
		case c == '\r' && i+1 < len(block) && block[i+1] == '\n':
			i, lf = i+2, lf+1
		case c == '\n':
			i, lf = i+1, lf+1
		case c == '\r':
			i++
		case c == 0xC2 && i+1 < len(block) && block[i+1] == 0x85: // NEL
			i += 2
		case c == 0xE2 && i+2 < len(block) && block[i+1] == 0x80 && (block[i+2] == 0xA8 || block[i+2] == 0xA9): // LS, PS
			i += 3
		default:
			i++
			continue
		}
		l.fileLine = append(l.fileLine, openLine+1+lf)
	}
	return l
}

// file returns the file line of YAML line n (1-based); 0 when n is unknown.
func (l *yamlLines) file(n int) int {
	switch {
	case n < 1:
		return 0
	case n > len(l.fileLine):
		return l.last
	}
	return l.fileLine[n-1]
}
