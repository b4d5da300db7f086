package letter

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"portfolio/store"
)

// TestRefusalWords: each refusal the store can give has its own words, and anything else
// (the database away, a deadline passed) says to try again.
func TestRefusalWords(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{store.ErrEmpty, "empty"},
		{fmt.Errorf("%w: a name has at most 60 characters", store.ErrTooLong), "Too long: a name has at most 60 characters."},
		{store.ErrTooLong, "Too long: at most 2,000 characters"},
		{store.ErrNotUTF8, "not UTF-8"},
		{store.ErrTooMany, "Too many messages from you just now"},
		{store.ErrInboxFull, "The inbox is full for now"},
		{store.ErrDuplicate, "You sent that already."},
		{fmt.Errorf("%w: connection refused", store.ErrUnavailable), "can't be taken right now"},
		{context.DeadlineExceeded, "can't be taken right now"},
		{errors.New("anything"), "can't be taken right now"},
	} {
		if got := Refusal(tc.err); !strings.Contains(got, tc.want) {
			t.Errorf("Refusal(%v) = %q, want it to say %q", tc.err, got, tc.want)
		}
	}
}

func TestCount(t *testing.T) {
	if got := Count(1234, MaxText); got != "1,234/2,000" {
		t.Errorf("Count = %q", got)
	}
}

// TestStoreMailbox sends through a real SQLite store and reads the reply by the code; with
// no store at all, every send is refused as unavailable.
func TestStoreMailbox(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "portfolio.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b := StoreMailbox{Store: st, Source: "192.0.2.5", Addr: "192.0.2.0/24", Client: "SSH-2.0-test"}
	code, err := b.Send(ctx, Letter{Text: "hello", Name: "Ada"})
	if err != nil || code == "" {
		t.Fatalf("Send: %q %v", code, err)
	}
	msgs, err := st.Messages(ctx, store.Filter{})
	if err != nil || len(msgs) != 1 || msgs[0].Addr != "192.0.2.0/24" || msgs[0].Client != "SSH-2.0-test" {
		t.Fatalf("stored %+v (%v)", msgs, err)
	}
	if err := st.Reply(ctx, msgs[0].ID, "thanks!", false); err != nil {
		t.Fatal(err)
	}
	if reply, known, err := b.ReplyFor(ctx, code); err != nil || !known || reply != "thanks!" {
		t.Errorf("ReplyFor: %q %v %v", reply, known, err)
	}
	if _, err := (StoreMailbox{}).Send(ctx, Letter{Text: "x"}); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("no store: %v", err)
	}
}
