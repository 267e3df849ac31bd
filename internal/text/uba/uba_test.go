package uba

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/bidi"
)

// bidiCharacterPasses is how many single-paragraph cases of Unicode 15.0.0's
// BidiCharacterTest.txt (Debian unicode-data 15.0.0-1, gzipped in testdata)
// pass: paragraph level, every resolved level and the visual order all
// equal: all 91,707 when this test was written. It must not fall.
const bidiCharacterPasses = 91707

// removedByX9 are the classes whose level the test file leaves open ("x")
// and which it leaves out of the visual order.
func removedByX9(r rune) bool {
	p, _ := bidi.LookupRune(r)
	switch p.Class() {
	case bidi.LRE, bidi.RLE, bidi.LRO, bidi.RLO, bidi.PDF, bidi.BN:
		return true
	}
	return false
}

func TestBidiCharacterConformance(t *testing.T) {
	f, err := os.Open("testdata/BidiCharacterTest.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("testdata/BidiCharacterTest.txt.gz: %v", err)
	}
	sc := bufio.NewScanner(zr)
	total, pass, skipped := 0, 0, 0
	var failures []string
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Split(line, ";")
		if len(fs) != 5 {
			t.Fatalf("BidiCharacterTest.txt:%d: %d fields, want 5", n, len(fs))
		}
		var rs []rune
		for _, h := range strings.Fields(fs[0]) {
			v, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				t.Fatalf("BidiCharacterTest.txt:%d: %v", n, err)
			}
			rs = append(rs, rune(v))
		}
		multi := false
		for _, r := range rs[:len(rs)-1] {
			if p, _ := bidi.LookupRune(r); p.Class() == bidi.B {
				multi = true
			}
		}
		if multi {
			skipped++
			continue
		}
		dir := map[string]Direction{"0": LTR, "1": RTL, "2": Auto}[fs[1]]
		levels, para := Levels(rs, dir)
		var gotLevels []string
		var kept []int8
		var keptIdx []int
		for i, l := range levels {
			if removedByX9(rs[i]) {
				gotLevels = append(gotLevels, "x")
				continue
			}
			gotLevels = append(gotLevels, strconv.Itoa(int(l)))
			kept = append(kept, l)
			keptIdx = append(keptIdx, i)
		}
		var gotOrder []string
		for _, o := range VisualOrder(kept) {
			gotOrder = append(gotOrder, strconv.Itoa(keptIdx[o]))
		}
		total++
		ok := strconv.Itoa(int(para)) == fs[2] &&
			slices.Equal(gotLevels, strings.Fields(fs[3])) &&
			slices.Equal(gotOrder, strings.Fields(fs[4]))
		if ok {
			pass++
		} else if len(failures) < 5 {
			failures = append(failures, fmt.Sprintf("line %d: %s: got level %d levels %v order %v", n, line, para, gotLevels, gotOrder))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("BidiCharacterTest.txt: %d of %d single-paragraph cases pass (%.2f%%); %d multi-paragraph cases skipped",
		pass, total, 100*float64(pass)/float64(total), skipped)
	for _, f := range failures {
		t.Logf("fails: %s", f)
	}
	if total < 90000 {
		t.Errorf("only %d cases read", total)
	}
	if pass < bidiCharacterPasses {
		t.Errorf("%d cases pass, fewer than the %d measured", pass, bidiCharacterPasses)
	}
}

// TestNestedLevels: a right-to-left word with a number inside a
// left-to-right line keeps its number to the left of it, and the whole
// group stays where it is in the line.
func TestNestedLevels(t *testing.T) {
	rs := []rune("and مرحبا 2026 ok")
	levels, para := Levels(rs, Auto)
	if para != 0 {
		t.Fatalf("paragraph level %d, want 0", para)
	}
	order := VisualOrder(levels)
	var vis []rune
	for _, o := range order {
		vis = append(vis, rs[o])
	}
	want := "and 2026 ابحرم ok"
	if string(vis) != want {
		t.Errorf("visual order %q, want %q (levels %v)", string(vis), want, levels)
	}
}
