package main

import (
	"strings"
	"testing"
)

func TestSignRefusesLongURLs(t *testing.T) {
	t.Setenv(keysEnv, "test-key-0123456789abcdef")
	code, out, errOut := runCLI(t, "", "sign", "--title", "Short", "--summary", "A first post")
	if code != exitOK || !strings.HasPrefix(out, "/render.png?") {
		t.Fatalf("sign = exit %d, %q (stderr %q); want 0 and a URL", code, out, errOut)
	}
	long := strings.Repeat("word ", 1000) // 5,000 bytes, 6,000 escaped
	code, out, errOut = runCLI(t, "", "sign", "--title", "Short", "--summary", long)
	if code != exitUsage {
		t.Errorf("sign with a %d-byte summary = exit %d, want %d", len(long), code, exitUsage)
	}
	if out != "" {
		t.Errorf("sign printed %q; want no URL", out)
	}
	for _, want := range []string{"at most 4096", "summary (", "ogcard build"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
}
