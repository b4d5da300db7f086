package content

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadingLabel(t *testing.T) {
	if got := (Section{Words: 450}).ReadingLabel(); got != "3 min" {
		t.Errorf("450 words: %q", got)
	}
}

func TestEllipsize(t *testing.T) {
	for _, tc := range []struct {
		s     string
		width int
		want  string
	}{
		{"short", 10, "short"},
		{"one two three four", 12, "one two…"},
		{"abcdefghijklmnop", 8, "abcdefg…"},
		{"abc", 2, "a…"},
		{"one two three four", 12, "one two…"},
	} {
		got := Ellipsize(tc.s, tc.width, "…")
		if got != tc.want || utf8.RuneCountInString(got) > tc.width {
			t.Errorf("Ellipsize(%q, %d) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
	}
}

func TestPlainOverview(t *testing.T) {
	site, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	out := site.PlainOverview(50)
	for i, sec := range site.Sections {
		if !strings.Contains(out, itoa(i+1)+". "+sec.Title+" ("+sec.ReadingLabel()+")") {
			t.Errorf("no line for section %d:\n%s", i+1, out)
		}
		if first := strings.Fields(sec.Summary)[0]; !strings.Contains(out, "   "+first) {
			t.Errorf("no indented summary for section %d:\n%s", i+1, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if utf8.RuneCountInString(line) > 50 {
			t.Errorf("line over 50: %q", line)
		}
	}
	if !strings.HasPrefix(out, site.DisplayName()+"\n"+site.Settings.Tagline+"\n") {
		t.Errorf("overview starts:\n%s", out)
	}
}

func TestShortLink(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.linkedin.com/in/ada/": "linkedin.com/in/ada",
		"github.com/ada":                   "github.com/ada",
		"mailto:ada@example.dev":           "ada@example.dev",
		"http://example.dev":               "example.dev",
	} {
		if got := ShortLink(in); got != want {
			t.Errorf("ShortLink(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestColumns(t *testing.T) {
	rows := [][2]string{{"ssh host", "open it"}, {"ssh -t host plain", "the accessible view: no colour or boxes, read top to bottom"}}
	got := Columns(rows, 50)
	want := "" +
		"  ssh host           open it\n" +
		"  ssh -t host plain  the accessible view: no\n" +
		"                     colour or boxes, read top to\n" +
		"                     bottom\n"
	if got != want {
		t.Errorf("Columns at 50:\n%s\nwant:\n%s", got, want)
	}
	got = Columns(rows, 24)
	want = "" +
		"  ssh host\n    open it\n" +
		"  ssh -t host plain\n    the accessible view:\n    no colour or boxes,\n    read top to bottom\n"
	if got != want {
		t.Errorf("Columns at 24:\n%s\nwant:\n%s", got, want)
	}
}
