package ui

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"portfolio/store"
	"portfolio/ui/letter"
)

// testStore is a real SQLite store in the test's temporary directory.
func testStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "portfolio.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func formModel(t testing.TB, w, h int, mail letter.Mailbox, opts Options) Model {
	t.Helper()
	opts.Width, opts.Height, opts.Mail = w, h, mail
	if opts.Profile == 0 {
		opts.Profile = colorprofile.ASCII
	}
	return New(testSite(t), NewRenderer(0), opts)
}

// typeKeys sends text as the keys a visitor types; "\n" is enter.
func typeKeys(m Model, text string) Model {
	for _, r := range text {
		k := tea.Key{Code: r, Text: string(r)}
		if r == '\n' {
			k = tea.Key{Code: tea.KeyEnter}
		}
		m = update(m, tea.KeyPressMsg(k))
	}
	return m
}

// run presses a key and runs the command it returns to its message, as Bubble Tea would,
// feeding the message back: the send, or the look-up.
func run(t testing.TB, m Model, k tea.Key) Model {
	t.Helper()
	next, cmd := m.Update(tea.KeyPressMsg(k))
	m = next.(Model)
	for cmd != nil {
		msg := cmd()
		switch msg.(type) {
		case formSentMsg, formReplyMsg:
			next, cmd = m.Update(msg)
			m = next.(Model)
		default:
			cmd = nil
		}
	}
	return m
}

var ctrlS = tea.Key{Code: 's', Mod: tea.ModCtrl}

func TestFormSendsAndShowsTheCode(t *testing.T) {
	st := testStore(t)
	m := formModel(t, 80, 24, letter.StoreMailbox{Store: st, Source: "192.0.2.1"}, Options{})
	if !strings.Contains(screen(t, m), "m  write to ") {
		t.Fatalf("the cover does not say how to write:\n%s", screen(t, m))
	}
	m = typeKeys(m, "m")
	if m.form == nil || m.form.focus != fieldText {
		t.Fatal("m did not open the form with the message focused")
	}
	m = typeKeys(m, "Loved the talk\nThanks")
	m = press(t, m, "tab")
	m = typeKeys(m, "Ada")
	m = press(t, m, "tab")
	m = typeKeys(m, "ada@example.com")
	m = press(t, m, "tab", "space")
	m = run(t, m, ctrlS)
	got := screen(t, m)
	if !strings.Contains(got, "Sent.") || m.form.code == "" || !strings.Contains(got, m.form.code) {
		t.Fatalf("no confirmation with the code:\n%s", got)
	}
	msgs, err := st.Messages(context.Background(), store.Filter{})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("stored %d messages (%v)", len(msgs), err)
	}
	if g := msgs[0]; g.Text != "Loved the talk\nThanks" || g.Name != "Ada" || g.ReplyTo != "ada@example.com" || !g.Guestbook {
		t.Fatalf("stored %+v", g)
	}
	m = press(t, m, "enter")
	if m.form != nil {
		t.Fatal("enter after sending did not go back to the portfolio")
	}
}

func TestFormRefusalKeepsEveryCharacter(t *testing.T) {
	st := testStore(t)
	m := formModel(t, 80, 24, letter.StoreMailbox{Store: st, Source: "192.0.2.2"}, Options{})
	m = typeKeys(m, "mSame words")
	m = run(t, m, ctrlS)
	m = press(t, m, "enter")
	m = typeKeys(m, "mSame words")
	m = press(t, m, "tab")
	m = typeKeys(m, "Bo")
	m = run(t, m, ctrlS)
	got := screen(t, m)
	if !strings.Contains(got, "You sent that already.") {
		t.Fatalf("no reason for the refusal:\n%s", got)
	}
	if m.form.text.Value() != "Same words" || m.form.name.Value() != "Bo" {
		t.Fatalf("the fields lost what was typed: %q %q", m.form.text.Value(), m.form.name.Value())
	}
	m = typeKeys(press(t, m, "shift+tab"), " again")
	m = run(t, m, ctrlS)
	if m.form.stage != stageSent {
		t.Fatalf("a changed text was refused: %s", m.form.status)
	}
}

func TestFormUnavailableDatabase(t *testing.T) {
	st := testStore(t)
	_ = st.Close() // a database that went away
	m := formModel(t, 40, 12, letter.StoreMailbox{Store: st, Source: "192.0.2.3"}, Options{})
	m = typeKeys(m, "mHello there")
	m = run(t, m, ctrlS)
	if !strings.Contains(m.form.status, "can't be taken right now") || m.form.text.Value() != "Hello there" {
		t.Fatalf("status %q, text %q", m.form.status, m.form.text.Value())
	}
	// The whole reason is on the 40x12 screen, on two lines, and so is the form.
	s := screen(t, m)
	if flat := strings.Join(strings.Fields(s), " "); !strings.Contains(flat, "can't be taken right now: try again in a minute.") {
		t.Errorf("the reason is not on screen whole:\n%s", s)
	}
	for _, want := range []string{"Write to", "Hello there", "[ Send ]"} {
		if !strings.Contains(s, want) {
			t.Errorf("%q is not on screen:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "\n") + 1; n > 12 {
		t.Errorf("%d lines on a 12-line screen", n)
	}
}

func TestFormEscAsksBeforeLosingWords(t *testing.T) {
	m := formModel(t, 80, 24, letter.StoreMailbox{Store: testStore(t)}, Options{})
	m = press(t, typeKeys(m, "m"), "esc")
	if m.form != nil {
		t.Fatal("esc on an empty form did not leave at once")
	}
	m = press(t, typeKeys(m, "mwords"), "esc")
	if m.form == nil || !strings.Contains(screen(t, m), "Leave and lose what you wrote?") {
		t.Fatalf("esc did not ask:\n%s", screen(t, m))
	}
	m = typeKeys(m, "n")
	if m.form.text.Value() != "words" {
		t.Fatalf("staying lost the text: %q", m.form.text.Value())
	}
	m = typeKeys(press(t, m, "esc"), "y")
	if m.form != nil {
		t.Fatal("y did not leave")
	}
}

// TestFormFitsEverywhere draws the form in the smallest window, without colour, and in the
// accessible view, and checks every part is on screen.
func TestFormFitsEverywhere(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
		opts Options
		want []string
	}{
		{"40x12-ascii", 40, 12, Options{ASCII: true}, []string{"Write to", "Message", "0/2,000", "Your name", "Reply to", "[ ] may appear in the guestbook", "[ Send ]", "ctrl+s send"}},
		{"80x24-nocolor", 80, 24, Options{Profile: colorprofile.ASCII}, []string{"Write to", "Your name", "Reply to", "[ Send ]", "esc leave"}},
		{"accessible", 80, 24, Options{Accessible: true}, []string{"Question 1 of 5", "Your message", "Tab: next question"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := formModel(t, tc.w, tc.h, letter.StoreMailbox{Store: testStore(t)}, tc.opts)
			m = typeKeys(m, "m")
			got := screen(t, m)
			t.Logf("\n%s", got)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q missing from:\n%s", w, got)
				}
			}
		})
	}
}

// A reply longer than the window is read whole with the arrows, at 40x12, in the full and
// the accessible view, and the keys stay on screen.
func TestLongReplyScrolls(t *testing.T) {
	keysShown := func(screen string) bool {
		flat := strings.Join(strings.Fields(screen), " ")
		return strings.Contains(flat, "enter back") || strings.Contains(flat, "enter to go back")
	}
	for _, accessible := range []bool{false, true} {
		st := testStore(t)
		ctx := context.Background()
		id, code, err := st.TakeMessage(ctx, store.Draft{Text: "Hello", Source: "192.0.2.1"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var words []string
		for i := range 120 {
			words = append(words, "word"+strconv.Itoa(i))
		}
		if err := st.Reply(ctx, id, strings.Join(words, " ")+" THE-END", false); err != nil {
			t.Fatal(err)
		}
		m := formModel(t, 40, 12, letter.StoreMailbox{Store: st, Source: "192.0.2.1"}, Options{Accessible: accessible})
		m = typeKeys(m, "m")
		m = press(t, m, "ctrl+r")
		m = typeKeys(m, code)
		m = run(t, m, tea.Key{Code: tea.KeyEnter})
		first := screen(t, m)
		if !strings.Contains(first, "word0") || strings.Contains(first, "THE-END") {
			t.Fatalf("accessible %v: the reply's start, not its end, is shown first:\n%s", accessible, first)
		}
		if !keysShown(first) {
			t.Errorf("accessible %v: the keys are not on screen:\n%s", accessible, first)
		}
		for range 60 {
			m = press(t, m, "down")
		}
		last := screen(t, m)
		if !strings.Contains(last, "THE-END") || !keysShown(last) {
			t.Errorf("accessible %v: the arrows do not reach the reply's end, with the keys:\n%s", accessible, last)
		}
		if n := strings.Count(last, "\n") + 1; n > 12 {
			t.Errorf("accessible %v: %d lines on a 12-line screen", accessible, n)
		}
		m = press(t, m, "up")
		if screen(t, m) == last {
			t.Errorf("accessible %v: up does not scroll back", accessible)
		}
	}
}
