package answer

import (
	"flag"
	"io"
	"strings"

	"portfolio/content"
	"portfolio/server/session"
	"portfolio/ui/letter"
)

// Command words that reach the database: a letter on standard input, the guestbook, and
// the owner's reply read by its code (`ssh HOST reply CODE`).
const (
	Message   = "message"
	Guestbook = "guestbook"
	ReadReply = "reply"
)

// messageUsage is what `message` answers to options it does not know.
const messageUsage = "usage: ssh HOST message [--name NAME] [--reply-to CONTACT] [--guestbook] < note.txt"

// ParseMessage reads `message`'s options (the words after it) into a letter without its
// text, which comes on standard input. A bad option is a Reply to send at once.
func ParseMessage(site *content.Site, args []string) (letter.Letter, *Reply) {
	var l letter.Letter
	fs := flag.NewFlagSet(Message, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&l.Name, "name", "", "")
	fs.StringVar(&l.ReplyTo, "reply-to", "", "")
	fs.BoolVar(&l.Guestbook, "guestbook", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return l, &Reply{
			Stderr: strings.Replace(messageUsage, "HOST", site.Settings.Host, 1) + "\n",
			Code:   1,
			Reason: session.UnknownCommand,
		}
	}
	return l, nil
}

// MessageSent is the answer to a letter the store took: one line whose last word is the
// reply code, so a script can take it with `awk '{print $NF}'`.
func MessageSent(site *content.Site, code string) Reply {
	return Reply{Stdout: "Sent to " + writeTo(site) + ". Your reply code: " + code + "\n", Reason: session.Done}
}

// MessageRefused is the answer to a letter the store did not take: one line saying why.
func MessageRefused(err error) Reply {
	return Reply{Stderr: letter.Refusal(err) + "\n", Code: 1, Reason: session.Done}
}

// MessageNoEnd is the answer when standard input did not end in time.
func MessageNoEnd(site *content.Site) Reply {
	return Reply{
		Stderr: "No end of the message in time: pipe it in (ssh " + site.Settings.Host + " message < note.txt) or end it with ctrl+d.\n",
		Code:   1,
		Reason: session.Done,
	}
}

// GuestbookReply prints the guestbook: the approved entries, newest first, date, name and
// text, already cleaned of every control by the caller.
func GuestbookReply(site *content.Site, entries []content.GuestEntry) Reply {
	if len(entries) == 0 {
		return Reply{Stdout: "The guestbook of " + writeTo(site) + " has no entries yet.\n", Reason: session.Done}
	}
	return Reply{Stdout: "Guestbook of " + writeTo(site) + "\n\n" + content.GuestbookText(entries, content.PlainWidth) + "\n", Reason: session.Done}
}

func writeTo(site *content.Site) string {
	if site.Settings.Name != "" {
		return site.Settings.Name
	}
	return site.Settings.Title
}
