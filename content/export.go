package content

import (
	"encoding/json"
	"errors"
	"strings"
)

// ErrNoContact means vCard was asked for but site.toml sets no contact links.
var ErrNoContact = errors.New("no contact details are set (the owner adds them under [links] in site.toml)")

type jsonSection struct {
	Title    string `json:"title"`
	Slug     string `json:"slug"`
	Order    int    `json:"order"`
	Markdown string `json:"markdown"`
	Text     string `json:"text"`
}

type jsonSite struct {
	Settings Settings      `json:"site"`
	Sections []jsonSection `json:"sections"`
}

// JSON renders the site settings and every section, as markdown and as plain text, as one
// indented JSON document ending in a newline.
func (s *Site) JSON() []byte {
	out := jsonSite{Settings: s.Settings, Sections: make([]jsonSection, len(s.Sections))}
	for i, sec := range s.Sections {
		out.Sections[i] = jsonSection{sec.Title, sec.Slug, sec.Order, sec.Markdown, sec.Plain}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		panic("content: marshal site: " + err.Error()) // only strings and ints: cannot fail
	}
	return append(b, '\n')
}

// VCard renders the contact settings as a vCard 4.0 (RFC 6350) with CRLF line endings.
func (s *Site) VCard() (string, error) {
	l := s.Settings.Links
	if l.Email == "" && l.GitHub == "" && l.LinkedIn == "" && l.Website == "" {
		return "", ErrNoContact
	}
	name := s.Settings.Name
	if name == "" {
		name = s.Settings.Title
	}
	lines := []string{"BEGIN:VCARD", "VERSION:4.0", "FN:" + vcardEscape(name)}
	if s.Settings.Tagline != "" {
		lines = append(lines, "TITLE:"+vcardEscape(s.Settings.Tagline))
	}
	for _, link := range l.List() {
		if link.Label == "Email" {
			lines = append(lines, "EMAIL:"+vcardEscape(link.Text))
			continue
		}
		lines = append(lines, "URL;TYPE="+strings.ToLower(link.Label)+":"+vcardEscape(link.URL))
	}
	if s.Settings.Host != "" {
		lines = append(lines, "NOTE:"+vcardEscape("ssh "+s.Settings.Host))
	}
	lines = append(lines, "END:VCARD")
	return strings.Join(lines, "\r\n") + "\r\n", nil
}

var vcardEscaper = strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\n", `\n`)

func vcardEscape(s string) string { return vcardEscaper.Replace(s) }
