package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"portfolio/content"
)

// hostileSite is a site whose section carries every escape the issue smuggled in through
// character references, built directly so that content.Load's refusal is not what stops them:
// the renderer must hold on its own.
func hostileSite() *content.Site {
	md := "Read [the docs](https://example.com).\n\n" +
		"&#x1b;]8;;https://evil.example/&#x7;click me&#x1b;]8;;&#x7;\n\n" +
		"&#27;Pq#0;2;0;0;0#1~~&#27;\\ dcs\n\n" +
		"&#x1b;_Ga=T,f=100;AAAA&#x1b;\\ apc\n\n" +
		"visible &#x1b;[8mconcealed&#x1b;[0m &#x1b;[5mblink &#27;[30;40mblack\n\n" +
		"raw \x1b]0;title\x07 and \x1b[2J and C1 \u009d8;;x\u009c and \u202eevil\n\n" +
		"`&#x1b;[8mcode` and <b>&#x1b;[5mhtml</b>\n\n" +
		"&#x1b;]0;tab title&#x7; &#x9d;8;;https://evil.example/&#x9c;\n"
	return &content.Site{
		Settings: content.Settings{Title: "t", Host: "h"},
		Sections: []content.Section{{Title: "Attack &#x1b;[8m", Slug: "a", Markdown: md, Plain: "x"}},
	}
}

// sequences returns every escape sequence and control character in s.
func sequences(s string) []string {
	var out []string
	var state byte
	for i := 0; i < len(s); {
		seq, _, n, st := ansi.DecodeSequence(s[i:], state, nil)
		state = st
		i += n
		if seq[0] < 0x20 && seq != "\n" || strings.ContainsFunc(seq, unsafeRune) && seq[0] != 0x1b {
			out = append(out, seq)
		}
	}
	return out
}

// TestHostileContentStaysText: in the full view (true colour, no colour) and the accessible
// view, the only escape sequences a visitor's terminal receives are our SGR styling and our
// own hyperlinks; nothing the content smuggled in survives.
func TestHostileContentStaysText(t *testing.T) {
	site := hostileSite()
	for _, opts := range []Options{
		{Width: 100, Height: 60, Profile: colorprofile.TrueColor, DarkBackground: true},
		{Width: 100, Height: 60, Profile: colorprofile.ANSI},
		{Width: 100, Height: 60, Profile: colorprofile.NoTTY},
		{Width: 100, Height: 60, Profile: colorprofile.TrueColor, DarkBackground: true, Accessible: true},
	} {
		m := New(site, NewRenderer(0), opts)
		m = press(t, m, "1")
		out := m.View().Content + "\n" + strings.Join(m.page.lines, "\n") + strings.Join(m.page.plain, "\n")
		for _, seq := range sequences(out) {
			switch {
			case seq == "\n":
			case strings.HasPrefix(seq, "\x1b]8;"):
				if strings.Contains(seq, "evil.example") {
					t.Errorf("%+v: spoofed hyperlink %q reaches the terminal", opts, seq)
				}
			case isSGR(seq):
				if attrs := sgrAttributes(seq); slices.Contains(attrs, "8") || slices.Contains(attrs, "5") ||
					slices.Contains(attrs, "30") && slices.Contains(attrs, "40") {
					t.Errorf("%+v: smuggled SGR %q reaches the terminal", opts, seq)
				}
			default:
				t.Errorf("%+v: sequence or control %q reaches the terminal", opts, seq)
			}
		}
		if !strings.Contains(ansi.Strip(out), "click me") {
			t.Errorf("%+v: the text around the smuggled escapes is lost", opts)
		}
	}
}

// sgrAttributes lists an SGR sequence's attributes, leaving out the colour arguments of
// 38, 48 and 58 (the 5 of "38;5;234" selects a palette colour; it is not blink).
func sgrAttributes(seq string) []string {
	params := strings.Split(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b["), "m"), ";")
	var out []string
	for i := 0; i < len(params); i++ {
		p := params[i]
		out = append(out, p)
		if (p == "38" || p == "48" || p == "58") && i+1 < len(params) {
			if params[i+1] == "5" {
				i += 2
			} else if params[i+1] == "2" {
				i += 4
			}
		}
	}
	return out
}

func TestKeepSafe(t *testing.T) {
	link := ansi.SetHyperlink("https://example.com")
	for in, want := range map[string]string{
		"plain\ttext é":                       "plain\ttext é",
		"\x1b[1;38;5;252mbold\x1b[m":          "\x1b[1;38;5;252mbold\x1b[m",
		link + "site" + ansi.ResetHyperlink(): link + "site" + ansi.ResetHyperlink(),
		"a\x1bPq#0~~\x1b\\b":                  "ab",
		"a\x1b_Ga=T;AAAA\x1b\\b":              "ab",
		"a\x1b]0;title\x07b":                  "ab",
		"a\x1b[2Jb\x1b[10;10Hc":               "abc",
		"a\u009d8;;x\u009cb\u202ec\x07d\x7f":  "a8;;xbcd",
		"a\x9b31mb":                           "ab",
	} {
		if got := keepSafe(in); got != want {
			t.Errorf("keepSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
