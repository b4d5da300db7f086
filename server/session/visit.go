package session

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
)

// Visit is the ssh.Session handed down the middleware chain below Middleware.
type Visit struct {
	ssh.Session

	id        string
	start     time.Time
	sent      func(n int)  // told every write to the visitor, as it happens (the metrics)
	lastInput atomic.Int64 // unix nanoseconds of the last byte read from the visitor
	bytesOut  atomic.Int64
	keys      atomic.Int64
	sleeps    atomic.Int64 // how often the visitor's screen was put to sleep
	woken     atomic.Int64 // how many Bubble Tea programs drew it: 0 if the visitor never acted

	mu       sync.Mutex
	kind     Kind
	reason   Reason
	message  string // what to tell the visitor when the session is ended from outside
	sections SectionViews
	cut      bool // a write or the exit status failed: the client was gone
}

// Middleware wraps every session in a Visit for the middleware and handlers further in;
// sent, when not nil, is told the size of every write to the visitor as it happens.
func Middleware(sent func(n int)) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) { next(newVisit(s, sent)) }
	}
}

func newVisit(s ssh.Session, sent func(n int)) *Visit {
	v := &Visit{Session: s, id: newID(), start: time.Now(), sent: sent, kind: Plain}
	v.lastInput.Store(v.start.UnixNano())
	return v
}

// Of returns the Visit Middleware made of s. A session that did not come through it is a
// wiring mistake, and panics (which the recover middleware turns into an apology).
func Of(s ssh.Session) *Visit {
	v, ok := s.(*Visit)
	if !ok {
		panic(fmt.Sprintf("session: %T is not a *session.Visit: session.Middleware must run first", s))
	}
	return v
}

func newID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ID is the session's id in the log: 12 hex digits, random.
func (v *Visit) ID() string { return v.id }

// Started is when the session began.
func (v *Visit) Started() time.Time { return v.start }

func (v *Visit) Read(p []byte) (int, error) {
	n, err := v.Session.Read(p)
	if n > 0 {
		v.lastInput.Store(time.Now().UnixNano())
	}
	return n, err
}

func (v *Visit) Write(p []byte) (int, error) {
	n, err := v.Session.Write(p)
	v.wrote(n, err)
	return n, err
}

// Stderr counts what goes to the visitor's stderr too.
func (v *Visit) Stderr() io.ReadWriter {
	return stderr{ReadWriter: v.Session.Stderr(), v: v}
}

type stderr struct {
	io.ReadWriter
	v *Visit
}

func (e stderr) Write(p []byte) (int, error) {
	n, err := e.ReadWriter.Write(p)
	e.v.wrote(n, err)
	return n, err
}

func (v *Visit) wrote(n int, err error) {
	v.bytesOut.Add(int64(n))
	if v.sent != nil {
		v.sent(n)
	}
	if err != nil {
		v.lost()
	}
}

// Exit sends the exit status and closes the session; a client already gone makes it fail.
func (v *Visit) Exit(code int) error {
	err := v.Session.Exit(code)
	if err != nil {
		v.lost()
	}
	return err
}

// lost notes that something meant for the visitor did not reach their client.
func (v *Visit) lost() {
	v.mu.Lock()
	v.cut = true
	v.mu.Unlock()
}

// Lost reports whether a write or the exit status failed: the client went away before the
// session was done with it.
func (v *Visit) Lost() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.cut
}

// KeyPressed counts one key press; what was typed is never kept.
func (v *Visit) KeyPressed() { v.keys.Add(1) }

// SetSleeps records how often the visitor's screen was put to sleep.
func (v *Visit) SetSleeps(n int) { v.sleeps.Store(int64(n)) }

// SetWoken records how many Bubble Tea programs drew the visitor's screen: the first frame
// is painted without one, so 0 means the visitor never acted.
func (v *Visit) SetWoken(n int) { v.woken.Store(int64(n)) }

// SetKind records what the session turned out to be.
func (v *Visit) SetKind(k Kind) {
	v.mu.Lock()
	v.kind = k
	v.mu.Unlock()
}

// SetSections records the sections the visitor read, in the order first viewed.
func (v *Visit) SetSections(s SectionViews) {
	v.mu.Lock()
	v.sections = s
	v.mu.Unlock()
}

// End records why the session ends and what to tell the visitor ("" for nothing). The first
// reason wins: once a session is ending because of the idle timeout, the program quitting as
// a result is not a second reason. It reports whether this call's reason is the one.
func (v *Visit) End(reason Reason, message string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.reason != "" {
		return false
	}
	v.reason, v.message = reason, message
	return true
}

// Ending returns the reason recorded by End and its message.
func (v *Visit) Ending() (Reason, string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.reason, v.message
}

// Summary is what a session did, as "session end" reports it.
type Summary struct {
	Kind     Kind
	Reason   Reason // Done when nothing else ended it
	Duration time.Duration
	Sections SectionViews
	Keys     int64
	Bytes    int64 // sent to the visitor, stdout and stderr
	Sleeps   int64
	Woken    int64
}

// Summary is the session so far.
func (v *Visit) Summary() Summary {
	v.mu.Lock()
	defer v.mu.Unlock()
	reason := v.reason
	if reason == "" {
		reason = Done
	}
	return Summary{
		Kind:     v.kind,
		Reason:   reason,
		Duration: time.Since(v.start),
		Sections: v.sections,
		Keys:     v.keys.Load(),
		Bytes:    v.bytesOut.Load(),
		Sleeps:   v.sleeps.Load(),
		Woken:    v.woken.Load(),
	}
}
