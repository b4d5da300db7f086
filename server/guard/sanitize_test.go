package guard

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"plain", "alice", 64, "alice"},
		{"empty", "", 64, ""},
		{"unicode kept", "zoë 日本 🙂", 64, "zoë 日本 🙂"},
		{"forged newline", "alice\nlevel=INFO msg=\"admin login\"", 64, "alicelevel=INFO msg=\"admin login\""},
		{"carriage return", "bob\r\x1b[2Kroot", 64, "bobroot"},
		{"debug prefix stays data", "DEBUG visit hidden", 64, "DEBUG visit hidden"},
		{"csi colour", "\x1b[31mred\x1b[0m", 64, "red"},
		{"csi private mode", "\x1b[?1049hx\x1b[?25l", 64, "x"},
		{"window op", "\x1b[8;1000;1000t!", 64, "!"},
		{"osc title bel", "\x1b]0;pwned\x07ok", 64, "ok"},
		{"osc hyperlink st", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", 64, "click"},
		{"osc52 clipboard", "\x1b]52;c;ZXZpbA==\x07x", 64, "x"},
		{"dcs", "\x1bPq#0;2;0;0;0\x1b\\y", 64, "y"},
		{"apc", "\x1b_Gf=100;AAAA\x1b\\z", 64, "z"},
		{"two byte escape", "\x1bca\x1b7b\x1b(Bc", 64, "abc"},
		{"c1 csi", "\u009b31mred", 64, "red"},
		{"c1 osc", "\u009d0;t\u009cafter", 64, "after"},
		{"c1 lone", "a\u0085b", 64, "ab"},
		{"unterminated osc swallows", "a\x1b]0;title", 64, "a"},
		{"bell backspace del", "a\x07\x08\x7fb", 64, "ab"},
		{"tab", "a\tb", 64, "a b"},
		{"nul", "a\x00b", 64, "ab"},
		{"bidi override", "user\u202egnp.exe", 64, "usergnp.exe"},
		{"bidi isolates", "\u2066a\u2067b\u2068c\u2069", 64, "abc"},
		{"marks", "a\u200eb\u200fc\u061cd", 64, "abcd"},
		{"zero width", "a\u200bb\u200dc\ufeffd", 64, "abcd"},
		{"tags", "a\U000E0041b", 64, "ab"},
		{"line separator", "a\u2028b\u2029c", 64, "abc"},
		{"invalid utf8", "a\xffb\xc3", 64, "ab"},
		{"raw 8-bit csi byte", "a\x9b31mb", 64, "a31mb"},
		{"truncate", "abcdefghij", 5, "abcd…"},
		{"exact fit", "abcde", 5, "abcde"},
		{"truncate multibyte", "日本語日本語", 4, "日本語…"},
		{"limit one", "ab", 1, "…"},
		{"controls do not count", "\x1b[1ma\x1b[0mb\n", 2, "ab"},
		{"no limit", strings.Repeat("x", 300), 0, strings.Repeat("x", 300)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sanitize(tt.in, tt.limit)
			if got != tt.want {
				t.Fatalf("Sanitize(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Fatalf("result is not valid UTF-8: %q", got)
			}
		})
	}
}

func TestSanitizeHugeName(t *testing.T) {
	in := strings.Repeat("A\n\x1b[31m", 200<<10/8) // about 200 KB
	got := Sanitize(in, 64)
	if n := utf8.RuneCountInString(got); n != 64 {
		t.Fatalf("got %d runes, want 64", n)
	}
	if !strings.HasSuffix(got, Ellipsis) || strings.ContainsAny(got, "\n\x1b") {
		t.Fatalf("bad result %q", got)
	}
}

// TestSanitizeLogLine shows the point of Sanitize: a hostile user name gives
// exactly one log line, whatever handler formats it.
func TestSanitizeLogLine(t *testing.T) {
	name := "mallory\ntime=2026-01-01 level=DEBUG msg=\"visit hidden\"\x1b[2K\x1b]0;owned\x07" + strings.Repeat("x", 200<<10)
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	logger.Info("visit", "user", Sanitize(name, 64))
	out := buf.String()
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Fatalf("want one line, got %q", out)
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Fatalf("escape survived: %q", out)
	}
	if len(out) > 300 {
		t.Fatalf("log line is %d bytes", len(out))
	}
	if !strings.Contains(out, "level=DEBUG") {
		t.Fatalf("the forged text should remain visible as quoted data: %q", out)
	}
}

func FuzzSanitize(f *testing.F) {
	f.Add("alice\n\x1b[31m\u202e", 16)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		limit %= 200
		got := Sanitize(s, limit)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid utf8 %q", got)
		}
		if limit > 0 && utf8.RuneCountInString(got) > limit {
			t.Fatalf("too long: %q", got)
		}
		for _, r := range got {
			if !visible(r) {
				t.Fatalf("invisible rune %U in %q", r, got)
			}
		}
	})
}
