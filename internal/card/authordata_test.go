package card

// The corpus test resolves cilium.io's <BlogAuthor {...authors.X} /> ids with
// the author entries of its src/utils/author-data.js. No command reads such a
// file, so this tolerant scanner lives with the tests, not in the package.

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// parseAuthorDataJS reads a JavaScript module of author entries, as cilium.io
// keeps them in src/utils/author-data.js:
//
//	export default {
//	  thomasGraf: { header: 'Thomas Graf', bio: `...` },
//	}
//
// Every `key: { ... }` object with a header or name string becomes a Person
// (header or name; role or title; company or org; avatar, image or photo),
// with HTML tags and entities removed. It is a tolerant scanner, not a
// JavaScript parser: other code is skipped. It returns the entries found
// and an error for an unterminated string or comment.
func parseAuthorDataJS(src []byte) (map[string]Person, error) {
	type frame struct {
		key    string
		fields map[string]string
	}
	out := map[string]Person{}
	sc := jsScanner{src: src, line: 1}
	var stack []*frame
	var prev, prev2 jsToken // the two tokens before the current one
	var valueKey string     // key whose string value is being read (for +)
	for {
		tok, err := sc.next()
		if err != nil {
			return out, fmt.Errorf("author data: line %d: %w", sc.line, err)
		}
		if tok.kind == jsEOF {
			return out, nil
		}
		isKey := prev.kind == jsPunct && prev.text == ":" && (prev2.kind == jsIdent || prev2.kind == jsString)
		switch {
		case tok.kind == jsPunct && tok.text == "{":
			f := &frame{fields: map[string]string{}}
			if isKey {
				f.key = prev2.text
			}
			stack = append(stack, f)
			valueKey = ""
		case tok.kind == jsPunct && tok.text == "}":
			if n := len(stack); n > 0 {
				f := stack[n-1]
				stack = stack[:n-1]
				if p := personFromFields(f.fields); f.key != "" && p.Name != "" {
					out[f.key] = p
				}
			}
			valueKey = ""
		case tok.kind == jsString && len(stack) > 0:
			top := stack[len(stack)-1]
			switch {
			case isKey:
				valueKey = prev2.text
				top.fields[valueKey] = tok.text
			case prev.kind == jsPunct && prev.text == "+" && valueKey != "":
				top.fields[valueKey] += tok.text
			}
		case tok.kind == jsPunct && tok.text == "+":
		default:
			if !(tok.kind == jsPunct && tok.text == ":") {
				valueKey = ""
			}
		}
		prev2, prev = prev, tok
	}
}

// personFromFields maps an author entry's fields onto a Person.
func personFromFields(fields map[string]string) Person {
	get := func(names ...string) string {
		for _, n := range names {
			if v, ok := fields[n]; ok && strings.TrimSpace(v) != "" {
				return v
			}
		}
		return ""
	}
	name, _ := capRunes(cleanText(get("header", "name")), maxNameRunes)
	return Person{
		Name:    name,
		Role:    cleanText(get("role", "title")),
		Company: cleanText(get("company", "org", "organization")),
		Avatar:  strings.TrimSpace(get("avatar", "image", "photo")),
	}
}

type jsKind int

const (
	jsEOF jsKind = iota
	jsIdent
	jsString
	jsPunct
)

type jsToken struct {
	kind jsKind
	text string // identifier, string contents (escapes resolved simply), punctuation
}

// jsScanner splits JavaScript source into identifiers, strings and single
// punctuation characters, skipping white space and comments.
type jsScanner struct {
	src  []byte
	pos  int
	line int
}

func (s *jsScanner) next() (jsToken, error) {
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '\n':
			s.line++
			s.pos++
		case c == ' ' || c == '\t' || c == '\r':
			s.pos++
		case c == '/' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '/':
			for s.pos < len(s.src) && s.src[s.pos] != '\n' {
				s.pos++
			}
		case c == '/' && s.pos+1 < len(s.src) && s.src[s.pos+1] == '*':
			end := bytes.Index(s.src[s.pos+2:], []byte("*/"))
			if end < 0 {
				return jsToken{}, fmt.Errorf("unterminated comment")
			}
			s.line += bytes.Count(s.src[s.pos:s.pos+2+end], []byte("\n"))
			s.pos += end + 4
		case c == '\'' || c == '"' || c == '`':
			return s.str(c)
		case isIdentByte(c) || c >= utf8.RuneSelf:
			start := s.pos
			for s.pos < len(s.src) && (isIdentByte(s.src[s.pos]) || s.src[s.pos] >= utf8.RuneSelf) {
				s.pos++
			}
			return jsToken{kind: jsIdent, text: string(s.src[start:s.pos])}, nil
		default:
			s.pos++
			return jsToken{kind: jsPunct, text: string(c)}, nil
		}
	}
	return jsToken{kind: jsEOF}, nil
}

// str reads a string literal opened by quote; template literals may span
// lines, and their ${...} parts are kept as written.
func (s *jsScanner) str(quote byte) (jsToken, error) {
	startLine := s.line
	s.pos++
	var b strings.Builder
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == quote:
			s.pos++
			return jsToken{kind: jsString, text: b.String()}, nil
		case c == '\\' && s.pos+1 < len(s.src):
			e := s.src[s.pos+1]
			s.pos += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '\n':
				s.line++
			default:
				b.WriteByte(e)
			}
		case c == '\n':
			if quote != '`' {
				s.line = startLine
				return jsToken{}, fmt.Errorf("unterminated string")
			}
			s.line++
			b.WriteByte(c)
			s.pos++
		default:
			b.WriteByte(c)
			s.pos++
		}
	}
	s.line = startLine
	return jsToken{}, fmt.Errorf("unterminated string")
}
