package ui

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"portfolio/content"
	"portfolio/store"
	"portfolio/ui/letter"
)

// formLabelW is the width of the single-line fields' labels ("Your name", "Reply to") and
// the gap after them.
const formLabelW = 11

// formFixedRows are the form's rows besides the message field: the title, the message's
// label and counter, name, reply-to, guestbook, the Send button and the status line.
const formFixedRows = 7

// formSpacing is the blank rows the form gets when the window has room for them.
const formSpacing = 3

// sizeForm fits the fields to the window.
func (m *Model) sizeForm() {
	if m.form == nil {
		return
	}
	f := m.form
	textW := max(10, renderWidth(m.width)-2*bodyMargin)
	rows := m.height - formFixedRows
	if m.accessible {
		textW = renderWidth(m.width)
		rows = m.height - 8 // title, question (two rows), blanks, status and keys
	} else if rows-formSpacing >= 4 {
		rows -= formSpacing
	}
	rows -= len(m.formStatusLines(textW)) - 1
	f.text.SetWidth(textW - 2) // the bar beside it
	f.text.SetHeight(max(2, min(rows, 10)))
	f.name.SetWidth(max(4, textW-2-formLabelW-1))
	f.replyTo.SetWidth(max(4, textW-2-formLabelW-1))
	f.codeIn.SetWidth(max(4, textW-2-formLabelW-1))
}

// formSpaced reports whether the window has room for the form's blank rows.
func (m *Model) formSpaced() bool {
	return m.height-formFixedRows-formSpacing >= 4
}

// formContent draws the open form in place of the whole frame, centred like the frame.
func (m *Model) formContent() string {
	if m.tooSmall() {
		return m.enlargeScreen()
	}
	colW := renderWidth(m.width)
	textW := colW - 2*bodyMargin
	var lines []string
	if m.accessible {
		textW = colW
		lines = m.formAccessibleLines(textW)
	} else {
		lines = m.formLines(textW)
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	var b strings.Builder
	in := ""
	if !m.accessible {
		in = spaces((m.width-colW)/2) + spaces(bodyMargin)
		for range (m.height - len(lines)) / 2 {
			b.WriteByte('\n')
		}
	}
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		if l != "" {
			b.WriteString(in + ansi.Truncate(l, textW, ""))
		}
	}
	return b.String()
}

// formLines is the form in the full look, textW columns wide.
func (m *Model) formLines(textW int) []string {
	f := m.form
	st := m.st
	fit := func(s string) string { return ansi.Truncate(s, textW, m.g.ellipsis) }
	wrap := func(s string) []string { return strings.Split(content.Wrap(s, textW), "\n") }
	title := st.heading.Render(fit("Write to " + m.site.DisplayName()))
	switch f.stage {
	case stageSent:
		lines := []string{st.heading.Render("Sent."), ""}
		lines = append(lines, wrap(m.site.DisplayName()+" has your message. Your reply code:")...)
		lines = append(lines, "", "  "+st.key.Render(f.code), "")
		lines = append(lines, wrap("Keep it to read the reply: ssh "+m.site.Settings.Host+" reply "+f.code)...)
		hints, _ := m.shortHelp([2]string{"enter", "back"}, [2]string{"r", "read a reply"})
		return append(lines, "", hints)
	case stageCode, stageLookup:
		lines := []string{st.heading.Render(fit("Read a reply from " + m.site.DisplayName())), ""}
		lines = append(lines, wrap("Type the code you were given when you sent your message.")...)
		lines = append(lines, "", m.formMarker(true)+st.key.Render("Code")+spaces(formLabelW-4)+f.codeIn.View(), "")
		return append(lines, m.formStatus(textW, [2]string{"enter", "read"}, [2]string{"esc", "back"})...)
	case stageReply:
		lines := []string{st.heading.Render(fit("Reply from " + m.site.DisplayName())), ""}
		body, more := m.replyShown()
		lines = append(lines, body...)
		keys := [][2]string{{"enter", "back"}, {"m", "write"}}
		if more {
			keys = [][2]string{{"↑↓", "more"}, {"enter", "back"}, {"m", "write"}}
		}
		for n := len(keys); n > 0; n-- {
			if hints, w := m.shortHelp(keys[:n]...); w <= textW || n == 1 {
				return append(lines, "", hints)
			}
		}
		return lines
	}
	count := letter.Count(utf8.RuneCountInString(f.text.Value()), letter.MaxText)
	counter := st.muted.Render(count)
	if utf8.RuneCountInString(f.text.Value()) > letter.MaxText {
		counter = st.notice.Render(count + " too long")
	}
	label := m.formLabel(fieldText, "Message")
	lines := []string{title}
	if m.formSpaced() {
		lines = append(lines, "")
	}
	lines = append(lines, label+spaces(textW-ansi.StringWidth(label)-ansi.StringWidth(counter))+counter)
	bar := m.st.rule.Render(m.g.bar) + " "
	if f.focus == fieldText {
		bar = m.st.key.Render(m.g.bar) + " "
	}
	for _, l := range strings.Split(f.text.View(), "\n") {
		lines = append(lines, bar+l)
	}
	if m.formSpaced() {
		lines = append(lines, "")
	}
	lines = append(lines,
		m.formLabel(fieldName, "Your name")+spaces(formLabelW-9)+f.name.View(),
		m.formLabel(fieldReplyTo, "Reply to")+spaces(formLabelW-8)+f.replyTo.View(),
	)
	box := "[ ]"
	if f.guestbook {
		box = "[x]"
	}
	lines = append(lines, m.formLabel(fieldGuestbook, box+" may appear in the guestbook"))
	send := "[ Send ]"
	if f.focus == fieldSend {
		send = m.formMarker(true) + st.current.Render(send)
	} else {
		send = m.formMarker(false) + st.key.Render(send)
	}
	if private := "  only " + m.site.DisplayName() + " sees the reply-to"; ansi.StringWidth(send+private) <= textW {
		send += st.muted.Render(private)
	}
	lines = append(lines, send)
	if m.formSpaced() {
		lines = append(lines, "")
	}
	return append(lines, m.formStatus(textW, [2]string{"ctrl+s", "send"}, [2]string{"tab", "next"}, [2]string{"esc", "leave"})...)
}

// replyBody is the looked-up reply's lines, wrapped as the view shows them, and the rows
// the window has for them below the heading and above the keys.
func (m *Model) replyBody() (lines []string, rows int) {
	f, name := m.form, m.site.DisplayName()
	textW, rows := renderWidth(m.width)-2*bodyMargin, m.height-4 // heading, two blanks, keys
	if m.accessible {
		textW, rows = renderWidth(m.width), m.height-3 // a blank and the keys' two lines
	}
	wrap := func(s string) []string { return strings.Split(content.Wrap(s, textW), "\n") }
	switch {
	case f.reply == "":
		lines = wrap(name + " has not replied yet. Come back later.")
	case m.accessible:
		lines = append(wrap("Reply from "+name+":"), wrap(store.Clean(f.reply))...)
	default:
		lines = wrap(store.Clean(f.reply))
	}
	return lines, max(1, rows)
}

// scrollReply moves the reply by n lines, within it.
func (m *Model) scrollReply(n int) {
	lines, rows := m.replyBody()
	m.form.replyTop = min(max(0, m.form.replyTop+n), max(0, len(lines)-rows))
}

// replyShown is the part of the reply on screen, from the visitor's scroll position; more
// says that some of it is off screen.
func (m *Model) replyShown() (shown []string, more bool) {
	lines, rows := m.replyBody()
	if len(lines) <= rows {
		return lines, false
	}
	top := min(m.form.replyTop, len(lines)-rows)
	return lines[top : top+rows], true
}

// formMarker is the two columns left of a field: a marker where the focus is.
func (m *Model) formMarker(focused bool) string {
	if focused {
		return m.st.key.Render(m.g.marker) + " "
	}
	return "  "
}

// formLabel is a field's label with the focus marker; the focused one in the key style.
func (m *Model) formLabel(field int, label string) string {
	if m.form.focus == field {
		return m.formMarker(true) + m.st.key.Render(label)
	}
	return m.formMarker(false) + m.st.muted.Render(label)
}

// formStatus is the form's last lines: what is happening, why a send was refused (on up to
// two lines), or the keys.
func (m *Model) formStatus(textW int, hints ...[2]string) []string {
	f := m.form
	switch {
	case f.stage == stageSending:
		return []string{m.st.notice.Render("Sending" + m.g.ellipsis)}
	case f.stage == stageLookup:
		return []string{m.st.notice.Render("Looking it up" + m.g.ellipsis)}
	case f.stage == stageLeave:
		return []string{m.st.notice.Render(ansi.Truncate("Leave and lose what you wrote? y leaves, any other key stays.", textW, m.g.ellipsis))}
	case f.status != "":
		return m.formStatusLines(textW)
	}
	for n := len(hints); n > 0; n-- {
		if h, w := m.shortHelp(hints[:n]...); w <= textW {
			return []string{h}
		}
	}
	return []string{""}
}

// formStatusLines is why a send or a look-up was refused, wrapped to at most two lines (a
// reason cut at 40 columns lost its second half, such as "try again in a minute"); one
// empty line when there is none.
func (m *Model) formStatusLines(textW int) []string {
	f := m.form
	if f == nil || f.status == "" || f.stage == stageSending || f.stage == stageLookup || f.stage == stageLeave {
		return []string{""}
	}
	lines := strings.Split(content.Wrap(f.status, textW), "\n")
	if len(lines) > 2 {
		lines = []string{lines[0], strings.Join(lines[1:], " ")}
	}
	for i, l := range lines {
		lines[i] = m.st.notice.Render(ansi.Truncate(l, textW, m.g.ellipsis))
	}
	return lines
}

// formAccessibleLines is the form for a screen reader: one question at a time, in
// sentences, with where it is among them.
func (m *Model) formAccessibleLines(textW int) []string {
	f := m.form
	name := m.site.DisplayName()
	wrap := func(s string) []string { return strings.Split(content.Wrap(s, textW), "\n") }
	var lines []string
	switch f.stage {
	case stageSent:
		lines = append(lines, wrap("Sent. "+name+" has your message.")...)
		lines = append(lines, wrap("Your reply code is "+f.code+". Keep it to read the reply: ssh "+m.site.Settings.Host+" reply "+f.code+".")...)
		return append(lines, wrap("Press enter to go back, r to read a reply.")...)
	case stageCode, stageLookup:
		lines = append(lines, wrap("Read a reply from "+name+". Type the code you were given, then press enter. Escape goes back.")...)
		lines = append(lines, "", "Code: "+f.codeIn.View(), "")
		return append(lines, wrap(m.formAccessibleStatus())...)
	case stageReply:
		body, more := m.replyShown()
		lines = append(lines, body...)
		if more {
			return append(append(lines, ""), wrap("Up and down arrows read on. Press enter to go back.")...)
		}
		return append(lines, "", "Press enter to go back.")
	}
	q := "Question " + strconv.Itoa(f.focus+1) + " of " + strconv.Itoa(fieldCount) + ". "
	lines = append(lines, wrap("Write to "+name+".")...)
	var answer []string
	switch f.focus {
	case fieldText:
		n := utf8.RuneCountInString(f.text.Value())
		lines = append(lines, wrap(q+"Your message, up to "+letter.Thousands(letter.MaxText)+" characters; "+strconv.Itoa(n)+" so far. Enter starts a new line.")...)
		answer = strings.Split(f.text.View(), "\n")
	case fieldName:
		lines = append(lines, wrap(q+"Your name, optional: how a guestbook entry is signed.")...)
		answer = []string{f.name.View()}
	case fieldReplyTo:
		lines = append(lines, wrap(q+"How can "+name+" reply? Optional: an email address or any contact. Only "+name+" sees it.")...)
		answer = []string{f.replyTo.View()}
	case fieldGuestbook:
		now := "no"
		if f.guestbook {
			now = "yes"
		}
		lines = append(lines, wrap(q+"May your message appear in the guestbook once "+name+" approves it? Press y for yes, n for no. Now: "+now+".")...)
	case fieldSend:
		lines = append(lines, wrap(q+"Send it? Press enter or control s to send.")...)
	}
	lines = append(lines, "")
	lines = append(lines, answer...)
	lines = append(lines, "")
	return append(lines, wrap(m.formAccessibleStatus())...)
}

// formAccessibleStatus is what is happening, or the keys, as a sentence.
func (m *Model) formAccessibleStatus() string {
	f := m.form
	switch {
	case f.stage == stageSending:
		return "Sending."
	case f.stage == stageLookup:
		return "Looking it up."
	case f.stage == stageLeave:
		return "Leave and lose what you wrote? Press y to leave, any other key to stay."
	case f.status != "":
		return f.status
	case f.stage == stageCode:
		return ""
	}
	return "Tab: next question. Shift tab: back. Control s: send. Escape: leave."
}
