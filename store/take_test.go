package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestTakeMessageStoresCleanText(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		evil := "Hi\x1b[2J \x1b]52;c;ZXZpbA==\x07 \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x1bPq\x1b\\ \u009b2J \u202eabc &#x1b;"
		id, code := take(t, s, Draft{Text: evil, Name: "Ada\x1b[31m", ReplyTo: " ada@example.com ", Guestbook: true,
			Source: "198.51.100.7", Addr: "198.51.100.x", Client: "SSH-2.0-OpenSSH_9.6\x1b[2J"}, t0)
		m, err := s.Message(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if want := "Hi  link   abc &#x1b;"; m.Text != want {
			t.Errorf("Text = %q, want %q", m.Text, want)
		}
		if m.Name != "Ada" || m.ReplyTo != "ada@example.com" || m.Client != "SSH-2.0-OpenSSH_9.6" || m.Addr != "198.51.100.x" {
			t.Errorf("fields = %q %q %q %q", m.Name, m.ReplyTo, m.Client, m.Addr)
		}
		if !m.Guestbook || m.Approved || m.Status != "unread" || m.Notified != "none" || !m.Time.Equal(t0) {
			t.Errorf("message = %+v", m)
		}
		if !regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`).MatchString(code) {
			t.Errorf("code %q is not 12 characters of Crockford base32 in groups of 4", code)
		}
		// Only the code's hash is stored, nowhere the code.
		var stored string
		if err := s.db.QueryRow("SELECT code_hash FROM messages WHERE id = $1", id).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != hash(strings.ReplaceAll(code, "-", "")) {
			t.Errorf("code_hash = %q, want the SHA-256 of the code", stored)
		}
		if n := count(t, s, "messages", fmt.Sprintf("text LIKE '%%%[1]s%%' OR source_hash = '%[1]s' OR code_hash = '%[1]s'", code)); n != 0 {
			t.Errorf("the code is stored in clear")
		}
		// The source is stored only as a hash.
		if n := count(t, s, "messages", "source_hash = '198.51.100.7'"); n != 0 {
			t.Errorf("the source key is stored in clear")
		}
	})
}

func TestTakeMessageRefusals(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		long := strings.Repeat("é", MaxText)
		for _, tc := range []struct {
			name string
			d    Draft
			want error
		}{
			{"empty", Draft{Text: ""}, ErrEmpty},
			{"only spaces and escapes", Draft{Text: "  \n\t\x1b[2J\u202e "}, ErrEmpty},
			{"text too long", Draft{Text: long + "x"}, ErrTooLong},
			{"name too long", Draft{Text: "hi", Name: strings.Repeat("n", MaxName+1)}, ErrTooLong},
			{"reply-to too long", Draft{Text: "hi", ReplyTo: strings.Repeat("r", MaxReplyTo+1)}, ErrTooLong},
			{"text not UTF-8", Draft{Text: "caf\xe9"}, ErrNotUTF8},
			{"name not UTF-8", Draft{Text: "hi", Name: "\xff"}, ErrNotUTF8},
		} {
			tc.d.Source = "refusals"
			if _, _, err := s.TakeMessage(ctx, tc.d, t0); !errors.Is(err, tc.want) || errors.Is(err, ErrUnavailable) {
				t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
			}
		}
		if n := count(t, s, "messages", ""); n != 0 {
			t.Errorf("%d messages stored by refusals", n)
		}
		// At the limits exactly: taken (runes, not bytes).
		take(t, s, Draft{Text: long, Name: strings.Repeat("ñ", MaxName), ReplyTo: strings.Repeat("r", MaxReplyTo), Source: "edge"}, t0)
	})
}

func TestTakeMessageSourceLimits(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		// Eight in a row from one source: three stored, the rest refused as too many.
		var stored, refused int
		for i := range 8 {
			_, _, err := s.TakeMessage(ctx, Draft{Text: fmt.Sprintf("note %d", i), Source: "a"}, t0.Add(time.Duration(i)*time.Second))
			switch {
			case err == nil:
				stored++
			case errors.Is(err, ErrTooMany):
				refused++
			default:
				t.Fatalf("message %d: %v", i, err)
			}
		}
		if stored != 3 || refused != 5 {
			t.Errorf("stored %d, refused %d; want 3 and 5", stored, refused)
		}
		// Another source still sends.
		take(t, s, Draft{Text: "note 0", Source: "b"}, t0)
		// Ten minutes later, three more; the day's limit is ten.
		for round := 1; round <= 3; round++ {
			now := t0.Add(time.Duration(round) * 11 * time.Minute)
			for i := range 3 {
				_, _, err := s.TakeMessage(ctx, Draft{Text: fmt.Sprintf("round %d note %d", round, i), Source: "a"}, now)
				if n := 3 + 3*(round-1) + i; n < 10 && err != nil {
					t.Fatalf("message %d of the day: %v", n+1, err)
				} else if n >= 10 && !errors.Is(err, ErrTooMany) {
					t.Fatalf("message %d of the day: err = %v, want ErrTooMany", n+1, err)
				}
			}
		}
		if n := count(t, s, "messages", ""); n != 11 {
			t.Errorf("%d stored, want 10 from a and 1 from b", n)
		}
		// A day after the first, the source may write again.
		take(t, s, Draft{Text: "next day", Source: "a"}, t0.Add(day+time.Minute))
	})
}

func TestTakeMessageDuplicate(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		take(t, s, Draft{Text: "Loved the talk", Source: "a"}, t0)
		// The same text after cleaning: refused, however long after.
		if _, _, err := s.TakeMessage(ctx, Draft{Text: " Loved the \x1b[1mtalk\n", Source: "a"}, t0.Add(48*time.Hour)); !errors.Is(err, ErrDuplicate) {
			t.Errorf("repeat: err = %v, want ErrDuplicate", err)
		}
		// The same text from someone else is their own message.
		take(t, s, Draft{Text: "Loved the talk", Source: "b"}, t0)
	})
}

func TestTakeMessageHourLimit(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		fill(t, s, perHour-1, "unread", t0.Add(-30*time.Minute))
		take(t, s, Draft{Text: "the hundredth", Source: "a"}, t0)
		if _, _, err := s.TakeMessage(ctx, Draft{Text: "one too many", Source: "b"}, t0); !errors.Is(err, ErrInboxFull) {
			t.Errorf("101st in an hour: err = %v, want ErrInboxFull", err)
		}
		take(t, s, Draft{Text: "an hour later", Source: "b"}, t0.Add(31*time.Minute))
	})
}

func TestTakeMessageStoreCap(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		old := t0.Add(-30 * day)
		fill(t, s, 3, "archived", old)
		fill(t, s, 2, "archived", old.Add(time.Hour))
		fill(t, s, maxStored-5, "unread", old.Add(2*time.Hour))
		if n := count(t, s, "messages", ""); n != maxStored {
			t.Fatalf("filled %d", n)
		}
		// Full: the oldest archived message makes room.
		take(t, s, Draft{Text: "room made", Source: "a"}, t0)
		if n := count(t, s, "messages", ""); n != maxStored {
			t.Errorf("%d stored, want %d", n, maxStored)
		}
		if n := count(t, s, "messages", fmt.Sprintf("status = 'archived' AND at = %d", micro(old))); n != 2 {
			t.Errorf("%d of the 3 oldest archived left, want 2", n)
		}
		for i := range 4 {
			take(t, s, Draft{Text: fmt.Sprintf("more %d", i), Source: fmt.Sprintf("s%d", i)}, t0)
		}
		if n := count(t, s, "messages", "status = 'archived'"); n != 0 {
			t.Fatalf("%d archived left, want 0", n)
		}
		// Nothing archived left: unread messages are never dropped; refuse.
		if _, _, err := s.TakeMessage(ctx, Draft{Text: "no room", Source: "z"}, t0); !errors.Is(err, ErrInboxFull) {
			t.Errorf("full of unread: err = %v, want ErrInboxFull", err)
		}
		if n := count(t, s, "messages", "status = 'unread'"); n != maxStored {
			t.Errorf("%d unread, want %d", n, maxStored)
		}
	})
}

// Concurrent sends cannot exceed the limits: the checks and the insert are one transaction
// that takes the write lock (SQLite) or an advisory lock (PostgreSQL) first.
func TestTakeMessageConcurrent(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		// One source, sixteen messages at once: three taken.
		errs := make([]error, 16)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() {
				_, _, errs[i] = s.TakeMessage(context.Background(), Draft{Text: fmt.Sprintf("burst %d", i), Source: "burst"}, t0.Add(-time.Hour))
			})
		}
		wg.Wait()
		taken := 0
		for _, err := range errs {
			if err == nil {
				taken++
			} else if !errors.Is(err, ErrTooMany) {
				t.Errorf("burst: %v", err)
			}
		}
		if taken != perSourceShort || count(t, s, "messages", "") != perSourceShort {
			t.Errorf("burst from one source: %d taken, %d stored, want %d", taken, count(t, s, "messages", ""), perSourceShort)
		}

		// Many sources near the hour's limit: exactly the room left is taken.
		fill(t, s, perHour-5, "unread", t0.Add(-time.Minute)) // the burst is over an hour old
		const senders = 16
		results := make([]error, 2*senders)
		for i := range senders {
			wg.Go(func() { // one source, many messages
				_, _, results[i] = s.TakeMessage(context.Background(), Draft{Text: fmt.Sprintf("same source %d", i), Source: "one"}, t0)
			})
			wg.Go(func() { // many sources
				_, _, results[senders+i] = s.TakeMessage(context.Background(), Draft{Text: "hello", Source: fmt.Sprintf("many-%d", i)}, t0)
			})
		}
		wg.Wait()
		var ok, tooMany, full int
		for _, err := range results {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrTooMany):
				tooMany++
			case errors.Is(err, ErrInboxFull):
				full++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if stored := count(t, s, "messages", fmt.Sprintf("at > %d", micro(t0.Add(-time.Hour)))); ok != 5 || stored != perHour {
			t.Errorf("%d taken (%d stored in the hour), want 5 (%d)", ok, stored, perHour)
		}
		if n := count(t, s, "messages", fmt.Sprintf("source_hash = '%s'", hash("one"))); n > perSourceShort {
			t.Errorf("%d from one source, limit %d", n, perSourceShort)
		}
		t.Logf("taken %d, too many %d, inbox full %d", ok, tooMany, full)
	})
}

func TestTakeMessageDeliveries(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id, _ := take(t, s, Draft{Text: "notify me", Source: "a", Channels: []string{"webhook", "email", "webhook"}}, t0)
		m, err := s.Message(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Deliveries) != 2 || m.Deliveries[0].Channel != "webhook" || m.Deliveries[1].Channel != "email" {
			t.Fatalf("deliveries = %+v, want webhook and email", m.Deliveries)
		}
		for _, d := range m.Deliveries {
			if d.State != "pending" || !d.NextAt.Equal(t0) || d.MessageID != id {
				t.Errorf("delivery = %+v", d)
			}
		}
		if m.Notified != "pending" {
			t.Errorf("Notified = %q", m.Notified)
		}
	})
}
