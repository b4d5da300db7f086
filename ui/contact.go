package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"portfolio/content"
)

// renderContactCard draws the owner's contact links as a small card: a heading, then one
// "Label  address" row per link that is set, each address an OSC 8 hyperlink where the
// terminal shows colour (without colour the plain address is what copies well). It returns
// "" when no link is set: the cover and the last section then show no card at all.
//
// The cover and the end of the last section call it; every row fits width columns.
func renderContactCard(st *styles, site *content.Site, width int) string {
	list := site.Settings.Links.List()
	if len(list) == 0 || width < 1 {
		return ""
	}
	labelW := 0
	for _, l := range list {
		labelW = max(labelW, len(l.Label))
	}
	rows := []string{st.heading.Render(ansi.Truncate("Get in touch", width, st.ellipsis))}
	for _, l := range list {
		text := ansi.Truncate(l.Text, max(1, width-labelW-2), st.ellipsis)
		if st.hyperlinks {
			text = ansi.SetHyperlink(l.URL) + underlined(st.link.Render(text)) + ansi.ResetHyperlink()
		} else {
			text = underlined(st.link.Render(text))
		}
		rows = append(rows, st.muted.Render(l.Label+strings.Repeat(" ", labelW-len(l.Label)+2))+text)
	}
	return strings.Join(rows, "\n")
}

// qrGap is the space between the card and the QR code beside it.
const qrGap = 4

// renderContactBlock is the contact card with, when a website is set, a QR code of it for a
// phone to scan (qr.go): beside the card when both fit in width, under it when only the code
// does, left out when it does not fit at all. It is what closes the last section; the cover
// keeps the card alone, so that it still fits a small window with the way to start.
func renderContactBlock(st *styles, l look, site *content.Site, width int) string {
	card := renderContactCard(st, site, width)
	if card == "" {
		return ""
	}
	var website string
	for _, lk := range site.Settings.Links.List() {
		if lk.Label == "Website" {
			website = lk.URL
		}
	}
	qr := qrLines(website, l)
	if website == "" || len(qr) == 0 {
		return card
	}
	qrW := ansi.StringWidth(qr[0])
	caption := st.muted.Render(ansi.Truncate("Scan for "+content.ShortLink(website), qrW, st.ellipsis))
	code := strings.Join(append(qr, caption), "\n")
	switch {
	case lipgloss.Width(card)+qrGap+qrW <= width:
		return lipgloss.JoinHorizontal(lipgloss.Top, card, strings.Repeat(" ", qrGap), code)
	case qrW <= width:
		return card + "\n\n" + code
	}
	return card
}
