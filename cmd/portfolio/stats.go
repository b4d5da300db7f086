package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"portfolio/stats"
)

// runStats is `portfolio stats [FILE]`: a summary of a visitor log in any of the server's
// formats (JSON, logfmt, text; the server's own lines, `fly logs --json`, or plain
// `fly logs`), read from FILE or, without one (or with "-"), from stdin. Bad lines are counted and skipped; only an unreadable input fails.
func runStats(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("portfolio stats", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // one line for an error, below; --help prints the usage itself
	var opts stats.Options
	fs.DurationVar(&opts.HumanAfter, "human-after", 5*time.Second, "an interactive session this long or longer counts as a human reading")
	fs.IntVar(&opts.TopClients, "top", 5, "client versions to list")
	tz := fs.String("tz", "UTC", "time zone of the per-day table, like Europe/Amsterdam or Local")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "Usage: portfolio stats [flags] [FILE]   (stdin when no FILE, or FILE is -)")
			fmt.Fprintln(stdout, "\nSummarises a visitor log (JSON, logfmt or text): visits, humans vs bots, reading time, sections, clients, per day.")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "portfolio stats: %v\nrun portfolio stats --help for its flags\n", err)
		return 2
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		fmt.Fprintf(stderr, "portfolio stats: --tz %q: %v\n", *tz, err)
		return 2
	}
	opts.Location = loc
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
	if err := stats.Run(in, stdout, opts); err != nil {
		fmt.Fprintln(stderr, "portfolio stats:", err)
		return 1
	}
	return 0
}
