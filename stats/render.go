package stats

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"portfolio/store"
)

// Write prints the summary: plain ASCII, fit for a terminal or a paste.
func (rep *Report) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }

	p("portfolio stats")
	if !rep.First.IsZero() {
		loc := rep.opts.Location
		p(": %s to %s (%s)", rep.First.In(loc).Format("2006-01-02 15:04"),
			rep.Last.In(loc).Format("2006-01-02 15:04"), loc)
	}
	p("\n\n")
	p("Input    %d lines: %d events, %d other log lines, %d bad lines skipped\n",
		rep.Lines, rep.Events, rep.Other, rep.Bad)
	p("Visits   %d", rep.Visits)
	if rep.Unfinished > 0 {
		p(" (and %d started with no end in this log)", rep.Unfinished)
	}
	p("\n")
	p("  humans         %5d %s  interactive, read %s or more\n", rep.Humans, pct(rep.Humans, rep.Visits), short(rep.opts.HumanAfter))
	p("  plain readers  %5d %s  no terminal, asked for a section\n", rep.PlainReaders, pct(rep.PlainReaders, rep.Visits))
	p("  bots/scanners  %5d %s", rep.Bots, pct(rep.Bots, rep.Visits))
	var why []string
	for _, r := range []string{BotRejected, BotNoCommand, BotShort, BotIdle} {
		if n := rep.BotReasons[r]; n > 0 {
			why = append(why, fmt.Sprintf("%d %s", n, r))
		}
	}
	if len(why) > 0 {
		p("  %s", strings.Join(why, ", "))
	}
	p("\n")
	p("Refused  %d rate-limit, %d cap", rep.Rejections["rate-limit"], rep.Rejections["cap"])
	for _, r := range sortedKeys(rep.Rejections) {
		if r != "rate-limit" && r != "cap" {
			p(", %d %s", rep.Rejections[r], r)
		}
	}
	p("; %d handshake failures\n\n", rep.HandshakeFailures)

	if n := len(rep.ReadingTimes); n > 0 {
		p("Reading time (humans)  median %s  p90 %s  longest %s\n\n",
			short(Percentile(rep.ReadingTimes, 50)), short(Percentile(rep.ReadingTimes, 90)),
			short(rep.ReadingTimes[n-1]))
	} else {
		p("Reading time (humans)  no human visits\n\n")
	}

	p("Section views (humans and plain readers)\n")
	if len(rep.SectionViews) == 0 {
		p("  none\n")
	}
	slugW, most := 0, 0
	for _, s := range rep.SectionViews {
		slugW = max(slugW, len(s.Slug))
		most = max(most, s.Views)
	}
	for _, s := range rep.SectionViews {
		bar := s.Views * rep.opts.BarWidth / most
		if bar == 0 && s.Views > 0 {
			bar = 1
		}
		p("  %-*s  %-*s  %4d  %s\n", slugW, s.Slug, rep.opts.BarWidth, strings.Repeat("#", bar), s.Views, short(s.Time))
	}
	p("\n")

	p("Top clients\n")
	if len(rep.Clients) == 0 {
		p("  none\n")
	}
	for i, c := range rep.Clients {
		if i == rep.opts.TopClients {
			p("  %5d  (%d other versions)\n", sumClients(rep.Clients[i:]), len(rep.Clients)-i)
			break
		}
		p("  %5d  %s\n", c.Visits, c.Client)
	}
	p("\n")

	p("Per day       visits  humans   plain    bots\n")
	for _, d := range rep.Days {
		p("  %-10s  %6d  %6d  %6d  %6d\n", d.Day, d.Visits, d.Humans, d.Plain, d.Bots)
	}
	if len(rep.Days) == 0 {
		p("  none\n")
	}
	return bw.Flush()
}

func pct(n, of int) string {
	if of == 0 {
		return "(  0%)"
	}
	return fmt.Sprintf("(%3d%%)", (n*100+of/2)/of)
}

// short prints a duration to the second: 45s, 2m05s, 1h02m.
func short(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	default:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}

func sumClients(cs []ClientCount) int {
	n := 0
	for _, c := range cs {
		n += c.Visits
	}
	return n
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// clean makes a client-supplied value safe for the operator's terminal with store.CleanLine
// (escape sequences whole, control characters, bidi controls), runs of spaces made one, cut
// to max runes. The
// server sanitises too; this is for logs from anywhere.
func clean(s string, max int) string {
	s = strings.Join(strings.Fields(store.CleanLine(s)), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "..."
}
