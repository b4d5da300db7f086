package console

import (
	"strings"

	"portfolio/store"
)

// messageLines is the selected message whole: who and where from, the text, the reply
// given, and each notification's delivery.
func (m *Model) messageLines() []string {
	msg, ok := m.inbox.current()
	if !ok {
		return nil
	}
	const labelW = 10
	w := m.textWidth()
	row := func(label, value string) string {
		return m.th.Muted.Render(m.cell(label, labelW)) + value
	}
	guestbook := "not asked"
	switch {
	case msg.Approved:
		guestbook = "approved"
	case msg.Guestbook:
		guestbook = "asked (p approves)"
	}
	lines := []string{
		row("From", m.th.Heading.Render(m.sender(msg))),
		row("Reply to", orDash(oneLine(msg.ReplyTo))),
		row("When", msg.Time.In(m.clock().Location()).Format("2006-01-02 15:04")),
		row("Address", orDash(oneLine(msg.Addr))),
		row("Client", orDash(oneLine(msg.Client))),
		row("Status", oneLine(msg.Status)+m.th.Dot+"guestbook "+guestbook),
		"",
	}
	lines = append(lines, wrap(strings.TrimSpace(safe(msg.Text)), w)...)
	if msg.Reply != "" {
		lines = append(lines, "", m.th.Heading.Render("Your reply")+" "+
			m.th.Muted.Render(msg.RepliedAt.In(m.clock().Location()).Format("2006-01-02 15:04")))
		lines = append(lines, wrap(strings.TrimSpace(safe(msg.Reply)), w)...)
	}
	lines = append(lines, "", m.th.Heading.Render("Notifications")+" "+m.th.Muted.Render(oneLine(msg.Notified)))
	if len(msg.Deliveries) == 0 {
		lines = append(lines, m.th.Muted.Render("none configured"))
	}
	for _, d := range msg.Deliveries {
		lines = append(lines, m.delivery(d))
	}
	return lines
}

// delivery is one notification's state: channel, state, attempts, and the last error or
// when it was sent.
func (m *Model) delivery(d store.Delivery) string {
	s := m.cell(oneLine(d.Channel), 12) + m.cell(oneLine(d.State), 8) + plural(d.Attempts, "attempt", "attempts")
	switch {
	case d.State == "sent" && !d.SentAt.IsZero():
		s += m.th.Dot + "at " + d.SentAt.In(m.clock().Location()).Format("15:04:05")
	case d.State == "pending" && d.NextAt.After(m.clock()):
		s += m.th.Dot + "next in " + since(d.NextAt.Sub(m.clock()))
	}
	if d.LastError != "" {
		s += m.th.Dot + m.th.Muted.Render(oneLine(d.LastError))
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
