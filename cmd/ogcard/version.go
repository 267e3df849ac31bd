package main

import (
	"runtime/debug"
	"strings"
)

// versionString is what `ogcard version` and `ogcard --version` print.
func versionString() string {
	if version != "dev" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	return fromBuildInfo(bi, ok)
}

// fromBuildInfo reads a version from build info: the module's version
// (`go install github.com/ogcard/ogcard/cmd/ogcard@v1.2.0` gives v1.2.0; a
// build in a git checkout gives a pseudo-version such as
// v0.0.0-20261130004127-4ef8997a1b2c+dirty), else the VCS revision, else
// "dev".
func fromBuildInfo(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi == nil {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified, at string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		case "vcs.time":
			at = s.Value
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	var b strings.Builder
	b.WriteString("devel " + rev)
	if at != "" {
		b.WriteString(" " + at)
	}
	if modified == "true" {
		b.WriteString(" (modified)")
	}
	return b.String()
}
