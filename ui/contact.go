package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"portfolio/content"
)

// renderContactCard draws the owner's contact links as a small card: a heading, then one
// "Label  address" row per link that is set, each address an OSC 8 hyperlink where the
// terminal shows colour (without colour the plain address is what copies well). It returns
// "" when no link is set: the cover and the last section then show no card at all.
//
// The cover and the end of the last section call it; every row fits width columns.
//
// visit2 extends this: QR, copy key.
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
