package inbox

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"portfolio/store"
	"portfolio/store/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// evil carries every way a message could try to drive the owner's terminal.
const evil = "Hello\x1b[2J \x1b]52;c;ZXZpbA==\x07 \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x1bP1$r\x1b\\ \u009b31m \u202eexe.txt &#x1b;[2J\nsecond line"

func engines(t *testing.T, f func(t *testing.T, st *store.Store)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "inbox.db")
			if engine == "postgres" {
				dsn = pgtest.Start(t)
			}
			st, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			f(t, st)
		})
	}
}

// run runs an inbox command and returns its exit status and output.
func run(t *testing.T, st *store.Store, stdin string, opts Options, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), st, args, strings.NewReader(stdin), &stdout, &stderr, opts)
	assertSafe(t, stdout.String())
	assertSafe(t, stderr.String())
	return code, stdout.String(), stderr.String()
}

// assertSafe fails when out holds anything a terminal would take as control.
func assertSafe(t *testing.T, out string) {
	t.Helper()
	for _, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			t.Errorf("output carries %U:\n%q", r, out)
			return
		}
	}
}

func TestInbox(t *testing.T) {
	engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Now()
		code, out, _ := run(t, st, "", Options{})
		if code != 0 || out != "No messages.\n" {
			t.Errorf("empty inbox: %d %q", code, out)
		}
		first, _, err := st.TakeMessage(ctx, store.Draft{Text: evil, Name: "Mallory\x1b[8m", ReplyTo: "m@example.com", Guestbook: true,
			Source: "a", Addr: "192.0.2.x", Client: "SSH-2.0-evil\x1b]0;t\x07", Channels: []string{"webhook"}}, now.Add(-time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		second, _, err := st.TakeMessage(ctx, store.Draft{Text: "Loved the talk", Name: "Ada", Source: "b"}, now)
		if err != nil {
			t.Fatal(err)
		}

		// The list: newest first, with their state, terminal-safe.
		code, out, errOut := run(t, st, "", Options{})
		if code != 0 || errOut != "" {
			t.Fatalf("list: %d %q", code, errOut)
		}
		if i, j := strings.Index(out, "Loved the talk"), strings.Index(out, "Hello"); i < 0 || j < 0 || i > j {
			t.Errorf("list is not newest first:\n%s", out)
		}
		for _, want := range []string{"unread  notified: pending  guestbook: allowed, not approved", "Mallory <m@example.com>",
			"click", "&#x1b;[2J …", "Ada", "notified: none"} {
			if !strings.Contains(out, want) {
				t.Errorf("list lacks %q:\n%s", want, out)
			}
		}

		// --json: an array with the fields scripts rely on.
		code, out, _ = run(t, st, "", Options{}, "--json")
		var list []map[string]any
		if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || len(list) != 2 {
			t.Fatalf("--json: %d %v\n%s", code, err, out)
		}
		for _, key := range []string{"id", "time", "text", "name", "reply_to", "guestbook", "status", "notified"} {
			if _, ok := list[0][key]; !ok {
				t.Errorf("--json lacks %q: %v", key, list[0])
			}
		}
		if list[1]["id"] != float64(first) || list[1]["notified"] != "pending" || list[1]["guestbook"] != true || list[1]["reply_to"] != "m@example.com" {
			t.Errorf("--json first message = %v", list[1])
		}
		if text := list[1]["text"].(string); strings.ContainsAny(text, "\x1b\u009b\u202e") || !strings.Contains(text, "&#x1b;[2J") {
			t.Errorf("--json text = %q", text)
		}

		// show: the whole message.
		code, out, _ = run(t, st, "", Options{}, "show", itoa(first))
		for _, want := range []string{"second line", "Notification by webhook: pending", "192.0.2.x  SSH-2.0-evil"} {
			if code != 0 || !strings.Contains(out, want) {
				t.Errorf("show lacks %q (exit %d):\n%s", want, code, out)
			}
		}

		// read, --unread, archive, approve, delete.
		if code, out, _ := run(t, st, "", Options{}, "read", itoa(second)); code != 0 || out != "message "+itoa(second)+": marked read\n" {
			t.Errorf("read: %d %q", code, out)
		}
		if _, out, _ := run(t, st, "", Options{}, "--unread"); strings.Contains(out, "Loved") || !strings.Contains(out, "Hello") {
			t.Errorf("--unread:\n%s", out)
		}
		if code, _, errOut := run(t, st, "", Options{}, "approve", itoa(second)); code != 1 || !strings.Contains(errOut, "did not allow it in the guestbook") {
			t.Errorf("approve without the writer's leave: %d %q", code, errOut)
		}
		if code, _, _ := run(t, st, "", Options{}, "approve", itoa(first)); code != 0 {
			t.Errorf("approve: %d", code)
		}
		if gb, _ := st.Guestbook(ctx); len(gb) != 1 || gb[0].Name != "Mallory" {
			t.Errorf("guestbook = %+v", gb)
		}
		if code, _, _ := run(t, st, "", Options{}, "archive", itoa(first)); code != 0 {
			t.Errorf("archive: %d", code)
		}
		if _, out, _ := run(t, st, "", Options{}, "--unread"); out != "No unread messages.\n" {
			t.Errorf("--unread after archive: %q", out)
		}

		// reply: the text on stdin, cleaned; emailed when SMTP is set and the contact is an email.
		code, out, _ = run(t, st, "Thanks!\x1b[2J See you.\n", Options{EmailReplies: true}, "reply", itoa(first))
		if code != 0 || !strings.Contains(out, "emailed to m@example.com") {
			t.Errorf("reply: %d %q", code, out)
		}
		m, _ := st.Message(ctx, first)
		if m.Reply != "Thanks! See you." || len(m.Deliveries) != 2 || m.Deliveries[1].Channel != "reply-email" {
			t.Errorf("after reply: %q %+v", m.Reply, m.Deliveries)
		}
		// Too long in a two-byte script: the read's limit cuts inside a character.
		if code, _, errOut := run(t, st, strings.Repeat("ж", 4001), Options{}, "reply", itoa(first)); code != 1 || !strings.Contains(errOut, "at most 2000 characters") {
			t.Errorf("a reply of 4001 ж: %d %q", code, errOut)
		}
		if code, _, errOut := run(t, st, " \n", Options{}, "reply", itoa(first)); code != 1 || !strings.Contains(errOut, "empty") {
			t.Errorf("empty reply: %d %q", code, errOut)
		}

		if code, out, _ := run(t, st, "", Options{}, "delete", itoa(second)); code != 0 || !strings.Contains(out, "deleted") {
			t.Errorf("delete: %d %q", code, out)
		}
		if code, _, errOut := run(t, st, "", Options{}, "show", itoa(second)); code != 1 || errOut != "inbox: there is no message "+itoa(second)+"\n" {
			t.Errorf("show deleted: %d %q", code, errOut)
		}
	})
}

func TestInboxUsage(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "u.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, args := range [][]string{{"show"}, {"show", "x"}, {"show", "1", "2"}, {"frobnicate", "1"}, {"--nope"}, {"read", "-1"}, {"show", "\x1b[2J"}} {
		code, out, errOut := run(t, st, "", Options{}, args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "Usage: inbox") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and the usage on stderr", args, code, out, errOut)
		}
	}
	if code, out, _ := run(t, st, "", Options{}, "--help"); code != 0 || !strings.HasPrefix(out, "Usage: inbox") {
		t.Errorf("--help: %d %q", code, out)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
