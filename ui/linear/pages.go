package linear

import (
	"strings"

	"portfolio/content"
)

// overview is the first thing a visitor reads: whose portfolio it is, what there is to read
// and how long it takes, the contacts when set, and how to start.
func (r *reader) overview() []string {
	lines := strings.Split(strings.TrimRight(r.site.PlainOverview(r.width), "\n"), "\n")
	if links := r.site.PlainLinks(); links != "" {
		lines = append(lines, "")
		lines = append(lines, strings.Split(content.Wrap(strings.TrimRight(links, "\n"), r.width), "\n")...)
	}
	start := "Type a section's number to read it, or enter to start at the first."
	return append(append(lines, ""), strings.Split(content.Wrap(start, r.width), "\n")...)
}

// section is one section: where it sits, its title underlined, its body, and what follows.
func (r *reader) section(i int) []string {
	secs := r.site.Sections
	sec := secs[i]
	head := itoa(i+1) + "/" + itoa(len(secs)) + "  " + sec.Title
	lines := strings.Split(content.Wrap(head, r.width), "\n")
	lines = append(lines, strings.Repeat("=", min(r.width, len([]rune(head)))), "")
	lines = append(lines, strings.Split(content.Wrap(sec.Plain, r.width), "\n")...)
	var next string
	if i+1 < len(secs) {
		next = "End of " + sec.Title + ". Next: " + itoa(i+2) + " " + secs[i+1].Title + "."
	} else {
		next = "The end: that was the last section. Enter goes back to the contents."
		if links := r.site.PlainLinks(); links != "" {
			lines = append(lines, "", "Get in touch:")
			lines = append(lines, strings.Split(content.Wrap(strings.TrimRight(links, "\n"), r.width), "\n")...)
		}
	}
	return append(append(lines, ""), strings.Split(content.Wrap(next, r.width), "\n")...)
}
