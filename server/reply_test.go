package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/server/replies"
	"portfolio/store"
)

// TestReplyCommand: `ssh HOST reply CODE` says there is no reply yet, then shows the
// owner's; a wrong code is exit 1; after replies.WrongBurst wrong codes from one address
// that address is refused, another is not.
func TestReplyCommand(t *testing.T) {
	ts, key := ownerServer(t)
	st := ts.openStore(t)
	id, code, err := st.TakeMessage(context.Background(), store.Draft{Text: "hello", Source: "192.0.2.1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r := ts.run(t, "", "reply "+code); r.code != 0 || !strings.Contains(r.stdout, "No reply yet") {
		t.Fatalf("before the reply: %+v", r)
	}
	// The owner reads the inbox and replies, over SSH.
	var inbox []map[string]any
	if err := json.Unmarshal([]byte(ts.asOwner(t, key, "inbox --json")), &inbox); err != nil || len(inbox) != 1 || inbox[0]["text"] != "hello" {
		t.Fatalf("the owner's inbox: %v %v", inbox, err)
	}
	if _, err := ts.loginWithInput(t, "owner", []gossh.AuthMethod{gossh.PublicKeys(key)},
		fmt.Sprintf("inbox reply %d", id), "Thanks \x1b[2Jfor writing\n"); err != nil {
		t.Fatal(err)
	}
	if r := ts.run(t, "", "reply "+code); r.code != 0 || r.stdout != "Thanks for writing\n" {
		t.Fatalf("after the reply: %+v", r)
	}
	for i := range replies.WrongBurst {
		if r := ts.run(t, "", "reply WRONGCODE00"); r.code != 1 || !strings.Contains(r.stderr, "no message has that code") {
			t.Fatalf("wrong code %d: %+v", i+1, r)
		}
	}
	if r := ts.run(t, "", "reply "+code); r.code != 1 || !strings.Contains(r.stderr, "too many wrong codes") {
		t.Fatalf("after %d wrong codes: %+v", replies.WrongBurst, r)
	}
	if r := ts.run(t, "127.0.0.2", "reply "+code); r.code != 0 || r.stdout != "Thanks for writing\n" {
		t.Fatalf("another address: %+v", r)
	}
	if r := ts.run(t, "", "reply"); r.code != 1 || !strings.Contains(r.stderr, "usage") {
		t.Fatalf("no code: %+v", r)
	}
}
