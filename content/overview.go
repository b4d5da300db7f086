package content

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ReadingLabel is the reading time as a visitor reads it: "3 min".
func (s Section) ReadingLabel() string { return fmt.Sprintf("%d min", s.Minutes()) }

// DisplayName is whose portfolio this is: the owner's name when set, else the site's title.
func (s *Site) DisplayName() string {
	if n := strings.TrimSpace(s.Settings.Name); n != "" {
		return n
	}
	return s.Settings.Title
}

// Ellipsize cuts s to at most width runes, at a space when one is near the end, and marks
// the cut with ellipsis ("…", or "..." where Unicode cannot be shown).
func Ellipsize(s string, width int, ellipsis string) string {
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	room := width - utf8.RuneCountInString(ellipsis)
	if room <= 0 {
		return string([]rune(ellipsis)[:max(0, width)])
	}
	r := []rune(s)[:room]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-") + ellipsis
}

// PlainOverview is what a visitor sees first in text: whose portfolio it is, the tagline,
// and every section with its number, title, reading time and one-line summary, wrapped at
// width columns (0: no wrapping). The result ends with a newline.
func (s *Site) PlainOverview(width int) string {
	var b strings.Builder
	b.WriteString(s.DisplayName() + "\n")
	if t := s.Settings.Tagline; t != "" {
		b.WriteString(Wrap(t, width) + "\n")
	}
	b.WriteString("\n")
	for i, sec := range s.Sections {
		num := fmt.Sprintf("%d. ", i+1)
		b.WriteString(Wrap(num+sec.Title+" ("+sec.ReadingLabel()+")", width) + "\n")
		if sum := sec.Summary; sum != "" {
			indent := strings.Repeat(" ", len(num))
			w := width
			if w > 0 {
				w = max(1, w-len(num))
			}
			b.WriteString(indent + strings.ReplaceAll(Wrap(sum, w), "\n", "\n"+indent) + "\n")
		}
	}
	return b.String()
}
