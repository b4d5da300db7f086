package console

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"portfolio/store"
)

// nowData is the sessions open on every machine, as last loaded.
type nowData struct {
	rows   []store.Presence
	err    error
	loaded bool
	at     time.Time // when they were read
}

// nowLines is every visitor's open session, the longest-reading first: what they read and
// for how long, then where from and with what. Narrow windows keep the first columns.
func (m *Model) nowLines() []string {
	switch {
	case m.now.err != nil:
		return m.failed("who is reading now", m.now.err)
	case !m.now.loaded:
		return []string{m.th.Muted.Render("Loading…")}
	case len(m.now.rows) == 0:
		return []string{"Nobody is reading right now."}
	}
	rows := slices.Clone(m.now.rows)
	slices.SortFunc(rows, func(a, b store.Presence) int {
		return cmp.Or(a.Started.Compare(b.Started), cmp.Compare(a.Machine, b.Machine), cmp.Compare(a.Session, b.Session))
	})
	machines := map[string]bool{}
	for _, r := range rows {
		machines[r.Machine] = true
	}
	now := m.clock()
	head := m.th.Heading.Render(strconv.Itoa(len(rows))) + " " +
		m.th.Muted.Render(word(len(rows), "session", "sessions")+" open on "+plural(len(machines), "machine", "machines"))
	cols := []column{
		{"Section", 10, 24, func(i int) string {
			if s := oneLine(rows[i].Section); s != "" {
				return s
			}
			return "cover"
		}},
		{"For", 6, 7, func(i int) string { return since(now.Sub(rows[i].Started)) }},
		{"Address", 9, 40, func(i int) string { return oneLine(rows[i].Addr) }},
		{"Terminal", 9, 24, func(i int) string {
			// The size first: a long TERM is cut, the size says more.
			t := oneLine(rows[i].Term)
			if rows[i].Width > 0 {
				t = strconv.Itoa(rows[i].Width) + "x" + strconv.Itoa(rows[i].Height) + " " + t
			}
			return t
		}},
		{"Client", 8, 32, func(i int) string { return oneLine(rows[i].Client) }},
		{"Machine", 7, 20, func(i int) string { return oneLine(rows[i].Machine) }},
	}
	return append([]string{head, ""}, m.table(cols, len(rows), m.textWidth(), 0, len(rows))...)
}
