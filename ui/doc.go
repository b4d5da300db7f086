// Package ui provides the Bubble Tea model for one visitor: a cover listing every section,
// then header, section tabs, a scrollable body rendered from markdown, footer and help,
// search, an accessible mode, and the form that writes to the owner. It knows
// nothing of SSH: the server (or the local preview) builds one Model per visitor with New and
// runs it in its own tea.Program.
//
// Where things are:
//   - renderer.go: the Renderer, a bounded LRU of rendered sections shared by every session,
//     keyed by (site, section, width, look); pages are stored pre-split into trimmed lines.
//   - palette.go: the colours, all derived from the site's one accent, per background and
//     colour depth; styles.go: the lipgloss styles built from them; glamour_style.go,
//     accessible.go: the glamour styles for each look (docs/design.md has the rules).
//   - cover.go: the first screen; ending.go: what closes a section; contact.go: the contact
//     card; rail.go: the wide windows' column of sections.
//   - model.go, update.go: the Model, its options and how keys and terminal reports move it.
//   - view.go: the layout, computed on change (chrome) and the cheap per-frame View;
//     header.go: the title line and tabs; enlarge.go: the too-small screen.
//   - search.go: `/` search across sections; keys.go: bindings; helppanel.go: the `?` panel.
//   - modes.go: the terminal modes set at start: alternate scroll (why the wheel scrolls
//     without mouse capture) and in-band resize reports.
//   - stats.go: what one visit did, for the operator's logs.
//   - qr.go: the website as a QR code in half blocks (the contact card's); clipboard.go: the
//     copy key (OSC 52); goodbye.go: the card left in the scrollback; section.go: the slug
//     on screen, for a caller that rebuilds the model (preview --watch).
//   - form.go, formview.go: the message form (`m`), its accessible question-by-question
//     variant and "read a reply"; letter/: what every way of writing to the owner shares
//     (the mailbox the caller fills, the deadline, the refusals in words).
//   - linear/: the line-by-line reader for TERM=dumb, a package of its own: no Bubble Tea.
//
// Nothing here is package-level mutable state: styles, key maps and the colour profile belong
// to each Model, and the Renderer is passed in.
package ui
