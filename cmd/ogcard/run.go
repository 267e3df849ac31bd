package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/ogcard/ogcard"
)

// Exit codes, the same for every command.
const (
	exitOK    = 0
	exitFail  = 1 // a post (or a card) could not be made
	exitUsage = 2 // bad flags or arguments, bad configuration
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) int
}

// env is what a command may touch: streams, so tests can run commands in
// process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// built, when set, is given each build's report (build --watch uses
	// it to ignore the files the build wrote).
	built func(*ogcard.BuildReport)
}

func commands() []command {
	return []command{
		{"render", "render the card of one post", runRender},
		{"build", "render the cards of every post of a site, incrementally", runBuild},
		{"lint", "check cards for cut text, low contrast, platform crops and limits", runLint},
		{"meta", "print the <meta> tags of a post's cards", runMeta},
		{"inspect", "print the fields a template sees for a post, as JSON", runInspect},
		{"templates", "list the built-in templates, or print one", runTemplates},
		{"init", "write a starter ogcard.yaml and a template to edit", runInit},
		{"serve", "serve cards over HTTP, rendered on demand", runServe},
		{"sign", "print a signed URL for an ad-hoc card", runSign},
		{"version", "print ogcard's version", runVersion},
	}
}

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			for _, c := range commands() {
				if c.name == args[1] {
					return c.run(ctx, e, []string{"--help"})
				}
			}
		}
		if len(args) == 0 {
			usage(stderr) // not asked for: an error
			return exitUsage
		}
		usage(stdout)
		return exitOK
	}
	if args[0] == "--version" || args[0] == "-version" {
		return runVersion(ctx, e, args[1:])
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "ogcard: unknown command %q\nRun 'ogcard help' for the list of commands.\n", args[0])
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "ogcard turns blog posts into branded social images.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: ogcard COMMAND [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Example:")
	fmt.Fprintln(w, "  ogcard render content/posts/hello.md -o hello.png")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'ogcard COMMAND --help' for a command's flags.")
}

// newFlags makes a FlagSet for a command. Its errors go to stderr; --help
// prints synopsis, example and flags to stdout (see parseFlags).
func newFlags(e *env, name, synopsis, example string) *flag.FlagSet {
	fs := flag.NewFlagSet("ogcard "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {} // parseFlags prints help itself, once, to stdout
	helpText[fs] = func(w io.Writer) {
		fmt.Fprintf(w, "Usage: ogcard %s\n\n", synopsis)
		fmt.Fprintf(w, "Example:\n  %s\n\nFlags:\n", example)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
	}
	return fs
}

// helpText holds each FlagSet's help printer. Commands run one at a time
// per process, so a plain map is enough.
var helpText = map[*flag.FlagSet]func(io.Writer){}

// parseFlags parses args, allowing flags after positional arguments
// (`ogcard render post.md -o x.png`), and returns the positionals. done is
// true when the command should return code at once (help shown, or a flag
// error already reported).
func parseFlags(e *env, fs *flag.FlagSet, args []string) (pos []string, code int, done bool) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				helpText[fs](e.stdout)
				return nil, exitOK, true
			}
			fmt.Fprintf(e.stderr, "Run '%s --help' for usage and an example.\n", fs.Name())
			return nil, exitUsage, true
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
	return rest, 0, false
}
