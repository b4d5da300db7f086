package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/fsnotify/fsnotify"

	"portfolio/content"
	"portfolio/ui"
)

// settle is how long the content directory must be quiet before it is read again: an editor
// saving one file makes several events (write to a temporary file, rename, chmod), and
// reading in the middle of them could show a half-saved file's error for a moment.
const settle = 150 * time.Millisecond

// reloadMsg is the content directory read again: a new site, or why it does not load.
type reloadMsg struct {
	site *content.Site
	err  error
}

// watchContent reads dir again whenever something in it changes, once it has settled, and
// hands each result to send, until ctx is done. It returns once the watch is set up; an
// error means it could not be.
func watchContent(ctx context.Context, dir string, send func(tea.Msg)) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	if err := w.Add(dir); err != nil {
		_ = w.Close()
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	go func() {
		defer w.Close()
		timer := time.NewTimer(settle)
		timer.Stop()
		defer timer.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case _, ok := <-w.Events:
				if !ok {
					return
				}
				timer.Reset(settle)
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				send(reloadMsg{err: fmt.Errorf("watch %s: %w", dir, err)})
			case <-timer.C:
				site, err := loadSite(dir)
				send(reloadMsg{site: site, err: err})
			}
		}
	}()
	return nil
}

// previewModel is the preview with --watch: the visitor's ui.Model, rebuilt at the same
// section whenever the content changes, or, while the content does not load, the error in
// its place, so that the owner can fix the file without restarting anything.
type previewModel struct {
	r       *ui.Renderer
	opts    ui.Options // what a rebuilt page starts from: size, background, section
	page    tea.Model  // nil until the content first loads
	loadErr error
}

func newPreviewModel(site *content.Site, loadErr error, r *ui.Renderer, opts ui.Options) previewModel {
	m := previewModel{r: r, opts: opts, loadErr: loadErr}
	if site != nil {
		m.page = ui.New(site, r, opts)
	}
	return m
}

func (m previewModel) Init() tea.Cmd {
	if m.page == nil {
		return nil
	}
	return m.page.Init()
}

func (m previewModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case reloadMsg:
		m.loadErr = msg.err
		if msg.err != nil {
			return m, nil
		}
		opts := m.opts
		opts.Notice = ""
		if p, ok := m.page.(interface{ Section() string }); ok {
			opts.Section = p.Section()
		}
		if msg.site.Index(opts.Section) < 0 {
			opts.Section = "" // renamed or removed: the first section
		}
		first := m.page == nil
		m.page = ui.New(msg.site, m.r, opts)
		if first {
			return m, m.page.Init() // the background query and the terminal modes
		}
		// Not again: a second Init would save the modes' "on" state over the owner's own.
		return m, nil
	case tea.WindowSizeMsg:
		m.opts.Width, m.opts.Height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.opts.DarkBackground = msg.IsDark()
	case tea.ColorProfileMsg:
		m.opts.Profile = msg.Profile
	case tea.KeyPressMsg:
		if m.loadErr != nil || m.page == nil {
			if s := msg.String(); s == "q" || s == "ctrl+c" || s == "esc" {
				return m, tea.Quit
			}
			return m, nil // the page underneath is stale: keys wait for the fix
		}
	}
	if m.page == nil {
		return m, nil
	}
	var cmd tea.Cmd
	m.page, cmd = m.page.Update(msg)
	return m, cmd
}

func (m previewModel) View() tea.View {
	if m.loadErr == nil && m.page != nil {
		return m.page.View()
	}
	v := tea.NewView(m.errorScreen())
	v.AltScreen = true
	return v
}

// errorScreen says what does not load, wrapped to the window, and that saving a fix is all
// it takes.
func (m previewModel) errorScreen() string {
	width := m.opts.Width - 4
	if width < 20 {
		width = 76
	}
	var lines []string
	add := func(s string) {
		for _, l := range strings.Split(content.Wrap(s, width), "\n") {
			lines = append(lines, "  "+l)
		}
	}
	lines = append(lines, "", "  "+ansi.Style{}.Bold().Styled("The content does not load"), "")
	errText := "unknown error"
	if m.loadErr != nil {
		errText = m.loadErr.Error()
	}
	add(errText)
	lines = append(lines, "")
	add("Fix it and save: the page comes back by itself. q quits.")
	return strings.Join(lines, "\n")
}

// Goodbye is the page's goodbye, or nothing while the content does not load.
func (m previewModel) Goodbye() string {
	if g, ok := m.page.(interface{ Goodbye() string }); ok && m.loadErr == nil {
		return g.Goodbye()
	}
	return ""
}
