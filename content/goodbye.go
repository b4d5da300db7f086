package content

import (
	"strings"
	"unicode/utf8"
)

// GoodbyeLines is the small card left in the visitor's scrollback when they quit: the name,
// thanks, the contact links in their short form, and how to come back to it: the text to
// page through, and the vCard when there are contacts. Every line fits in width columns
// (0: no limit) except a single address longer than that, which is never broken: a URL
// cut in two opens nothing. Plain text only; the caller adds emphasis if it can.
func (s *Site) GoodbyeLines(width int, ascii bool) []string {
	if width <= 0 {
		width = 1 << 30
	}
	lines := strings.Split(Wrap(s.DisplayName(), width), "\n")
	lines = append(lines, "Thanks for reading.")
	sep := LinkSeparator(ascii)
	links := s.Settings.Links.List()
	line := ""
	for _, l := range links {
		short := ShortLink(l.Text)
		switch {
		case line == "":
			line = short
		case utf8.RuneCountInString(line+sep+short) <= width:
			line += sep + short
		default:
			lines = append(lines, line)
			line = short
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	host := s.Settings.Host
	if host == "" {
		host = "HOST"
	}
	hint := func(label, cmd string) {
		if utf8.RuneCountInString(label+" "+cmd) <= width {
			lines = append(lines, label+" "+cmd)
			return
		}
		lines = append(lines, strings.Split(Wrap(label, width), "\n")...)
		lines = append(lines, "  "+cmd)
	}
	hint("Read it again as text:", "ssh -T "+host+" | less")
	if len(links) > 0 {
		hint("Keep the contact:", "ssh "+host+" vcard")
	}
	return lines
}

// ShortLink is an address as a person reads it: no scheme, no "www.", no trailing slash.
func ShortLink(u string) string {
	if _, rest, ok := strings.Cut(u, "://"); ok {
		u = rest
	}
	u = strings.TrimPrefix(u, "mailto:")
	u = strings.TrimPrefix(u, "www.")
	return strings.TrimSuffix(u, "/")
}

// LinkSeparator goes between addresses on one line: a middle dot, or a hyphen where the
// visitor's locale cannot show one.
func LinkSeparator(ascii bool) string {
	if ascii {
		return " - "
	}
	return " · "
}
