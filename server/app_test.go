package server

import (
	"io"
	"strings"
	"testing"

	"charm.land/ssh"

	"portfolio/content"
	"portfolio/server/session"
)

// cutShort is a client that takes n bytes of an answer and then goes away, the way
// `ssh -T HOST | head` closes its channel once head has read enough: writes after that fail
// as they do on a closed SSH channel, and so does the exit status.
type cutShort struct {
	ssh.Session // nil: only what a text answer uses is implemented
	n           int
	gone        bool // the client has gone by the time the exit status is sent
	out         strings.Builder
}

func (c *cutShort) Write(p []byte) (int, error) {
	room := c.n - c.out.Len()
	if room >= len(p) {
		return c.out.Write(p)
	}
	c.out.Write(p[:max(room, 0)])
	return max(room, 0), io.EOF
}

func (c *cutShort) Stderr() io.ReadWriter    { return c }
func (c *cutShort) Read([]byte) (int, error) { return 0, io.EOF }
func (c *cutShort) Exit(int) error {
	if c.gone || c.out.Len() >= c.n {
		return io.EOF
	}
	return nil
}
func (c *cutShort) Command() []string                       { return nil }
func (c *cutShort) Pty() (ssh.Pty, <-chan ssh.Window, bool) { return ssh.Pty{}, nil, false }

// throughSession runs s through the session middleware, as the chain does, and hands the visit to
// handle.
func throughSession(s ssh.Session, handle func(*session.Visit)) {
	session.Middleware(nil)(func(s ssh.Session) { handle(session.Of(s)) })(s)
}

func TestAnswerCutShortIsADisconnect(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, tc := range []struct {
		name string
		take int
		gone bool
		want session.Reason
	}{
		{"cut short", 100, false, session.Disconnect},
		{"taken whole, then gone before the exit status", 1 << 20, true, session.Disconnect},
		{"taken whole", 1 << 20, false, session.Done},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client := &cutShort{n: tc.take, gone: tc.gone}
			throughSession(client, func(v *session.Visit) {
				ts.app(nil)(v)
				if sum := v.Summary(); sum.Reason != tc.want || sum.Kind != session.Plain {
					t.Errorf("reason %s kind %s, want %s plain", sum.Reason, sum.Kind, tc.want)
				}
			})
			if got := client.out.Len(); got != min(tc.take, len(testSite(t).PlainText(content.PlainWidth))) {
				t.Errorf("the client got %d bytes", got)
			}
		})
	}
}
