package e2e

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"portfolio/content"
	"portfolio/server"
)

func site(t *testing.T) *content.Site {
	t.Helper()
	s, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// opening returns the first few words of a section's body: text that is on screen only
// while that section is.
func opening(sec content.Section) string {
	words := strings.Fields(sec.Plain)
	return strings.Join(words[:min(4, len(words))], " ")
}

// cover is text only the cover (the first screen) shows: the start of the first section's
// one-line summary.
func cover(st *content.Site) string {
	words := strings.Fields(st.Sections[0].Summary)
	return strings.Join(words[:min(4, len(words))], " ")
}

func TestInteractiveSession(t *testing.T) {
	needTools(t)
	st := site(t)
	srv := start(t, t.TempDir())
	tm := newTmux(t, 120, 36, nil, srv.sshCommand("-t"))

	tm.waitFor(t, st.Settings.Title, 15*time.Second)
	first := tm.waitScreen(t, "every section title", 5*time.Second, func(s string) bool {
		for _, sec := range st.Sections {
			if !strings.Contains(s, sec.Title) {
				return false
			}
		}
		return strings.Contains(s, cover(st))
	})
	if strings.Contains(first, opening(st.Sections[0])) {
		t.Fatalf("the first section's text is on the cover:\n%s", first)
	}
	tm.keys(t, "Enter")
	tm.waitFor(t, opening(st.Sections[0]), 5*time.Second)
	second := opening(st.Sections[1])

	tm.keys(t, "Right")
	screen := tm.waitFor(t, second, 5*time.Second)
	if strings.Contains(screen, opening(st.Sections[0])) {
		t.Errorf("the first section's text is still shown after → :\n%s", screen)
	}
	tm.keys(t, "Left")
	tm.waitFor(t, opening(st.Sections[0]), 5*time.Second)

	tm.keys(t, "q")
	after := tm.waitFor(t, "EXIT=", 5*time.Second)
	if !strings.Contains(after, "EXIT=0") {
		t.Fatalf("q: want exit status 0:\n%s", after)
	}
	if !strings.Contains(after, "Thanks for reading") {
		t.Errorf("no goodbye line after q:\n%s", after)
	}
	if strings.Contains(after, opening(st.Sections[0])) {
		t.Errorf("the UI is still on screen after exit:\n%s", after)
	}
	state := tm.run(t, "display-message", "-p", "-t", "e2e", "#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{mouse_any_flag}")
	if strings.TrimSpace(state) != "0 1 0 0" {
		t.Errorf("terminal not restored: alternate screen, cursor visible, keypad mode, mouse = %q, want \"0 1 0 0\"", state)
	}
}

func TestOpenAtSection(t *testing.T) {
	needTools(t)
	st := site(t)
	srv := start(t, t.TempDir())
	last := st.Sections[len(st.Sections)-1]
	tm := newTmux(t, 120, 36, nil, srv.sshCommand("-t")+" "+last.Slug)
	tm.waitFor(t, opening(last), 15*time.Second)
	tm.keys(t, "q")
	tm.waitFor(t, "EXIT=0", 5*time.Second)
}

func TestPlainText(t *testing.T) {
	needTools(t)
	st := site(t)
	srv := start(t, t.TempDir())

	out, errOut, code := srv.ssh(t, []string{"-T"})
	if code != 0 || out != st.PlainText(content.PlainWidth) {
		t.Fatalf("ssh -T: status %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	for _, sec := range st.Sections {
		if !strings.Contains(out, sec.Title) || !strings.Contains(out, opening(sec)) {
			t.Errorf("ssh -T lacks section %q", sec.Title)
		}
	}
	if strings.ContainsAny(out, "\x1b\r") {
		t.Error("plain text holds escape sequences or carriage returns")
	}

	out, _, code = srv.ssh(t, nil, st.Sections[1].Slug)
	if code != 0 || !strings.Contains(out, st.Sections[1].Title) || strings.Contains(out, st.Sections[0].Title) {
		t.Errorf("one section: status %d:\n%s", code, out)
	}
	out, _, code = srv.ssh(t, nil, "help")
	if code != 0 || !strings.Contains(out, st.Sections[0].Slug) {
		t.Errorf("help: status %d:\n%s", code, out)
	}
	out, errOut, code = srv.ssh(t, nil, "cat", "/etc/passwd")
	if code != 1 || out != "" || !strings.Contains(errOut, "unknown command") {
		t.Errorf("a command: status %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestTerminalWithoutColourOrUTF8(t *testing.T) {
	needTools(t)
	st := site(t)
	srv := start(t, t.TempDir())
	// TERM=dumb and a C locale: the UI still opens, with no colour escape sequences.
	tm := newTmux(t, 100, 30, []string{"TERM=dumb", "LANG=C", "LC_ALL="}, "TERM=dumb LANG=C "+srv.sshCommand("-t", "-o", "SendEnv=LANG"))
	tm.waitFor(t, st.Sections[0].Title, 15*time.Second)
	tm.keys(t, "q")
	tm.waitFor(t, "EXIT=0", 5*time.Second)
	e := srv.waitLog(t, "session start with term=dumb", 5*time.Second, func(e map[string]any) bool {
		return e["msg"] == "session start" && e["term"] == "dumb"
	})
	if e["profile"] == "TrueColor" || e["profile"] == "ANSI256" || e["profile"] == "ANSI" {
		t.Errorf("TERM=dumb got colour profile %v", e["profile"])
	}
}

var fingerprintRE = regexp.MustCompile(`SHA256:[A-Za-z0-9+/]{43}`)

// keyscan returns the host key fingerprint OpenSSH's tools see.
func keyscan(t *testing.T, srv *process) string {
	t.Helper()
	scan, err := exec.Command("ssh-keyscan", "-T", "10", "-t", "ed25519", "-p", srv.port, "127.0.0.1").Output()
	if err != nil || len(scan) == 0 {
		t.Fatalf("ssh-keyscan: %v %q", err, scan)
	}
	keygen := exec.Command("ssh-keygen", "-l", "-f", "-")
	keygen.Stdin = strings.NewReader(string(scan))
	out, err := keygen.Output()
	if err != nil {
		t.Fatalf("ssh-keygen -l: %v", err)
	}
	fp := fingerprintRE.FindString(string(out))
	if fp == "" || !strings.Contains(string(out), "ED25519") {
		t.Fatalf("no ED25519 fingerprint in %q", out)
	}
	return fp
}

func TestHostKeySurvivesRestart(t *testing.T) {
	needTools(t)
	state := t.TempDir()
	srv := start(t, state)
	before := keyscan(t, srv)
	if logged := srv.event("host key"); logged == nil || logged["fingerprint"] != before || logged["generated"] != true {
		t.Errorf("start-up log %v, want fingerprint %s generated=true", logged, before)
	}
	if _, code := srv.terminate(t, 20*time.Second); code != 0 {
		t.Fatalf("exit status %d", code)
	}

	again := start(t, state)
	if after := keyscan(t, again); after != before {
		t.Fatalf("host key changed across a restart: %s then %s", before, after)
	}
	if logged := again.event("host key"); logged == nil || logged["generated"] != false {
		t.Errorf("second start should reuse the key: %v", logged)
	}
	keys, _ := filepath.Glob(filepath.Join(state, "ssh", "*"))
	if len(keys) != 1 {
		t.Errorf("key directory holds %v, want just the key", keys)
	}
}

func TestSIGTERMEndsSessionsPolitely(t *testing.T) {
	needTools(t)
	st := site(t)
	srv := start(t, t.TempDir())
	var panes []*tmux
	for range 2 {
		tm := newTmux(t, 100, 30, nil, srv.sshCommand("-t"))
		tm.waitFor(t, st.Settings.Title, 15*time.Second)
		panes = append(panes, tm)
	}
	// A plain reader mid-way through is not needed: plain answers are instant.
	took, code := srv.terminate(t, server.DefaultShutdownTimeout+5*time.Second)
	if code != 0 {
		t.Errorf("exit status %d after SIGTERM, want 0", code)
	}
	if took > server.DefaultShutdownTimeout {
		t.Errorf("took %s to exit, deadline %s", took, server.DefaultShutdownTimeout)
	}
	var wg sync.WaitGroup
	for _, tm := range panes {
		wg.Go(func() {
			screen := tm.waitFor(t, "EXIT=", 5*time.Second)
			if !strings.Contains(screen, "server is restarting") {
				t.Errorf("no restart message on the visitor's screen:\n%s", screen)
			}
		})
	}
	wg.Wait()
	if e := srv.event("shut down"); e == nil || e["sessions"] != float64(2) {
		t.Errorf("no clean shutdown event for 2 sessions: %v", srv.log())
	}
}
