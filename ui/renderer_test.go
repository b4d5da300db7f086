package ui

import (
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"portfolio/content"
)

func TestTrimPadding(t *testing.T) {
	link := ansi.SetHyperlink("https://example.com")
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain   ", "plain"},
		{"\x1b[38;5;252mtext\x1b[m\x1b[38;5;252m \x1b[m\x1b[38;5;252m \x1b[m", "\x1b[38;5;252mtext\x1b[m"},
		{"\x1b[38;5;252m   \x1b[m", ""},
		{"  indented", "  indented"},
		{link + "site   ", link + "site" + ansi.ResetHyperlink() + "\x1b[m"},
		{link + "site" + ansi.ResetHyperlink() + "  ", link + "site" + ansi.ResetHyperlink() + "\x1b[m"},
	}
	for _, tt := range tests {
		if got := trimPadding(tt.in); got != tt.want {
			t.Errorf("trimPadding(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRenderedLinesFit: every cached line is trimmed and no wider than the render width, at
// every width and look, so View can draw lines as they are.
func TestRenderedLinesFit(t *testing.T) {
	site := withLinks(testSite(t))
	r := NewRenderer(0)
	for _, w := range []int{1, 10, 39, 40, 57, 80} {
		for _, l := range []look{{ink: inkColour, dark: true}, {ink: inkColour, ascii: true}, {ink: inkAttrs}, {ink: inkPlain, ascii: true}, {ink: inkPlain, access: true}} {
			for i := range site.Sections {
				p := r.page(site, i, w, l)
				for j, line := range p.lines {
					if lw := ansi.StringWidth(line); lw > w {
						t.Fatalf("width %d look %v section %d line %d is %d wide", w, l, i, j, lw)
					}
					if strings.HasSuffix(p.plain[j], " ") {
						t.Fatalf("line %d keeps trailing padding: %q", j, line)
					}
				}
			}
		}
	}
}

// TestRendererShared: sessions share one rendering per (section, width, look), concurrently.
func TestRendererShared(t *testing.T) {
	site := testSite(t)
	r := NewRenderer(0)
	var wg sync.WaitGroup
	pages := make([]*page, 16)
	for i := range pages {
		wg.Go(func() {
			m := New(site, r, Options{Width: 100, Height: 30, Profile: colorprofile.TrueColor, DarkBackground: true})
			m = press(t, m, "2", "j")
			_ = m.View()
			pages[i] = m.page
		})
	}
	wg.Wait()
	for _, p := range pages {
		if p != pages[0] {
			t.Fatal("sessions rendered the same page separately")
		}
	}
	// Width beyond the measure shares the measure's rendering; a different look does not.
	a := New(site, r, Options{Width: 120, Height: 30, Profile: colorprofile.TrueColor, DarkBackground: true})
	b := New(site, r, Options{Width: 200, Height: 30, Profile: colorprofile.TrueColor, DarkBackground: true})
	c := New(site, r, Options{Width: 200, Height: 30, Profile: colorprofile.TrueColor})
	if a.page != b.page || a.page == c.page {
		t.Fatal("cache key is not (section, min(width, measure), look)")
	}
	// No-colour looks ignore the background.
	d := New(site, r, Options{Width: 90, Height: 30, Profile: colorprofile.ASCII, DarkBackground: true})
	e := New(site, r, Options{Width: 90, Height: 30, Profile: colorprofile.ASCII})
	if d.page != e.page {
		t.Fatal("no-colour pages differ by background")
	}
}

func TestRendererBounded(t *testing.T) {
	site := testSite(t)
	one := NewRenderer(0).page(site, 0, 40, look{}).bytes()
	limit := int(4*one + one/2)
	r := NewRenderer(limit)
	for w := 40; w < 80; w++ {
		r.page(site, 0, w, look{})
	}
	n, used := r.cache.stats()
	if used > int64(limit) || n < 3 || n > 5 {
		t.Fatalf("cache holds %d pages in %d bytes, want about 4 within %d", n, used, limit)
	}
}

// TestRendererBoundedInBytes: a long section (~270 KB of markdown, ~0.8 MB rendered) at
// half a dozen widths never holds more than the cache's byte budget, and a page larger than
// the whole budget is still served, just not kept.
func TestRendererBoundedInBytes(t *testing.T) {
	para := strings.Repeat("All work and no play makes Jack a dull boy. ", 20) + "\n\n"
	site := &content.Site{Sections: []content.Section{{Title: "Long", Slug: "long", Markdown: strings.Repeat(para, 300)}}}
	const limit = 2 << 20
	r := NewRenderer(limit)
	for w := 75; w <= 80; w++ {
		p := r.page(site, 0, w, look{})
		if len(p.lines) < 1000 || p.bytes() < 512<<10 {
			t.Fatalf("width %d: %d lines in %d bytes, want the whole long section", w, len(p.lines), p.bytes())
		}
		if n, used := r.cache.stats(); used > limit || n < 1 {
			t.Fatalf("after width %d the cache holds %d pages in %d bytes, budget %d", w, n, used, limit)
		}
	}
	small := NewRenderer(512 << 10)
	if p := small.page(site, 0, 80, look{}); len(p.lines) < 1000 {
		t.Fatalf("a page larger than the budget is not served whole: %d lines", len(p.lines))
	}
	if n, used := small.cache.stats(); n != 0 || used != 0 {
		t.Fatalf("a page larger than the budget is kept: %d pages, %d bytes", n, used)
	}
}

// BenchmarkViewWarm is one frame of a visitor reading: the page is cached, the body is
// scrolled, View slices lines and joins the chrome.
func BenchmarkViewWarm(b *testing.B) {
	m := press(b, newTestModel(b, 80, 24, colorprofile.TrueColor, false), "3", "j", "j")
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(m.View().Content)
	}
	b.ReportMetric(float64(n), "bytes/frame")
}

// BenchmarkScrollFrame is a keystroke: Update for "j" and the View after it.
func BenchmarkScrollFrame(b *testing.B) {
	m := press(b, newTestModel(b, 80, 24, colorprofile.TrueColor, false), "3")
	down, up := keyPress(b, "j"), keyPress(b, "k")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := down
		if i%20 >= 10 {
			k = up
		}
		i++
		next, _ := m.Update(k)
		m = next.(Model)
		_ = m.View()
	}
}

// BenchmarkRenderCold is a page no session has seen: glamour, trimming, splitting.
func BenchmarkRenderCold(b *testing.B) {
	site := testSite(b)
	l := look{ink: inkColour, dark: true}
	b.ReportAllocs()
	for b.Loop() {
		renderPage(site, 2, 80, l)
	}
}

// BenchmarkSessionStart is New for a visitor whose size and look are cached.
func BenchmarkSessionStart(b *testing.B) {
	site := testSite(b)
	r := NewRenderer(0)
	opts := Options{Width: 80, Height: 24, Profile: colorprofile.TrueColor, DarkBackground: true}
	New(site, r, opts)
	b.ReportAllocs()
	for b.Loop() {
		m := New(site, r, opts)
		_ = m.View()
	}
}

// TestRenderConcurrentLooks renders different widths and looks at once (run with -race):
// glamour styles are copied from package values and patched, never shared mutably.
func TestRenderConcurrentLooks(t *testing.T) {
	site := withLinks(testSite(t))
	looks := []look{{ink: inkColour, dark: true}, {ink: inkColour, ascii: true}, {ink: inkAttrs}, {ink: inkPlain}, {ink: inkPlain, access: true}}
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			l := looks[i%len(looks)]
			if p := renderPage(site, i%len(site.Sections), 40+i*4, l); len(p.lines) < 5 {
				t.Errorf("look %v rendered %d lines", l, len(p.lines))
			}
		})
	}
	wg.Wait()
}

// BenchmarkRenderWarm is what a session pays for a page another visitor already had
// rendered at the same width and look: a cache hit.
func BenchmarkRenderWarm(b *testing.B) {
	site := testSite(b)
	r := NewRenderer(0)
	l := look{ink: inkColour, dark: true}
	r.page(site, 2, 80, l)
	b.ReportAllocs()
	for b.Loop() {
		r.page(site, 2, 80, l)
	}
}

// TestPageBytesIsWhatItHolds: the size the cache charges a page is the heap the page keeps
// alive (within a fifth), so the byte budget bounds real memory. Before the lines were
// copied, a trimmed line could be a slice of its padded original and keep all of it.
func TestPageBytesIsWhatItHolds(t *testing.T) {
	para := strings.Repeat("All work and no play makes Jack a dull boy. ", 20) + "\n\n"
	site := &content.Site{Sections: []content.Section{{Title: "Long", Slug: "long", Markdown: strings.Repeat(para, 300)}}}
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	renderPage(site, 0, 40, look{}) // glamour's lazily built tables
	for _, l := range []look{{ink: inkColour, dark: true}, {ink: inkPlain, access: true}} {
		for _, w := range []int{20, 80} {
			before := heap()
			p := renderPage(site, 0, w, l)
			held := float64(heap()) - float64(before)
			if ratio := held / float64(p.bytes()); ratio < 0.8 || ratio > 1.2 {
				t.Errorf("look %v width %d: the page holds %.0f bytes, the cache charges %d", l, w, held, p.bytes())
			}
			runtime.KeepAlive(p)
		}
	}
}
