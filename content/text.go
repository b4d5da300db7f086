package content

import (
	"strings"
	"unicode/utf8"
)

// PlainWidth is the column at which plain-text answers wrap: readable in any terminal and
// still fine when piped to a pager.
const PlainWidth = 78

// PlainSection renders one section as plain text: its title underlined, then its body,
// wrapped at width columns (0: no wrapping). The result ends with a newline.
func (s Section) PlainSection(width int) string {
	title := s.Title + "\n" + strings.Repeat("=", utf8.RuneCountInString(s.Title))
	return title + "\n\n" + Wrap(s.Plain, width) + "\n"
}

// PlainText renders the whole site as plain text: the overview a visitor of the full UI sees
// first (whose it is, the tagline, every section with its reading time and summary), the
// contact links that are set, then every section in order.
func (s *Site) PlainText(width int) string {
	var b strings.Builder
	b.WriteString(s.PlainOverview(width))
	if links := s.PlainLinks(); links != "" {
		b.WriteString("\n" + links)
	}
	for _, sec := range s.Sections {
		b.WriteString("\n\n")
		b.WriteString(sec.PlainSection(width))
	}
	return b.String()
}

// PlainHeader is the first line of every plain-text answer.
func (s *Site) PlainHeader() string {
	line := s.Settings.Title
	if s.Settings.Tagline != "" {
		line += " - " + s.Settings.Tagline
	}
	return line + "\n"
}

// PlainLinks lists the contact links that are set, one per line, or "" when none are.
func (s *Site) PlainLinks() string {
	var b strings.Builder
	for _, l := range s.Settings.Links.List() {
		b.WriteString(l.Label + ": " + l.Text + "\n")
	}
	return b.String()
}
