package console

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"portfolio/store"
)

// inboxLimit is how many messages the inbox lists, newest first: a screen of a few hundred
// is already more than anyone reads; `portfolio inbox` has the rest.
const inboxLimit = 500

// inboxData is the messages as last loaded and where the owner is among them.
type inboxData struct {
	msgs     []store.Message
	err      error
	loaded   bool
	cursor   int  // the selected message
	open     bool // the selected message is shown whole (message.go)
	confirm  bool // "delete?" is asked
	replying bool // the reply is being written (reply.go)
	reply    textarea.Model
	// draftFor is the message the reply's text was written for: taken up again by r after
	// esc or a failed save, never lost, and not carried to another message.
	draftFor int64
}

// current is the selected message.
func (in *inboxData) current() (store.Message, bool) {
	if in.cursor < 0 || in.cursor >= len(in.msgs) {
		return store.Message{}, false
	}
	return in.msgs[in.cursor], true
}

func (in *inboxData) clampCursor() {
	in.cursor = max(0, min(in.cursor, len(in.msgs)-1))
	if len(in.msgs) == 0 {
		in.open = false
	}
}

// inboxKey handles the inbox's keys: moving, opening, and the actions on the selected
// message (actions.go).
func (m Model) inboxKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k, in := m.keys, &m.inbox
	if in.open {
		if cmd, ok := m.action(msg); ok {
			return m, cmd
		}
		m.scroll(msg)
		return m, nil
	}
	page := max(1, m.bodyHeight()-2)
	switch {
	case key.Matches(msg, k.Up):
		in.cursor--
	case key.Matches(msg, k.Down):
		in.cursor++
	case key.Matches(msg, k.PageUp):
		in.cursor -= page
	case key.Matches(msg, k.PageDown):
		in.cursor += page
	case key.Matches(msg, k.Top):
		in.cursor = 0
	case key.Matches(msg, k.Bottom):
		in.cursor = len(in.msgs) - 1
	case key.Matches(msg, k.Open):
		cur, ok := in.current()
		if !ok {
			return m, nil
		}
		in.open = true
		m.offsets[inboxScreen] = 0
		if cur.Status == "unread" {
			return m, m.markRead(cur.ID, "")
		}
		return m, nil
	default:
		cmd, _ := m.action(msg)
		return m, cmd
	}
	in.clampCursor()
	return m, nil
}

// inboxLines is the list of messages, or the selected one opened, or the reply being
// written.
func (m *Model) inboxLines() []string {
	in := &m.inbox
	switch {
	case in.err != nil && len(in.msgs) == 0:
		return m.failed("the inbox", in.err)
	case !in.loaded:
		return []string{m.th.Muted.Render("Loading…")}
	case in.replying:
		return m.replyLines()
	case in.open:
		return m.messageLines()
	case len(in.msgs) == 0:
		return []string{"No messages yet."}
	}
	msgs, now := in.msgs, m.clock()
	unread := "●"
	if m.ascii {
		unread = "*"
	}
	cols := []column{
		{"When", 6, 10, func(i int) string { return when(msgs[i].Time, now) }},
		{"From", 6, 18, func(i int) string { return m.sender(msgs[i]) }},
		{"Message", 10, 60, func(i int) string { return firstLine(msgs[i].Text) }},
		{"Notified", 8, 8, func(i int) string { return oneLine(msgs[i].Notified) }},
	}
	// Rows: a marker for the selected one, a dot for the unread ones; archived ones muted.
	h := m.bodyHeight() - 1 // the header stays
	top := max(0, in.cursor-h+1)
	table := m.table(cols, len(msgs), m.textWidth()-4, top, top+h)
	lines := []string{"    " + table[0]}
	for i := top; i < len(msgs) && i < top+h; i++ {
		row := table[i-top+1]
		marker, dot := "  ", "  "
		if msgs[i].Status == "unread" {
			dot = m.th.Heading.Render(unread) + " "
		}
		switch {
		case i == in.cursor:
			marker = m.th.Heading.Render(m.th.Marker) + " "
			row = m.th.Heading.Render(row)
		case msgs[i].Status == "archived":
			row = m.th.Muted.Render(row)
		}
		lines = append(lines, marker+dot+row)
	}
	return lines
}

// sender is who wrote a message, as the list and the questions name them.
func (m *Model) sender(msg store.Message) string {
	if name := oneLine(msg.Name); name != "" {
		return name
	}
	return "anonymous"
}
