package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSignNewKey: --new-key writes a random key at the top of the file,
// mode 0600, keeping the keys already there; sign then signs with it.
func TestSignNewKey(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys.txt")
	for range 2 {
		if code, _, errOut := runCLI(t, "", "sign", "--new-key", keys); code != exitOK {
			t.Fatalf("sign --new-key = exit %d: %s", code, errOut)
		}
	}
	data, err := os.ReadFile(keys)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 2 || lines[0] == lines[1] {
		t.Fatalf("keys file = %q, want two different keys", data)
	}
	for _, l := range lines {
		if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(l) {
			t.Errorf("key %q is not 32 random bytes in hex", l)
		}
	}
	if st, err := os.Stat(keys); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("keys file mode = %v, %v; want 0600", st.Mode(), err)
	}
	code, out, errOut := runCLI(t, "", "sign", "--keys", keys, "--title", "Hello")
	if code != exitOK || !strings.Contains(out, "/render.png?") {
		t.Errorf("sign with the new keys = exit %d, %q, %s", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "", "sign", "--new-key", keys, "--title", "x"); code != exitUsage {
		t.Errorf("--new-key with a title = exit %d, want %d", code, exitUsage)
	}
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("short\n"), 0o600)
	if code, _, _ := runCLI(t, "", "sign", "--new-key", bad); code != exitUsage {
		t.Errorf("--new-key over a file with a bad key = exit %d, want %d", code, exitUsage)
	}
}
