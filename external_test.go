package ogcard

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// externalMain is a program of another module: it can import only the
// public package (Go refuses internal packages across modules). It renders
// the reference post, mounts the handler under a prefix of its own mux,
// fetches the card over loopback and checks it is the same PNG.
const externalMain = `package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/ogcard/ogcard"
)

func main() {
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(checkout string) error {
	r, err := ogcard.New(nil)
	if err != nil {
		return err
	}
	c, err := r.ReadPostFile(checkout + "/testdata/posts/cilium-at-kubecon-eu-2026.md")
	if err != nil {
		return err
	}
	img, err := r.Render(context.Background(), c, "og")
	if err != nil {
		return err
	}
	h, err := r.NewHandler(ogcard.HandlerOptions{Content: checkout + "/testdata/posts", Poll: -1})
	if err != nil {
		return err
	}
	defer h.Close()
	mux := http.NewServeMux()
	mux.Handle("/social/", http.StripPrefix("/social", h))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go http.Serve(ln, mux)
	resp, err := http.Get("http://" + ln.Addr().String() + "/social/og" + c.URLPath + ".png")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	fmt.Printf("status %d %s, %s, same as Render: %v\n", resp.StatusCode, resp.Header.Get("Content-Type"), c.Title, bytes.Equal(body, img.PNG))
	return nil
}
`

// TestExternalModule builds a program in a module of its own, which
// requires this one through a replace directive, and runs it: the public
// package is enough to render a post and serve its card under a prefix.
func TestExternalModule(t *testing.T) {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		t.Fatalf("no go command at %s: %v", goBin, err)
	}
	checkout, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := "module example.com/site\n\ngo 1.26.0\n\nrequire github.com/ogcard/ogcard v0.0.0\n\nreplace github.com/ogcard/ogcard => " + checkout + "\n"
	for name, data := range map[string]string{
		"go.mod":  gomod,
		"go.sum":  string(readFile(t, "go.sum")), // the module's own deps, already in the module cache
		"main.go": externalMain,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(goBin, "run", ".", checkout)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run in an external module: %v\n%s", err, out)
	}
	want := "status 200 image/png, Cilium at KubeCon + CloudNativeCon and CiliumCon Europe 2026, same as Render: true"
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("external program printed\n%s\nwant\n%s", got, want)
	}
}
