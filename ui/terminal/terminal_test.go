package terminal

import (
	"testing"

	"github.com/charmbracelet/colorprofile"
)

func TestASCIILocale(t *testing.T) {
	tests := []struct {
		env  []string
		want bool
	}{
		{nil, false},
		{[]string{"LANG=en_US.UTF-8"}, false},
		{[]string{"LANG=en_US.utf8"}, false},
		{[]string{"LANG=C"}, true},
		{[]string{"LANG=en_US.ISO-8859-1"}, true},
		{[]string{"LANG=C", "LC_ALL=en_US.UTF-8"}, false},
		{[]string{"LANG=en_US.UTF-8", "LC_CTYPE=POSIX"}, true},
		{[]string{"LC_ALL=", "LANG=C"}, true},
	}
	for _, tt := range tests {
		if got := ASCIILocale(tt.env); got != tt.want {
			t.Errorf("ASCIILocale(%q) = %v, want %v", tt.env, got, tt.want)
		}
	}
}

func TestWantsAccessible(t *testing.T) {
	for _, tt := range []struct {
		term string
		env  []string
		want bool
	}{
		{"xterm-256color", nil, false},
		{"dumb", nil, true},
		{"xterm", []string{"NO_COLOR=1"}, true},
		{"xterm", []string{"NO_COLOR="}, false}, // no-color.org: set and not empty
		{"xterm", []string{"NO_COLORS=1"}, false},
	} {
		if got := WantsAccessible(tt.term, tt.env); got != tt.want {
			t.Errorf("WantsAccessible(%q, %q) = %v, want %v", tt.term, tt.env, got, tt.want)
		}
	}
}

func TestProfileFromTheClientsTerm(t *testing.T) {
	for _, tt := range []struct {
		term string
		env  []string
		want colorprofile.Profile
	}{
		{"xterm-256color", nil, colorprofile.ANSI256},
		{"xterm-256color", []string{"COLORTERM=truecolor"}, colorprofile.TrueColor},
		{"xterm", nil, colorprofile.ANSI},
		{"xterm-256color", []string{"NO_COLOR=1"}, colorprofile.ASCII},
	} {
		if got := Profile(tt.term, tt.env); got != tt.want {
			t.Errorf("Profile(%q, %q) = %v, want %v", tt.term, tt.env, got, tt.want)
		}
	}
}
