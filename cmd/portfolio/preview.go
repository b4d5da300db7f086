package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"portfolio/ui"
	"portfolio/ui/terminal"
)

// runPreview shows the same ui.Model a visitor gets, in the local terminal: the quickest way
// to check new content before deploying it.
func runPreview(ctx context.Context, args []string, getenv func(string) (string, bool), stderr io.Writer) int {
	fs := flag.NewFlagSet("portfolio preview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir, _ := getenv("PORTFOLIO_CONTENT_DIR")
	fs.StringVar(&dir, "content-dir", dir, "directory with site.toml and *.md (PORTFOLIO_CONTENT_DIR; default: the built-in content)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: portfolio preview [--content-dir DIR] [SECTION]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(stderr, "portfolio preview: at most one section")
		return 2
	}
	site, err := loadSite(dir)
	if err != nil {
		fmt.Fprintln(stderr, "portfolio preview:", err)
		return 1
	}
	opts := ui.Options{
		Profile:        colorprofile.Detect(os.Stdout, os.Environ()),
		DarkBackground: true,
		ASCII:          terminal.ASCIILocale(os.Environ()),
		Section:        fs.Arg(0),
	}
	if w, h, err := term.GetSize(os.Stdout.Fd()); err == nil {
		opts.Width, opts.Height = w, h
	}
	if opts.Section != "" && site.Index(opts.Section) < 0 {
		opts.Notice = fmt.Sprintf("There is no section %q; showing %s.", opts.Section, site.Sections[0].Title)
		opts.Section = ""
	}
	model := ui.New(site, ui.NewRenderer(16), opts)
	final, err := tea.NewProgram(model, tea.WithContext(ctx)).Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(stderr, "portfolio preview:", err)
		return 1
	}
	if g, ok := final.(interface{ Goodbye() string }); ok {
		fmt.Print(g.Goodbye())
	}
	return 0
}
