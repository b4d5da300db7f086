package replies

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"portfolio/store"
)

// TestWrongCodes: against a real store, a right code shows the reply once the owner gave it;
// 20 wrong codes from one source, and then that source is refused, the right code too, until
// a wrong code is earned back; another source is not touched.
func TestWrongCodes(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clock := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	id, code, err := st.TakeMessage(ctx, store.Draft{Text: "hello", Source: "198.51.100.1", Addr: "198.51.100.1"}, clock)
	if err != nil {
		t.Fatal(err)
	}
	r := New(st.ReplyFor, func() time.Time { return clock })

	if reply, known, err := r.Read(ctx, "a", code); err != nil || !known || reply != "" {
		t.Fatalf("before the reply: %q %v %v", reply, known, err)
	}
	if err := st.Reply(ctx, id, "thanks!", false); err != nil {
		t.Fatal(err)
	}
	if reply, known, err := r.Read(ctx, "a", code); err != nil || !known || reply != "thanks!" {
		t.Fatalf("after the reply: %q %v %v", reply, known, err)
	}
	for i := range WrongBurst {
		if _, known, err := r.Read(ctx, "a", "wrong-code-000"); err != nil || known {
			t.Fatalf("wrong code %d: %v %v", i+1, known, err)
		}
	}
	if _, _, err := r.Read(ctx, "a", code); !errors.Is(err, ErrTooManyWrong) {
		t.Fatalf("after %d wrong codes the right one: %v", WrongBurst, err)
	}
	if reply, _, err := r.Read(ctx, "b", code); err != nil || reply != "thanks!" {
		t.Fatalf("another source: %q %v", reply, err)
	}
	clock = clock.Add(WrongEvery)
	if reply, _, err := r.Read(ctx, "a", code); err != nil || reply != "thanks!" {
		t.Fatalf("after %s: %q %v", WrongEvery, reply, err)
	}
}
