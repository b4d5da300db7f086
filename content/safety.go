package content

import (
	"fmt"
	"html"
	"regexp"
	"strings"
)

// Content is data, never control: nothing an owner writes may reach a visitor's terminal as
// an instruction to it. Three kinds of character are refused when the content is loaded,
// with the file and line, because each can make the screen lie:
//
//   - C0 and C1 control characters (and DEL), other than tab and newline: ESC starts every
//     escape sequence (a spoofed OSC 8 link, a DCS or APC payload, SGR 8 concealed text);
//     C1 controls such as U+009D are the same introducers in one byte.
//   - Bidirectional embedding and override controls (U+202A-U+202E, U+2066-U+2069): they
//     reorder what a visitor sees without changing what is there ("Trojan Source").
//   - HTML character references that stand for either of the above (&#x1b;, &#27;, &#x9d;,
//     &#x202e;): glamour passes text, code spans and HTML blocks through
//     html.UnescapeString (glamour/v2 ansi/elements.go and context.go), so a reference in
//     markdown becomes the raw character in the rendered page. They are refused wherever
//     they appear, even in code blocks (which glamour leaves alone), so the rule is one
//     sentence an owner can keep in mind.
//
// Zero-width characters (U+200B-U+200D, U+2060, U+FEFF) are text, not control: the joiners
// build emoji sequences and are required by Persian and Indic scripts, and none of them
// moves the cursor or changes the terminal's state. They are allowed in prose and refused
// only in the contact addresses and the host name, where an invisible character makes a
// link differ from what it looks like.

// MaxFileSize is the largest content file Load reads: a section far longer than any reader
// will scroll through, and small enough that a mistake (a symlink to a device, a log file
// named .md) fails loudly instead of exhausting the server's memory.
const MaxFileSize = 1 << 20

// reference matches the character references html.UnescapeString decodes: decimal and hex
// numeric ones, and named ones (some of which need no semicolon).
var reference = regexp.MustCompile(`&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{0,31};?)`)

// isControl reports whether r is a C0 or C1 control character or DEL.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// isBidiControl reports whether r is a bidirectional embedding, override or isolate control.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// isZeroWidth reports whether r is an invisible, zero-width character.
func isZeroWidth(r rune) bool { return (r >= 0x200b && r <= 0x200d) || r == 0x2060 || r == 0xfeff }

// describe names the problem with r, or returns "" when r is allowed in text.
func describe(r rune) string {
	switch {
	case r == '\t' || r == '\n':
		return ""
	case isControl(r):
		return fmt.Sprintf("control character U+%04X (escape sequences are not allowed)", r)
	case isBidiControl(r):
		return fmt.Sprintf("bidirectional control U+%04X (it reorders what a visitor sees)", r)
	}
	return ""
}

// checkText finds the first forbidden character in a file's text, raw or as a character
// reference, and says on which line it is.
func checkText(text string) error {
	for i, line := range strings.Split(text, "\n") {
		if err := checkLine(line); err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
	}
	return nil
}

func checkLine(line string) error {
	for _, r := range line {
		if d := describe(r); d != "" {
			return fmt.Errorf("%s", d)
		}
	}
	for _, ref := range reference.FindAllString(line, -1) {
		for _, r := range html.UnescapeString(ref) {
			if d := describe(r); d != "" {
				return fmt.Errorf("character reference %s stands for %s", ref, d)
			}
		}
	}
	// What glamour will see: a reference the pattern missed still cannot slip through.
	for _, r := range html.UnescapeString(line) {
		if d := describe(r); d != "" {
			return fmt.Errorf("a character reference stands for %s", d)
		}
	}
	return nil
}

// checkValue checks one decoded setting or title: no control character (tab and newline
// included), no bidi control, no reference to either.
func checkValue(s string) error {
	if strings.ContainsAny(s, "\t\n") {
		return fmt.Errorf("control character U+%04X", s[strings.IndexAny(s, "\t\n")])
	}
	return checkLine(s)
}

// checkAddress is checkValue plus no zero-width character.
func checkAddress(s string) error {
	if i := strings.IndexFunc(s, isZeroWidth); i >= 0 {
		r := []rune(s[i:])[0]
		return fmt.Errorf("invisible character U+%04X (a link must be what it looks like)", r)
	}
	return checkValue(s)
}

// Neutralise makes markdown safe to hand to glamour whatever its origin: every control
// character other than tab and newline, every bidi control, and every character reference
// that stands for one becomes U+FFFD. Load already refuses all of these; the renderer calls
// Neutralise too, so a Site built by other means cannot smuggle them either.
func Neutralise(markdown string) string {
	out := strings.Map(func(r rune) rune {
		if describe(r) != "" {
			return '\uFFFD'
		}
		return r
	}, markdown)
	return reference.ReplaceAllStringFunc(out, func(ref string) string {
		for _, r := range html.UnescapeString(ref) {
			if describe(r) != "" {
				return "\uFFFD"
			}
		}
		return ref
	})
}
