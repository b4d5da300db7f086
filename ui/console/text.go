package console

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"portfolio/store"
)

// safe is the one way text from a visitor (names, messages, client versions, TERM, section
// slugs) or from the database reaches the screen: store.Clean removes every control
// character, escape sequence and bidi control and decodes nothing; tabs become spaces.
func safe(s string) string {
	return strings.ReplaceAll(store.Clean(s), "\t", " ")
}

// oneLine is safe text on one line: line breaks become spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(safe(s)), " ")
}

// firstLine is the first non-empty line of safe text. Only that line is cleaned, and at
// most firstLineBytes of it: the inbox list shows a line per message on every frame, and
// cleaning whole messages cost 40 ms a frame with 500 of them (BenchmarkInboxView).
func firstLine(s string) string {
	for l := range strings.Lines(s) {
		if len(l) > firstLineBytes {
			l = l[:firstLineBytes] // a rune cut here is made safe by Clean
		}
		if l = strings.TrimSpace(safe(l)); l != "" {
			return l
		}
	}
	return ""
}

// firstLineBytes is more than the widest column a first line is shown in (the inbox's 60)
// holds in any script.
const firstLineBytes = 4 * 80

// cut truncates s (plain or styled) to w columns with the theme's ellipsis.
func (m *Model) cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, m.th.Ellipsis)
}

// cell is s cut to w columns and padded to exactly w.
func (m *Model) cell(s string, w int) string {
	s = m.cut(s, w)
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// wrap breaks safe text into lines of at most w columns, keeping its line breaks.
func wrap(s string, w int) []string {
	return strings.Split(ansi.Wrap(s, max(1, w), ""), "\n")
}

// since says how long ago or for how long, compactly: 45s, 3m05s, 2h10m, 3d4h.
func since(d time.Duration) string {
	d = max(0, d).Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}

// when is a time as the owner reads it on a list: the time of day today, else the date.
func when(t, now time.Time) string {
	t = t.In(now.Location())
	if midnight(t).Equal(midnight(now)) {
		return t.Format("15:04")
	}
	if t.Year() == now.Year() {
		return t.Format("Jan 02")
	}
	return t.Format("2006-01-02")
}

// plural is "1 message", "2 messages".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// column is one column of a table: its header, its width bounds and how to draw a row's
// cell. Columns are dropped from the end when the width does not hold them.
type column struct {
	title    string
	min, max int
	cell     func(row int) string
}

// table lays rows out in columns for w columns: every column gets at least its min, the
// space left is shared evenly up to each column's content (at most its max); columns that
// do not fit are left out, last first. The header row is muted. Every row sizes the
// columns, so they keep their widths while the list scrolls; only rows from..to-1 are laid
// out, after the header.
func (m *Model) table(cols []column, rows, w, from, to int) []string {
	const gap = 2
	for len(cols) > 1 {
		need := 0
		for _, c := range cols {
			need += c.min + gap
		}
		if need-gap <= w {
			break
		}
		cols = cols[:len(cols)-1]
	}
	widths := make([]int, len(cols))
	used := -gap
	for i, c := range cols {
		widths[i] = c.min
		used += c.min + gap
	}
	// Every cell is drawn once: its width sizes its column, and it is laid out below.
	cells := make([][]string, rows)
	for r := range cells {
		cells[r] = make([]string, len(cols))
		for i, c := range cols {
			cells[r][i] = c.cell(r)
		}
	}
	wants := make([]int, len(cols))
	for i, c := range cols {
		wants[i] = ansi.StringWidth(c.title)
		for r := range rows {
			wants[i] = max(wants[i], ansi.StringWidth(cells[r][i]))
		}
		wants[i] = min(wants[i], c.max)
	}
	// The space left goes a column at a time to every column still short of its content,
	// so one wide column cannot starve the others.
	for grew := true; grew && used < w; {
		grew = false
		for i := range cols {
			if used < w && widths[i] < wants[i] {
				widths[i]++
				used++
				grew = true
			}
		}
	}
	line := func(cell func(i int) string) string {
		var b strings.Builder
		for i := range cols {
			if i > 0 {
				b.WriteString("  ")
			}
			if i == len(cols)-1 {
				b.WriteString(m.cut(cell(i), widths[i]))
			} else {
				b.WriteString(m.cell(cell(i), widths[i]))
			}
		}
		return strings.TrimRight(b.String(), " ")
	}
	out := []string{m.th.Muted.Render(line(func(i int) string { return cols[i].title }))}
	for r := max(0, from); r < min(to, rows); r++ {
		out = append(out, line(func(i int) string { return cells[r][i] }))
	}
	return out
}
