package ownercmd

import (
	"context"
	"fmt"
	"io"
)

// runInbox waits for package inbox (D): TEMPORARY.
func runInbox(_ context.Context, _ Env, _ []string, _ io.Reader, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "inbox: not yet")
	return 1
}
