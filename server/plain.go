package server

import (
	"fmt"
	"strings"

	"portfolio/content"
)

// Command words that answer with text whether or not there is a terminal. Every other
// word is a section slug (content.ReservedSlugs keeps the two apart).
const (
	cmdHelp        = "help"
	cmdPlain       = "plain"
	cmdFingerprint = "fingerprint"
	cmdJSON        = "json"
	cmdVCard       = "vcard"
)

// answer is a plain-text reply: what to print, where, and the exit status.
type answer struct {
	stdout  string
	stderr  string
	code    int
	reason  string // for the log: "done" or "unknown_command"
	section string // the section shown, for the log and the section-view metric
}

// plainAnswer decides the reply to a session without a terminal, or to one of the command
// words that always answer in text. The command is only ever looked up, never executed.
func (s *Server) plainAnswer(args []string) answer {
	site := s.site
	switch {
	case len(args) == 0, len(args) == 1 && args[0] == cmdPlain:
		return answer{stdout: site.PlainText(content.PlainWidth), reason: "done"}
	case len(args) == 1 && args[0] == cmdHelp:
		return answer{stdout: s.helpText(), reason: "done"}
	case len(args) == 1 && args[0] == cmdFingerprint:
		return answer{stdout: s.key.Fingerprint + "\n", reason: "done"}
	case len(args) == 1 && args[0] == cmdJSON:
		return answer{stdout: string(site.JSON()), reason: "done"}
	case len(args) == 1 && args[0] == cmdVCard:
		card, err := site.VCard()
		if err != nil {
			return answer{
				stderr: fmt.Sprintf("vcard: %v\nHint: `ssh %s json` has everything that is published.\n", err, site.Settings.Host),
				code:   1,
				reason: "no_contact",
			}
		}
		return answer{stdout: card, reason: "done"}
	case len(args) == 1:
		if sec, ok := site.Section(args[0]); ok {
			return answer{stdout: site.PlainHeader() + "\n" + sec.PlainSection(content.PlainWidth), reason: "done", section: sec.Slug}
		}
	}
	return answer{
		stderr: fmt.Sprintf("unknown command %q; try: ssh %s help\n", clean(strings.Join(args, " "), 80), site.Settings.Host),
		code:   1,
		reason: "unknown_command",
	}
}

// helpWidth is the width of `ssh HOST help`: a classic terminal's, so that it never wraps.
const helpWidth = 80

// helpText lists what a visitor can type after the host name.
func (s *Server) helpText() string {
	site := s.site
	host := site.Settings.Host
	var b strings.Builder
	b.WriteString(content.Wrap(site.PlainHeader(), helpWidth))
	b.WriteString("\nUsage:\n")
	rows := [][2]string{
		{"ssh " + host, "open the portfolio in your terminal"},
		{"ssh -t " + host + " SECTION", "open it at one section"},
		{"ssh -T " + host, "the whole narrative as plain text"},
		{"ssh -t " + host + " plain", "the accessible view: no colour or boxes, read top to bottom"},
		{"ssh " + host + " SECTION", "one section as plain text"},
		{"ssh " + host + " help", "this help"},
		{"ssh " + host + " json", "everything as JSON"},
		{"ssh " + host + " vcard", "the contact details as a vCard"},
		{"ssh " + host + " fingerprint", "the server's host key fingerprint"},
	}
	b.WriteString(content.Columns(rows, helpWidth))
	b.WriteString("\nSections:\n")
	rows = rows[:0]
	for _, sec := range site.Sections {
		rows = append(rows, [2]string{sec.Slug, sec.Title + " (" + sec.ReadingLabel() + ")"})
	}
	b.WriteString(content.Columns(rows, helpWidth))
	return b.String()
}

// isTextCommand reports whether a command asks for text even when the visitor has a terminal.
// "plain" is not one: with a terminal it opens the accessible view, without one the text.
func isTextCommand(args []string) bool {
	if len(args) != 1 {
		return false
	}
	switch args[0] {
	case cmdHelp, cmdFingerprint, cmdJSON, cmdVCard:
		return true
	}
	return false
}
