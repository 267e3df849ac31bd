package card

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitSpeakers(t *testing.T) {
	co := func(name, company string) Person { return Person{Name: name, Company: company} }
	role := func(name, r string) Person { return Person{Name: name, Role: r} }
	name := func(n string) Person { return Person{Name: n} }
	tests := []struct {
		name string
		in   string
		want []Person
	}{
		// The shapes the brief names.
		{"two people two companies", "Hector Monsalve, Roche & Thomas Gosteli, TactumMotum GmbH",
			[]Person{co("Hector Monsalve", "Roche"), co("Thomas Gosteli", "TactumMotum GmbH")}},
		{"two people one company", "Mereta Degutyte & Anubhab Majumdar, Microsoft",
			[]Person{co("Mereta Degutyte", "Microsoft"), co("Anubhab Majumdar", "Microsoft")}},
		{"shared role", "Hemanth Malla & Mahé Tardy, Program Committee Co-Chairs",
			[]Person{role("Hemanth Malla", "Program Committee Co-Chairs"), role("Mahé Tardy", "Program Committee Co-Chairs")}},
		{"role", "Bill Mulligan, Cilium Maintainer", []Person{role("Bill Mulligan", "Cilium Maintainer")}},
		{"company with at", "Bill Mulligan, Isovalent at Cisco", []Person{co("Bill Mulligan", "Isovalent at Cisco")}},
		{"hyphenated name", "Arthur Outhenin-Chalandre, Ledger & Quentin Swiech, S3NS",
			[]Person{co("Arthur Outhenin-Chalandre", "Ledger"), co("Quentin Swiech", "S3NS")}},
		{"three-word name", "Mikael Johansson Länsberg, Etraveli Group AB",
			[]Person{co("Mikael Johansson Länsberg", "Etraveli Group AB")}},
		{"enumeration", "A, B and C, Org", []Person{co("A", "Org"), co("B", "Org"), co("C", "Org")}},
		{"semicolon groups", "A, Org; B, Org2", []Person{co("A", "Org"), co("B", "Org2")}},
		{"parentheses", "A (Org) & B (Org2)", []Person{co("A", "Org"), co("B", "Org2")}},
		{"names only", "A and B", []Person{name("A"), name("B")}},
		{"single name", "Liz Rice", []Person{name("Liz Rice")}},
		{"empty", "", nil},
		{"blank", "  \t ", nil},

		// Real rows from /work/shared/corpus/cilium (link texts and speaker lines).
		{"corpus ebpf summit", "Tabitha Sable and Laurent Bernaille (Datadog)",
			[]Person{co("Tabitha Sable", "Datadog"), co("Laurent Bernaille", "Datadog")}},
		{"corpus ebpf summit single", "Bryce Kahle (Datadog)", []Person{co("Bryce Kahle", "Datadog")}},
		{"corpus two-word company", "Brandon Cook (Adobe Systems)", []Person{co("Brandon Cook", "Adobe Systems")}},
		{"corpus initials", "Lu Zhang & Madhu C.S., Robinhood Markets",
			[]Person{co("Lu Zhang", "Robinhood Markets"), co("Madhu C.S.", "Robinhood Markets")}},
		{"corpus three groups", "Liz Rice, Isovalent; Andy Allred, EfiCode; Richard Hartmann, Grafana Labs",
			[]Person{co("Liz Rice", "Isovalent"), co("Andy Allred", "EfiCode"), co("Richard Hartmann", "Grafana Labs")}},
		{"corpus five groups", "Keith Mattix, Microsoft; John Howard, Google; Lin Sun, solo.io; Thomas Graf, Isovalent; Flynn, Buoyant",
			[]Person{co("Keith Mattix", "Microsoft"), co("John Howard", "Google"), co("Lin Sun", "solo.io"), co("Thomas Graf", "Isovalent"), co("Flynn", "Buoyant")}},
		{"corpus groups with shared", "James McShane, SuperOrbital; Hemanth Malla, Datadog; Liz Rice & Thomas Graf, Isovalent",
			[]Person{co("James McShane", "SuperOrbital"), co("Hemanth Malla", "Datadog"), co("Liz Rice", "Isovalent"), co("Thomas Graf", "Isovalent")}},
		{"corpus legal suffix after comma", "Timur Solodovnikov, ClickHouse, Inc",
			[]Person{co("Timur Solodovnikov", "ClickHouse, Inc")}},
		{"corpus particle", "Raymond de Jong & Anna Kapuścińska, Isovalent",
			[]Person{co("Raymond de Jong", "Isovalent"), co("Anna Kapuścińska", "Isovalent")}},
		{"corpus university", "Constanze Roedig, Technische Universität Wien & James Callaghan, ControlPlane",
			[]Person{co("Constanze Roedig", "Technische Universität Wien"), co("James Callaghan", "ControlPlane")}},
		{"corpus lower-case company", "Liz Rice & Maartje Eyskens, Isovalent; Nico Meisenzahl, white duck; Vlad Ungureanu, Palantir Technologies",
			[]Person{co("Liz Rice", "Isovalent"), co("Maartje Eyskens", "Isovalent"), co("Nico Meisenzahl", "white duck"), co("Vlad Ungureanu", "Palantir Technologies")}},
		{"corpus at-sign company", "Bill Mulligan & Paul Arah, Isovalent @ Cisco; Neha Aggarwal, Microsoft; Satish Krishnan, UBS",
			[]Person{co("Bill Mulligan", "Isovalent @ Cisco"), co("Paul Arah", "Isovalent @ Cisco"), co("Neha Aggarwal", "Microsoft"), co("Satish Krishnan", "UBS")}},
		{"corpus sched shortened role", "Hemanth Malla, Program & Bill Mulligan, Co-Chairs",
			[]Person{role("Hemanth Malla", "Program Co-Chairs"), role("Bill Mulligan", "Program Co-Chairs")}},
		{"corpus no comma", "Joseph Sandoval & Tony Gosselin Adobe",
			[]Person{name("Joseph Sandoval"), name("Tony Gosselin Adobe")}},
		{"corpus of in company", "Cory Sherman, University of Wisconsin & Ryan Etten, Red Hat",
			[]Person{co("Cory Sherman", "University of Wisconsin"), co("Ryan Etten", "Red Hat")}},
		{"corpus non-ascii names", "James Elías Sigurðarson & Vignir Hafsteinsson, Asana",
			[]Person{co("James Elías Sigurðarson", "Asana"), co("Vignir Hafsteinsson", "Asana")}},
		{"corpus dotted company", "Gyu Tae Bae, Kakao Corp.", []Person{co("Gyu Tae Bae", "Kakao Corp.")}},
		{"corpus pair", "Josh Halley, Cisco & Ricardo Aravena, CNCF",
			[]Person{co("Josh Halley", "Cisco"), co("Ricardo Aravena", "CNCF")}},
		{"corpus names only", "Jef Spaleta & Justin Garrison", []Person{name("Jef Spaleta"), name("Justin Garrison")}},
		{"corpus legal form SA", "Angelo Conforti, Corner Banca SA", []Person{co("Angelo Conforti", "Corner Banca SA")}},

		// Other shapes.
		{"role at company", "Jane Roe, Software Engineer at Google",
			[]Person{{Name: "Jane Roe", Role: "Software Engineer", Company: "Google"}}},
		{"name role company", "Jane Roe, Maintainer, Isovalent",
			[]Person{{Name: "Jane Roe", Role: "Maintainer", Company: "Isovalent"}}},
		{"oxford enumeration", "Ann Lee, Bob Roe, and Cy Doe, Acme",
			[]Person{co("Ann Lee", "Acme"), co("Bob Roe", "Acme"), co("Cy Doe", "Acme")}},
		{"enumeration before ampersand", "Ann Lee, Bob Roe, Cy Doe & Di Poe, Acme",
			[]Person{co("Ann Lee", "Acme"), co("Bob Roe", "Acme"), co("Cy Doe", "Acme"), co("Di Poe", "Acme")}},
		{"speakers label", "Speakers: Ann Lee & Bob Roe, Acme", []Person{co("Ann Lee", "Acme"), co("Bob Roe", "Acme")}},
		{"only separators", " & , ; ", nil},
		{"unbalanced parenthesis", "Ann (Acme & Bob", []Person{name("Ann (Acme & Bob")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitSpeakers(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SplitSpeakers(%q) =\n %+v\nwant\n %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitSpeakersLimits(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantMax int
	}{
		{"too long", strings.Repeat("Ann Lee, Acme; ", 200), 0},
		{"many people", strings.Repeat("Ann Lee; ", 100), maxSpeakerPeople},
		{"invalid utf-8", "Ann \xff Lee, Acme", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitSpeakers(tt.in); len(got) > tt.wantMax {
				t.Errorf("SplitSpeakers(%.40q...) = %d people, want at most %d", tt.in, len(got), tt.wantMax)
			}
		})
	}
}

func TestPlausiblePeople(t *testing.T) {
	tests := []struct {
		in     string
		strict bool
		want   bool
	}{
		{"Liz Rice, Isovalent", true, true},
		{"Liz Rice & Thomas Graf", true, true},
		{"Liz Rice", true, false},
		{"Liz Rice", false, true},
		{"Flynn, Buoyant", true, true},
		{"Flynn", false, false},
		{"Getting Started", true, false},
		{"The Story, Part 2", true, false},
		{"eBPF: Unlocking the Kernel", true, false},
		{"Welcome, Vision and Updates", true, false},
		{"learn how a new flow aggregation feature reduces costs", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := plausiblePeople(SplitSpeakers(tt.in), tt.strict); got != tt.want {
				t.Errorf("plausiblePeople(SplitSpeakers(%q), %v) = %v, want %v", tt.in, tt.strict, got, tt.want)
			}
		})
	}
}

func FuzzSplitSpeakers(f *testing.F) {
	for _, seed := range []string{
		"Hector Monsalve, Roche & Thomas Gosteli, TactumMotum GmbH",
		"Hemanth Malla, Program & Bill Mulligan, Co-Chairs",
		"A, B and C, Org; D (Org2) & E, Engineer at F",
		"Timur Solodovnikov, ClickHouse, Inc",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SplitSpeakers(s)
		if len(got) > maxSpeakerPeople {
			t.Fatalf("SplitSpeakers(%q) = %d people, want at most %d", s, len(got), maxSpeakerPeople)
		}
		for _, p := range got {
			if strings.TrimSpace(p.Name) == "" || p.Name != strings.TrimSpace(p.Name) {
				t.Errorf("SplitSpeakers(%q): bad name %q", s, p.Name)
			}
		}
	})
}
