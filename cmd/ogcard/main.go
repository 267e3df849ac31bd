// Command ogcard turns blog posts into branded social images: Open Graph
// cards and square, portrait and landscape "snackables".
//
//	ogcard render POST.md -o card.png
//	ogcard inspect POST.md
//
// Run `ogcard help` for every command.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	os.Exit(runWithSignals(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, run))
}

// stopGrace is how long, in nanoseconds, a command may take to stop after
// the first SIGINT or SIGTERM before the process exits anyway. Commands
// with a longer shutdown of their own (serve's --grace) raise it.
var stopGrace atomic.Int64

func init() { stopGrace.Store(int64(10 * time.Second)) }

// raiseStopGrace makes the process wait at least d for a command to stop.
func raiseStopGrace(d time.Duration) {
	for {
		old := stopGrace.Load()
		if int64(d) <= old || stopGrace.CompareAndSwap(old, int64(d)) {
			return
		}
	}
}

// runWithSignals runs fn and returns its exit code, unless signals come
// first. The first SIGINT or SIGTERM cancels fn's context: builds stop
// handing out work, the server shuts down gracefully, and fn's own code is
// returned. A second signal, or stopGrace passing without fn returning (a
// read of standard input, say, is not cancellable), returns at once with
// the shell's code for the signal: 130 for SIGINT, 143 for SIGTERM. The
// caller exits the process then, ending whatever fn was still doing.
func runWithSignals(args []string, stdin io.Reader, stdout, stderr io.Writer,
	fn func(context.Context, []string, io.Reader, io.Writer, io.Writer) int) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if signalsReady != nil {
		signalsReady(stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- fn(ctx, args, stdin, stdout, stderr) }()
	var first os.Signal
	select {
	case code := <-done:
		return code
	case first = <-sigs:
	}
	cancel()
	grace := time.Duration(stopGrace.Load())
	fmt.Fprintf(stderr, "ogcard: %s: stopping (up to %v); send it again to quit at once\n", first, grace)
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case code := <-done:
		return code
	case s := <-sigs:
		fmt.Fprintf(stderr, "ogcard: %s again: quitting now\n", s)
		return signalCode(s)
	case <-timer.C:
		fmt.Fprintf(stderr, "ogcard: not stopped %v after %s: quitting now\n", grace, first)
		return signalCode(first)
	}
}

// signalsReady, when set (by tests that signal a child process), is
// called once the handlers are installed.
var signalsReady func(stderr io.Writer)

// signalCode is the exit code a shell gives a process ended by s.
func signalCode(s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return 130
}
