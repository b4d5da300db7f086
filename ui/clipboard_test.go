package ui

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// TestCopyEmailSendsOSC52 runs the model in a real Bubble Tea program: c puts the email
// address on the visitor's clipboard with an OSC 52 sequence in the program's output, and
// the screen says so.
func TestCopyEmailSendsOSC52(t *testing.T) {
	out := &syncBuffer{}
	m := New(withLinks(testSite(t)), nil, Options{Width: 80, Height: 24, Profile: colorprofile.TrueColor})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(out),
		tea.WithWindowSize(80, 24), tea.WithColorProfile(colorprofile.TrueColor),
		tea.WithoutSignalHandler(), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	done := make(chan tea.Model, 1)
	go func() { final, _ := p.Run(); done <- final }()
	p.Send(keyPress(t, "c"))
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("me@example.com"))
	if !out.waitFor(20*time.Second, []byte(want)) {
		t.Fatalf("no OSC 52 with the address in the output: %q", out.String())
	}
	p.Quit()
	var final tea.Model
	select {
	case final = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("program did not quit")
	}
	if s := screen(t, final.(Model)); !strings.Contains(s, "Copied to your clipboard: me@example.com") {
		t.Errorf("no confirmation on screen:\n%s", s)
	}
}

// Without an address the key does nothing and the help does not offer it; with one, it does.
func TestCopyKeyOnlyWithAnAddress(t *testing.T) {
	m := New(testSite(t), nil, Options{Width: 80, Height: 40, Profile: colorprofile.ASCII})
	if _, cmd := m.Update(keyPress(t, "c")); cmd != nil {
		t.Error("c without an email address returned a command")
	}
	if s := screen(t, press(t, m, "?")); strings.Contains(s, "copy the email") {
		t.Errorf("help offers a copy key without an address:\n%s", s)
	}
	m = New(withLinks(testSite(t)), nil, Options{Width: 80, Height: 40, Profile: colorprofile.ASCII})
	if s := screen(t, press(t, m, "?")); !strings.Contains(s, "c") || !strings.Contains(s, "copy the email address") {
		t.Errorf("help does not offer the copy key:\n%s", s)
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
