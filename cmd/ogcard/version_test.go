package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "4ef8997a1b2c3d4e5f60718293a4b5c6d7e8f901"}, {Key: "vcs.time", Value: "2026-11-30T00:41:27Z"}, {Key: "vcs.modified", Value: "true"}}
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"go install @version", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, true, "v1.2.0"},
		{"pseudo-version", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261130004127-4ef8997a1b2c+dirty"}, Settings: vcs}, true, "v0.0.0-20261130004127-4ef8997a1b2c+dirty"},
		{"devel with vcs", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs}, true, "devel 4ef8997a1b2c 2026-11-30T00:41:27Z (modified)"},
		{"devel without vcs", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "dev"},
		{"no build info", nil, false, "dev"},
	} {
		if got := fromBuildInfo(tc.bi, tc.ok); got != tc.want {
			t.Errorf("%s: fromBuildInfo = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestVersionCommand checks that `ogcard version` and `ogcard --version`
// print the same line, from the build info of the test binary (go test
// stamps no module version, so it must not be left empty).
func TestVersionCommand(t *testing.T) {
	var outs []string
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, nil, &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errb.String())
		}
		outs = append(outs, out.String())
	}
	want := "ogcard " + versionString() + "\n"
	for i, o := range outs {
		if o != want || strings.TrimSpace(strings.TrimPrefix(o, "ogcard")) == "" {
			t.Errorf("output %d = %q, want %q", i, o, want)
		}
	}
}

// TestServeHelpListsURLs checks that `serve --help` names every route the
// server answers.
func TestServeHelpListsURLs(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"serve", "--help"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d, %q", code, errb.String())
	}
	for _, u := range []string{"GET /og/{url path}.png", "GET /og/{template}/{url path}.png", "-session-02.png", "GET /render.png", "GET /healthz", "GET /metrics", "GET /  "} {
		if !strings.Contains(out.String(), u) {
			t.Errorf("serve --help lacks %q:\n%s", u, out.String())
		}
	}
}

// TestRenderFormatFromName checks that -o card.jpg writes JPEG (with
// --quality), .png writes PNG, and any other name is a usage error (2)
// that writes nothing.
func TestRenderFormatFromName(t *testing.T) {
	dir := t.TempDir()
	sizes := map[string]int{}
	for _, tc := range []struct {
		out     string
		quality string
		code    int
		magic   string
	}{
		{"card.png", "", exitOK, "\x89PNG"},
		{"card.jpg", "", exitOK, "\xff\xd8\xff"},
		{"low.JPEG", "40", exitOK, "\xff\xd8\xff"},
		{"card.webp", "", exitUsage, ""},
		{"card.gif", "", exitUsage, ""},
		{"card", "", exitUsage, ""},
		{"q.png", "80", exitUsage, ""},
		{"q.jpg", "0x", exitUsage, ""},
		{"q.jpg", "101", exitUsage, ""},
	} {
		dest := filepath.Join(dir, tc.out)
		args := []string{"render", refPost, "-o", dest}
		if tc.quality != "" {
			args = append(args, "--quality", tc.quality)
		}
		code, _, errOut := runCLI(t, "", args...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d; stderr %q", args[2:], code, tc.code, errOut)
			continue
		}
		data, err := os.ReadFile(dest)
		if tc.code != exitOK {
			if err == nil {
				t.Errorf("%v: refused, yet %s was written", args[2:], tc.out)
			}
			continue
		}
		if !strings.HasPrefix(string(data), tc.magic) {
			t.Errorf("%v: file starts %q, want %q", args[2:], data[:4], tc.magic)
		}
		sizes[tc.out] = len(data)
	}
	if sizes["low.JPEG"] >= sizes["card.jpg"] {
		t.Errorf("--quality 40 gave %d bytes, the default %d: quality ignored", sizes["low.JPEG"], sizes["card.jpg"])
	}
}
