package console

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"portfolio/store"
)

// TestVisitorTextIsInert puts hostile text everywhere a visitor's words reach the console
// (a message's name, text and reply-to; a session's address, client, TERM and section; a
// visit's client and section) and checks every screen's output: the only escape
// sequences are the console's own SGR, no control character but the line feeds, no C1, no
// bidi control, and the character reference stays text.
func TestVisitorTextIsInert(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if _, _, err := st.TakeMessage(ctx, store.Draft{Text: hostile + "\nsecond " + hostile, Name: hostile[:40], ReplyTo: hostile[:60],
		Guestbook: true, Source: "h", Addr: hostile, Client: hostile, Channels: []string{"webhook"}}, clock.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	// Presence and visit rows are stored as the server wrote them: the console is the
	// last line of defence.
	if err := st.PutPresence(ctx, []store.Presence{{Machine: hostile, Session: "h1", Addr: hostile, Client: hostile,
		Term: hostile, Width: 80, Height: 24, Section: hostile, Started: clock.Add(-time.Minute), Seen: clock}}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddVisits(ctx, []store.Visit{{Machine: "m", Session: "v1", Start: clock.Add(-time.Hour), Duration: time.Minute,
		Kind: "interactive", PTY: true, Client: hostile, Keys: 3, Sections: []store.SectionTime{{Slug: hostile, Time: time.Minute}}}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ASCII} {
		m := newModel(t, st, 120, 40, p, true)
		screens := map[string]Model{
			"home": m, "now": press(t, m, "2"), "visits": press(t, m, "3"), "inbox": press(t, m, "4"),
			"message": press(t, m, "4", "enter"), "reply": press(t, m, "4", "enter", "r"),
		}
		// The raw message too, as if a store had let it through.
		raw := press(t, m, "4")
		raw.inbox.msgs = []store.Message{{ID: 1, Time: clock, Text: hostile, Name: hostile, ReplyTo: hostile, Addr: hostile,
			Client: hostile, Status: "unread", Notified: hostile, Reply: hostile,
			Deliveries: []store.Delivery{{Channel: hostile, State: hostile, LastError: hostile}}}}
		screens["raw list"] = raw
		raw.inbox.open = true
		screens["raw message"] = raw
		for name, s := range screens {
			out := s.View().Content
			if msg := unsafeOutput(out); msg != "" {
				t.Errorf("%v %s: %s", p, name, msg)
			}
			// What is left of the text is shown: the words between the sequences, and in a
			// message opened, the character reference as it was written.
			screen := textScreen(t, s)
			if name != "home" && name != "reply" && !strings.Contains(screen, "xyzlink") {
				t.Errorf("%v %s: the text around the sequences is not shown:\n%s", p, name, screen)
			}
			if strings.Contains(name, "message") && !strings.Contains(screen, "evil&#x1b;[2J") {
				t.Errorf("%v %s: the character reference is not shown as text:\n%s", p, name, screen)
			}
		}
	}
}

// unsafeOutput says what in out could act on a terminal, or "" when nothing does.
func unsafeOutput(out string) string {
	var state byte
	for i := 0; i < len(out); {
		seq, _, n, newState := ansi.DecodeSequence(out[i:], state, nil)
		state = newState
		i += n
		switch c := seq[0]; {
		case c == ansi.ESC:
			body, ok := strings.CutPrefix(seq, "\x1b[")
			if !ok || !strings.HasSuffix(body, "m") || strings.Trim(body[:len(body)-1], "0123456789;:") != "" {
				return "escape sequence " + strings.ReplaceAll(seq, "\x1b", "ESC")
			}
		case c == '\n':
		case c < 0x20 || c == 0x7f:
			return "control character " + string(rune(c))
		default:
			for _, r := range seq {
				switch {
				case r == utf8.RuneError:
					return "invalid UTF-8"
				case r >= 0x80 && r < 0xa0:
					return "C1 control"
				case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
					return "bidi control"
				}
			}
		}
	}
	return ""
}
