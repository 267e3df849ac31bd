package card

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

const (
	// bylineLines is how many non-empty body lines are searched for a byline.
	bylineLines = 15
	// maxNameRunes and maxNameWords bound what passes for a person's name, so
	// a sentence that starts "By ..." is not taken for one.
	maxNameRunes = 80
	maxNameWords = 8
	// maxPeople caps authors and speakers of one post.
	maxPeople = 50
)

// authors sets Authors from front matter, else the body's byline, else the
// body's <BlogAuthor {...authors.X} /> components.
func (c *converter) authors() error {
	if f, ok := c.lookup("authors", nil); ok {
		people, err := c.people(f)
		if err != nil {
			return err
		}
		if len(people) > 0 {
			c.card.Authors = people
			return nil
		}
	}
	if people := bodyByline(c.p.Body); len(people) > 0 {
		c.card.Authors = c.resolveAll(people)
		return nil
	}
	for _, id := range BlogAuthorIDs(c.p.Body) {
		if p, ok := c.authorByID(id); ok {
			c.card.Authors = appendPeople(c.card.Authors, expandPerson(p)...)
		} else {
			c.warnf("author id %q is not in the author data", id)
		}
	}
	return nil
}

// speakers sets Speakers from front matter, else the union of the sessions'
// speakers.
func (c *converter) speakers() error {
	if f, ok := c.lookup("speakers", nil); ok {
		people, err := c.people(f)
		if err != nil {
			return err
		}
		c.card.Speakers = people
	}
	if f, ok := c.lookup("sessions", nil); ok {
		sessions, err := c.sessionList(f)
		if err != nil {
			return err
		}
		c.card.Sessions = sessions
	} else {
		c.card.Sessions = ParseSessions(c.p.Body)
	}
	if len(c.card.Speakers) == 0 {
		for _, s := range c.card.Sessions {
			c.card.Speakers = appendPeople(c.card.Speakers, s.Speakers...)
		}
	}
	c.photosFromAuthorData(c.card.Speakers)
	for i := range c.card.Sessions {
		c.photosFromAuthorData(c.card.Sessions[i].Speakers)
	}
	return nil
}

// photosFromAuthorData gives people who have no photo the one their
// author data entry names: looked up by id ("hemanthMalla" is not a name,
// so by the person's name as an id first) and then by the entry's name.
func (c *converter) photosFromAuthorData(people []Person) {
	if len(c.authorMap) == 0 {
		return
	}
	for i := range people {
		p := &people[i]
		if p.Avatar != "" {
			continue
		}
		if q, ok := c.authorByID(p.Name); ok && q.Avatar != "" {
			p.Avatar = q.Avatar
			continue
		}
		if q, ok := c.authorByName(p.Name); ok {
			p.Avatar = q.Avatar
		}
	}
}

// authorByName finds the author data entry with a photo whose name is
// name, case-insensitively; the first by id when several are.
func (c *converter) authorByName(name string) (Person, bool) {
	keys := make([]string, 0, len(c.authorMap))
	for k := range c.authorMap {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if q := c.authorMap[k]; q.Avatar != "" && strings.EqualFold(q.Name, name) {
			return q, true
		}
	}
	return Person{}, false
}

// sessionList reads front matter sessions: a list of maps with title (or
// name), url, day, start, end, zone, section (or track) and speakers.
func (c *converter) sessionList(f found) ([]Session, error) {
	list, ok := f.val.([]any)
	if !ok {
		return nil, c.wantErr(f, "a list of sessions")
	}
	var out []Session
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, c.fieldErr(f, fmt.Errorf("want a list of sessions, got a list with %s", typeName(e)))
		}
		keys := sortedKeys(m)
		get := func(names ...string) (string, error) {
			for _, n := range names {
				k, v, ok := matchKey(m, keys, n)
				if !ok || isEmpty(v) {
					continue
				}
				s, ok := scalarText(v)
				if !ok {
					return "", c.fieldErr(f, fmt.Errorf("%s: want a string, got %s", k, typeName(v)))
				}
				return cleanText(s), nil
			}
			return "", nil
		}
		var s Session
		var err error
		for _, field := range []struct {
			dst   *string
			names []string
		}{
			{&s.Title, []string{"title", "name"}},
			{&s.URL, []string{"url", "link"}},
			{&s.Day, []string{"day", "date"}},
			{&s.Start, []string{"start", "time"}},
			{&s.End, []string{"end"}},
			{&s.Zone, []string{"zone", "timezone", "tz"}},
			{&s.Section, []string{"section", "track"}},
		} {
			if *field.dst, err = get(field.names...); err != nil {
				return nil, err
			}
		}
		s.Title, _ = capRunes(s.Title, c.maxTitle)
		if k, v, ok := matchKey(m, keys, "speakers"); ok && !isEmpty(v) {
			sf := found{key: f.key + "." + k, line: f.line, val: v}
			if s.Speakers, err = c.people(sf); err != nil {
				return nil, err
			}
		}
		if s.Title != "" && len(out) < maxPeople {
			out = append(out, s)
		}
	}
	return out, nil
}

// people reads a front matter list of people: a string ("A, B and C"), a
// list of strings or of objects ({name, role, company, avatar}), or one
// object.
func (c *converter) people(f found) ([]Person, error) {
	var out []Person
	add := func(v any) error {
		switch v := v.(type) {
		case nil:
			return nil
		case string:
			if p, ok := c.authorByID(strings.TrimSpace(v)); ok {
				out = appendPeople(out, expandPerson(p)...)
				return nil
			}
			if id := strings.TrimSpace(v); len(c.authorMap) > 0 && f.key != "byline" && !strings.ContainsAny(id, " ,&") {
				// With author data, a one-word author is an id nobody
				// defined: shown as written, and worth a word.
				c.warnf("author id %q is not in the author data", id)
			}
			out = appendPeople(out, c.resolveAll(splitPeople(v))...)
			return nil
		case map[string]any:
			p, err := c.personObject(f, v)
			if err != nil {
				return err
			}
			if p.Name != "" {
				out = appendPeople(out, c.resolve(p))
			}
			return nil
		}
		return c.fieldErr(f, fmt.Errorf("want a name, a list of names or of {name: ...} maps, got %s", describe(v, f.val)))
	}
	switch v := f.val.(type) {
	case []any:
		for _, e := range v {
			if err := add(e); err != nil {
				return nil, err
			}
		}
	default:
		if err := add(v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// describe names v's type, saying "a list with ..." when v is an element of
// the list whole.
func describe(v, whole any) string {
	if _, ok := whole.([]any); ok {
		return "a list with " + typeName(v)
	}
	return typeName(v)
}

// personObject reads {name, role/title, company/org, avatar/image}.
func (c *converter) personObject(f found, m map[string]any) (Person, error) {
	keys := sortedKeys(m)
	get := func(names ...string) (string, error) {
		for _, n := range names {
			k, v, ok := matchKey(m, keys, n)
			if !ok || isEmpty(v) {
				continue
			}
			if s, ok := scalarText(v); ok {
				return cleanText(s), nil
			}
			if mm, ok := v.(map[string]any); ok {
				// image: {src: ...}
				if _, sv, ok := matchKey(mm, sortedKeys(mm), "src"); ok {
					if s, ok := sv.(string); ok {
						return strings.TrimSpace(s), nil
					}
				}
			}
			return "", c.fieldErr(f, fmt.Errorf("%s: want a string, got %s", k, typeName(v)))
		}
		return "", nil
	}
	var p Person
	var err error
	if p.Name, err = get("name", "header", "displayName", "fullName", "id"); err != nil {
		return p, err
	}
	if p.Role, err = get("role", "title", "position", "job"); err != nil {
		return p, err
	}
	if p.Company, err = get("company", "org", "organization", "organisation", "affiliation", "employer"); err != nil {
		return p, err
	}
	if p.Avatar, err = get("avatar", "image", "photo", "picture", "img"); err != nil {
		return p, err
	}
	p.Name, _ = capRunes(p.Name, maxNameRunes)
	return p, nil
}

// authorByID looks id up in Options.Authors, exactly and then
// case-insensitively.
func (c *converter) authorByID(id string) (Person, bool) {
	if len(c.authorMap) == 0 || id == "" {
		return Person{}, false
	}
	if p, ok := c.authorMap[id]; ok {
		return p, true
	}
	keys := make([]string, 0, len(c.authorMap))
	for k := range c.authorMap {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if strings.EqualFold(k, id) {
			return c.authorMap[k], true
		}
	}
	return Person{}, false
}

// resolve replaces a bare name that is an author id by its entry.
func (c *converter) resolve(p Person) Person {
	if p.Role == "" && p.Company == "" && p.Avatar == "" {
		if q, ok := c.authorByID(p.Name); ok && q.Name != "" {
			return q
		}
	}
	return p
}

func (c *converter) resolveAll(people []Person) []Person {
	for i := range people {
		people[i] = c.resolve(people[i])
	}
	return people
}

// expandPerson splits an entry that names several people ("Jed Salazar and
// Joe Stringer") into one Person each, keeping the company.
func expandPerson(p Person) []Person {
	names := splitNames(p.Name)
	if len(names) <= 1 {
		return []Person{p}
	}
	out := make([]Person, 0, len(names))
	for _, n := range names {
		out = append(out, Person{Name: n, Company: p.Company})
	}
	return out
}

// appendPeople appends the people whose names are not yet in list.
func appendPeople(list []Person, people ...Person) []Person {
	for _, p := range people {
		if p.Name == "" || len(list) >= maxPeople {
			continue
		}
		if slices.ContainsFunc(list, func(q Person) bool { return strings.EqualFold(q.Name, p.Name) }) {
			continue
		}
		list = append(list, p)
	}
	return list
}

// splitPeople reads a front matter list of names: "A, B and C", "A & B",
// "A (Org),\nB (Org)". A parenthesised suffix is the company.
func splitPeople(s string) []Person {
	var out []Person
	for _, n := range splitNames(cleanText(s)) {
		out = append(out, nameAndParen(n))
	}
	return out
}

// nameAndParen splits "Jay Vyas (Tesla)" into name and company.
func nameAndParen(s string) Person {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i > 0 {
			name := strings.TrimSpace(s[:i])
			org := strings.TrimSpace(s[i+1 : len(s)-1])
			if name != "" && org != "" {
				return Person{Name: name, Company: org}
			}
		}
	}
	return Person{Name: s}
}

// splitNames splits a list of names on commas, semicolons, "and", "&",
// "和" and "、", dropping empty parts; commas inside parentheses do not
// split.
func splitNames(s string) []string {
	parts := splitTopLevelFunc(s, func(r rune) bool { return strings.ContainsRune(",;、，&和", r) })
	var out []string
	for _, p := range parts {
		for _, q := range splitAnd(p) {
			q = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(q), "."))
			if q != "" {
				out = append(out, q)
			}
		}
	}
	return out
}

// splitAnd splits on the word "and" (also a leading "and " left by
// "A, B, and C").
func splitAnd(s string) []string {
	words := strings.Fields(s)
	var out []string
	var cur []string
	for _, w := range words {
		if strings.EqualFold(w, "and") {
			if len(cur) > 0 {
				out = append(out, strings.Join(cur, " "))
			}
			cur = nil
			continue
		}
		cur = append(cur, w)
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, " "))
	}
	return out
}

// bodyByline finds a byline in the first non-empty lines of a body:
// "**_Author: Name, Org_**", "_Authors: A and B, Org_", "##### Author: …",
// "*Author: A, B and C*", "By: …", "_Authors: A, B @Org_". It returns nil
// when there is none.
func bodyByline(body []byte) []Person {
	n := 0
	for len(body) > 0 && n < bylineLines {
		var line []byte
		line, body, _ = bytes.Cut(body, []byte("\n"))
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if bytes.HasPrefix(line, []byte("```")) || bytes.HasPrefix(line, []byte("~~~")) {
			return nil
		}
		if bytes.HasPrefix(line, []byte("import ")) || bytes.HasPrefix(line, []byte("export ")) {
			continue // MDX
		}
		n++
		if people := bylineLine(string(line)); len(people) > 0 {
			return people
		}
	}
	return nil
}

// bylineLine reads one line as a byline, or returns nil.
func bylineLine(line string) []Person {
	if len(line) > 400 {
		return nil
	}
	marked := strings.IndexAny(line[:1], "*_#>") == 0
	line = strings.TrimLeft(line, "#> \t")
	text := cleanText(line)
	// Emphasis markers cleanText could not pair (a stray "_") go too.
	text = strings.TrimSpace(strings.Trim(text, "*_ "))
	lower := strings.ToLower(text)
	var rest string
	plural := false
	switch {
	case hasPrefixFold(lower, "authors:"):
		rest, plural = text[len("authors:"):], true
	case hasPrefixFold(lower, "author:"):
		rest = text[len("author:"):]
	case hasPrefixFold(lower, "written by:"):
		rest = text[len("written by:"):]
	case hasPrefixFold(lower, "by:"):
		rest = text[len("by:"):]
	case marked && hasPrefixFold(lower, "written by "):
		rest = text[len("written by "):]
	case marked && hasPrefixFold(lower, "by "):
		rest = text[len("by "):]
	default:
		return nil
	}
	return parseByline(strings.TrimSpace(rest), plural)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// parseByline reads the names part of a byline. "Name, Org" gives a name
// and a company when it names one person (singular "Author:", or names
// joined by "and"/"&" before the comma); "A, B and C" gives three names;
// "Role @ Org" and "Role at Org" after a name give both; "A, B @Org" gives
// everyone the company Org.
func parseByline(s string, plural bool) []Person {
	s = strings.TrimRight(s, ".")
	if s == "" {
		return nil
	}
	var company, role string
	// "A, B @Org": the company of all.
	if i := strings.LastIndex(s, " @"); i > 0 && i+2 < len(s) && s[i+2] != ' ' {
		company = strings.TrimSpace(s[i+2:])
		s = strings.TrimSpace(s[:i])
	}
	parts := splitTopLevel(s, ',')
	var names []string
	if company == "" && len(parts) >= 2 {
		last := parts[len(parts)-1]
		lastHasAnd := hasAnd(last)
		firstHasAnd := hasAnd(strings.Join(parts[:len(parts)-1], ","))
		switch {
		case lastHasAnd:
			// "A, B and C", "A, B, and C": names only.
		case firstHasAnd || !plural:
			// "A and B, Org", "Name, Org", "Name, Role, Org", "Name, Role @ Org".
			affil := strings.TrimSpace(strings.Join(parts[1:], ","))
			if firstHasAnd {
				affil = strings.TrimSpace(last)
				parts = parts[:len(parts)-1]
			} else {
				parts = parts[:1]
			}
			role, company = splitAffiliation(affil)
		}
	}
	for _, p := range parts {
		names = append(names, splitNames(p)...)
	}
	var out []Person
	for _, n := range names {
		p := nameAndParen(n)
		if !bylineNameOK(p.Name) {
			return nil
		}
		if company != "" && p.Company == "" {
			p.Company = company
		}
		if role != "" && len(names) == 1 {
			p.Role = role
		}
		out = appendPeople(out, p)
	}
	return out
}

// splitAffiliation splits "DevOps Engineer @ Hetzner Cloud" or "Platform
// Lead at RVU (Uswitch)" into role and company; anything else is a company
// ("Isovalent", "Isovalent@Cisco"). "Role, Org" gives both too.
func splitAffiliation(s string) (role, company string) {
	for _, sep := range []string{" @ ", " at "} {
		if i := strings.LastIndex(s, sep); i > 0 {
			return strings.TrimSpace(strings.TrimRight(s[:i], ",")), strings.TrimSpace(s[i+len(sep):])
		}
	}
	if parts := splitTopLevel(s, ','); len(parts) >= 2 {
		return strings.TrimSpace(strings.Join(parts[:len(parts)-1], ",")), strings.TrimSpace(parts[len(parts)-1])
	}
	return "", s
}

// splitTopLevel splits s on sep outside parentheses.
func splitTopLevel(s string, sep rune) []string {
	return splitTopLevelFunc(s, func(r rune) bool { return r == sep })
}

// splitTopLevelFunc splits s at the runes isSep accepts, outside
// parentheses: "A (X, Y), B" splits once.
func splitTopLevelFunc(s string, isSep func(rune) bool) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')':
			if depth > 0 {
				depth--
			}
		case depth == 0 && isSep(r):
			parts = append(parts, s[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	return append(parts, s[start:])
}

func hasAnd(s string) bool {
	if strings.ContainsAny(s, "&和") {
		return true
	}
	for _, w := range strings.Fields(s) {
		if strings.EqualFold(w, "and") {
			return true
		}
	}
	return false
}

// bylineNameOK rejects what is clearly not a name: empty, long, or many
// words (a sentence).
func bylineNameOK(s string) bool {
	return s != "" && utf8.RuneCountInString(s) <= maxNameRunes && len(strings.Fields(s)) <= maxNameWords
}

// BlogAuthorIDs returns the ids X of the <BlogAuthor {...authors.X} />
// components in a body, in order, without repeats.
func BlogAuthorIDs(body []byte) []string {
	var ids []string
	rest := body
	for {
		i := bytes.Index(rest, []byte("<BlogAuthor"))
		if i < 0 {
			return ids
		}
		rest = rest[i+len("<BlogAuthor"):]
		end := bytes.IndexByte(rest, '>')
		if end < 0 {
			end = len(rest)
		}
		tag := rest[:end]
		j := bytes.Index(tag, []byte("...authors."))
		if j < 0 {
			continue
		}
		id := tag[j+len("...authors."):]
		k := 0
		for k < len(id) && isIdentByte(id[k]) {
			k++
		}
		if k > 0 && !slices.Contains(ids, string(id[:k])) {
			ids = append(ids, string(id[:k]))
		}
	}
}

func isIdentByte(b byte) bool {
	return b == '_' || b == '$' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
