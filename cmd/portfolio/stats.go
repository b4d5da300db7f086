package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"portfolio/server/ownercmd"
	"portfolio/stats"
)

// runStats is `portfolio stats [FILE]`: a summary of a visitor log in any of the server's
// formats (JSON, logfmt, text; the server's own lines, `fly logs --json`, or plain
// `fly logs`), read from FILE or, without one (or with "-"), from stdin. Bad lines are counted and skipped; only an unreadable input fails.
//
// `portfolio stats --database [URL] [--since 7d]` reports the same from the database's
// visit records (URL, else PORTFOLIO_DATABASE): every machine's visits, as
// `ssh owner@HOST stats` does. --json prints the summary as one object, from either.
func runStats(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("portfolio stats", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // one line for an error, below; --help prints the usage itself
	var opts stats.Options
	fs.DurationVar(&opts.HumanAfter, "human-after", 5*time.Second, "an interactive session this long or longer counts as a human reading")
	fs.IntVar(&opts.TopClients, "top", 5, "client versions to list")
	tz := fs.String("tz", "UTC", "time zone of the per-day table, like Europe/Amsterdam or Local")
	asJSON := fs.Bool("json", false, "print the summary as one JSON object")
	var db databaseFlag
	fs.Var(&db, "database", "read the database's visit records instead of a log: `--database` (PORTFOLIO_DATABASE) or --database URL")
	sinceFlag := fs.String("since", "", "with --database: only visits from this long ago, like 7d or 12h")
	parse := func(args []string) (code int, ok bool) {
		err := fs.Parse(args)
		switch {
		case err == nil:
			return 0, true
		case errors.Is(err, flag.ErrHelp):
			fmt.Fprintln(stdout, "Usage: portfolio stats [flags] [FILE]   (stdin when no FILE, or FILE is -)")
			fmt.Fprintln(stdout, "       portfolio stats --database [URL] [--since 7d] [flags]")
			fmt.Fprintln(stdout, "\nSummarises a visitor log (JSON, logfmt or text): visits, humans vs bots, reading time, sections, clients, per day.")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0, false
		}
		fmt.Fprintf(stderr, "portfolio stats: %v\nrun portfolio stats --help for its flags\n", err)
		return 2, false
	}
	if code, ok := parse(args); !ok {
		return code
	}
	rest := fs.Args()
	if db.set && len(rest) > 1 {
		// `--database URL --since 7d`: the URL stopped the parse; the flags after it count too.
		url := rest[0]
		if code, ok := parse(rest[1:]); !ok {
			return code
		}
		rest = append([]string{url}, fs.Args()...)
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		fmt.Fprintf(stderr, "portfolio stats: --tz %q: %v\n", *tz, err)
		return 2
	}
	opts.Location = loc
	if db.set {
		return databaseStats(ctx, db, rest, *sinceFlag, *asJSON, lookupEnv, opts, stdout, stderr)
	}
	if *sinceFlag != "" {
		fmt.Fprintln(stderr, "portfolio stats: --since needs --database (a log is read whole)")
		return 2
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "portfolio stats: one log file at most, got %d (see --help)\n", fs.NArg())
		return 2
	}
	in := stdin
	if name := fs.Arg(0); name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(stderr, "portfolio stats:", err)
			return 1
		}
		defer f.Close()
		in = f
	}
	rep, err := stats.Analyze(in, opts)
	if err == nil {
		err = writeReport(rep, *asJSON, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "portfolio stats:", err)
		return 1
	}
	return 0
}

func writeReport(rep *stats.Report, asJSON bool, w io.Writer) error {
	if asJSON {
		return rep.WriteJSON(w)
	}
	return rep.Write(w)
}

// databaseFlag is --database with its URL optional: `--database` alone (PORTFOLIO_DATABASE),
// `--database=URL`, or `--database URL` (the one argument left after the flags).
type databaseFlag struct {
	set bool
	url string
}

func (d *databaseFlag) String() string   { return d.url }
func (d *databaseFlag) IsBoolFlag() bool { return true }
func (d *databaseFlag) Set(v string) error {
	d.set = true
	if v != "true" {
		d.url = v
	}
	return nil
}

// databaseStats reports from the visit records, as `ssh owner@HOST stats` does.
func databaseStats(ctx context.Context, db databaseFlag, rest []string, since string, asJSON bool,
	lookupEnv func(string) (string, bool), opts stats.Options, stdout, stderr io.Writer) int {
	switch {
	case len(rest) > 1:
		fmt.Fprintf(stderr, "portfolio stats: one database URL at most, got %d (see --help)\n", len(rest))
		return 2
	case len(rest) == 1 && db.url != "":
		fmt.Fprintln(stderr, "portfolio stats: a database URL and a log file: one or the other")
		return 2
	case len(rest) == 1:
		db.url = rest[0]
	case db.url == "":
		db.url, _ = lookupEnv("PORTFOLIO_DATABASE")
	}
	var from time.Time
	if since != "" {
		d, err := stats.ParseSince(since)
		if err != nil {
			fmt.Fprintln(stderr, "portfolio stats:", err)
			return 2
		}
		from = time.Now().Add(-d)
	}
	st, err := openExisting(ctx, db.url)
	if err != nil {
		fmt.Fprintln(stderr, "portfolio stats:", err)
		return 1
	}
	defer st.Close()
	rep, err := ownercmd.Report(ctx, st, from, opts)
	if err == nil {
		err = writeReport(rep, asJSON, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "portfolio stats:", err)
		return 1
	}
	return 0
}
