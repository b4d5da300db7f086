package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/vt"

	"portfolio/ui"
)

func writeContent(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func section(title, body string) string { return "+++\ntitle = \"" + title + "\"\n+++\n" + body + "\n" }

func contentDir(t *testing.T) string {
	dir := t.TempDir()
	writeContent(t, dir, "site.toml", "title = \"watch.example.dev\"\n")
	writeContent(t, dir, "01-first.md", section("First Light", "The first words."))
	writeContent(t, dir, "02-second.md", section("Second Wind", "The second words."))
	return dir
}

// TestWatchReadsTheDirectoryAgain: a saved change arrives as a new site, a broken file as its
// error naming the file, and the fix as a site again.
func TestWatchReadsTheDirectoryAgain(t *testing.T) {
	dir := contentDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan reloadMsg, 16)
	if err := watchContent(ctx, dir, func(m tea.Msg) { got <- m.(reloadMsg) }); err != nil {
		t.Fatal(err)
	}
	next := func(what string) reloadMsg {
		t.Helper()
		select {
		case m := <-got:
			return m
		case <-time.After(10 * time.Second):
			t.Fatalf("no reload after %s", what)
			return reloadMsg{}
		}
	}
	writeContent(t, dir, "02-second.md", section("Second Nature", "Rewritten."))
	if m := next("an edit"); m.err != nil || m.site.Sections[1].Title != "Second Nature" {
		t.Fatalf("after an edit: %+v", m)
	}
	writeContent(t, dir, "02-second.md", "+++\ntitle = \n+++\nbroken\n")
	if m := next("a broken file"); m.err == nil || !strings.Contains(m.err.Error(), "02-second.md") {
		t.Fatalf("after breaking a file: %+v", m)
	}
	// An editor's save: a temporary file renamed over the old one.
	writeContent(t, dir, ".02-second.md.swp", section("Second Coming", "Fixed."))
	if err := os.Rename(filepath.Join(dir, ".02-second.md.swp"), filepath.Join(dir, "02-second.md")); err != nil {
		t.Fatal(err)
	}
	m := next("the fix")
	for m.err != nil { // the temporary file's own events may settle first
		m = next("the fix")
	}
	if m.site.Sections[1].Title != "Second Coming" {
		t.Fatalf("after the fix: %q", m.site.Sections[1].Title)
	}
}

func viewText(t *testing.T, m tea.Model, w, h int) string {
	t.Helper()
	e := vt.NewEmulator(w, h)
	defer e.Close()
	if _, err := e.WriteString(strings.ReplaceAll(m.View().Content, "\n", "\r\n")); err != nil {
		t.Fatal(err)
	}
	return e.String()
}

func key(s string) tea.KeyPressMsg { return tea.KeyPressMsg{Code: rune(s[0]), Text: s} }

// TestPreviewShowsTheLoadErrorInPlaceOfThePage: a reload that fails replaces the page with the
// error and how to recover, keeps the preview running, and the next good reload brings the
// page back at the section the owner was reading.
func TestPreviewShowsTheLoadErrorInPlaceOfThePage(t *testing.T) {
	dir := contentDir(t)
	site, err := loadSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := ui.Options{Width: 80, Height: 24, Profile: colorprofile.ASCII, DarkBackground: true}
	var m tea.Model = newPreviewModel(site, nil, ui.NewRenderer(0), opts)
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m, _ = m.Update(key("2"))
	if s := viewText(t, m, 80, 24); !strings.Contains(s, "The second words.") {
		t.Fatalf("before: section 2 is not on screen:\n%s", s)
	}

	writeContent(t, dir, "01-first.md", "+++\ntitle = \"First\"\nslug = \"Not A Slug\"\n+++\nx\n")
	_, loadErr := loadSite(dir)
	m, _ = m.Update(reloadMsg{err: loadErr})
	s := viewText(t, m, 80, 24)
	for _, want := range []string{"The content does not load", "01-first.md", "Not A Slug", "Fix it and save"} {
		if !strings.Contains(s, want) {
			t.Errorf("error screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "The second words.") {
		t.Errorf("the stale page shows with the error:\n%s", s)
	}
	if _, cmd := m.Update(key("3")); cmd != nil {
		t.Error("a key other than q does something on the error screen")
	}
	if g := m.(interface{ Goodbye() string }).Goodbye(); g != "" {
		t.Errorf("goodbye while the content does not load: %q", g)
	}

	writeContent(t, dir, "01-first.md", section("First Light", "The first words."))
	writeContent(t, dir, "02-second.md", section("Second Wind", "The second words, revised."))
	fixed, err := loadSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, _ = m.Update(reloadMsg{site: fixed})
	if s := viewText(t, m, 80, 24); !strings.Contains(s, "The second words, revised.") {
		t.Errorf("after the fix, section 2 is not back:\n%s", s)
	}
	if _, cmd := m.Update(key("q")); cmd == nil {
		t.Error("q does not quit the page")
	}
}

// What a terminal would answer: queries, and the in-band resize mode, which the emulator
// answers at once with a report. Nobody reads its answers, so it would block writing them.
var queries = regexp.MustCompile(`\x1b\[\?[0-9;]*\$p|\x1b\]1[01];\?(\a|\x1b\\)|\x1b\[\?u|\x1b\[[>=]?c|\x1b\[\?(?:[0-9;]*;)?2048(?:;[0-9;]*)?h`)

// TestPreviewProgramFollowsTheFiles runs the watching preview as a real Bubble Tea program
// (no terminal: its output goes to an emulator) and edits the files under it.
func TestPreviewProgramFollowsTheFiles(t *testing.T) {
	dir := contentDir(t)
	site, err := loadSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := &syncWriter{}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	opts := ui.Options{Width: 80, Height: 24, Profile: colorprofile.ASCII, DarkBackground: true}
	p := tea.NewProgram(newPreviewModel(site, nil, ui.NewRenderer(0), opts), tea.WithContext(ctx),
		tea.WithInput(nil), tea.WithOutput(out), tea.WithWindowSize(80, 24),
		tea.WithColorProfile(colorprofile.ASCII), tea.WithoutSignalHandler(),
		tea.WithEnvironment([]string{"TERM=xterm"}))
	if err := watchContent(ctx, dir, p.Send); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	waitScreen := func(want string) {
		t.Helper()
		var s string
		if !out.waitFor(20*time.Second, func(written string) bool {
			e := vt.NewEmulator(80, 24)
			_, _ = e.WriteString(queries.ReplaceAllString(written, ""))
			s = e.String()
			_ = e.Close()
			return strings.Contains(s, want)
		}) {
			t.Fatalf("no %q on screen:\n%s", want, s)
		}
	}
	waitScreen("The first words.")
	writeContent(t, dir, "site.toml", "title = \"watch.example.dev\"\nnot_a_setting = 1\n")
	waitScreen("unknown setting")
	writeContent(t, dir, "site.toml", "title = \"watch.example.dev\"\n")
	writeContent(t, dir, "01-first.md", section("First Light", "Freshly saved words."))
	waitScreen("Freshly saved words.")
	p.Quit()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("program: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("program did not quit")
	}
}

func TestWatchNeedsAContentDir(t *testing.T) {
	var stderr bytes.Buffer
	noEnv := func(string) (string, bool) { return "", false }
	if code := runPreview(context.Background(), []string{"--watch"}, noEnv, &stderr); code != 2 || !strings.Contains(stderr.String(), "--watch needs --content-dir") {
		t.Errorf("preview --watch without a directory: status %d, stderr %q", code, stderr.String())
	}
}
