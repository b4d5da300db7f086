package ui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"portfolio/ui/letter"
)

// The message form (`m`): a visitor writes to the owner. It takes the whole frame while
// open; formview.go draws it. What it sends goes through the letter.Mailbox the caller
// gave in Options.Mail, as a command with a deadline, so a database that does not answer
// never holds the screen; the visitor's words stay in the fields until they are taken.

// The form's fields, in tab order.
const (
	fieldText = iota
	fieldName
	fieldReplyTo
	fieldGuestbook
	fieldSend
	fieldCount
)

type formStage uint8

const (
	stageWrite   formStage = iota // typing
	stageSending                  // the letter is on its way; keys wait
	stageLeave                    // esc with words typed: asking before they are dropped
	stageSent                     // taken: the reply code is on screen
	stageCode                     // "read a reply": typing a code
	stageLookup                   // the code is being looked up
	stageReply                    // the reply (or that there is none yet) is on screen
)

// textareaMax bounds what the message field holds (runes): twice what may be sent, so a
// paste that is too long is kept whole enough to shorten, never silently cut at the limit.
const textareaMax = 2 * letter.MaxText

// form is the open form. A Model holds it by pointer (it is large: a Model is copied on
// every message), so every copy of a Model shares it: only the newest Model is ever used,
// as Bubble Tea uses them. (A copy per change would not help: the text fields' buffers are
// slices the copies would share anyway.)
type form struct {
	stage     formStage
	focus     int
	text      textarea.Model
	name      textinput.Model
	replyTo   textinput.Model
	guestbook bool
	status    string // why the last send was refused; "" when nothing went wrong
	code      string // the reply code of the letter just taken
	codeIn    textinput.Model
	reply     string // the owner's reply looked up by code
	replyTop  int    // the first of the reply's lines on screen, when it is longer than the window
}

// formSentMsg is the answer to a send.
type formSentMsg struct {
	code string
	err  error
}

// formReplyMsg is the answer to a reply look-up.
type formReplyMsg struct {
	reply string
	known bool
	err   error
}

// newForm builds an empty form, the message field focused.
func newForm() *form {
	f := &form{}
	f.text = textarea.New()
	f.text.ShowLineNumbers = false
	f.text.Prompt = ""
	f.text.CharLimit = textareaMax
	f.text.MaxHeight = 0
	f.text.Placeholder = "Your message"
	f.name = newFormInput(letter.MaxName, "optional: how a guestbook entry is signed")
	f.replyTo = newFormInput(letter.MaxReplyTo, "optional: an email or any contact")
	f.codeIn = newFormInput(64, "the code you were given")
	f.text.Focus()
	return f
}

func newFormInput(limit int, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = limit
	in.Placeholder = placeholder
	return in
}

// restyleForm gives the form's fields the session's styles: the text in the terminal's own
// colour, placeholders muted, and a cursor drawn in reverse video, which shows in every
// look, NO_COLOR included (it does not blink: a blinking cursor would keep the screen from
// ever sleeping).
func (m *Model) restyleForm() {
	if m.form == nil {
		return
	}
	f := m.form
	plain := lipgloss.NewStyle()
	muted := m.st.muted
	ta := textarea.Styles{Cursor: textarea.CursorStyle{Shape: tea.CursorBlock}}
	ta.Focused = textarea.StyleState{Base: plain, Text: plain, CursorLine: plain, Placeholder: muted, EndOfBuffer: plain, Prompt: plain}
	ta.Blurred = ta.Focused
	f.text.SetStyles(ta)
	ti := textinput.Styles{Cursor: textinput.CursorStyle{Shape: tea.CursorBlock}}
	ti.Focused = textinput.StyleState{Text: plain, Placeholder: muted, Suggestion: muted, Prompt: plain}
	ti.Blurred = ti.Focused
	for _, in := range []*textinput.Model{&f.name, &f.replyTo, &f.codeIn} {
		in.SetStyles(ti)
	}
	m.sizeForm()
}

// openForm shows a fresh form (a refused letter stays in the form, which stays open).
func (m *Model) openForm() {
	if m.mail == nil {
		return
	}
	m.form = newForm()
	m.showHelp = false
	m.restyleForm()
}

// closeForm drops the form and what it held.
func (m *Model) closeForm() {
	m.form = nil
	m.layout()
}

// typed reports whether leaving would lose words the visitor typed.
func (f *form) typed() bool {
	return strings.TrimSpace(f.text.Value()+f.name.Value()+f.replyTo.Value()) != ""
}

func (f *form) letter() letter.Letter {
	return letter.Letter{Text: f.text.Value(), Name: f.name.Value(), ReplyTo: f.replyTo.Value(), Guestbook: f.guestbook}
}

// formKey handles a key while the form is open.
func (m *Model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	f := m.form
	k := msg.String()
	switch f.stage {
	case stageSending, stageLookup:
		return nil // the answer comes within letter.Deadline
	case stageLeave:
		if k == "y" || k == "Y" {
			m.closeForm()
			return nil
		}
		f.stage = stageWrite // any other key: stay, nothing lost
		return nil
	case stageSent, stageReply:
		switch k {
		case "down", "j":
			m.scrollReply(1)
		case "up", "k":
			m.scrollReply(-1)
		case "pgdown", "space", "f":
			m.scrollReply(max(1, m.height-5))
		case "pgup", "b":
			m.scrollReply(-max(1, m.height-5))
		case "r":
			return m.startCode()
		case "m":
			m.form = newForm()
			m.restyleForm()
			return nil
		case "esc", "enter", "q", "ctrl+c":
			m.closeForm()
		}
		return nil
	case stageCode:
		switch k {
		case "esc", "ctrl+c":
			f.stage, f.status = stageWrite, "" // back to the letter, kept as it was
			return m.focusField(f.focus)
		case "enter":
			return m.lookUp()
		}
		var cmd tea.Cmd
		f.codeIn, cmd = f.codeIn.Update(msg)
		return cmd
	}
	switch k {
	case "ctrl+s":
		return m.send()
	case "esc", "ctrl+c":
		if f.typed() {
			f.stage = stageLeave
			return nil
		}
		m.closeForm()
		return nil
	case "tab":
		return m.focusField((f.focus + 1) % fieldCount)
	case "shift+tab":
		return m.focusField((f.focus + fieldCount - 1) % fieldCount)
	case "ctrl+r":
		return m.startCode()
	}
	switch f.focus {
	case fieldText:
		var cmd tea.Cmd
		f.text, cmd = f.text.Update(msg)
		return cmd
	case fieldName, fieldReplyTo:
		if k == "enter" || k == "down" {
			return m.focusField(f.focus + 1)
		}
		if k == "up" {
			return m.focusField(f.focus - 1)
		}
		in := &f.name
		if f.focus == fieldReplyTo {
			in = &f.replyTo
		}
		var cmd tea.Cmd
		*in, cmd = in.Update(msg)
		return cmd
	case fieldGuestbook:
		switch k {
		case "space", "enter", "x":
			f.guestbook = !f.guestbook
		case "y":
			f.guestbook = true
		case "n":
			f.guestbook = false
		case "down":
			return m.focusField(fieldSend)
		case "up":
			return m.focusField(fieldReplyTo)
		}
	case fieldSend:
		switch k {
		case "enter", "space":
			return m.send()
		case "up":
			return m.focusField(fieldGuestbook)
		}
	}
	return nil
}

// formPaste hands a paste to the field that has the focus.
func (m *Model) formPaste(msg tea.PasteMsg) tea.Cmd {
	f := m.form
	var cmd tea.Cmd
	switch {
	case f.stage == stageCode:
		f.codeIn, cmd = f.codeIn.Update(msg)
	case f.stage != stageWrite:
	case f.focus == fieldText:
		f.text, cmd = f.text.Update(msg)
	case f.focus == fieldName:
		f.name, cmd = f.name.Update(msg)
	case f.focus == fieldReplyTo:
		f.replyTo, cmd = f.replyTo.Update(msg)
	}
	return cmd
}

// focusField moves the focus to field i.
func (m *Model) focusField(i int) tea.Cmd {
	f := m.form
	f.focus = i
	f.text.Blur()
	f.name.Blur()
	f.replyTo.Blur()
	switch i {
	case fieldText:
		return f.text.Focus()
	case fieldName:
		return f.name.Focus()
	case fieldReplyTo:
		return f.replyTo.Focus()
	}
	return nil
}

// send hands the letter to the mailbox as a command with a deadline.
func (m *Model) send() tea.Cmd {
	f := m.form
	f.stage = stageSending
	f.status = ""
	m.sizeForm()
	l, mail := f.letter(), m.mail
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), letter.Deadline)
		defer cancel()
		code, err := mail.Send(ctx, l)
		return formSentMsg{code: code, err: err}
	}
}

// sent takes the mailbox's answer: on success the reply code replaces the fields; on a
// refusal the fields stay as they were, with the reason.
func (m *Model) sent(msg formSentMsg) {
	f := m.form
	if f == nil || f.stage != stageSending {
		return
	}
	if msg.err != nil {
		f.stage = stageWrite
		f.status = letter.Refusal(msg.err)
		m.sizeForm() // a reason on two lines takes a row from the message field
		return
	}
	f.stage = stageSent
	f.code = msg.code
	f.text.Reset()
	f.name.Reset()
	f.replyTo.Reset()
}

// startCode switches to "read a reply": one field for the code.
func (m *Model) startCode() tea.Cmd {
	f := m.form
	f.stage = stageCode
	f.status = ""
	f.codeIn.Reset()
	return f.codeIn.Focus()
}

// lookUp asks the mailbox for the reply to the typed code.
func (m *Model) lookUp() tea.Cmd {
	f := m.form
	code := strings.TrimSpace(f.codeIn.Value())
	if code == "" {
		f.status = "Type the code you were given when you sent your message."
		return nil
	}
	f.stage = stageLookup
	f.status = ""
	mail := m.mail
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), letter.Deadline)
		defer cancel()
		reply, known, err := mail.ReplyFor(ctx, code)
		return formReplyMsg{reply: reply, known: known, err: err}
	}
}

// replied takes the look-up's answer.
func (m *Model) replied(msg formReplyMsg) {
	f := m.form
	if f == nil || f.stage != stageLookup {
		return
	}
	switch {
	case msg.err != nil:
		f.stage = stageCode
		f.status = "Replies can't be read right now: try again in a minute."
	case !msg.known:
		f.stage = stageCode
		f.status = "No message has that code. Check it and try again."
	default:
		f.stage = stageReply
		f.reply, f.replyTop = msg.reply, 0
	}
}
