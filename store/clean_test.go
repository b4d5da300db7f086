package store

import (
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain text stays", "Hello, world! Ünïcödé 日本語 👩‍💻", "Hello, world! Ünïcödé 日本語 👩‍💻"},
		{"newlines stay", "one\ntwo\n\nthree", "one\ntwo\n\nthree"},
		{"tab becomes spaces", "a\tb", "a    b"},
		{"CRLF becomes LF", "a\r\nb", "a\nb"},
		{"lone CR becomes LF", "a\rb", "a\nb"},
		{"ESC [2J (clear screen)", "before\x1b[2Jafter", "beforeafter"},
		{"SGR colour", "\x1b[31;1mred\x1b[0m", "red"},
		{"OSC 52 clipboard, BEL", "x\x1b]52;c;ZXZpbA==\x07y", "xy"},
		{"OSC 52 clipboard, ST", "x\x1b]52;c;ZXZpbA==\x1b\\y", "xy"},
		{"OSC 8 hyperlink", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"DCS", "a\x1bP1$r0m\x1b\\b", "ab"},
		{"APC, PM, SOS", "a\x1b_apc\x1b\\b\x1b^pm\x1b\\c\x1bXsos\x1b\\d", "abcd"},
		{"C1 CSI U+009B", "a\u009b2Jb", "ab"},
		{"C1 OSC U+009D ended by U+009C", "a\u009d52;c;eA==\u009cb", "ab"},
		{"lone C1 control", "a\u0085b", "ab"},
		{"RLO U+202E", "abc\u202etxt.exe", "abctxt.exe"},
		{"isolates and marks", "\u2066a\u2069\u200eb\u200f\u061c", "ab"},
		{"entity stays literal", "&#x1b;[2J and &#27; &amp;", "&#x1b;[2J and &#27; &amp;"},
		{"BEL, NUL, DEL", "a\x07b\x00c\x7fd", "abcd"},
		{"invalid UTF-8 dropped", "a\xffb\xc0", "ab"},
		{"unterminated OSC swallows the rest", "a\x1b]0;title", "a"},
		{"two-byte escape", "a\x1bcb\x1b7c", "abc"},
		{"zero-width joiner stays", "👨\u200d👩", "👨\u200d👩"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Clean(tc.in)
			if got != tc.want {
				t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
			for _, r := range got {
				if r != '\n' && isControl(r) || isBidiControl(r) {
					t.Errorf("Clean(%q) kept %U", tc.in, r)
				}
			}
			if again := Clean(got); again != got {
				t.Errorf("Clean is not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestCleanLine(t *testing.T) {
	if got, want := CleanLine("  Ada\n\tLovelace\x1b[2J \u202e "), "Ada  Lovelace"; got != want {
		t.Errorf("CleanLine = %q, want %q", got, want)
	}
}

func TestCleanIsLinear(t *testing.T) {
	// An unterminated sequence must not make the scan quadratic: a megabyte of ESC [ is one pass.
	in := strings.Repeat("\x1b[", 1<<19)
	if got := Clean(in); got != "" {
		t.Errorf("Clean of ESC [ repeated = %q", got[:min(len(got), 20)])
	}
}
