package ownercmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"portfolio/stats"
	"portfolio/store"
)

// Report reads the visit records since (zero: all the database keeps) and summarises them
// as `portfolio stats` does a log. `portfolio stats --database` uses it too.
func Report(ctx context.Context, st *store.Store, since time.Time, opts stats.Options) (*stats.Report, error) {
	vs, err := st.Visits(ctx, since)
	if err != nil {
		return nil, err
	}
	return stats.FromVisits(vs, opts), nil
}

func statsCmd(ctx context.Context, env Env, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "one JSON object: visits, humans, plain, bots, sections, clients, days...")
	sinceFlag := fs.String("since", "", "only visits from this long ago: 7d, 30d, 12h; empty: all kept")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: stats [--since 7d] [--json]")
		return 2
	}
	var since time.Time
	if *sinceFlag != "" {
		d, err := stats.ParseSince(*sinceFlag)
		if err != nil {
			fmt.Fprintln(stderr, "stats:", err)
			return 2
		}
		since = env.now().Add(-d)
	}
	rep, err := Report(ctx, env.Store, since, stats.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "stats: the database is unavailable:", store.CleanLine(err.Error()))
		return 1
	}
	if *asJSON {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.Write(stdout)
	}
	if err != nil {
		return 1
	}
	return 0
}
