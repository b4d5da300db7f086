package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestInboxOperations(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a, codeA := take(t, s, Draft{Text: "first\nsecond line", Name: "Ada", ReplyTo: "ada@example.com", Guestbook: true, Source: "a"}, t0)
		b, _ := take(t, s, Draft{Text: "newest", ReplyTo: "@ada on the fediverse", Source: "b"}, t0.Add(time.Minute))

		ms, err := s.Messages(ctx, Filter{})
		if err != nil || len(ms) != 2 || ms[0].ID != b || ms[1].ID != a {
			t.Fatalf("Messages = %+v, %v; want newest first", ms, err)
		}
		if ms, _ := s.Messages(ctx, Filter{Limit: 1}); len(ms) != 1 || ms[0].ID != b {
			t.Errorf("Limit 1 = %+v", ms)
		}
		c, _ := s.Counts(ctx)
		if c != (Counts{Unread: 2, NewestUnread: "newest"}) {
			t.Errorf("Counts = %+v", c)
		}

		if err := s.MarkRead(ctx, b); err != nil {
			t.Fatal(err)
		}
		if ms, _ := s.Messages(ctx, Filter{Unread: true}); len(ms) != 1 || ms[0].ID != a {
			t.Errorf("unread = %+v", ms)
		}
		if c, _ := s.Counts(ctx); c.Unread != 1 || c.NewestUnread != "first" {
			t.Errorf("Counts after read = %+v", c)
		}
		if err := s.Archive(ctx, b); err != nil {
			t.Fatal(err)
		}
		if m, _ := s.Message(ctx, b); m.Status != "archived" {
			t.Errorf("status after Archive = %q", m.Status)
		}

		// Approve: only with the writer's leave; the guestbook shows approved ones, newest first.
		if err := s.Approve(ctx, b); !errors.Is(err, ErrNotAllowed) {
			t.Errorf("Approve without leave: %v", err)
		}
		if gb, _ := s.Guestbook(ctx); len(gb) != 0 {
			t.Errorf("guestbook before approval = %+v", gb)
		}
		if err := s.Approve(ctx, a); err != nil {
			t.Fatal(err)
		}
		if gb, err := s.Guestbook(ctx); err != nil || len(gb) != 1 || gb[0] != (Entry{Time: t0, Name: "Ada", Text: "first\nsecond line"}) {
			t.Errorf("Guestbook = %+v, %v", gb, err)
		}

		// Reply: cleaned, marks read, readable by the code; emailed only to an email address.
		if reply, known, err := s.ReplyFor(ctx, codeA); err != nil || !known || reply != "" {
			t.Errorf("ReplyFor before reply = %q %v %v", reply, known, err)
		}
		if err := s.Reply(ctx, a, "Thank you!\x1b]52;c;eA==\x07", true); err != nil {
			t.Fatal(err)
		}
		m, _ := s.Message(ctx, a)
		if m.Reply != "Thank you!" || m.Status != "read" || m.RepliedAt.IsZero() || len(m.Deliveries) != 1 || m.Deliveries[0].Channel != "reply-email" {
			t.Errorf("after Reply: %+v", m)
		}
		for _, code := range []string{codeA, lower(codeA), dashless(codeA)} {
			if reply, known, err := s.ReplyFor(ctx, code); err != nil || !known || reply != "Thank you!" {
				t.Errorf("ReplyFor(%q) = %q %v %v", code, reply, known, err)
			}
		}
		if _, known, err := s.ReplyFor(ctx, "ABCD-EFGH-JKMN"); known || err != nil {
			t.Errorf("ReplyFor(unknown) = %v %v", known, err)
		}
		if err := s.Reply(ctx, b, "no email for a non-email contact", true); err != nil {
			t.Fatal(err)
		}
		if m, _ := s.Message(ctx, b); len(m.Deliveries) != 0 || m.Status != "archived" {
			t.Errorf("reply to a non-email contact: %+v", m)
		}
		if err := s.Reply(ctx, a, "again, without SMTP", false); err != nil {
			t.Fatal(err)
		}
		if m, _ := s.Message(ctx, a); len(m.Deliveries) != 1 {
			t.Errorf("reply without email channel queued a delivery: %+v", m.Deliveries)
		}
		if err := s.Reply(ctx, a, " \x1b[2J ", false); !errors.Is(err, ErrEmpty) {
			t.Errorf("empty reply: %v", err)
		}

		// Delete removes the message and its deliveries.
		if err := s.Delete(ctx, a); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, "deliveries", ""); n != 0 {
			t.Errorf("%d deliveries left after Delete", n)
		}
		for name, f := range map[string]func(context.Context, int64) error{
			"MarkRead": s.MarkRead, "Archive": s.Archive, "Delete": s.Delete, "Approve": s.Approve,
		} {
			if err := f(ctx, a); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s(deleted) = %v, want ErrNotFound", name, err)
			}
		}
		if _, err := s.Message(ctx, a); !errors.Is(err, ErrNotFound) {
			t.Errorf("Message(deleted) = %v", err)
		}
		if err := s.Reply(ctx, a, "hello?", false); !errors.Is(err, ErrNotFound) {
			t.Errorf("Reply(deleted) = %v", err)
		}
	})
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func dashless(s string) string {
	out := []byte{}
	for _, c := range []byte(s) {
		if c != '-' {
			out = append(out, c)
		}
	}
	return string(out)
}
