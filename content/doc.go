// Package content provides the portfolio's words: the owner's markdown sections and site
// settings, embedded in the binary or read from a directory at run time, parsed once into an
// immutable Site, and rendered as plain text for visitors without a terminal.
//
// A content directory holds site.toml (optional; defaults below) and one markdown file per
// section, each opening with TOML front matter between "+++" lines:
//
//	+++
//	title = "Education & Origins"
//	slug = "education"
//	order = 1
//	+++
//
// The package knows nothing of SSH or of the terminal UI.
package content
