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
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first signal cancels the context: builds stop handing out
		// work and the server shuts down gracefully. Restoring the default
		// handling then lets a second Ctrl-C end the process at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
