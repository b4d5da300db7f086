package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"portfolio/content"
)

// goodbyeMaxWidth keeps the card small in a wide window: it is a note, not a page.
const goodbyeMaxWidth = 72

// Goodbye is the card to print after the program ends and the screen is restored: the name,
// thanks, the contact links, and how to read the text again or keep the contact, wrapped to
// the window (content.Site.GoodbyeLines). Each line first erases the line it is written on:
// a terminal without an alternate screen (GNU screen with altscreen off) still shows the
// last frame there, and a shorter line would leave the footer's tail showing after it; the
// first also erases everything below, so no part of the frame is left under the card.
// With colour the name is bold and the links are OSC 8 hyperlinks; in the accessible view
// it is text and nothing else. Lines end in "\r\n": the visitor's terminal is still raw.
func (m Model) Goodbye() string {
	width := goodbyeMaxWidth
	if m.width > 0 {
		width = min(m.width, goodbyeMaxWidth)
	}
	lines := m.site.GoodbyeLines(width, m.ascii)
	plain := m.accessible || m.look.ink == inkPlain
	var b strings.Builder
	for i, line := range lines {
		switch {
		case plain:
		case i == 0:
			line = ansi.Style{}.Bold().Styled(line)
		case m.look.ink == inkColour:
			line = m.hyperlinks(line)
		}
		if i == 0 {
			// Below the card too: the rest of a last frame no longer on an alternate screen.
			b.WriteString("\r" + ansi.EraseScreenBelow)
		}
		b.WriteString("\r" + ansi.EraseEntireLine + line + "\r\n")
	}
	return b.String()
}

// hyperlinks makes each contact address on a line of addresses an OSC 8 link to its URL.
// The line is split at the separators rather than searched: one address may be part of
// another ("example.dev" in "me@example.dev").
func (m Model) hyperlinks(line string) string {
	urls := map[string]string{}
	for _, l := range m.site.Settings.Links.List() {
		urls[content.ShortLink(l.Text)] = l.URL
	}
	sep := content.LinkSeparator(m.ascii)
	parts := strings.Split(line, sep)
	for i, p := range parts {
		u, ok := urls[p]
		if !ok {
			return line // not a line of addresses
		}
		parts[i] = ansi.SetHyperlink(u) + p + ansi.ResetHyperlink()
	}
	return strings.Join(parts, sep)
}
