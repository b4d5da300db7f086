// Package inbox is the owner's inbox as commands: list the messages visitors left, show
// one, mark it read, archive, delete, approve it for the guestbook, reply. The same Run
// serves `portfolio inbox ...` on the server's machine and `ssh owner@HOST inbox ...` from
// anywhere, so both speak the same words, flags and exit statuses.
//
// Everything printed that came from a visitor goes through store.Clean again, however it
// was stored: an escape sequence in a message must never reach the owner's terminal as one
// (an OSC 52 would write the clipboard, an OSC 8 disguise a link). --json output is
// cleaned the same way, since JSON leaves C1 controls and bidi overrides as they are.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"portfolio/store"
)

// Options are what the commands need to know about the server's settings.
type Options struct {
	// EmailReplies says SMTP is configured: a reply to a message whose writer left an
	// email address is emailed too.
	EmailReplies bool
	// Location is the time zone times are shown in; nil is UTC.
	Location *time.Location
}

// Usage is the commands' help.
const Usage = `Usage: inbox [--json] [--unread]      the messages, newest first
       inbox show ID [--json]         one message, its notifications and reply
       inbox read|archive|delete ID   mark read, archive, delete
       inbox approve ID               show it in the guestbook (when its writer allowed it)
       inbox reply ID                 reply with the text on standard input
`

// maxReplyBytes bounds what reply reads from standard input: enough for store.MaxText
// runes of any script, so a runaway pipe cannot fill memory.
const maxReplyBytes = 4*store.MaxText + 1

// Run runs one inbox command (args are what follows "inbox") and returns its exit status:
// 0 done, 1 refused, not found or the database unavailable, 2 a usage error.
func Run(ctx context.Context, st *store.Store, args []string, stdin io.Reader, stdout, stderr io.Writer, opts Options) int {
	var asJSON, unread bool
	var words []string
	for _, a := range args {
		switch a {
		case "--json", "-json":
			asJSON = true
		case "--unread", "-unread":
			unread = true
		case "--help", "-help", "-h":
			fmt.Fprint(stdout, Usage)
			return 0
		default:
			if strings.HasPrefix(a, "-") {
				return usage(stderr, "unknown flag %s", a)
			}
			words = append(words, a)
		}
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if len(words) == 0 {
		ms, err := st.Messages(ctx, store.Filter{Unread: unread})
		if err != nil {
			return fail(stderr, err)
		}
		if asJSON {
			return writeJSON(stdout, stderr, toJSONList(ms))
		}
		writeList(stdout, ms, unread, opts.Location)
		return 0
	}
	verb := words[0]
	if len(words) != 2 {
		return usage(stderr, "%s takes one message ID", store.CleanLine(verb))
	}
	id, err := strconv.ParseInt(words[1], 10, 64)
	if err != nil || id <= 0 {
		return usage(stderr, "%q is not a message ID (a number, as the list shows)", store.CleanLine(words[1]))
	}
	switch verb {
	case "show":
		m, err := st.Message(ctx, id)
		if err != nil {
			return fail(stderr, err, id)
		}
		if asJSON {
			return writeJSON(stdout, stderr, toJSON(m))
		}
		writeMessage(stdout, m, opts.Location)
		return 0
	case "read":
		return done(stdout, stderr, st.MarkRead(ctx, id), id, "marked read")
	case "archive":
		return done(stdout, stderr, st.Archive(ctx, id), id, "archived")
	case "delete":
		return done(stdout, stderr, st.Delete(ctx, id), id, "deleted")
	case "approve":
		return done(stdout, stderr, st.Approve(ctx, id), id, "approved: it shows in the guestbook")
	case "reply":
		return reply(ctx, st, id, stdin, stdout, stderr, opts)
	}
	return usage(stderr, "unknown command %q", store.CleanLine(verb))
}

func reply(ctx context.Context, st *store.Store, id int64, stdin io.Reader, stdout, stderr io.Writer, opts Options) int {
	m, err := st.Message(ctx, id)
	if err != nil {
		return fail(stderr, err, id)
	}
	b, err := io.ReadAll(io.LimitReader(stdin, maxReplyBytes))
	if err != nil {
		fmt.Fprintln(stderr, "inbox: reading the reply:", err)
		return 1
	}
	if len(b) == maxReplyBytes {
		// More than any script's MaxText runes; the cut may fall inside a character, which
		// must not be reported as "not UTF-8".
		return fail(stderr, fmt.Errorf("%w: a reply has at most %d characters", store.ErrTooLong, store.MaxText), id)
	}
	if err := st.Reply(ctx, id, string(b), opts.EmailReplies); err != nil {
		return fail(stderr, err, id)
	}
	how := "its writer reads it with their reply code"
	if opts.EmailReplies && store.IsEmail(m.ReplyTo) {
		how += "; it is emailed to " + store.CleanLine(m.ReplyTo)
	}
	fmt.Fprintf(stdout, "message %d: replied (%s)\n", id, how)
	return 0
}

// done reports the outcome of a command that changes one message.
func done(stdout, stderr io.Writer, err error, id int64, what string) int {
	if err != nil {
		return fail(stderr, err, id)
	}
	fmt.Fprintf(stdout, "message %d: %s\n", id, what)
	return 0
}

// fail prints why a command failed and returns its exit status.
func fail(stderr io.Writer, err error, id ...int64) int {
	switch {
	case errors.Is(err, store.ErrNotFound) && len(id) > 0:
		fmt.Fprintf(stderr, "inbox: there is no message %d\n", id[0])
	case errors.Is(err, store.ErrNotAllowed) && len(id) > 0:
		fmt.Fprintf(stderr, "inbox: message %d: its writer did not allow it in the guestbook\n", id[0])
	default:
		fmt.Fprintln(stderr, "inbox:", store.CleanLine(err.Error()))
	}
	return 1
}

func usage(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "inbox: "+format+"\n", args...)
	fmt.Fprint(stderr, Usage)
	return 2
}
