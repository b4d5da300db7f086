// Package linear provides the reader for a terminal that can do nothing but print lines
// (TERM=dumb: Emacs M-x shell, a serial console, a teletype). It writes no escape sequence
// at all, ever: the overview, then one section at a time, a page at a time, each followed
// by one plain prompt line, and it reads the visitor's answer as single keys or as a line
// ending in enter. It knows nothing of SSH: the caller hands it the input, the output, the
// window size and the site, and it returns when the visitor is done.
package linear

import (
	"context"
	"errors"
	"io"
	"strings"

	"portfolio/content"
	"portfolio/ui/letter"
)

// ErrInputEnded means the visitor's input closed before they quit.
var ErrInputEnded = errors.New("input ended")

// defaultHeight is the page height when the client gave none: a teletype's classic 24.
const defaultHeight = 24

// Size is a window's size in columns and rows.
type Size struct{ Width, Height int }

// Options are what the caller knows about the visitor's terminal.
type Options struct {
	Width, Height int    // the window the client reported; 0: 80x24
	Section       string // slug of a section to open at; "" or unknown: the overview
	// Opened, when set, hears of each page the visitor opens: a section's slug, or "" for
	// the overview. It is called on Run's goroutine (the caller's), so it needs no lock.
	Opened func(slug string)
	// Resize, when set, brings the window's new sizes: the pages after it are wrapped to
	// the new width (what is printed stays as it is: a dumb terminal cannot redraw).
	Resize <-chan Size
	// Mail, when set, takes what the visitor writes after pressing m (write.go).
	Mail letter.Mailbox
}

// Run shows the site on out and reads keys from in until the visitor quits (nil), in ends
// (ErrInputEnded) or ctx is done (its error). The goroutine reading in stops at in's next
// read error: close in (end the session) to free it.
func Run(ctx context.Context, in io.Reader, out io.Writer, site *content.Site, opts Options) error {
	r := newReader(out, site, opts)
	done := make(chan struct{})
	defer close(done)
	keys := make(chan []rune)
	go read(in, keys, done)

	r.start(opts.Section)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case sz := <-opts.Resize:
			r.resize(sz)
		case ks, ok := <-keys:
			if !ok {
				return ErrInputEnded
			}
			select { // a new size that came first applies to these keys' pages
			case sz := <-opts.Resize:
				r.resize(sz)
			default:
			}
			for _, k := range ks {
				if r.key(k) {
					return r.err
				}
			}
			if r.err != nil {
				return r.err
			}
		}
	}
}

func read(in io.Reader, keys chan<- []rune, done <-chan struct{}) {
	defer close(keys)
	var d decoder
	buf := make([]byte, 256)
	for {
		n, err := in.Read(buf)
		if ks := d.feed(buf[:n]); len(ks) > 0 {
			select {
			case keys <- ks:
			case <-done:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// reader is where the visitor is: the overview (doc -1) or a section, and how many of its
// lines they have seen.
type reader struct {
	out           io.Writer
	err           error // the first write error: the visitor is gone
	site          *content.Site
	width, height int
	doc           int
	lines         []string
	seen          int
	opened        func(slug string)
	mail          letter.Mailbox // nil: no writing to the owner
	w             *writing       // the letter being written (write.go), nil while reading
	kept          *letter.Letter // a letter that was refused, kept for another try
}

func newReader(out io.Writer, site *content.Site, opts Options) *reader {
	sz := usable(Size{opts.Width, opts.Height})
	return &reader{out: out, site: site, width: sz.Width, height: sz.Height, opened: opts.Opened, mail: opts.Mail}
}

// usable is the size to lay out for: a client that reports none (0x0, as ssh -tt without a
// terminal does) or a tiny one gets a teletype's 80 columns, 24 rows.
func usable(sz Size) Size {
	if sz.Width <= 0 {
		sz.Width = 80
	}
	if sz.Height < 4 {
		sz.Height = defaultHeight
	}
	return sz
}

func (r *reader) start(slug string) {
	if i := r.site.Index(slug); slug != "" && i >= 0 {
		r.open(i)
		return
	}
	r.open(-1)
}

// key acts on one key and reports whether the visitor is done.
func (r *reader) key(k rune) bool {
	if r.w != nil {
		return r.writeKey(k)
	}
	if k == keyLineEnd || k == keyErase {
		return false // the end of a line already acted on, or nothing to take back
	}
	n := len(r.site.Sections)
	r.write("\r\n") // end the prompt line the cursor is on
	switch {
	case k == 'm' && r.mail != nil:
		r.startWriting()
	case k == 'q' || k == 'Q' || k == keyQuit:
		return true
	case k >= '1' && k <= '9':
		if i := int(k - '1'); i < n {
			r.open(i)
		} else {
			r.prompt("No section " + string(k) + ".")
		}
	case k == '0' || k == 'o' || k == 'c':
		r.open(-1)
	case k == keyEnter || k == ' ' || k == keyDown || k == 'j':
		r.more()
	case k == 'n' || k == keyRight:
		r.open(min(r.doc+1, n-1))
	case k == 'p' || k == keyLeft || k == 'b':
		r.open(max(r.doc-1, -1))
	case k == 'r' || k == keyUp:
		r.open(r.doc) // from its top
	case k == '?' || k == 'h':
		r.help()
	default:
		r.prompt("Unknown key; ? lists them.")
	}
	return false
}

// resize wraps what is left of the page to a new window, keeping the place: the share of
// the document already seen stays the same.
func (r *reader) resize(sz Size) {
	sz = usable(sz)
	w, h := sz.Width, sz.Height
	if w == r.width && h == r.height {
		return
	}
	r.width, r.height = w, h
	if len(r.lines) == 0 {
		return
	}
	old, seen := len(r.lines), r.seen
	if r.doc < 0 {
		r.lines = r.overview()
	} else {
		r.lines = r.section(r.doc)
	}
	r.seen = min(len(r.lines), seen*len(r.lines)/old)
	if seen == old {
		r.seen = len(r.lines) // read to the end stays read to the end
	}
}

// more shows the next page, or the next section once this one has been read.
func (r *reader) more() {
	switch {
	case r.seen < len(r.lines):
		r.page()
	case r.doc+1 < len(r.site.Sections):
		r.open(r.doc + 1)
	default:
		r.open(-1)
	}
}

func (r *reader) open(doc int) {
	r.doc = doc
	slug := ""
	if doc < 0 {
		r.lines = r.overview()
	} else {
		r.lines = r.section(doc)
		slug = r.site.Sections[doc].Slug
	}
	if r.opened != nil {
		r.opened(slug)
	}
	r.seen = 0
	r.page()
}

// page prints as much of the document as fits above the prompt.
func (r *reader) page() {
	end := min(len(r.lines), r.seen+r.height-2)
	for _, l := range r.lines[r.seen:end] {
		r.write(l + "\r\n")
	}
	r.seen = end
	r.prompt("")
}

func (r *reader) help() {
	n := len(r.site.Sections)
	lines := []string{
		"Keys (each alone, or followed by enter):",
		"  1-" + itoa(min(n, 9)) + "     a section, from its start",
		"  enter   more of this section, then the next",
		"  n / p   next / previous section",
		"  r       this section again, from its start",
		"  0       the contents",
		"  q       quit",
	}
	if r.mail != nil {
		lines = append(lines[:len(lines)-1], "  m       write to "+r.site.DisplayName(), lines[len(lines)-1])
	}
	for _, l := range lines {
		r.writeText(l)
	}
	r.prompt("")
}

// prompt is the one line the visitor answers, preceded by note when there is one. It is cut
// to the width, so that it never wraps: longest first, shortest last.
func (r *reader) prompt(note string) {
	if note != "" {
		r.writeText(note)
	}
	n := itoa(min(len(r.site.Sections), 9)) // one key each: sections past the ninth by n
	enter := "enter more"
	if r.seen >= len(r.lines) {
		switch {
		case r.doc < 0:
			enter = "enter start"
		case r.doc+1 < len(r.site.Sections):
			enter = "enter next"
		default:
			enter = "enter contents"
		}
	}
	write := ""
	if r.mail != nil {
		write = "m write, "
	}
	for _, p := range []string{
		"-- 1-" + n + " section, " + enter + ", " + write + "? keys, q quit -- ",
		"-- 1-" + n + " section, " + enter + ", q quit -- ",
		"-- 1-" + n + ", " + strings.TrimPrefix(enter, "enter ") + ", q -- ",
		"-- q quit -- ",
	} {
		if len(p) <= r.width || strings.HasPrefix(p, "-- q") {
			r.write(p)
			return
		}
	}
}

// writeText writes s wrapped to the width, every line ended for a terminal in raw mode.
func (r *reader) writeText(s string) {
	r.write(strings.ReplaceAll(content.Wrap(s, r.width), "\n", "\r\n") + "\r\n")
}

func (r *reader) write(s string) {
	if r.err != nil {
		return
	}
	_, r.err = io.WriteString(r.out, s)
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// Goodbye is the card to print once the visitor has quit (content.Site.GoodbyeLines), as
// plain lines for a terminal in raw mode.
func Goodbye(site *content.Site, width int) string {
	if width <= 0 {
		width = 80
	}
	return strings.Join(site.GoodbyeLines(width, false), "\r\n") + "\r\n"
}
