package console

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"portfolio/stats"
)

// visitsData is the summaries of today, 7 and 30 days, as last loaded.
type visitsData struct {
	reps    [len(periods)]*stats.Report
	refused [len(periods)]map[string]int
	err     error
	loaded  bool
	period  int // the period the sections, clients and refusals are shown for
}

// visitsLines is the counts of the three periods side by side, then, for the chosen period,
// time and views per section as bars, the top clients and the refusals by reason.
func (m *Model) visitsLines() []string {
	switch {
	case m.visits.err != nil:
		return m.failed("visits", m.visits.err)
	case !m.visits.loaded:
		return []string{m.th.Muted.Render("Loading…")}
	}
	reps := m.visits.reps
	w := m.textWidth()
	const labelW = 12
	numW := min(9, (w-labelW)/len(periods))
	header := m.cell("", labelW)
	for i, p := range periods {
		name := p.name
		if i == m.visits.period {
			name = m.th.Underlined(m.th.Heading.Render(name))
		} else {
			name = m.th.Muted.Render(name)
		}
		header += m.right(name, numW)
	}
	lines := []string{header}
	row := func(label string, value func(r *stats.Report) string) {
		l := m.th.Muted.Render(m.cell(label, labelW))
		for _, r := range reps {
			l += m.right(value(r), numW)
		}
		lines = append(lines, l)
	}
	count := func(f func(r *stats.Report) int) func(r *stats.Report) string {
		return func(r *stats.Report) string { return strconv.Itoa(f(r)) }
	}
	row("visits", count(func(r *stats.Report) int { return r.Visits }))
	row("humans", count(func(r *stats.Report) int { return r.Humans }))
	row("plain", count(func(r *stats.Report) int { return r.PlainReaders }))
	row("bots", count(func(r *stats.Report) int { return r.Bots }))
	row("median read", func(r *stats.Report) string {
		if len(r.ReadingTimes) == 0 {
			return "-"
		}
		return since(stats.Percentile(r.ReadingTimes, 50))
	})

	rep := reps[m.visits.period]
	period := " " + m.th.Muted.Render(periods[m.visits.period].name)
	lines = append(lines, "", m.th.Heading.Render("Sections")+period)
	if len(rep.SectionViews) == 0 {
		lines = append(lines, m.th.Muted.Render("no section read"))
	}
	lines = append(lines, m.sectionBars(rep.SectionViews, w)...)

	lines = append(lines, "", m.th.Heading.Render("Clients")+period)
	if len(rep.Clients) == 0 {
		lines = append(lines, m.th.Muted.Render("no visits"))
	}
	for i, c := range rep.Clients {
		if i == topClients {
			break
		}
		lines = append(lines, m.right(strconv.Itoa(c.Visits), 5)+"  "+oneLine(c.Client))
	}

	lines = append(lines, "", m.th.Heading.Render("Refused")+period)
	// By the limit that refused them (the log's "cap" says only that one did).
	refused := m.visits.refused[m.visits.period]
	for _, reason := range slices.Sorted(maps.Keys(refused)) {
		label := strings.ReplaceAll(oneLine(reason), "_", " ")
		if label == "" {
			label = "unknown"
		}
		lines = append(lines, m.right(strconv.Itoa(refused[reason]), 5)+"  "+label)
	}
	if len(refused) == 0 {
		lines = append(lines, m.th.Muted.Render("none"))
	}
	return lines
}

// topClients is how many client versions the Visits screen lists: the rest is a long tail
// of scanners.
const topClients = 5

// sectionBars draws each section's reading time as a bar, with its views and time: time is
// what the bars compare, since a view that lasted a second says little.
func (m *Model) sectionBars(secs []stats.SectionCount, w int) []string {
	var longest time.Duration
	slugW := 4
	for _, s := range secs {
		longest = max(longest, s.Time)
		slugW = max(slugW, len(oneLine(s.Slug)))
	}
	slugW = min(slugW, 20)
	const numbersW = 2 + 6 + 2 + 9 // time, views and their gaps
	barW := max(1, w-slugW-2-numbersW)
	var lines []string
	for _, s := range secs {
		n := 0
		if longest > 0 {
			n = int(int64(barW) * int64(s.Time) / int64(longest))
		}
		if s.Time > 0 {
			n = max(1, n)
		}
		bar := m.th.Bar.Render(strings.Repeat(m.th.BarGlyph, n)) + strings.Repeat(" ", barW-n)
		views := m.cut(plural(s.Views, "view", "views"), 9)
		lines = append(lines, m.cell(oneLine(s.Slug), slugW)+"  "+bar+"  "+
			m.right(since(s.Time), 6)+"  "+m.th.Muted.Render(views))
	}
	return lines
}

// right aligns s (plain or styled) to the right of w columns.
func (m *Model) right(s string, w int) string {
	s = m.cut(s, w)
	return strings.Repeat(" ", max(0, w-ansi.StringWidth(s))) + s
}
