package linear

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"portfolio/content"
)

func testSite(t *testing.T, links bool) *content.Site {
	t.Helper()
	long := strings.Repeat("Every word here is the owner's and this line is long enough to wrap twice. ", 40)
	fs := fstest.MapFS{
		"site.toml":   {Data: []byte("title = \"example.dev\"\ntagline = \"Backend & data engineer\"\nname = \"Ada Example\"\n")},
		"01-one.md":   {Data: []byte("+++\ntitle = \"First Steps\"\n+++\n## A heading\n\nThe first sentence is this one. The second is not shown.\n\n" + long + "\n")},
		"02-two.md":   {Data: []byte("+++\ntitle = \"Second Thoughts\"\n+++\nShort and sweet! Then more.\n\nLast words of two.\n")},
		"03-three.md": {Data: []byte("+++\ntitle = \"Third Way\"\n+++\nThe end is near.\n")},
	}
	if links {
		fs["site.toml"].Data = append(fs["site.toml"].Data, []byte("[links]\nemail = \"ada@example.dev\"\nwebsite = \"example.dev\"\n")...)
	}
	site, err := content.Load(fs)
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// run drives Run with each chunk as one read, as a client sends it, and returns the output.
func run(t *testing.T, site *content.Site, opts Options, chunks ...string) (string, error) {
	t.Helper()
	pr, pw := io.Pipe()
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), pr, &out, site, opts) }()
	for _, c := range chunks {
		if _, err := pw.Write([]byte(c)); err != nil {
			break // Run returned (q) and the reader stopped reading
		}
	}
	_ = pw.Close()
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
		return "", nil
	}
}

func TestOverviewThenSectionThenQuit(t *testing.T) {
	site := testSite(t, true)
	out, err := run(t, site, Options{Width: 60, Height: 24}, "2", "q")
	if err != nil {
		t.Fatalf("q: Run = %v, want nil", err)
	}
	if i := strings.IndexByte(out, 0x1b); i >= 0 {
		t.Fatalf("escape byte at %d: %q", i, out[max(0, i-20):min(len(out), i+20)])
	}
	cover, rest, _ := strings.Cut(out, "-- 1-3 section, enter start")
	for _, want := range []string{"Ada Example", "Backend & data engineer",
		"1. First Steps (", "The first sentence is this one.", "2. Second Thoughts (1 min)", "Short and sweet!",
		"3. Third Way", "Email: ada@example.dev", "Website: example.dev"} {
		if !strings.Contains(cover, want) {
			t.Errorf("overview lacks %q:\n%s", want, cover)
		}
	}
	if strings.Contains(cover, "The second is not shown") {
		t.Errorf("summary is more than the first sentence:\n%s", cover)
	}
	for _, want := range []string{"2/3  Second Thoughts", "Last words of two.", "Next: 3 Third Way", "-- 1-3 section, enter next"} {
		if !strings.Contains(rest, want) {
			t.Errorf("after 2, no %q:\n%s", want, rest)
		}
	}
	for _, line := range strings.Split(out, "\r\n") {
		if utf8.RuneCountInString(line) > 60 {
			t.Errorf("line wider than 60: %q", line)
		}
	}
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Error("a bare line feed: a terminal in raw mode would not return to the margin")
	}
}

// A cooked terminal sends "1\n" in one read: the line end belongs to the 1 and must not also
// page on; a raw one sends "1" and later "\r", which does page on.
func TestLineOrKeys(t *testing.T) {
	site := testSite(t, false)
	firstPage := func(out string) int { return strings.Count(out, "owner's and this line") }
	cooked, err := run(t, site, Options{Width: 80, Height: 10}, "1\n", "q\n")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := run(t, site, Options{Width: 80, Height: 10}, "1", "\r", "q")
	if err != nil {
		t.Fatal(err)
	}
	if c, r := firstPage(cooked), firstPage(raw); c == 0 || r <= c {
		t.Errorf("lines of section 1 shown: cooked %d, raw %d; want raw (a page more) > cooked > 0", c, r)
	}
	if !strings.Contains(cooked, "-- 1-3 section, enter more") {
		t.Errorf("no prompt saying there is more:\n%s", cooked)
	}
}

func TestEveryKeyWithoutEscapes(t *testing.T) {
	site := testSite(t, true)
	chunks := []string{"?", "1", "\r", "\r\n", " ", "\x1b[C", "\x1b[D", "\x1bOB", "n", "p", "r", "9", "x", "0", "3", "\r", "é", "\x1bx", "q"}
	out, err := run(t, site, Options{Width: 40, Height: 8}, chunks...)
	if err != nil {
		t.Fatal(err)
	}
	if i := strings.IndexByte(out, 0x1b); i >= 0 {
		t.Fatalf("escape byte at %d: %q", i, out[max(0, i-20):min(len(out), i+20)])
	}
	for _, want := range []string{"Keys (each alone", "No section 9.", "Unknown key", "The end: that was the last section.", "Get in touch:"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\r\n") {
		if utf8.RuneCountInString(line) > 40 || strings.Contains(line, "\n") {
			t.Errorf("line wider than 40: %q", line)
		}
	}
}

func TestEnds(t *testing.T) {
	site := testSite(t, false)
	if _, err := run(t, site, Options{}, "\r"); !errors.Is(err, ErrInputEnded) {
		t.Errorf("input closed: Run = %v, want ErrInputEnded", err)
	}
	if _, err := run(t, site, Options{}, "\x03"); err != nil {
		t.Errorf("ctrl+c: Run = %v, want nil", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	defer pw.Close()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, pr, io.Discard, site, Options{}) }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: Run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run ignored its context")
	}
}

func TestOpenAtSection(t *testing.T) {
	var opened []string
	out, err := run(t, testSite(t, false), Options{Section: "third-way", Opened: func(s string) { opened = append(opened, s) }}, "1", "0", "q")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "3/3  Third Way") {
		t.Errorf("opened at:\n%s", out)
	}
	if want := []string{"third-way", "first-steps", ""}; !slices.Equal(opened, want) {
		t.Errorf("Opened heard %q, want %q", opened, want)
	}
}

func TestDecoder(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chunks []string
		want   []rune
	}{
		{"raw keys", []string{"2", "\r", "q"}, []rune{'2', keyEnter, 'q'}},
		{"cooked line", []string{"2\n"}, []rune{'2', keyLineEnd}},
		{"cooked crlf", []string{"2\r\n", "\r\n"}, []rune{'2', keyLineEnd, keyEnter}},
		{"crlf split across reads", []string{"\r", "\n"}, []rune{keyEnter}},
		{"arrows", []string{"\x1b[C\x1b[D", "\x1bOB"}, []rune{keyRight, keyLeft, keyDown}},
		{"sequence split across reads", []string{"\x1b[", "1;5", "A"}, []rune{keyUp}},
		{"alt+key dropped", []string{"\x1bq"}, nil},
		{"utf-8 split", []string{"\xc3", "\xa9"}, []rune{'é'}},
		{"controls", []string{"\x00\x07\x03"}, []rune{keyQuit}},
	} {
		var d decoder
		var got []rune
		for _, c := range tc.chunks {
			got = append(got, d.feed([]byte(c))...)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q", tc.name, got)
		}
	}
}

// After a resize the pages that follow are wrapped to the new width, from the same place.
func TestResize(t *testing.T) {
	site := testSite(t, false)
	pr, pw := io.Pipe()
	defer pw.Close()
	out := &lockedOut{}
	resize := make(chan Size)
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), pr, out, site, Options{Width: 80, Height: 10, Section: "first-steps", Resize: resize})
	}()
	resize <- Size{Width: 30, Height: 10} // taken once the first page is out
	before := len(out.String())
	if _, err := pw.Write([]byte("\r")); err != nil {
		t.Fatal(err)
	}
	if _, err := pw.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	page := out.String()[before:]
	if !strings.Contains(page, "owner's") {
		t.Fatalf("no second page: %q", page)
	}
	for _, line := range strings.Split(page, "\r\n") {
		if utf8.RuneCountInString(line) > 30 && !strings.HasPrefix(line, "--") {
			t.Errorf("after resizing to 30 columns: %q", line)
		}
	}
}

type lockedOut struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedOut) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedOut) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
