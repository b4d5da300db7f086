package console

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"portfolio/store"
)

// inboxAt is the console on the inbox at 80x24 over a filled store, the cursor on the
// message from `from`.
func inboxAt(t *testing.T, from string) (Model, *store.Store, store.Message) {
	t.Helper()
	st := openStore(t)
	fill(t, st)
	m := press(t, newModel(t, st, 80, 24, colorprofile.TrueColor, true), "4")
	for i := range m.inbox.msgs {
		if m.inbox.msgs[i].Name == from {
			m.inbox.cursor = i
			return m, st, m.inbox.msgs[i]
		}
	}
	t.Fatalf("no message from %s in the inbox", from)
	return m, st, store.Message{}
}

func stored(t *testing.T, st *store.Store, id int64) store.Message {
	t.Helper()
	msg, err := st.Message(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func TestOpenMarksRead(t *testing.T) {
	m, st, msg := inboxAt(t, "Ada")
	m = press(t, m, "enter")
	if got := stored(t, st, msg.ID).Status; got != "read" {
		t.Errorf("opened message is %s in the store, want read", got)
	}
	s := textScreen(t, m)
	for _, want := range []string{"From      Ada", "ada@example.com", "are you hiring?", "Best, Ada", "webhook", "email", "pending"} {
		if !strings.Contains(s, want) {
			t.Errorf("opened message lacks %q:\n%s", want, s)
		}
	}
	if m.home.counts.Unread != 1 {
		t.Errorf("unread count after opening = %d, want 1", m.home.counts.Unread)
	}
	m = press(t, m, "esc")
	if m.inbox.open {
		t.Error("esc did not close the message")
	}
}

func TestMarkReadFromTheList(t *testing.T) {
	m, st, msg := inboxAt(t, "Linus")
	m = press(t, m, "m")
	if got := stored(t, st, msg.ID).Status; got != "read" {
		t.Errorf("status %s after m, want read", got)
	}
	if m.notice != "Marked read." {
		t.Errorf("notice %q", m.notice)
	}
}

func TestArchive(t *testing.T) {
	m, st, msg := inboxAt(t, "Ada")
	m = press(t, m, "a")
	if got := stored(t, st, msg.ID).Status; got != "archived" {
		t.Errorf("status %s after a, want archived", got)
	}
	if !strings.Contains(textScreen(t, m), "Archived.") {
		t.Errorf("the screen does not say it:\n%s", textScreen(t, m))
	}
}

func TestDeleteAsksFirst(t *testing.T) {
	m, st, msg := inboxAt(t, "Grace")
	m = press(t, m, "d")
	if s := textScreen(t, m); !strings.Contains(s, "Delete the message from Grace?") || !strings.Contains(s, "y yes, delete") {
		t.Errorf("d does not ask:\n%s", s)
	}
	m = press(t, m, "n")
	stored(t, st, msg.ID) // still there
	if m.notice != "Kept." {
		t.Errorf("notice after n: %q", m.notice)
	}
	m = press(t, m, "enter", "d", "y")
	if _, err := st.Message(context.Background(), msg.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after d y the message is still there (%v)", err)
	}
	if m.inbox.open || len(m.inbox.msgs) != 2 || m.notice != "Deleted." {
		t.Errorf("after deleting: open %v, %d messages listed, notice %q", m.inbox.open, len(m.inbox.msgs), m.notice)
	}
}

func TestApprove(t *testing.T) {
	m, st, msg := inboxAt(t, "Linus")
	m = press(t, m, "p")
	if !stored(t, st, msg.ID).Approved || m.notice != "Approved for the guestbook." {
		t.Errorf("p did not approve a message the writer offered to the guestbook (notice %q)", m.notice)
	}
	entries, err := st.Guestbook(context.Background())
	if err != nil || len(entries) != 1 || entries[0].Name != "Linus" {
		t.Errorf("guestbook = %v, %v; want Linus's message", entries, err)
	}

	m, st, msg = inboxAt(t, "Ada")
	m = press(t, m, "p")
	if stored(t, st, msg.ID).Approved {
		t.Error("p approved a message the writer did not offer")
	}
	if m.notice != "The writer did not ask for the guestbook." {
		t.Errorf("notice %q", m.notice)
	}
}

func TestReply(t *testing.T) {
	m, st, msg := inboxAt(t, "Ada")
	m = press(t, m, "enter", "r")
	if !m.inbox.replying || !strings.Contains(textScreen(t, m), "Reply to Ada") {
		t.Fatalf("r does not open the reply:\n%s", textScreen(t, m))
	}
	m = typeText(t, m, "Yes, write to me. q and 1 are text here.")
	if m.active != inboxScreen || !m.inbox.replying {
		t.Fatal("keys typed into the reply moved the console")
	}
	m = press(t, m, "ctrl+s")
	got := stored(t, st, msg.ID)
	if got.Reply != "Yes, write to me. q and 1 are text here." || got.Status != "read" {
		t.Errorf("stored reply %q, status %s", got.Reply, got.Status)
	}
	if s := textScreen(t, m); !strings.Contains(s, "Your reply") || !strings.Contains(s, "Yes, write to me.") {
		t.Errorf("the message does not show the reply:\n%s", s)
	}

	// r again edits the saved reply.
	if m = press(t, m, "r"); m.inbox.reply.Value() != got.Reply {
		t.Errorf("r on a replied message starts from %q, want the saved reply", m.inbox.reply.Value())
	}

	// esc cancels: nothing is stored, and r takes the text up again.
	m, st, msg = inboxAt(t, "Linus")
	m = press(t, m, "r")
	m = typeText(t, m, "never sent")
	m = press(t, m, "esc")
	if got := stored(t, st, msg.ID).Reply; got != "" || m.inbox.replying {
		t.Errorf("after esc: stored reply %q, replying %v", got, m.inbox.replying)
	}
	if m = press(t, m, "r"); m.inbox.reply.Value() != "never sent" {
		t.Errorf("r after esc starts from %q, want the text written", m.inbox.reply.Value())
	}
}

// A reply the database would not take is kept: r takes it up again to send once more.
func TestReplyKeptWhenNotSaved(t *testing.T) {
	m, st, msg := inboxAt(t, "Linus")
	m = press(t, m, "r")
	m = typeText(t, m, "Thanks, Linus")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "ctrl+s")
	if !strings.Contains(m.notice, "Could not save the reply") {
		t.Fatalf("notice %q after a failed save", m.notice)
	}
	if m = press(t, m, "r"); m.inbox.reply.Value() != "Thanks, Linus" || !strings.Contains(textScreen(t, m), "Thanks, Linus") {
		t.Errorf("r after a failed save starts from %q, want the text written for message %d", m.inbox.reply.Value(), msg.ID)
	}
}

func TestCopyReplyTo(t *testing.T) {
	m, _, _ := inboxAt(t, "Ada")
	next, cmd := m.Update(keyPress(t, "c"))
	m = next.(Model)
	if cmd == nil {
		t.Fatal("c gave no command")
	}
	// tea.SetClipboard's message is an unexported string type: its value is what OSC 52
	// carries.
	if v := reflect.ValueOf(cmd()); v.Kind() != reflect.String || v.String() != "ada@example.com" {
		t.Errorf("clipboard gets %v, want ada@example.com", v)
	}
	if m.notice != "Copied: ada@example.com" {
		t.Errorf("notice %q", m.notice)
	}

	m, _, _ = inboxAt(t, "Linus") // left no reply-to
	next, cmd = m.Update(keyPress(t, "c"))
	if cmd != nil || next.(Model).notice != "The writer left no reply-to." {
		t.Errorf("c without a reply-to: cmd %v, notice %q", cmd, next.(Model).notice)
	}
}

func TestDeliveriesShown(t *testing.T) {
	m, _, _ := inboxAt(t, "Linus")
	s := textScreen(t, press(t, m, "enter"))
	for _, want := range []string{"Notifications failed", "webhook     sent    1 attempt", "email       failed  1 attempt", "550 mailbox unavailable"} {
		if !strings.Contains(s, want) {
			t.Errorf("deliveries: no %q in\n%s", want, s)
		}
	}
}

// TestDatabaseErrorInPlace closes the store under the console: every screen says the
// database did not answer, and the console goes on answering keys.
func TestDatabaseErrorInPlace(t *testing.T) {
	st := openStore(t)
	fill(t, st)
	m := newModel(t, st, 80, 24, colorprofile.TrueColor, true)
	m = press(t, m, "4") // a list to keep
	st.Close()
	for _, k := range []string{"2", "3", "1"} {
		m = press(t, m, k)
		if s := textScreen(t, m); !strings.Contains(s, "did not answer") && !strings.Contains(s, "unavailable") {
			t.Errorf("screen %s does not show the error:\n%s", k, s)
		}
	}
	m = press(t, m, "4")
	if s := textScreen(t, m); !strings.Contains(s, "Ada") || !strings.Contains(s, "The database did not answer") {
		t.Errorf("the inbox lost its list or hid the error:\n%s", s)
	}
	m = press(t, m, "a")
	if !strings.HasPrefix(m.notice, "Could not archive: ") {
		t.Errorf("a failed archive says %q", m.notice)
	}
	if _, cmd := m.Update(keyPress(t, "q")); cmd == nil || !isQuit(cmd) {
		t.Error("q does not quit after database errors")
	}
}

func isQuit(cmd tea.Cmd) bool {
	_, ok := cmd().(tea.QuitMsg)
	return ok
}
