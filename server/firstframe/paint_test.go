package firstframe

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// viewModel is a program that shows one view and does nothing else.
type viewModel struct{ v tea.View }

func (m viewModel) Init() tea.Cmd                       { return nil }
func (m viewModel) Update(tea.Msg) (tea.Model, tea.Cmd) { return m, nil }
func (m viewModel) View() tea.View                      { return m.v }

// firstWrite keeps the first write a program makes after its start-up query.
type firstWrite struct {
	once sync.Once
	got  chan []byte
}

func (w *firstWrite) Write(p []byte) (int, error) {
	if string(p) == ansi.RequestModeSynchronizedOutput+ansi.RequestModeUnicodeCore {
		return len(p), nil
	}
	w.once.Do(func() { w.got <- bytes.Clone(p) })
	return len(p), nil
}

// programFrame runs a real Bubble Tea program on the screen and returns its first write:
// the first frame. SSH_TTY in its environment keeps the program from querying modes 2026
// and 2027 first for most terminals; for the rest that query is its own write, skipped.
func programFrame(t *testing.T, scr Screen, v tea.View) []byte {
	t.Helper()
	in, feed := io.Pipe()
	defer feed.Close()
	out := &firstWrite{got: make(chan []byte, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	p := tea.NewProgram(viewModel{v},
		tea.WithContext(ctx),
		tea.WithInput(in),
		tea.WithOutput(out),
		tea.WithEnvironment(append(scr.Env[:len(scr.Env):len(scr.Env)], "SSH_TTY=/dev/pts/0")),
		tea.WithWindowSize(scr.Width, scr.Height),
		tea.WithColorProfile(scr.Profile),
		tea.WithoutSignalHandler(),
	)
	done := make(chan struct{})
	go func() { defer close(done); _, _ = p.Run() }()
	defer func() { cancel(); <-done }()
	select {
	case b := <-out.got:
		return b
	case <-time.After(20 * time.Second):
		t.Fatal("the program wrote nothing")
		return nil
	}
}

func styledPage(width int) string {
	accent := lipgloss.NewStyle().Foreground(lipgloss.Color("#7D56F4")).Bold(true)
	faint := lipgloss.NewStyle().Foreground(lipgloss.Color("#8A8A99"))
	var b strings.Builder
	b.WriteString(accent.Render("Ada Lovelace") + "  " + faint.Render("engineer · writer") + "\n")
	b.WriteString(strings.Repeat("─", width) + "\n")
	for i := range 12 {
		b.WriteString("  Line " + strings.Repeat("word ", i%7) + accent.Render("link") + " 日本語 ✓\n")
	}
	b.WriteString("\n" + faint.Render("q quit · ? help"))
	return b.String()
}

func TestPaintMatchesAProgramsFirstFrame(t *testing.T) {
	view := func(content string) tea.View {
		v := tea.NewView(content)
		v.AltScreen = true
		return v
	}
	withModes := view(styledPage(60))
	withModes.MouseMode = tea.MouseModeCellMotion
	withModes.ReportFocus = true
	withModes.WindowTitle = "portfolio"
	withModes.KeyboardEnhancements.ReportEventTypes = true
	noPaste := view("plain\ntext")
	noPaste.DisableBracketedPasteMode = true

	cases := []struct {
		name string
		scr  Screen
		v    tea.View
	}{
		{"truecolor 80x24", Screen{80, 24, colorprofile.TrueColor, []string{"TERM=xterm-256color"}}, view(styledPage(80))},
		{"256 colours 120x40", Screen{120, 40, colorprofile.ANSI256, []string{"TERM=xterm-256color", "LANG=C.UTF-8"}}, view(styledPage(100))},
		{"16 colours on tmux", Screen{80, 24, colorprofile.ANSI, []string{"TERM=tmux-256color"}}, view(styledPage(80))},
		{"no colour", Screen{80, 24, colorprofile.Ascii, []string{"TERM=xterm"}}, view(styledPage(80))},
		{"taller than the window", Screen{40, 5, colorprofile.TrueColor, []string{"TERM=xterm-256color"}}, view(styledPage(40))},
		{"modes", Screen{70, 20, colorprofile.TrueColor, []string{"TERM=xterm-kitty"}}, withModes},
		{"no bracketed paste", Screen{30, 4, colorprofile.TrueColor, []string{"TERM=xterm-256color"}}, noPaste},
		{"empty", Screen{30, 4, colorprofile.TrueColor, []string{"TERM=xterm-256color"}}, view("")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Paint(c.scr, c.v)
			if !ok {
				t.Fatal("Paint refused a paintable view")
			}
			want := programFrame(t, c.scr, c.v)
			if !bytes.Equal(got, want) {
				t.Fatalf("painted frame differs from the program's first frame\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestPaintRefusesWhatItCannotReproduce(t *testing.T) {
	inline := tea.NewView("inline")
	cursor := tea.NewView("cursor")
	cursor.AltScreen = true
	cursor.Cursor = tea.NewCursor(1, 0)
	scr := Screen{80, 24, colorprofile.TrueColor, []string{"TERM=xterm-256color"}}
	for name, v := range map[string]tea.View{"inline": inline, "cursor": cursor} {
		if _, ok := Paint(scr, v); ok {
			t.Errorf("%s: Paint claimed to reproduce a view it does not cover", name)
		}
	}
	ok := tea.NewView("ok")
	ok.AltScreen = true
	if _, painted := Paint(Screen{0, 24, colorprofile.TrueColor, nil}, ok); painted {
		t.Error("Paint painted a screen of width 0")
	}
}

func TestCacheReturnsTheFrameOfItsOwnKey(t *testing.T) {
	c := NewCache(8)
	view := func(content string) tea.View {
		v := tea.NewView(content)
		v.AltScreen = true
		return v
	}
	base := Screen{80, 24, colorprofile.TrueColor, []string{"TERM=xterm-256color"}}
	first, _ := c.Paint(base, view("dark page"), "")
	again, _ := c.Paint(base, view("dark page"), "")
	if !bytes.Equal(first, again) {
		t.Fatal("the same screen and view painted twice differ")
	}
	if hits, misses := c.Counts(); hits != 1 || misses != 1 {
		t.Fatalf("hits %d misses %d, want 1 and 1", hits, misses)
	}
	mouse := view("dark page")
	mouse.MouseMode = tea.MouseModeAllMotion
	others := []struct {
		scr Screen
		v   tea.View
	}{
		{base, view("light page")},
		{Screen{81, 24, base.Profile, base.Env}, view("dark page")},
		{Screen{80, 25, base.Profile, base.Env}, view("dark page")},
		{Screen{80, 24, colorprofile.ANSI, base.Env}, view("dark page")},
		{Screen{80, 24, base.Profile, []string{"TERM=tmux-256color"}}, view("dark page")},
		{base, mouse},
	}
	for i, o := range others {
		got, ok := c.Paint(o.scr, o.v, "")
		want, _ := Paint(o.scr, o.v)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("case %d: the cache returned another key's frame", i)
		}
	}
	if hits, _ := c.Counts(); hits != 1 {
		t.Errorf("%d hits after different keys, want still 1", hits)
	}
	plain, _ := Paint(base, view("dark page"))
	if got, _ := c.Paint(base, view("dark page"), "\x1b]11;?\a"); string(got) != string(plain)+"\x1b]11;?\a" {
		t.Errorf("the frame with what follows it is %q, want the frame then the query", got)
	}
}
