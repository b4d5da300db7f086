package content

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestEverySentenceIsPresented guards the owner's words: each sentence of the source narrative
// (testdata/narrative.txt, a copy of shared/source/narrative.txt)
// must appear, unchanged, in the plain-text rendering, and each section title as a heading.
func TestEverySentenceIsPresented(t *testing.T) {
	raw, err := os.ReadFile("testdata/narrative.txt")
	if err != nil {
		t.Fatalf("the narrative is the portfolio's source: %v", err)
	}
	site, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{0, PlainWidth, 40} {
		plain := collapse(site.PlainText(width))
		n := 0
		for _, line := range strings.Split(string(raw), "\n") {
			for _, sentence := range sentences(line) {
				n++
				if !strings.Contains(plain, sentence) {
					t.Errorf("width %d: sentence missing from the plain text: %q", width, sentence)
				}
			}
		}
		if n < 45 {
			t.Fatalf("only %d sentences found in the narrative; the splitter is broken", n)
		}
	}
}

func TestPlainTextHasNoEscapesAndWraps(t *testing.T) {
	site, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	out := site.PlainText(PlainWidth)
	if strings.ContainsAny(out, "\x1b\r\t*_#") {
		t.Errorf("plain text holds escape or markdown characters")
	}
	for _, line := range strings.Split(out, "\n") {
		if w := utf8.RuneCountInString(line); w > PlainWidth {
			t.Errorf("line of %d columns: %q", w, line)
		}
	}
	if !strings.HasPrefix(out, site.PlainOverview(PlainWidth)+"\n\nEducation & Origins\n===================\n\nB.Tech Computer Science & IT\n") {
		t.Errorf("unexpected start:\n%s", out[:300])
	}
	if !strings.HasPrefix(out, "portfolio.example.dev\nBackend & data engineer\n\n1. Education & Origins (1 min)\n   My coding odyssey began in 2012,") {
		t.Errorf("does not open with the overview:\n%s", out[:300])
	}
}

func TestPlainTextMarkdown(t *testing.T) {
	md := "# Head\n\nSome *em* and **strong** and `code` and [a link](https://x.dev).\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n```\ncode block\n```\n\n---\n\n<div>html</div>\n"
	want := "Head\n\nSome em and strong and code and a link (https://x.dev).\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n    code block\n\n* * *"
	if got := PlainText(md); got != want {
		t.Errorf("PlainText =\n%s\nwant\n%s", got, want)
	}
}

func TestWrapKeepsPrefixes(t *testing.T) {
	got := Wrap("- alpha beta gamma delta\n> one two three four", 13)
	want := "- alpha beta\n  gamma delta\n> one two\n> three four"
	if got != want {
		t.Errorf("Wrap =\n%s\nwant\n%s", got, want)
	}
}

var sentenceEnd = regexp.MustCompile(`[.?!](\s+|$)`)

func sentences(line string) []string {
	line = strings.TrimSpace(line)
	if line == "" {
		return nil
	}
	var out []string
	for _, s := range sentenceEnd.Split(line, -1) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
