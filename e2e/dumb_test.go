package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu   sync.Mutex
	b    bytes.Buffer
	grew chan struct{} // closed (and replaced) by every write: what waitFor wakes on
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.grew != nil {
		close(l.grew)
		l.grew = nil
	}
	return l.b.Write(p)
}

// waitFor waits until the output contains what, waking on every write.
func (l *lockedBuffer) waitFor(within time.Duration, what string) bool {
	deadline := time.After(within)
	for {
		l.mu.Lock()
		if strings.Contains(l.b.String(), what) {
			l.mu.Unlock()
			return true
		}
		if l.grew == nil {
			l.grew = make(chan struct{})
		}
		grew := l.grew
		l.mu.Unlock()
		select {
		case <-grew:
		case <-deadline:
			return false
		}
	}
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDumbTerminalGetsNoEscapes: TERM=dumb with a PTY (ssh -tt) is served line by line, and
// the whole raw stream, from the first byte to the goodbye, holds no ESC: a real dumb
// terminal (Emacs M-x shell, a serial console) would print every sequence as junk.
func TestDumbTerminalGetsNoEscapes(t *testing.T) {
	needTools(t)
	st := site(t)
	srv := start(t, t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", srv.sshArgs("-tt")...)
	cmd.Env = append(os.Environ(), "TERM=dumb")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitOut := func(what string) {
		t.Helper()
		if !out.waitFor(30*time.Second, what) {
			t.Fatalf("no %q in the stream within 30s:\n%q", what, out.String())
		}
	}
	waitOut("q quit --")
	overview := out.String()
	for i, sec := range st.Sections {
		if want := string(rune('1'+i)) + ". " + sec.Title; !strings.Contains(overview, want) {
			t.Errorf("overview lacks %q:\n%s", want, overview)
		}
		if !strings.Contains(strings.Join(strings.Fields(overview), " "), sec.Summary) {
			t.Errorf("overview lacks the summary of %s", sec.Title)
		}
	}
	if !strings.Contains(overview, st.Settings.Tagline) {
		t.Errorf("overview lacks the tagline:\n%s", overview)
	}

	if _, err := in.Write([]byte("2")); err != nil {
		t.Fatal(err)
	}
	waitOut("2/" + string(rune('0'+len(st.Sections))) + "  " + st.Sections[1].Title)
	waitOut(strings.Fields(st.Sections[1].Plain)[0] + " ")
	if _, err := in.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	stream := out.String()
	if err != nil || cmd.ProcessState.ExitCode() != 0 {
		t.Fatalf("ssh after q: %v, status %d (stderr %q); stream:\n%q", err, cmd.ProcessState.ExitCode(), errOut.String(), stream)
	}
	if i := strings.IndexByte(stream, 0x1b); i >= 0 {
		t.Fatalf("ESC at byte %d of %d: %q", i, len(stream), stream[max(0, i-40):min(len(stream), i+40)])
	}
	if !strings.Contains(stream, "Thanks for reading.") {
		t.Errorf("no goodbye after q:\n%s", stream)
	}
	if e := waitEvent(t, srv, "session end", 10*time.Second); e["reason"] != "quit" || e["kind"] != "interactive" {
		t.Errorf("session end: %v", e)
	}
}
