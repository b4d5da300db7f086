package content

import (
	"strings"
	"time"
)

// GuestbookSlug is the Guestbook page's slug, reserved so that no section can take it.
const GuestbookSlug = "guestbook"

// GuestEntry is one guestbook entry: a visitor's message its writer allowed and the owner
// approved. Name and Text are the visitor's words, already cleaned of control characters
// and escape sequences by whoever read them from the database.
type GuestEntry struct {
	Time       time.Time
	Name, Text string
}

// WithGuestbook returns a copy of the site with a Guestbook page after the sections, the
// entries newest first (as given), or the site itself when there are none. The page is
// plain text (Section.Visitors): a visitor's words are never rendered as markdown, which
// would decode a character reference such as &#x1b; into the control it names.
func (s *Site) WithGuestbook(entries []GuestEntry) *Site {
	if len(entries) == 0 {
		return s
	}
	c := *s
	plain := GuestbookText(entries, 0)
	c.Sections = append(s.Sections[:len(s.Sections):len(s.Sections)], Section{
		Title:    "Guestbook",
		Slug:     GuestbookSlug,
		Short:    "Guestbook",
		Summary:  "What visitors wrote, newest first.",
		Plain:    plain,
		Words:    len(strings.Fields(plain)),
		Visitors: true,
	})
	return &c
}

// GuestbookText is the entries as plain text, newest first as given: the date and the name
// on one line, the text under it, a blank line between entries; wrapped to width (0: not
// wrapped).
func GuestbookText(entries []GuestEntry, width int) string {
	var b strings.Builder
	for i, e := range entries {
		if i > 0 {
			b.WriteString("\n\n")
		}
		name := e.Name
		if name == "" {
			name = "A visitor"
		}
		b.WriteString(e.Time.UTC().Format("2006-01-02") + "  " + name + "\n")
		text := e.Text
		if width > 0 {
			text = Wrap(text, width)
		}
		b.WriteString(text)
	}
	return b.String()
}
