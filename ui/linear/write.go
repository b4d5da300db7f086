package linear

import (
	"context"
	"strings"
	"unicode/utf8"

	"portfolio/ui/letter"
)

// Writing to the owner on a terminal that only prints lines: m asks one question a line,
// the message first (lines until one holding a single "."), then the name, the reply-to,
// the guestbook and whether to send. What is typed is echoed, since a raw terminal shows
// nothing by itself. A refused letter is kept: s sends it again, d drops it.

// writing is the letter being written and which question is open.
type writing struct {
	step  int
	line  []rune // the line being typed
	lines []string
	l     letter.Letter
}

const (
	askText = iota
	askName
	askReplyTo
	askGuestbook
	askSend
	askRetry // a refused letter: s sends it again, d drops it
)

func (r *reader) startWriting() {
	if r.kept != nil {
		r.w = &writing{step: askRetry, l: *r.kept}
		r.writeText("Your last message was not sent; it is kept. s sends it again, d drops it.")
		return
	}
	r.w = &writing{}
	r.writeText("Write to " + r.site.DisplayName() + ". Type your message, up to " + letter.Thousands(letter.MaxText) +
		" characters; a line with a single . ends it.")
}

// writeKey takes one key while writing; it reports whether the visitor is done (ctrl+c).
func (r *reader) writeKey(k rune) bool {
	w := r.w
	switch {
	case k == keyQuit:
		r.w = nil
		r.write("\r\n")
		r.writeText("Not sent.")
		r.prompt("")
		return false
	case w.step == askRetry:
		r.write("\r\n")
		switch k {
		case 's', 'S':
			r.send()
		case 'd', 'D':
			r.w, r.kept = nil, nil
			r.writeText("Dropped.")
			r.prompt("")
		case keyEnter, keyLineEnd:
		default:
			r.writeText("s sends it again, d drops it.")
		}
		return false
	case k == keyErase:
		if len(w.line) > 0 {
			w.line = w.line[:len(w.line)-1]
			r.write("\b \b")
		}
		return false
	case k == keyEnter || k == keyLineEnd:
		r.write("\r\n")
		line := string(w.line)
		w.line = nil
		r.answer(line)
		return false
	case k >= 0xE000 && k < 0xE010:
		return false // arrows: no line editing here
	}
	w.line = append(w.line, k)
	r.write(string(k))
	return false
}

// answer takes a finished line as the answer to the open question and asks the next.
func (r *reader) answer(line string) {
	w := r.w
	switch w.step {
	case askText:
		if strings.TrimSpace(line) != "." {
			w.lines = append(w.lines, line)
			return
		}
		w.l.Text = strings.Join(w.lines, "\n")
		r.writeText(utf8Count(w.l.Text) + " characters.")
		w.step = askName
		r.write("Your name (optional, how a guestbook entry is signed): ")
	case askName:
		w.l.Name = line
		w.step = askReplyTo
		r.write("Reply to (optional: an email or any contact; only " + r.site.DisplayName() + " sees it): ")
	case askReplyTo:
		w.l.ReplyTo = line
		w.step = askGuestbook
		r.write("May it appear in the guestbook once approved? y/N: ")
	case askGuestbook:
		w.l.Guestbook = strings.HasPrefix(strings.ToLower(strings.TrimSpace(line)), "y")
		w.step = askSend
		r.write("Send it? Y/n: ")
	case askSend:
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(line)), "n") {
			kept := w.l
			r.w, r.kept = nil, &kept
			r.writeText("Not sent; kept. m to send it later.")
			r.prompt("")
			return
		}
		r.send()
	}
}

// send hands the letter to the mailbox, with the deadline every send has.
func (r *reader) send() {
	l := r.w.l
	r.w = nil
	ctx, cancel := context.WithTimeout(context.Background(), letter.Deadline)
	defer cancel()
	code, err := r.mail.Send(ctx, l)
	if err != nil {
		r.kept = &l
		r.writeText("Not sent: " + letter.Refusal(err) + " Your message is kept: m to try again.")
		r.prompt("")
		return
	}
	r.kept = nil
	r.writeText("Sent. Your reply code: " + code)
	r.writeText("Keep it to read the reply: ssh " + r.site.Settings.Host + " reply " + code)
	r.prompt("")
}

func utf8Count(s string) string { return letter.Thousands(utf8.RuneCountInString(s)) }
