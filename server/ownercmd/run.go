package ownercmd

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"portfolio/inbox"
	"portfolio/store"
)

// Env is what the commands work on.
type Env struct {
	Store        *store.Store
	Now          func() time.Time // nil: time.Now
	EmailReplies bool             // SMTP is configured: a reply is also emailed (package inbox)
}

func (e Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Run runs one command line and returns its exit status: 0 done, 1 refused or failed (a line
// on stderr says why), 2 a usage mistake.
func Run(ctx context.Context, env Env, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "--help" {
		fmt.Fprint(stdout, help)
		return 0
	}
	if env.Store == nil {
		fmt.Fprintln(stderr, "the database is not open yet (see the server's log); try again in a minute")
		return 1
	}
	switch args[0] {
	case "inbox":
		return inbox.Run(ctx, env.Store, args[1:], stdin, stdout, stderr, inbox.Options{EmailReplies: env.EmailReplies})
	case "now":
		return now(ctx, env, args[1:], stdout, stderr)
	case "stats":
		return statsCmd(ctx, env, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "unknown command %q; try: ssh owner@HOST help\n", store.CleanLine(strings.Join(args, " ")))
	return 2
}

const help = `The owner's commands (ssh owner@HOST COMMAND; without one, on a terminal: the console):
  inbox [--json] [--unread]           the messages, newest first
  inbox show|read|archive|delete|approve ID
  inbox reply ID                      the reply's text on stdin
  now [--json]                        the sessions open now on every machine
  stats [--since 7d] [--json]         visits, humans, sections... from the visit records
`
