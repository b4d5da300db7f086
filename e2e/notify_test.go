package e2e

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// receiver is a real HTTP server taking webhook posts on a fixed loopback address, so it can
// go away and come back where the portfolio expects it.
type receiver struct {
	addr  string
	srv   *http.Server
	posts chan map[string]any
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{addr: l.Addr().String(), posts: make(chan map[string]any, 16)}
	r.serve(t, l)
	return r
}

func (r *receiver) serve(t *testing.T, l net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("webhook body is not JSON: %q", b)
		}
		r.posts <- v
	})}
	r.srv = srv
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
}

func (r *receiver) down() { _ = r.srv.Close() }

func (r *receiver) up(t *testing.T) {
	t.Helper()
	l, err := net.Listen("tcp", r.addr)
	if err != nil {
		t.Fatalf("the receiver cannot come back on %s: %v", r.addr, err)
	}
	r.serve(t, l)
}

// TestNotificationSurvivesReceiverDownAndKill9: a message taken while the webhook receiver
// is down, then the server killed with kill -9, is delivered once both are back.
func TestNotificationSurvivesReceiverDownAndKill9(t *testing.T) {
	needTools(t)
	rcv := newReceiver(t)
	rcv.down()
	dir := t.TempDir()
	hook := "--notify-webhook=http://" + rcv.addr + "/hook"
	srv := start(t, dir, hook)
	stdout, stderr, code := srv.sshIn(t, "tell the owner\n", nil, "message")
	if code != 0 {
		t.Fatalf("not taken: %q %q", stdout, stderr)
	}
	// The first attempt fails (nothing listens): wait for the worker to say so.
	deadline := time.Now().Add(15 * time.Second)
	for srv.event("outbox: attempt failed") == nil {
		if time.Now().After(deadline) {
			t.Fatalf("no failed attempt logged: %v", srv.log())
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = srv.cmd.Process.Kill()
	<-srv.exited

	rcv.up(t)
	start(t, dir, hook)
	select {
	case p := <-rcv.posts:
		msg, _ := p["message"].(map[string]any)
		if msg == nil || msg["text"] != "tell the owner" {
			t.Errorf("posted %v", p)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the notification was not delivered after both came back")
	}
}
