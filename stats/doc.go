// Package stats summarises the server's visitor log for `portfolio stats`.
//
// It reads the JSON log the server writes (charm.land/log JSON, one object
// per line), also when wrapped by Fly.io: `fly logs --json` prints one
// indented object per entry with the server's line in "message", and the
// log shipper / NATS stream prints the same on one line. Plain `fly logs`
// output, whose lines carry a prefix before the JSON, works too. Lines that
// are none of these are counted and skipped; nothing in the input is fatal.
//
// A visit is one "session end" event. It is a human when it was interactive
// (a PTY) and lasted at least Options.HumanAfter without ending idle and
// untouched; a plain reader when it had no PTY but asked for something
// (`ssh host education`); everything else (refused, no PTY and no command,
// very short, idle with no key pressed) is a bot or scanner.
package stats
