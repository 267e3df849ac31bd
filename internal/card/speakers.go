package card

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on speaker strings. A speaker line is a few dozen characters; these
// keep a hostile or broken input from costing more than a short scan.
const (
	maxSpeakerBytes  = 2000 // longer speaker strings are not split at all
	maxSpeakerPeople = 50   // at most this many people are returned
)

// SplitSpeakers splits a speaker string as event posts write it into people.
//
// It understands the shapes cilium.io and sched.com use:
//
//	Hector Monsalve, Roche & Thomas Gosteli, TactumMotum GmbH   one affiliation each
//	Mereta Degutyte & Anubhab Majumdar, Microsoft               a shared affiliation
//	Liz Rice, Isovalent; Andy Allred, EfiCode                   groups separated by ";"
//	Bryce Kahle (Datadog) & Jane Roe (Red Hat)                  affiliations in parentheses
//	A, B and C, Org                                             an enumeration sharing one affiliation
//
// People without an affiliation of their own share the next one in their group
// ("Mereta Degutyte & Anubhab Majumdar, Microsoft" puts both at Microsoft).
// An affiliation naming a role ("Program Committee Co-Chairs", "Cilium
// Maintainer") fills Role; anything else fills Company; "Engineer at Google"
// fills both. A name alone gives one Person with only Name. SplitSpeakers
// returns nil for an empty string or one longer than 2000 bytes, and at most
// 50 people. It does not judge whether the names are plausible.
func SplitSpeakers(s string) []Person {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || len(s) > maxSpeakerBytes || !utf8.ValidString(s) {
		return nil
	}
	s = trimSpeakerPrefix(s)
	var people []Person
	for _, g := range splitTop(s, ";") {
		people = append(people, splitGroup(g)...)
		if len(people) >= maxSpeakerPeople {
			return people[:maxSpeakerPeople]
		}
	}
	if len(people) == 0 {
		return nil
	}
	return people
}

// trimSpeakerPrefix drops a leading label such as "Speakers:" or "by".
func trimSpeakerPrefix(s string) string {
	lower := strings.ToLower(s)
	for _, p := range []string{"speakers:", "speaker:", "presented by ", "by "} {
		if strings.HasPrefix(lower, p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	return s
}

// speakerPart is a run of comma-separated segments between two connectors
// ("&", "and") of one group, and the connector that follows it.
type speakerPart struct {
	segs []string
	conn string // "&", "and" or "" for the last part
}

// splitGroup splits one ";"-free group into people.
func splitGroup(g string) []Person {
	parts := splitParts(g)
	var people []Person
	pending := 0 // people at the end of people still waiting for an affiliation
	add := func(name, aff string) {
		name = cleanName(name)
		if name == "" {
			return
		}
		people = append(people, Person{Name: name})
		if aff == "" {
			pending++
			return
		}
		for i := len(people) - pending - 1; i < len(people); i++ {
			setAffiliation(&people[i], aff)
		}
		pending = 0
	}
	for i, p := range parts {
		if hasParenAffiliation(p.segs) {
			for _, seg := range p.segs {
				add(splitParen(seg))
			}
			continue
		}
		last := i == len(parts)-1
		switch n := len(p.segs); {
		case n == 1:
			add(p.segs[0], "")
		case n == 2 && !last && isEnumeration(p):
			add(p.segs[0], "")
			add(p.segs[1], "")
		case n == 2:
			add(p.segs[0], p.segs[1])
		case n == 3 && isRole(p.segs[1]) != isRole(p.segs[2]):
			// "Name, Role, Company" or "Name, Company, Role".
			add(p.segs[0], p.segs[1]+", "+p.segs[2])
		case !last:
			// "A, B, C & D, Org": an enumeration of names.
			for _, seg := range p.segs {
				add(seg, "")
			}
		default:
			// "A, B, Org": names sharing the last segment.
			for _, seg := range p.segs[:n-2] {
				add(seg, "")
			}
			add(p.segs[n-2], p.segs[n-1])
		}
	}
	return mergeSplitRole(people)
}

// isEnumeration reports whether a two-segment part followed by a connector
// lists two names ("A, B and C, Org") rather than a name and its affiliation
// ("Hector Monsalve, Roche & Thomas Gosteli, ..."). Only "and" enumerates,
// and only when both segments have the same shape: names with the same
// number of capitalised words and no company marker.
func isEnumeration(p speakerPart) bool {
	if p.conn != "and" {
		return false
	}
	a, b := strings.Fields(p.segs[0]), strings.Fields(p.segs[1])
	if len(a) != len(b) || isRole(p.segs[1]) || hasCompanyMarker(p.segs[1]) {
		return false
	}
	for _, w := range b {
		if !startsUpper(w) {
			return false
		}
	}
	return true
}

// splitParts splits a group at "&", "+" and "and" connectors and each part
// at commas, all outside parentheses. A trailing corporate suffix segment
// ("Inc", "GmbH") is joined back onto the segment before it.
func splitParts(g string) []speakerPart {
	var parts []speakerPart
	var segs []string
	depth, start := 0, 0
	flushSeg := func(end int) {
		seg := strings.TrimSpace(g[start:end])
		seg = strings.Trim(seg, ",")
		seg = strings.TrimSpace(seg)
		if seg == "" {
			return
		}
		if len(segs) > 0 && isCorporateSuffix(seg) {
			segs[len(segs)-1] += ", " + seg
			return
		}
		segs = append(segs, seg)
	}
	flushPart := func(conn string) {
		if len(segs) > 0 {
			parts = append(parts, speakerPart{segs: segs, conn: conn})
		} else if len(parts) > 0 && conn != "" {
			parts[len(parts)-1].conn = conn
		}
		segs = nil
	}
	for i := 0; i < len(g); i++ {
		switch c := g[i]; {
		case c == '(' || c == '[':
			depth++
		case (c == ')' || c == ']') && depth > 0:
			depth--
		case depth > 0:
		case c == ',':
			flushSeg(i)
			start = i + 1
		case c == ' ' && i+2 < len(g) && (g[i+1] == '&' || g[i+1] == '+') && g[i+2] == ' ':
			flushSeg(i)
			flushPart("&")
			start = i + 3
			i += 2
		case c == ' ' && strings.HasPrefix(g[i:], " and ") && i > 0:
			flushSeg(i)
			flushPart("and")
			start = i + 5
			i += 4
		}
	}
	flushSeg(len(g))
	flushPart("")
	return parts
}

// splitTop splits s at sep outside parentheses.
func splitTop(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '(':
			depth++
		case s[i] == ')' && depth > 0:
			depth--
		case depth == 0 && strings.HasPrefix(s[i:], sep):
			out = append(out, s[start:i])
			start = i + len(sep)
		}
	}
	return append(out, s[start:])
}

// hasParenAffiliation reports whether a segment reads "Name (Affiliation)".
func hasParenAffiliation(segs []string) bool {
	for _, s := range segs {
		if n, a := splitParen(s); n != "" && a != "" {
			return true
		}
	}
	return false
}

// splitParen splits "Name (Affiliation)" into its two halves; a segment
// without a trailing parenthesis is all name.
func splitParen(s string) (name, aff string) {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ")") {
		return s, ""
	}
	open := strings.LastIndexByte(s, '(')
	if open <= 0 {
		return s, ""
	}
	return strings.TrimSpace(s[:open]), strings.TrimSpace(s[open+1 : len(s)-1])
}

// cleanName trims what surrounds a name in running text: spaces, stray
// separators and markup characters. Dots stay ("Madhu C.S.").
func cleanName(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:&+*_-–—|•·\"'`", r)
	})
}

// setAffiliation files aff under Role, Company or both.
func setAffiliation(p *Person, aff string) {
	aff = strings.Trim(strings.TrimSpace(aff), ",")
	if aff == "" {
		return
	}
	// "Cilium Maintainer, Isovalent" and "Engineer at Google": role then company.
	for _, sep := range []string{", ", " at ", " @ "} {
		if i := strings.Index(aff, sep); i > 0 {
			left, right := strings.TrimSpace(aff[:i]), strings.TrimSpace(aff[i+len(sep):])
			if isRole(left) && !isRole(right) {
				p.Role, p.Company = left, right
				return
			}
			if sep == ", " && isRole(right) && !isRole(left) {
				p.Role, p.Company = right, left
				return
			}
		}
	}
	if isRole(aff) {
		p.Role = aff
		return
	}
	p.Company = aff
}

// roleWords are the words that make an affiliation a role, lower case and
// singular. Whole words only: "Leadership Inc" is not a role.
var roleWords = map[string]bool{
	"advocate": true, "ambassador": true, "analyst": true, "architect": true,
	"author": true, "board": true, "ceo": true, "cfo": true, "chair": true,
	"chairman": true, "chairperson": true, "chairwoman": true, "champion": true,
	"cio": true, "ciso": true, "co-chair": true, "co-founder": true,
	"co-host": true, "cochair": true, "cofounder": true, "cohost": true,
	"committee": true, "consultant": true, "contributor": true, "coo": true,
	"creator": true, "cto": true, "developer": true, "devrel": true,
	"director": true, "editor": true, "emcee": true, "engineer": true,
	"evangelist": true, "fellow": true, "founder": true, "head": true,
	"host": true, "intern": true, "keynote": true, "lead": true,
	"maintainer": true, "manager": true, "member": true, "moderator": true,
	"officer": true, "organiser": true, "organizer": true, "panelist": true,
	"president": true, "professor": true, "researcher": true, "scientist": true,
	"speaker": true, "specialist": true, "student": true, "vp": true,
}

// isRole reports whether an affiliation names a role rather than a company.
func isRole(s string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '-'
	}) {
		if roleWord(w) {
			return true
		}
		for _, piece := range strings.Split(w, "-") {
			if roleWord(piece) {
				return true
			}
		}
	}
	return false
}

// roleWord reports whether one lower-case word, singular or plural, is a role word.
func roleWord(w string) bool {
	if roleWords[w] {
		return true
	}
	return len(w) > 3 && strings.HasSuffix(w, "s") && roleWords[w[:len(w)-1]]
}

// roleQualifiers are single words that sched.com's title shortening leaves
// stranded as a fake company: "Hemanth Malla, Program & Bill Mulligan,
// Co-Chairs" is "Program Co-Chairs" for both.
var roleQualifiers = map[string]bool{
	"program": true, "programme": true, "project": true, "steering": true,
	"technical": true, "track": true, "event": true, "conference": true,
	"organizing": true, "organising": true, "community": true,
}

// mergeSplitRole repairs a role split across a group by sched.com's title
// shortening (see roleQualifiers).
func mergeSplitRole(people []Person) []Person {
	if len(people) < 2 {
		return people
	}
	last := people[len(people)-1]
	if last.Role == "" || last.Company != "" {
		return people
	}
	qual := ""
	for _, p := range people[:len(people)-1] {
		switch {
		case p.Company != "" && roleQualifiers[strings.ToLower(p.Company)] && qual == "":
			qual = p.Company
		case p.Company != "" || p.Role != "":
			return people
		}
	}
	if qual == "" {
		return people
	}
	role := qual + " " + last.Role
	for i := range people {
		people[i].Role, people[i].Company = role, ""
	}
	return people
}

// corporateSuffixes are legal-form words that follow a company name after a
// comma ("ClickHouse, Inc") and so are not people.
var corporateSuffixes = map[string]bool{
	"inc": true, "inc.": true, "llc": true, "ltd": true, "ltd.": true,
	"limited": true, "gmbh": true, "ag": true, "ab": true, "sa": true,
	"s.a.": true, "corp": true, "corp.": true, "co.": true, "plc": true,
	"bv": true, "b.v.": true, "nv": true, "n.v.": true, "pty ltd": true,
	"se": true, "oy": true, "as": true, "asa": true, "kk": true, "srl": true,
	"spa": true, "s.p.a.": true, "sas": true, "sarl": true, "lp": true,
	"llp": true,
}

// isCorporateSuffix reports whether a segment is only a legal form.
func isCorporateSuffix(s string) bool {
	return corporateSuffixes[strings.ToLower(strings.TrimSpace(s))]
}

// hasCompanyMarker reports whether s ends with a legal form or holds a word
// no personal name has (a domain, digits, a lower-case word such as "at").
func hasCompanyMarker(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 {
		return false
	}
	if isCorporateSuffix(words[len(words)-1]) {
		return true
	}
	for _, w := range words {
		if strings.ContainsAny(w, "0123456789@/") || (strings.Contains(w, ".") && len(w) > 3 && !strings.HasSuffix(w, ".")) {
			return true
		}
		if !startsUpper(w) && !nameParticles[w] {
			return true
		}
	}
	return false
}

// startsUpper reports whether w starts with an upper-case letter.
func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// nameParticles are lower-case words that occur inside personal names.
var nameParticles = map[string]bool{
	"al": true, "bin": true, "binti": true, "da": true, "das": true,
	"de": true, "del": true, "della": true, "den": true, "der": true,
	"di": true, "do": true, "dos": true, "du": true, "ibn": true, "la": true,
	"le": true, "st.": true, "ten": true, "ter": true, "van": true,
	"von": true, "y": true, "zu": true,
}

// nameStopWords start titles, not names: "The Story" is not a speaker.
var nameStopWords = map[string]bool{
	"a": true, "about": true, "all": true, "an": true, "and": true,
	"are": true, "building": true, "day": true, "for": true, "from": true,
	"getting": true, "how": true, "in": true, "intro": true,
	"introduction": true, "is": true, "it": true, "lessons": true,
	"my": true, "of": true, "on": true, "our": true, "part": true,
	"the": true, "to": true, "using": true, "what": true, "when": true,
	"where": true, "why": true, "with": true, "your": true, "welcome": true,
	"closing": true, "opening": true, "keynote": true, "panel": true,
	"session": true, "talk": true, "workshop": true, "tutorial": true,
	"q&a": true, "demo": true, "updates": true, "update": true,
	"beyond": true, "new": true, "more": true, "next": true,
}

// plausibleName reports whether s reads as a personal name: one to six
// words, capitalised (name particles aside), no digits or sentence
// punctuation, not starting like a title. A single word is accepted only
// when the person has an affiliation ("Flynn, Buoyant").
func plausibleName(p Person) bool {
	words := strings.Fields(p.Name)
	if len(words) == 0 || len(words) > 6 || utf8.RuneCountInString(p.Name) > 60 {
		return false
	}
	if len(words) == 1 && p.Role == "" && p.Company == "" {
		return false
	}
	if strings.ContainsAny(p.Name, "0123456789:!?\"/\\()[]{}<>=#@|•") {
		return false
	}
	if nameStopWords[strings.ToLower(words[0])] {
		return false
	}
	for i, w := range words {
		if nameParticles[w] && i > 0 {
			continue
		}
		if !startsUpper(w) {
			return false
		}
	}
	return true
}

// plausiblePeople reports whether people, as SplitSpeakers returned them from
// text of unknown meaning, are speakers. strict asks for more evidence than
// the names alone: an affiliation or at least two people, because "Title -
// Getting Started" also splits into one capitalised "name".
func plausiblePeople(people []Person, strict bool) bool {
	if len(people) == 0 || len(people) > 20 {
		return false
	}
	evidence := len(people) >= 2
	for _, p := range people {
		if !plausibleName(p) {
			return false
		}
		for _, aff := range []string{p.Role, p.Company} {
			if utf8.RuneCountInString(aff) > 80 || len(strings.Fields(aff)) > 8 {
				return false
			}
		}
		if p.Role != "" || p.Company != "" {
			evidence = true
		}
	}
	return evidence || !strict
}
