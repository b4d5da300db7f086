package server

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/ssh"

	"portfolio/content"
	"portfolio/server/session"
)

func TestPlainAnswers(t *testing.T) {
	ts := newTestServer(t, nil)
	site := testSite(t)
	marker := filepath.Join(t.TempDir(), "executed")

	tests := []struct {
		name, cmd  string
		code       int
		wantOut    []string
		wantErr    string
		wantNoOut  bool
		allSection bool
	}{
		{name: "shell without pty: the whole narrative", cmd: "", allSection: true},
		{name: "plain", cmd: "plain", allSection: true},
		{name: "one section", cmd: "certification", wantOut: []string{site.Sections[1].Title, firstSentence(site.Sections[1].Plain)}},
		{name: "help lists commands and slugs", cmd: "help", wantOut: append([]string{"Usage:", "help", "ssh -T"}, site.Slugs()...)},
		{name: "fingerprint", cmd: "fingerprint", wantOut: []string{ts.key.Fingerprint}},
		{name: "json", cmd: "json", wantOut: []string{`"title"`, site.Sections[0].Slug}},
		{name: "vcard without contact details", cmd: "vcard", code: 1, wantErr: "no contact details", wantNoOut: true},
		{name: "unknown word", cmd: "nope", code: 1, wantErr: `unknown command "nope"`, wantNoOut: true},
		{name: "two words", cmd: "education certification", code: 1, wantErr: "unknown command", wantNoOut: true},
		{name: "never executed", cmd: "touch " + marker, code: 1, wantErr: "unknown command", wantNoOut: true},
		{name: "shell syntax", cmd: "education; touch " + marker, code: 1, wantErr: "unknown command", wantNoOut: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.run(t, "", tt.cmd)
			if r.code != tt.code {
				t.Errorf("exit status %d, want %d (stderr %q)", r.code, tt.code, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, "\x1b") {
				t.Errorf("plain answer holds an escape sequence: %q", r.stdout)
			}
			if tt.allSection {
				if r.stdout != site.PlainText(content.PlainWidth) {
					t.Errorf("stdout is not the whole narrative:\n%s", r.stdout)
				}
				for _, sec := range site.Sections {
					if !strings.Contains(r.stdout, sec.Title) {
						t.Errorf("narrative lacks section %q", sec.Title)
					}
				}
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			if tt.wantErr != "" && !strings.Contains(r.stderr, tt.wantErr) {
				t.Errorf("stderr %q lacks %q", r.stderr, tt.wantErr)
			}
			if tt.wantNoOut && r.stdout != "" {
				t.Errorf("stdout should be empty, got %q", r.stdout)
			}
		})
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a visitor's command was executed")
	}
}

func firstSentence(s string) string {
	s, _, _ = strings.Cut(s, ".")
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

func TestTextCommandsWithAPTY(t *testing.T) {
	ts := newTestServer(t, nil)
	tm := ts.openTerm(t, "", "help", nil)
	if code := tm.exit(t, 5*time.Second); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	if out := tm.output(); !strings.Contains(out, "Usage:") || strings.Contains(out, "\x1b[?1049h") {
		t.Fatalf("help with a PTY should be text, not the UI:\n%q", out)
	}
}

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

func (c *cutShort) Stderr() io.ReadWriter { return c }

func (c *cutShort) Read([]byte) (int, error) { return 0, io.EOF }

func (c *cutShort) Exit(int) error {
	if c.gone || c.out.Len() >= c.n {
		return io.EOF
	}
	return nil
}

func (c *cutShort) Command() []string { return nil }

// Context is nil: no login, so no owner (owner.Is).
func (c *cutShort) Context() ssh.Context { return nil }

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
