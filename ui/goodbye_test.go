package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"portfolio/content"
)

func longLinks(site *content.Site) *content.Site {
	c := *site
	c.Settings.Name = "Ada Example-Lovelace"
	c.Settings.Links = content.Links{
		Email:    "ada.example-lovelace@example-mail.dev",
		GitHub:   "https://github.com/ada-example-lovelace",
		LinkedIn: "https://www.linkedin.com/in/ada-example-lovelace/",
		Website:  "https://ada-example-lovelace.example.dev",
	}
	return &c
}

// TestGoodbyeAt60Columns: with every link set the card fits in 60 columns, each address is
// whole on one line (a URL cut in two opens nothing), and each line erases the one it is
// written over.
func TestGoodbyeAt60Columns(t *testing.T) {
	site := longLinks(testSite(t))
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"true colour", Options{Profile: colorprofile.TrueColor}},
		{"no colour", Options{Profile: colorprofile.ASCII}},
		{"ascii locale", Options{Profile: colorprofile.ANSI, ASCII: true}},
		{"accessible", Options{Profile: colorprofile.TrueColor, Accessible: true}},
	} {
		tc.opts.Width, tc.opts.Height = 60, 20
		got := New(site, nil, tc.opts).Goodbye()
		if !strings.HasSuffix(got, "\r\n") {
			t.Errorf("%s: does not end its last line: %q", tc.name, got)
		}
		lines := strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n")
		var text []string
		if !strings.HasPrefix(got, "\r"+ansi.EraseScreenBelow) {
			t.Errorf("%s: does not erase the rest of the last frame first: %q", tc.name, got)
		}
		lines[0] = strings.TrimPrefix(lines[0], "\r"+ansi.EraseScreenBelow)
		for _, l := range lines {
			if !strings.HasPrefix(l, "\r"+ansi.EraseEntireLine) {
				t.Errorf("%s: line does not erase what it is written over: %q", tc.name, l)
			}
			plain := ansi.Strip(l)
			if w := ansi.StringWidth(plain); w > 60 {
				t.Errorf("%s: %d columns: %q", tc.name, w, plain)
			}
			text = append(text, strings.TrimPrefix(plain, "\r"))
		}
		all := strings.Join(text, "\n")
		for _, want := range []string{"Ada Example-Lovelace\nThanks for reading.", "ada.example-lovelace@example-mail.dev",
			"github.com/ada-example-lovelace", "linkedin.com/in/ada-example-lovelace", "ada-example-lovelace.example.dev",
			"ssh -T portfolio.example.dev | less", "ssh portfolio.example.dev vcard"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: %q is not whole on one line:\n%s", tc.name, want, all)
			}
		}
		if strings.Contains(all, "https://") || strings.Contains(all, "www.") {
			t.Errorf("%s: links are not in their short form:\n%s", tc.name, all)
		}
		hyper := strings.Contains(got, ansi.SetHyperlink("https://github.com/ada-example-lovelace"))
		if want := tc.name == "true colour" || tc.name == "ascii locale"; hyper != want {
			t.Errorf("%s: OSC 8 hyperlink present = %v, want %v", tc.name, hyper, want)
		}
		if tc.name == "accessible" && strings.Contains(strings.NewReplacer(ansi.EraseEntireLine, "", ansi.EraseScreenBelow, "").Replace(got), "\x1b") {
			t.Errorf("accessible: styled: %q", got)
		}
		if tc.name == "ascii locale" && !isASCII(got) {
			t.Errorf("ascii locale: %q", got)
		}
	}
}

func TestGoodbyeWithoutLinks(t *testing.T) {
	got := ansi.Strip(New(testSite(t), nil, Options{Width: 80, Height: 24}).Goodbye())
	want := "\r\rportfolio.example.dev\r\n\rThanks for reading.\r\n\rRead it again as text: ssh -T portfolio.example.dev | less\r\n"
	if got != want {
		t.Errorf("Goodbye() = %q, want %q", got, want)
	}
	// Two short links share a line.
	got = ansi.Strip(New(withLinks(testSite(t)), nil, Options{Width: 80, Height: 24}).Goodbye())
	if !strings.Contains(got, "\rme@example.com · github.com/example\r\n") || !strings.Contains(got, "ssh portfolio.example.dev vcard") {
		t.Errorf("Goodbye() = %q", got)
	}
}
