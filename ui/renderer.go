package ui

import (
	"fmt"
	"strings"
	"sync"

	"charm.land/glamour/v2"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/sync/singleflight"

	"portfolio/content"
)

// measure is the widest the body is set, in columns: lines longer than ~80 characters are
// hard to read, and on a wide terminal the body is centred instead.
const measure = 80

// DefaultCacheSize is the render cache's budget in bytes: every section of a small site in
// the handful of widths and looks visitors commonly bring takes a few megabytes.
const DefaultCacheSize = 32 << 20

// Renderer renders section markdown at a given width and look, caching the results; one
// Renderer is shared by every session and is safe for concurrent use. A page is rendered once
// per (site, section, width, look) and then only sliced, so no keystroke and no frame renders
// markdown.
type Renderer struct {
	cache *pageCache
	// group makes visitors who arrive together with the same new size wait for one render
	// instead of each rendering the same page.
	group singleflight.Group

	// Styles are immutable once built and depend only on the background and the ink, so
	// every visitor with the same pair shares one set (about 14 KB each otherwise).
	stylesMu sync.Mutex
	styles   map[styleKey]*styles
	palettes map[paletteKey]palette // derived palettes (a search over shades: done once)
}

type paletteKey struct {
	accent string
	dark   bool
	tier   tier
}

// paletteFor returns the palette for an accent, a background and a tier, deriving it once.
func (r *Renderer) paletteFor(accent string, dark bool, t tier) palette {
	return memo(&r.stylesMu, &r.palettes, paletteKey{accent: accent, dark: dark, tier: t}, func() palette {
		return newPalette(accent, dark, t)
	})
}

// memo returns m[key] under mu, making and keeping it first if it is not there: what every
// visitor of one kind of terminal shares is made once.
func memo[K comparable, V any](mu *sync.Mutex, m *map[K]V, key K, build func() V) V {
	mu.Lock()
	defer mu.Unlock()
	v, ok := (*m)[key]
	if !ok {
		v = build()
		if *m == nil {
			*m = map[K]V{}
		}
		(*m)[key] = v
	}
	return v
}

type styleKey struct {
	pal   palette
	ink   ink
	ascii bool
}

// stylesFor returns the shared styles for a palette, an ink and a locale, building them once.
func (r *Renderer) stylesFor(p palette, k ink, ascii bool) *styles {
	return memo(&r.stylesMu, &r.styles, styleKey{pal: p, ink: k, ascii: ascii}, func() *styles {
		return newStyles(p, k, ascii)
	})
}

type pageKey struct {
	site  *content.Site
	index int
	width int
	look  look
}

// page is one rendered section: lines without trailing padding, each a complete styled
// string, plus their plain text for searching. A page is never modified once cached.
type page struct {
	lines []string
	plain []string
}

// NewRenderer returns a Renderer whose cache holds at most maxBytes of rendered sections
// (DefaultCacheSize when maxBytes < 1).
func NewRenderer(maxBytes int) *Renderer {
	if maxBytes < 1 {
		maxBytes = DefaultCacheSize
	}
	return &Renderer{cache: newPageCache(int64(maxBytes))}
}

// renderWidth is the width glamour wraps a body at for a window width columns wide.
func renderWidth(width int) int {
	return max(1, min(width, measure))
}

// page returns section index of site rendered at width (already capped by renderWidth) in
// look l, from the cache when possible.
func (r *Renderer) page(site *content.Site, index, width int, l look) *page {
	key := pageKey{site: site, index: index, width: width, look: l.normalised()}
	if p, ok := r.cache.get(key); ok {
		return p
	}
	flight := fmt.Sprintf("%p/%d/%d/%v", site, index, width, key.look)
	v, _, _ := r.group.Do(flight, func() (any, error) {
		if p, ok := r.cache.get(key); ok {
			return p, nil
		}
		p := renderPage(site, index, width, key.look)
		r.cache.add(key, p)
		return p, nil
	})
	return v.(*page)
}

// renderPage renders one section. A glamour error (it has none for valid UTF-8 markdown, but
// a content directory is the owner's) falls back to the section's plain text rather than
// failing a visitor's session.
func renderPage(site *content.Site, index, width int, l look) *page {
	if index == coverIndex {
		return coverPage(site, width, l)
	}
	sec := site.Sections[index]
	if sec.Visitors {
		return visitorsPage(site, index, width, l)
	}
	// The tabs name the section; the body does not repeat its title (the accessible view,
	// which has no tabs, says it in its header line).
	doc := content.Neutralise(sec.Markdown)
	if l.ascii {
		doc = asciiText(doc)
	}
	out, err := renderMarkdown(doc, width, l)
	if err != nil {
		out = content.Wrap(sec.Plain, max(1, width-4))
	}
	if l.ink != inkColour {
		// glamour always writes OSC 8 hyperlinks and prints the URL beside the text; without
		// colour the plain URL is what a visitor should see and copy.
		out = stripHyperlinks(out)
	}
	lines := strings.Split(out, "\n")
	for i, ln := range lines {
		ln = trimPadding(keepSafe(ln))
		if ansi.StringWidth(ln) > width {
			// A word longer than a (very narrow) line: cut rather than let the terminal wrap.
			ln = trimPadding(ansi.Truncate(ln, width, ""))
		}
		// A copy: the trimmed line may be a slice of a much longer one (its padding), which
		// the cache would otherwise keep alive without counting it.
		lines[i] = strings.Clone(ln)
	}
	lines = trimBlankLines(lines)
	for _, ln := range endLines(site, index, width, l) {
		lines = append(lines, trimPadding(ansi.Truncate(keepSafe(ln), width, "")))
	}
	p := &page{lines: lines, plain: make([]string, len(lines))}
	for i, ln := range lines {
		p.plain[i] = ansi.Strip(ln)
	}
	return p
}

func renderMarkdown(doc string, width int, l look) (string, error) {
	tr, err := glamour.NewTermRenderer(
		glamour.WithStyles(glamourStyle(l)),
		glamour.WithWordWrap(width),
	)
	if err != nil {
		return "", fmt.Errorf("new markdown renderer: %w", err)
	}
	out, err := tr.Render(doc)
	if err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return out, nil
}

// trimPadding removes the trailing spaces glamour pads every line to the wrap width with.
// Each padding space carries its own colour sequence (a rendered 4 KB section is ~87 KB,
// mostly padding); a trimmed line draws the same on screen at a fraction of the bytes, and
// diffing frames gets cheaper too. A reset is kept at the end so no style leaks.
func trimPadding(line string) string {
	var (
		state   byte
		end     int // byte offset just after the last visible non-space character
		styled  bool
		openURL bool // a hyperlink was opened and not closed before end
		urlAt   bool
	)
	for i := 0; i < len(line); {
		seq, width, n, newState := ansi.DecodeSequence(line[i:], state, nil)
		state = newState
		switch {
		case width > 0:
			if strings.TrimSpace(seq) != "" {
				end = i + n
				openURL = urlAt
			}
		case strings.HasPrefix(seq, "\x1b]8;"):
			urlAt = hyperlinkOpens(seq)
			styled = true
		case len(seq) > 0 && seq[0] == '\x1b':
			styled = true
		}
		i += n
	}
	out := line[:end]
	if openURL {
		out += ansi.ResetHyperlink()
	}
	if styled && end > 0 {
		out += "\x1b[m"
	}
	return out
}

// hyperlinkOpens reports whether an OSC 8 sequence opens a link (a non-empty URI) rather
// than closing one.
func hyperlinkOpens(seq string) bool {
	body := strings.TrimPrefix(seq, "\x1b]8;")
	body = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(body, "\a"), "\x1b\\"), "\x9c")
	_, uri, _ := strings.Cut(body, ";")
	return uri != ""
}

// stripHyperlinks removes OSC 8 sequences, keeping everything else.
func stripHyperlinks(s string) string {
	if !strings.Contains(s, "\x1b]8;") {
		return s
	}
	var b strings.Builder
	var state byte
	for i := 0; i < len(s); {
		seq, _, n, newState := ansi.DecodeSequence(s[i:], state, nil)
		state = newState
		if !strings.HasPrefix(seq, "\x1b]8;") {
			b.WriteString(seq)
		}
		i += n
	}
	return b.String()
}

func trimBlankLines(lines []string) []string {
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	// A blank line above the title so the body does not touch the header rule.
	return append([]string{""}, lines...)
}

// asciiText spells the typographic characters a non-UTF-8 terminal would show as garbage in
// ASCII. It changes no words: an em dash becomes "--", curly quotes straight ones.
func asciiText(s string) string {
	return asciiReplacer.Replace(s)
}

// asciiReplacer is immutable after init, so sharing it between sessions is safe.
var asciiReplacer = strings.NewReplacer(
	"\u2014", "--", "\u2013", "-", "\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`,
	"\u2026", "...", "\u00a0", " ", "\u2022", "*", "\u00b7", "-", "\u2192", "->", "\u2190", "<-",
)

// visitorsPage lays out a page of visitors' words (the guestbook) as the plain text it is:
// wrapped, never rendered as markdown, and passed through keepSafe like every page, so
// nothing a visitor wrote reaches a terminal as a control.
func visitorsPage(site *content.Site, index, width int, l look) *page {
	margin := strings.Repeat(" ", bodyMargin)
	text := site.Sections[index].Plain
	if l.ascii {
		text = asciiText(text)
	}
	lines := []string{""}
	for _, ln := range strings.Split(content.Wrap(text, max(1, width-2*bodyMargin)), "\n") {
		if ln != "" {
			ln = margin + ln
		}
		lines = append(lines, ln)
	}
	return finishPage(append(lines, endLines(site, index, width, l)...), width)
}
