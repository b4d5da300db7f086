package console

import (
	"strconv"
	"strings"

	"portfolio/stats"
	"portfolio/store"
)

// homeData is what the first screen shows besides the readers (nowData has those).
type homeData struct {
	counts       store.Counts
	countsErr    error
	countsLoaded bool
	today        *stats.Report
	todayErr     error
}

// homeLines is the first screen: one fact a line, a label on the left, then the keys that
// go further.
func (m *Model) homeLines() []string {
	const labelW = 14
	row := func(label, value string) string {
		return m.th.Muted.Render(m.cell(label, labelW)) + value
	}
	errText := func(err error) string {
		return m.th.Notice.Render("unavailable: ") + m.th.Muted.Render(oneLine(err.Error()))
	}
	var lines []string

	reading := m.th.Muted.Render("…")
	switch {
	case m.now.err != nil:
		reading = errText(m.now.err)
	case m.now.loaded:
		reading = m.th.Heading.Render(strconv.Itoa(len(m.now.rows)))
	}
	lines = append(lines, row("Reading now", reading))

	today := m.th.Muted.Render("…")
	switch r := m.home.today; {
	case m.home.todayErr != nil:
		today = errText(m.home.todayErr)
	case r != nil:
		today = m.th.Heading.Render(strconv.Itoa(r.Visits)) +
			m.th.Muted.Render(" ("+plural(r.Humans, "human", "humans")+")")
	}
	lines = append(lines, row("Visits today", today))

	c := m.home.counts
	switch {
	case m.home.countsErr != nil:
		lines = append(lines, row("Unread", errText(m.home.countsErr)))
	case !m.home.countsLoaded:
		lines = append(lines, row("Unread", m.th.Muted.Render("…")))
	default:
		unread := m.th.Heading.Render(strconv.Itoa(c.Unread)) + " " + m.th.Muted.Render(word(c.Unread, "message", "messages"))
		lines = append(lines, row("Unread", unread))
		if c.Unread > 0 {
			newest := firstLine(c.NewestUnread)
			open, closing := "“", "”"
			if m.ascii {
				open, closing = `"`, `"`
			}
			lines = append(lines, row("", open+m.cut(newest, m.textWidth()-labelW-2)+closing))
		}
		undelivered := m.th.Heading.Render(strconv.Itoa(c.Undelivered)) + " " +
			m.th.Muted.Render(word(c.Undelivered, "notification", "notifications"))
		lines = append(lines, row("Undelivered", undelivered))
	}

	lines = append(lines, "")
	further := [][2]string{{"2", "who is reading now"}, {"3", "visits: today, 7 and 30 days"}, {"4", "the inbox"}, {"?", "every key"}}
	if m.bodyHeight()-len(lines) < len(further) {
		// A short window: the keys on one line, in short.
		further = [][2]string{{"2", "now"}, {"3", "visits"}, {"4", "inbox"}}
		var parts []string
		for _, k := range further {
			parts = append(parts, m.th.Key.Render(k[0])+" "+k[1])
		}
		return append(lines, strings.Join(parts, m.th.Rule.Render(m.th.Dot)))
	}
	for _, k := range further {
		lines = append(lines, m.th.Key.Render(k[0])+"  "+k[1])
	}
	return lines
}

func word(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
