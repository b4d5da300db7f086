package ownercmd

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"portfolio/server/fleet"
	"portfolio/store"
)

// Session is one open session as `now --json` prints it.
type Session struct {
	Machine string    `json:"machine"`
	Session string    `json:"session"`
	Addr    string    `json:"addr"`
	Client  string    `json:"client"`
	Term    string    `json:"term"`
	Width   int       `json:"width"`
	Height  int       `json:"height"`
	Section string    `json:"section"`
	Started time.Time `json:"started"`
	Seconds int64     `json:"seconds"` // open this long
}

func now(ctx context.Context, env Env, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("now", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "an array of objects, one per open session")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: now [--json]")
		return 2
	}
	t := env.now()
	ps, err := env.Store.Present(ctx, t.Add(-fleet.PresentWithin))
	if err != nil {
		fmt.Fprintln(stderr, "now: the database is unavailable:", store.CleanLine(err.Error()))
		return 1
	}
	out := make([]Session, 0, len(ps))
	for _, p := range ps {
		out = append(out, Session{
			Machine: store.CleanLine(p.Machine), Session: store.CleanLine(p.Session),
			Addr: store.CleanLine(p.Addr), Client: store.CleanLine(p.Client), Term: store.CleanLine(p.Term),
			Width: p.Width, Height: p.Height, Section: store.CleanLine(p.Section),
			Started: p.Started.UTC(), Seconds: int64(t.Sub(p.Started).Seconds()),
		})
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
		return 0
	}
	if len(out) == 0 {
		fmt.Fprintln(stdout, "Nobody is reading right now.")
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FOR\tADDR\tCLIENT\tTERM\tSIZE\tSECTION\tMACHINE")
	for _, s := range out {
		section := s.Section
		if section == "" {
			section = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%dx%d\t%s\t%s\n", (time.Duration(s.Seconds) * time.Second).String(),
			s.Addr, s.Client, s.Term, s.Width, s.Height, section, s.Machine)
	}
	_ = tw.Flush()
	return 0
}
