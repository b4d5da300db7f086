package config

import (
	"fmt"
	"io"
	"strings"

	"portfolio/server"
)

// WriteHelp lists every setting for --help: its flag and the form of its value, its
// variable, what it does, its default and its range.
func WriteHelp(w io.Writer) {
	cfg := server.Defaults()
	for _, s := range Settings() {
		v := s.Value(&cfg)
		name := "(no flag)"
		if s.Flag() != "" {
			name = strings.TrimSpace("--" + s.Flag() + " " + v.Kind())
		}
		notes := "default " + plain(s.defaultText(v))
		if r := v.Range(); r != "" {
			notes += "; range " + plain(r)
		}
		fmt.Fprintf(w, "  %-34s %s\n", name, s.Env)
		for _, line := range wrap(plain(s.Usage), 86) {
			fmt.Fprintf(w, "      %s\n", line)
		}
		fmt.Fprintf(w, "      %s\n", notes)
	}
}

// defaultText is how the default reads: the value, or Unset's words when it is empty.
func (s Setting) defaultText(v Value) string {
	if d := v.String(); d != "" && !s.Secret {
		return d
	}
	if s.Unset != "" {
		return s.Unset
	}
	return "empty"
}

// wrap breaks text into lines of at most width bytes at spaces (a longer word keeps its
// own line).
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
