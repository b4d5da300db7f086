package content

import "strings"

// ReservedSlugs are the command words a visitor may type after the host name; a section slug
// that equals one would be unreachable, so Load rejects it.
var ReservedSlugs = []string{"help", "plain", "json", "vcard", "fingerprint", "message", GuestbookSlug, "reply"}

// Settings are the owner's site-wide choices from site.toml.
type Settings struct {
	Title   string `toml:"title" json:"title"`
	Tagline string `toml:"tagline" json:"tagline"`
	Host    string `toml:"host" json:"host"`
	Name    string `toml:"name" json:"name,omitempty"`
	// Accent is the one colour the UI derives its palette from ("#rrggbb"); empty: the
	// default lavender.
	Accent string `toml:"accent" json:"accent,omitempty"`
	Links  Links  `toml:"links" json:"links"`
}

// Links are the owner's contact addresses; empty ones are never shown.
type Links struct {
	Email    string `toml:"email" json:"email,omitempty"`
	GitHub   string `toml:"github" json:"github,omitempty"`
	LinkedIn string `toml:"linkedin" json:"linkedin,omitempty"`
	Website  string `toml:"website" json:"website,omitempty"`
}

// Link is one contact address ready to show: a label and a URL a terminal can open.
type Link struct {
	Label string
	Text  string // what to print, e.g. "me@example.com"
	URL   string // what to open, e.g. "mailto:me@example.com"
}

// List returns the links that are set, in a fixed order.
func (l Links) List() []Link {
	var out []Link
	add := func(label, text, url string) {
		if text != "" {
			out = append(out, Link{Label: label, Text: text, URL: url})
		}
	}
	add("Email", l.Email, "mailto:"+l.Email)
	add("GitHub", l.GitHub, withScheme(l.GitHub))
	add("LinkedIn", l.LinkedIn, withScheme(l.LinkedIn))
	add("Website", l.Website, withScheme(l.Website))
	return out
}

func withScheme(u string) string {
	if strings.Contains(u, "://") {
		return u
	}
	return "https://" + u
}

// Section is one titled part of the narrative.
type Section struct {
	Title    string
	Slug     string
	Order    int
	File     string // the file it came from, for error messages
	Markdown string // the body, without front matter or title
	// Summary is the one line the cover shows: the front matter's summary, else the body's
	// first sentence (the owner's own words, never invented ones).
	Summary string
	// Short is the name the tabs use when the titles do not fit: the front matter's short,
	// else the title's first word.
	Short string
	Words int    // words in the body, for the reading time
	Plain string // the body as plain text, unwrapped paragraphs separated by blank lines
	// Visitors marks a page of visitors' words (the guestbook: guestbook.go): shown as its
	// Plain text, never rendered as markdown.
	Visitors bool
}

// Minutes is the section's reading time at 200 words a minute, at least one.
func (s Section) Minutes() int { return max(1, (s.Words+199)/200) }

// Site is the whole parsed portfolio. It is never modified after Load, so any number of
// sessions may read it at once.
type Site struct {
	Settings Settings
	Sections []Section
}

// Section returns the section with the given slug.
func (s *Site) Section(slug string) (Section, bool) {
	i := s.Index(slug)
	if i < 0 {
		return Section{}, false
	}
	return s.Sections[i], true
}

// Index returns the position of the section with the given slug, or -1.
func (s *Site) Index(slug string) int {
	for i, sec := range s.Sections {
		if sec.Slug == slug {
			return i
		}
	}
	return -1
}

// Slugs lists the section slugs in order.
func (s *Site) Slugs() []string {
	out := make([]string, len(s.Sections))
	for i, sec := range s.Sections {
		out[i] = sec.Slug
	}
	return out
}
