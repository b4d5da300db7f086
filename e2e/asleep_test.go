package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newTmuxWithConfig is newTmux with a tmux configuration: window-style sets the pane's
// background, which tmux reports when a program asks (OSC 11), as a light terminal does.
func newTmuxWithConfig(t *testing.T, width, height int, conf, command string) *tmux {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tmux.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := &tmux{socket: fmt.Sprintf("portfolio-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	args := []string{"-L", tm.socket, "-f", path, "new-session", "-d", "-s", "e2e",
		"-x", fmt.Sprint(width), "-y", fmt.Sprint(height), command + `; echo "EXIT=$?"; sleep 120`}
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	return tm
}

// titleLine is the screen's line holding title, with its colours (capture-pane -e).
func titleLine(t *testing.T, tm *tmux, title string) string {
	t.Helper()
	for _, line := range strings.Split(tm.run(t, "capture-pane", "-e", "-p", "-t", "e2e"), "\n") {
		if strings.Contains(line, title) {
			return line
		}
	}
	t.Fatalf("no %q on screen", title)
	return ""
}

// A visitor who reads the first screen and leaves never costs a Bubble Tea program: the
// first frame is painted without one, the terminal's answer to the background query does
// not start one, and a light terminal gets the light palette on that first frame, the one
// the program uses once a key starts it.
func TestFirstScreenWithoutAProgramThroughOpenSSH(t *testing.T) {
	needTools(t)
	st := site(t)
	srv := start(t, t.TempDir(), "--idle-timeout", "10s") // the shortest the settings allow
	first := cover(st)                                    // the first screen

	dark := newTmux(t, 100, 30, nil, srv.sshCommand("-t"))
	dark.waitFor(t, first, 15*time.Second)
	darkTitle := titleLine(t, dark, st.Settings.Title)
	after := dark.waitFor(t, "EXIT=", 20*time.Second) // the idle timeout
	if !strings.Contains(after, "without a key press") {
		t.Fatalf("no idle message after the painted screen:\n%s", after)
	}
	if state := strings.TrimSpace(dark.run(t, "display-message", "-p", "-t", "e2e", "#{alternate_on} #{cursor_flag}")); state != "0 1" {
		t.Errorf("terminal not restored after an idle end: %q, want \"0 1\"", state)
	}
	end := waitEvent(t, srv, "session end", 5*time.Second)
	if end["reason"] != "idle" || end["woken"] != float64(0) {
		t.Fatalf("session end reason=%v woken=%v, want idle and 0: no program for a visitor who never typed", end["reason"], end["woken"])
	}

	srv = start(t, t.TempDir()) // a log of its own: waitEvent reads the first end
	light := newTmuxWithConfig(t, 100, 30, "set -g window-style 'bg=#ffffff,fg=#000000'\n", srv.sshCommand("-t"))
	light.waitFor(t, first, 15*time.Second)
	var lightTitle string
	light.waitScreen(t, "the light palette", 5*time.Second, func(string) bool {
		lightTitle = titleLine(t, light, st.Settings.Title)
		return lightTitle != darkTitle
	})
	light.keys(t, "x") // a key with nothing to do: the program it starts draws the same screen
	// A program that draws the same screen changes nothing on it, and its start is not logged
	// until the session ends, so there is no event to await: give it time to draw.
	time.Sleep(500 * time.Millisecond)
	if woke := titleLine(t, light, st.Settings.Title); woke != lightTitle {
		t.Errorf("the program a key started draws the title otherwise than the painted first frame:\n painted %q\n program %q", lightTitle, woke)
	}
	light.keys(t, "q")
	light.waitFor(t, "EXIT=0", 5*time.Second)
	end = waitEvent(t, srv, "session end", 5*time.Second)
	if end["woken"] != float64(1) {
		t.Errorf("woken=%v after one key, want 1", end["woken"])
	}
}
