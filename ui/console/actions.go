package console

import (
	"context"
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"portfolio/store"
)

// doneMsg is an inbox action's outcome: what to tell the owner when it worked, or the error.
type doneMsg struct {
	done   string
	failed string // "Could not archive", when err is not nil
	closes bool   // the opened message is gone (deleted)
	err    error
}

// action runs the inbox key msg names on the selected message; ok is false when msg is no
// action.
func (m *Model) action(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k, in := m.keys, &m.inbox
	cur, has := in.current()
	if !has {
		return nil, false
	}
	id := cur.ID
	switch {
	case key.Matches(msg, k.Read):
		return m.markRead(id, "Marked read."), true
	case key.Matches(msg, k.Archive):
		return m.act("Archived.", "Could not archive", false, func(ctx context.Context, st *store.Store) error {
			return st.Archive(ctx, id)
		}), true
	case key.Matches(msg, k.Delete):
		in.confirm = true
		return nil, true
	case key.Matches(msg, k.Approve):
		return m.act("Approved for the guestbook.", "Could not approve", false, func(ctx context.Context, st *store.Store) error {
			return st.Approve(ctx, id)
		}), true
	case key.Matches(msg, k.Reply):
		return m.startReply(), true
	case key.Matches(msg, k.Copy):
		to := oneLine(cur.ReplyTo)
		if to == "" {
			m.notice = "The writer left no reply-to."
			return nil, true
		}
		// OSC 52: the owner's terminal puts it on their own machine's clipboard (the server
		// has none to speak of); the notice shows it too, for terminals that refuse.
		m.notice = "Copied: " + to
		return tea.SetClipboard(to), true
	}
	return nil, false
}

// confirmKey answers "delete?": y deletes, any other key keeps the message.
func (m Model) confirmKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	m.inbox.confirm = false
	cur, ok := m.inbox.current()
	if !ok || !key.Matches(msg, m.keys.Yes) {
		m.notice = "Kept."
		return m, nil
	}
	id := cur.ID
	return m, m.act("Deleted.", "Could not delete", true, func(ctx context.Context, st *store.Store) error {
		return st.Delete(ctx, id)
	})
}

func (m *Model) markRead(id int64, done string) tea.Cmd {
	return m.act(done, "Could not mark it read", false, func(ctx context.Context, st *store.Store) error {
		return st.MarkRead(ctx, id)
	})
}

// act runs fn against the store with the deadline and reports as a doneMsg.
func (m *Model) act(done, failed string, closes bool, fn func(ctx context.Context, st *store.Store) error) tea.Cmd {
	return m.query(func(ctx context.Context, st *store.Store) tea.Msg {
		if st == nil {
			return doneMsg{failed: failed, err: errNoStore}
		}
		return doneMsg{done: done, failed: failed, closes: closes, err: fn(ctx, st)}
	})
}

// done tells the owner what an action did and reloads the inbox and the counts.
func (m Model) done(msg doneMsg) (tea.Model, tea.Cmd) {
	switch {
	case errors.Is(msg.err, store.ErrNotAllowed):
		m.notice = "The writer did not ask for the guestbook."
	case errors.Is(msg.err, store.ErrNotFound):
		m.notice = "That message is gone (deleted elsewhere)."
		m.inbox.open = false
	case msg.err != nil:
		m.notice = msg.failed + ": " + oneLine(msg.err.Error())
	default:
		m.notice = msg.done
		if msg.closes {
			m.inbox.open = false
		}
	}
	return m, tea.Batch(m.loadInbox(), m.loadCounts())
}
