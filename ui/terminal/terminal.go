// Package terminal reads what a visitor's terminal can do from what describes it: TERM and
// the environment, the same few facts whether a client sent them over SSH or the local
// shell holds them (portfolio preview). It decides whether the terminal shows UTF-8, whether
// the visitor asked for the accessible view before pressing a key, and its colour profile.
// It imports nothing of ours, so the server and the preview can both use it.
package terminal

import (
	"strings"

	"github.com/charmbracelet/colorprofile"
)

// ASCIILocale reports, from environment entries (KEY=value), whether the locale says the
// terminal cannot show UTF-8. The first of LC_ALL, LC_CTYPE and LANG that is set decides, as
// in POSIX. With none set (most SSH clients send none) UTF-8 is assumed: nearly every
// terminal today speaks it.
func ASCIILocale(environ []string) bool {
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		val := lookup(environ, k)
		if val == "" {
			continue
		}
		l := strings.ToLower(val)
		return !strings.Contains(l, "utf-8") && !strings.Contains(l, "utf8")
	}
	return false
}

// WantsAccessible reports whether the terminal asks for the accessible view: TERM=dumb (no
// cursor movement to speak of) or NO_COLOR set to anything (https://no-color.org), which
// OpenSSH forwards with -o SetEnv=NO_COLOR=1.
func WantsAccessible(term string, environ []string) bool {
	return term == "dumb" || lookup(environ, "NO_COLOR") != ""
}

// Profile is the colour profile of a terminal described by TERM and the environment the
// client sent, derived the way wish's bubbletea.MakeOptions derives it for an emulated PTY.
// For a visitor, never the server's own terminal.
func Profile(term string, environ []string) colorprofile.Profile {
	return colorprofile.Env(append(environ[:len(environ):len(environ)], "TERM="+term))
}

// lookup is the value of the last entry for key, as a later assignment wins in a shell.
func lookup(environ []string, key string) string {
	val := ""
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			val = v
		}
	}
	return val
}
