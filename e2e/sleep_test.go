package e2e

import (
	"strings"
	"testing"
	"time"
)

// A reader who stops typing has their program put to sleep; to them nothing changes: the
// screen stays, still in the alternate screen, and the next key answers as always.
func TestSleepingScreenThroughOpenSSH(t *testing.T) {
	needTools(t)
	st := site(t)
	srv := start(t, t.TempDir())
	tm := newTmux(t, 100, 30, nil, srv.sshCommand("-t"))
	first := cover(st)
	tm.waitFor(t, first, 15*time.Second)

	altScreen := func() string {
		return strings.TrimSpace(tm.run(t, "display-message", "-p", "-t", "e2e", "#{alternate_on} #{cursor_flag}"))
	}
	for i := range 2 { // asleep, woken by a key, asleep again, woken by a resize
		// The screen starts asleep; the program "3" woke sleeps after the server's fixed
		// 5 s (sleepAfter). A screen falls asleep without a sign outside the process (no
		// output, no log line, no metric): that is the point, and there is no event to await.
		wait := time.Second
		if i == 1 {
			wait = 6 * time.Second
		}
		time.Sleep(wait)
		if state := altScreen(); state != "1 0" {
			t.Fatalf("sleep %d: alternate screen, cursor visible = %q, want \"1 0\" (the UI still up)", i+1, state)
		}
		if screen := tm.screen(t); !strings.Contains(screen, st.Settings.Title) {
			t.Fatalf("sleep %d: the screen changed while asleep:\n%s", i+1, screen)
		}
		if i == 0 {
			tm.keys(t, "3")
			tm.waitFor(t, opening(st.Sections[2]), 5*time.Second)
		} else {
			tm.run(t, "resize-window", "-t", "e2e", "-x", "60", "-y", "20")
			tm.waitScreen(t, "the layout at 60 columns", 5*time.Second, func(s string) bool {
				for _, line := range strings.Split(s, "\n") {
					if strings.Contains(line, st.Settings.Title) {
						return strings.Index(line, st.Settings.Title) < 10 // recentred for 60
					}
				}
				return false
			})
		}
	}

	tm.keys(t, "q")
	after := tm.waitFor(t, "EXIT=", 5*time.Second)
	if !strings.Contains(after, "EXIT=0") || !strings.Contains(after, "Thanks for reading") {
		t.Fatalf("q after sleeping: want exit 0 and the goodbye:\n%s", after)
	}
	if state := altScreen(); state != "0 1" {
		t.Errorf("terminal not restored after sleeping: %q, want \"0 1\"", state)
	}
	// The first frame was painted without a program: "3" started the first, which slept;
	// the resize started the second (q may have found it asleep too, and started a third).
	end := waitEvent(t, srv, "session end", 5*time.Second)
	if sleeps, _ := end["sleeps"].(float64); sleeps < 1 {
		t.Errorf("session end sleeps=%v, want at least 1", end["sleeps"])
	}
	if woken, _ := end["woken"].(float64); woken < 2 {
		t.Errorf("session end woken=%v, want at least 2", end["woken"])
	}
}
