// Package answer decides what a visitor gets in plain text: the command words they may type
// after the host name (help, plain, fingerprint, json, vcard, message, guestbook, or a
// section's slug) and the
// reply to each, with its exit status and the end reason to log. It never executes
// anything: a command is only looked up. Writing the reply is the server's job.
package answer

import (
	"fmt"
	"strings"

	"portfolio/content"
	"portfolio/server/guard"
	"portfolio/server/session"
)

// Command words. All but "plain" answer with text whether or not there is a terminal; every
// other word is a section slug (content.ReservedSlugs keeps the two apart).
const (
	Help        = "help"
	Plain       = "plain" // with a terminal, the accessible view; without, the whole text
	Fingerprint = "fingerprint"
	JSON        = "json"
	VCard       = "vcard"
)

// Reply is a plain-text answer: what to print, where, and the exit status.
type Reply struct {
	Stdout  string
	Stderr  string
	Code    int
	Reason  session.Reason // for the log, once the reply is delivered
	Section string         // the section shown, for the log and the section-view metric
}

// For decides the reply to a session without a terminal, or to one of the command words that
// always answer in text. fingerprint is the server's host key fingerprint. The command is
// only ever looked up, never executed.
func For(site *content.Site, fingerprint string, args []string) Reply {
	switch {
	case len(args) == 0, len(args) == 1 && args[0] == Plain:
		return Reply{Stdout: site.PlainText(content.PlainWidth), Reason: session.Done}
	case len(args) == 1 && args[0] == Help:
		return Reply{Stdout: helpText(site), Reason: session.Done}
	case len(args) == 1 && args[0] == Fingerprint:
		return Reply{Stdout: fingerprint + "\n", Reason: session.Done}
	case len(args) == 1 && args[0] == JSON:
		return Reply{Stdout: string(site.JSON()), Reason: session.Done}
	case len(args) == 1 && args[0] == VCard:
		card, err := site.VCard()
		if err != nil {
			return Reply{
				Stderr: fmt.Sprintf("vcard: %v\nHint: `ssh %s json` has everything that is published.\n", err, site.Settings.Host),
				Code:   1,
				Reason: session.NoContact,
			}
		}
		return Reply{Stdout: card, Reason: session.Done}
	case len(args) == 1:
		if sec, ok := site.Section(args[0]); ok {
			return Reply{Stdout: site.PlainHeader() + "\n" + sec.PlainSection(content.PlainWidth), Reason: session.Done, Section: sec.Slug}
		}
	}
	return Reply{
		Stderr: fmt.Sprintf("unknown command %q; try: ssh %s help\n", guard.Sanitize(strings.Join(args, " "), 80), site.Settings.Host),
		Code:   1,
		Reason: session.UnknownCommand,
	}
}

// helpWidth is the width of `ssh HOST help`: a classic terminal's, so that it never wraps.
const helpWidth = 80

// helpText lists what a visitor can type after the host name.
func helpText(site *content.Site) string {
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
		{"ssh " + host + " message", "write to " + writeTo(site) + ": the message on standard input,"},
		{"", "with [--name NAME] [--reply-to CONTACT] [--guestbook]"},
		{"ssh " + host + " guestbook", "what visitors wrote"},
	}
	b.WriteString(content.Columns(rows, helpWidth))
	b.WriteString("\nWriting to " + writeTo(site) + ", for example:\n  echo 'Loved the talk' | ssh " + host + " message \\\n      --reply-to me@example.com\n")
	b.WriteString("\nSections:\n")
	rows = rows[:0]
	for _, sec := range site.Sections {
		rows = append(rows, [2]string{sec.Slug, sec.Title + " (" + sec.ReadingLabel() + ")"})
	}
	b.WriteString(content.Columns(rows, helpWidth))
	return b.String()
}

// IsText reports whether a command asks for text even when the visitor has a terminal.
// "plain" is not one: with a terminal it opens the accessible view, without one the text.
func IsText(args []string) bool {
	if len(args) != 1 {
		return false
	}
	switch args[0] {
	case Help, Fingerprint, JSON, VCard, Guestbook:
		return true
	}
	return false
}
