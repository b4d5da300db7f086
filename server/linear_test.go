package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// openDumb opens a session whose PTY says TERM=dumb, at 60x20.
func (ts *testServer) openDumb(t *testing.T, cmd string) *term {
	t.Helper()
	return ts.openPty(t, "", "dumb", 60, 20, cmd, nil)
}

func TestDumbTerminalReadsLineByLine(t *testing.T) {
	site := testSite(t)
	ts := newTestServer(t, nil)
	tm := ts.openDumb(t, site.Sections[2].Slug)
	tm.waitFor(t, "3/3  "+site.Sections[2].Title, 5*time.Second)
	tm.press(t, "1")
	tm.waitFor(t, "1/3  "+site.Sections[0].Title, 5*time.Second)
	tm.press(t, "q")
	if code := tm.exit(t, 5*time.Second); code != 0 {
		t.Errorf("exit status %d after q", code)
	}
	out := tm.output()
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape sequence sent to a dumb terminal: %q", out)
	}
	for _, line := range strings.Split(out, "\r\n") {
		if utf8.RuneCountInString(line) > 60 {
			t.Errorf("line wider than the 60-column window: %q", line)
		}
	}
	if !strings.Contains(out, "Thanks for reading.") {
		t.Errorf("no goodbye: %q", out)
	}
	end := ts.lastEnd(t) // logged once the handler has returned
	if end["reason"] != "quit" {
		t.Fatalf("session end: %v", end)
	}
	// The sections read, in the order first opened, as the full UI logs them.
	secs, _ := end["sections"].([]any)
	var slugs []string
	for _, s := range secs {
		if m, ok := s.(map[string]any); ok {
			slugs = append(slugs, fmt.Sprint(m["slug"]))
		}
	}
	if want := []string{site.Sections[2].Slug, site.Sections[0].Slug}; !slices.Equal(slugs, want) {
		t.Errorf("sections logged %v (%v), want %v", slugs, end["sections"], want)
	}
}

// The reader keeps the full UI's limits: the idle timeout, and a polite end at shutdown.
func TestDumbTerminalLimits(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.IdleTimeout = 300 * time.Millisecond })
	tm := ts.openDumb(t, "")
	tm.waitFor(t, "q quit --", 5*time.Second)
	tm.waitFor(t, "without a key press", 10*time.Second)
	if code := tm.exit(t, 5*time.Second); code != 0 {
		t.Errorf("exit status %d after the idle timeout", code)
	}

	ts = newTestServer(t, nil)
	tm = ts.openDumb(t, "")
	tm.waitFor(t, "q quit --", 5*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown with a dumb session open: %v", err)
	}
	tm.waitFor(t, "restarting", 5*time.Second)
	if strings.Contains(tm.output(), "\x1b") {
		t.Errorf("escape sequence sent to a dumb terminal: %q", tm.output())
	}
}

func TestHelpFitsIn80Columns(t *testing.T) {
	ts := newTestServer(t, nil)
	r := ts.run(t, "", "help")
	if r.code != 0 {
		t.Fatalf("help: status %d", r.code)
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if w := utf8.RuneCountInString(line); w > 80 {
			t.Errorf("%d columns: %q", w, line)
		}
	}
	for _, want := range []string{"ssh -t portfolio.example.dev plain", "read top to bottom", "education"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, r.stdout)
		}
	}
}

// Window changes are taken (the ssh package blocks the session's requests on one nobody
// reads: the client's next request would never be answered) and the next pages follow them.
func TestDumbTerminalResizes(t *testing.T) {
	site := testSite(t)
	ts := newTestServer(t, nil)
	tm := ts.openDumb(t, "")
	tm.waitFor(t, "q quit --", 5*time.Second)
	for _, w := range []int{70, 50, 40} {
		answered := make(chan error, 1)
		go func() { answered <- tm.sess.WindowChange(20, w) }()
		select {
		case err := <-answered:
			if err != nil {
				t.Fatalf("window change: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a window change was never taken")
		}
	}
	// The sizes and the keys reach the reader on two goroutines of the server: a round trip
	// (the help, asked for and shown) gives the last size time to arrive before the key.
	tm.press(t, "?")
	// The whole help, to its closing prompt: it may come in several writes.
	before := len(tm.waitOutput(t, 5*time.Second, "the help and its prompt", func(out string) bool {
		i := strings.LastIndex(out, "Keys (each alone")
		return i >= 0 && strings.Contains(out[i:], "q quit --")
	}))
	tm.press(t, "3")
	tm.waitFor(t, "3/3  "+site.Sections[2].Title, 5*time.Second)
	tm.press(t, "q")
	if code := tm.exit(t, 5*time.Second); code != 0 {
		t.Errorf("exit status %d after q", code)
	}
	after := tm.output()[before:]
	for _, line := range strings.Split(after, "\r\n") {
		if utf8.RuneCountInString(line) > 40 {
			t.Errorf("line wider than the new 40 columns: %q", line)
		}
	}
}
