package console

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"portfolio/store"
)

// startReply opens the reply to the selected message: the text written for it before (sent
// or not), else its saved reply to edit, else an empty one.
func (m *Model) startReply() tea.Cmd {
	in := &m.inbox
	cur, _ := in.current()
	if in.draftFor != cur.ID {
		in.draftFor = cur.ID
		in.reply.Reset()
		in.reply.CharLimit = store.MaxText // what store.Reply takes
		in.reply.SetValue(cur.Reply)
	}
	in.replying = true
	m.sizeReply()
	return in.reply.Focus()
}

// styleReply gives the textarea the theme's styles: the text in the terminal's own
// colours, the prompt faint; the cursor does not blink (a blink is a frame every half
// second for nothing).
func (m *Model) styleReply() {
	st := textarea.Styles{}
	state := textarea.StyleState{Prompt: m.th.Rule, Placeholder: m.th.Muted, EndOfBuffer: m.th.Rule}
	st.Focused, st.Blurred = state, state
	st.Cursor.Blink = false
	m.inbox.reply.SetStyles(st)
	m.inbox.reply.ShowLineNumbers = false
	m.inbox.reply.Prompt = "┃ "
	if m.ascii {
		m.inbox.reply.Prompt = "| "
	}
	m.inbox.reply.Placeholder = "Your reply. The writer reads it with their code."
}

// sizeReply fits the textarea to the body, below its heading.
func (m *Model) sizeReply() {
	m.inbox.reply.SetWidth(m.textWidth())
	m.inbox.reply.SetHeight(max(1, m.bodyHeight()-2))
}

// replyLines is the heading and the textarea.
func (m *Model) replyLines() []string {
	to := ""
	if cur, ok := m.inbox.current(); ok {
		to = m.sender(cur)
	}
	lines := []string{m.th.Heading.Render("Reply to " + to), ""}
	return append(lines, strings.Split(m.inbox.reply.View(), "\n")...)
}

// replyKey handles a key while the reply is written: send, cancel, or the textarea's.
func (m Model) replyKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	in := &m.inbox
	switch {
	case key.Matches(msg, m.keys.ForceQuit):
		return m, tea.Quit
	case key.Matches(msg, m.keys.Cancel):
		in.replying = false
		in.reply.Blur()
		m.notice = "Reply not sent; r takes it up again."
		return m, nil
	case key.Matches(msg, m.keys.Send):
		text := strings.TrimSpace(in.reply.Value())
		cur, ok := in.current()
		if text == "" || !ok {
			m.notice = "Write the reply first (esc cancels)."
			return m, nil
		}
		in.replying = false
		in.reply.Blur()
		id, email := cur.ID, m.opts.EmailReplies
		done := "Reply saved: the writer reads it with their code."
		if email && strings.Contains(cur.ReplyTo, "@") {
			done = "Reply saved and queued for email."
		}
		return m, m.act(done, "Could not save the reply", false, func(ctx context.Context, st *store.Store) error {
			return st.Reply(ctx, id, text, email)
		})
	}
	var cmd tea.Cmd
	in.reply, cmd = in.reply.Update(msg)
	return m, cmd
}
