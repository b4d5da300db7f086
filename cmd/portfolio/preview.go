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
// to check new content before deploying it. With --watch it is the owner's authoring loop:
// every save shows at once, and a mistake shows as its error until it is fixed.
func runPreview(ctx context.Context, args []string, getenv func(string) (string, bool), stderr io.Writer) int {
	fs := flag.NewFlagSet("portfolio preview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir, _ := getenv("PORTFOLIO_CONTENT_DIR")
	fs.StringVar(&dir, "content-dir", dir, "directory with site.toml and *.md (PORTFOLIO_CONTENT_DIR; default: the built-in content)")
	watch := fs.Bool("watch", false, "read the content directory again whenever a file in it changes; a load error shows in place of the page")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: portfolio preview [--content-dir DIR] [--watch] [SECTION]")
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
	if *watch && dir == "" {
		fmt.Fprintln(stderr, "portfolio preview: --watch needs --content-dir (the built-in content never changes)")
		return 2
	}
	site, err := loadSite(dir)
	if err != nil && !*watch {
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
	if site != nil && opts.Section != "" && site.Index(opts.Section) < 0 {
		// The UI opens the first section for a slug it does not know (not the cover).
		opts.Notice = fmt.Sprintf("There is no section %q; showing %s.", opts.Section, site.Sections[0].Title)
	}
	var model tea.Model
	if *watch {
		model = newPreviewModel(site, err, ui.NewRenderer(0), opts)
	} else {
		model = ui.New(site, ui.NewRenderer(0), opts)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the watch
	p := tea.NewProgram(model, tea.WithContext(ctx))
	if *watch {
		if err := watchContent(ctx, dir, p.Send); err != nil {
			fmt.Fprintln(stderr, "portfolio preview:", err)
			return 1
		}
	}
	final, err := p.Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(stderr, "portfolio preview:", err)
		return 1
	}
	if g, ok := final.(interface{ Goodbye() string }); ok {
		fmt.Print(g.Goodbye())
	}
	return 0
}
