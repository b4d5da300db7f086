// Package letter holds what every way of writing to the owner shares: the full UI's form,
// its accessible question-and-answer form, the TERM=dumb line prompts and
// `ssh HOST message`. That is the letter a visitor writes, the mailbox the server fills
// (the store behind it), how long a send may take, and the words that tell a visitor why a
// letter was refused. It knows nothing of SSH, Bubble Tea or SQL.
package letter

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"portfolio/store"
)

// Letter is what a visitor wrote, as typed: the store cleans and checks it.
type Letter struct {
	Text, Name, ReplyTo string
	Guestbook           bool // the writer allows it on the guestbook once the owner approves
}

// Mailbox takes letters and looks up the owner's replies. The server fills it from the
// store; a test can fill it from a store on a temporary file.
type Mailbox interface {
	// Send stores the letter and returns its reply code, or says why not (the store's
	// errors: Refusal turns them into words).
	Send(ctx context.Context, l Letter) (code string, err error)
	// ReplyFor returns the owner's reply to the letter with this code; known is false for a
	// code that matches no letter.
	ReplyFor(ctx context.Context, code string) (reply string, known bool, err error)
}

// Deadline bounds a send or a look-up: a database that does not answer must not hold the
// visitor's form (or `ssh HOST message`) longer than this. It stays under the 5 seconds
// after which a still screen sleeps, so the answer reaches the program that asked.
const Deadline = 3 * time.Second

// Limits, in characters, as the store enforces them; the form's counter shows them.
const (
	MaxText    = store.MaxText
	MaxName    = store.MaxName
	MaxReplyTo = store.MaxReplyTo
)

// Refusal says, in words a visitor understands, why a letter was not taken. Every error
// that is not one of the store's refusals means the database could not take it now.
func Refusal(err error) string {
	switch {
	case errors.Is(err, store.ErrEmpty):
		return "Your message is empty: write something first."
	case errors.Is(err, store.ErrTooLong):
		// The store says which field: "too long: a name has at most 60 characters".
		if _, which, ok := strings.Cut(err.Error(), ": "); ok {
			return "Too long: " + which + "."
		}
		return "Too long: at most " + Thousands(MaxText) + " characters, a name " + strconv.Itoa(MaxName) +
			", a reply-to " + strconv.Itoa(MaxReplyTo) + "."
	case errors.Is(err, store.ErrNotUTF8):
		return "Your message is not UTF-8 text."
	case errors.Is(err, store.ErrTooMany):
		return "Too many messages from you just now: try again later."
	case errors.Is(err, store.ErrInboxFull):
		return "The inbox is full for now: try again later."
	case errors.Is(err, store.ErrDuplicate):
		return "You sent that already."
	}
	return "Your message can't be taken right now: try again in a minute."
}

// Thousands writes n with a comma between thousands, as the counter shows it.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Count is "n/max" with thousands separated: what the form's counter shows.
func Count(n, max int) string { return Thousands(n) + "/" + Thousands(max) }

// StoreMailbox is a Mailbox on a store, for one writer: who they are, for the store's
// limits and the owner's eyes, and the notification channels each letter gets.
type StoreMailbox struct {
	Store    *store.Store // nil: the database could not be opened; every send is refused as unavailable
	Source   string       // the writer's source key, for the limits (stored only as a hash)
	Addr     string       // the writer's address as the owner sees it (masked when the logs are)
	Client   string       // the writer's SSH client version
	Channels []string     // "webhook", "email": the notifications configured
	Now      func() time.Time
}

// Send stores the letter; it is committed before the code comes back.
func (b StoreMailbox) Send(ctx context.Context, l Letter) (string, error) {
	if b.Store == nil {
		return "", store.ErrUnavailable
	}
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	_, code, err := b.Store.TakeMessage(ctx, store.Draft{
		Text: l.Text, Name: l.Name, ReplyTo: l.ReplyTo, Guestbook: l.Guestbook,
		Source: b.Source, Addr: b.Addr, Client: b.Client, Channels: b.Channels,
	}, now())
	return code, err
}

// ReplyFor looks up the owner's reply by the code its writer was given.
func (b StoreMailbox) ReplyFor(ctx context.Context, code string) (string, bool, error) {
	if b.Store == nil {
		return "", false, store.ErrUnavailable
	}
	return b.Store.ReplyFor(ctx, code)
}
