package linear

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"portfolio/store"
	"portfolio/ui/letter"
)

func testMail(t *testing.T) (letter.StoreMailbox, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "portfolio.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return letter.StoreMailbox{Store: st, Source: "192.0.2.9"}, st
}

// TestWriteLineByLine writes to the owner as a teletype would, a line at a time (cooked
// mode: each line arrives whole), and finds the letter stored.
func TestWriteLineByLine(t *testing.T) {
	mail, st := testMail(t)
	out, err := run(t, testSite(t, false), Options{Mail: mail},
		"m", "Loved the talk\n", "Thanks\n", ".\n", "Ada\n", "ada@example.com\n", "y\n", "\n", "q")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("an escape sequence reached a dumb terminal: %q", out)
	}
	if !strings.Contains(out, "Sent. Your reply code: ") {
		t.Fatalf("no confirmation:\n%s", out)
	}
	msgs, err := st.Messages(context.Background(), store.Filter{})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("%d messages stored (%v)", len(msgs), err)
	}
	if g := msgs[0]; g.Text != "Loved the talk\nThanks" || g.Name != "Ada" || g.ReplyTo != "ada@example.com" || !g.Guestbook {
		t.Errorf("stored %+v", g)
	}
}

// TestWriteRefusedIsKept: an empty message is refused with the reason, and kept for
// another try; raw keys with backspace are taken as typed.
func TestWriteRefusedIsKept(t *testing.T) {
	mail, _ := testMail(t)
	out, err := run(t, testSite(t, false), Options{Mail: mail},
		"m", "x", "\x7f", "\r", ".", "\r", "\r", "\r", "\r", "\r", "m", "d", "q")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Not sent: Your message is empty", "it is kept", "Dropped."} {
		if !strings.Contains(out, want) {
			t.Errorf("%q missing:\n%s", want, out)
		}
	}
}
