// Package stats summarises the server's visitor log for `portfolio stats`.
//
// It reads every format the server logs in (PORTFOLIO_LOG_FORMAT): JSON (one
// object per line), logfmt and text (key=value pairs after the time, level and
// message; textlog.go), also when wrapped by Fly.io: `fly logs --json` prints
// one indented object per entry with the server's line in "message", and the
// log shipper / NATS stream prints the same on one line. Plain `fly logs`
// output, whose lines carry a prefix before the server's line, works too. The
// text format's time has no zone and is read as UTC. Lines that are none of
// these are counted and skipped; nothing in the input is fatal.
//
// A visit is one "session end" event. It is a human when it was interactive
// (a PTY) and lasted at least Options.HumanAfter without ending idle and
// untouched; a plain reader when it had no PTY but asked for something
// (`ssh host education`); everything else (refused, no PTY and no command,
// very short, idle with no key pressed) is a bot or scanner.
package stats
