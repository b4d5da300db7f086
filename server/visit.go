package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"

	"portfolio/server/guard"
	"portfolio/server/metrics"
)

// Session kinds, as logged in the "kind" key of "session end".
const (
	kindInteractive = "interactive"
	kindPlain       = "plain"
	kindRejected    = "rejected"
)

// visit is the ssh.Session handed down the middleware chain below logging. It counts the
// bytes sent to the visitor, notes when the visitor last typed (the input-idle timeout is
// measured on input only: the UI's own drawing must not keep a session alive), and carries
// what the "session end" log event reports.
type visit struct {
	ssh.Session

	id        string
	start     time.Time
	tracked   bool         // registered with the server's live sessions by the logging middleware
	lastInput atomic.Int64 // unix nanoseconds of the last byte read from the visitor
	bytesOut  atomic.Int64
	keys      atomic.Int64
	sleeps    atomic.Int64     // how often the screen was put to sleep (server/screen)
	woken     atomic.Int64     // how many Bubble Tea programs drew the screen: 0 if the visitor never acted
	metrics   *metrics.Metrics // bytes sent are counted live; nil outside the logging middleware

	mu       sync.Mutex
	kind     string
	reason   string
	message  string       // what to tell the visitor when the session is ended from outside
	sections sectionViews // the UI's per-section reading times, or the section a plain answer showed
	profile  string
}

func newVisit(s ssh.Session) *visit {
	v := &visit{Session: s, id: newSessionID(), start: time.Now()}
	v.lastInput.Store(v.start.UnixNano())
	return v
}

// visitOf returns the visit the logging middleware wrapped around s, or a fresh one when s
// did not come through it (a handler tested on its own).
func visitOf(s ssh.Session) *visit {
	if v, ok := s.(*visit); ok {
		return v
	}
	return newVisit(s)
}

func newSessionID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (v *visit) Read(p []byte) (int, error) {
	n, err := v.Session.Read(p)
	if n > 0 {
		v.lastInput.Store(time.Now().UnixNano())
	}
	return n, err
}

func (v *visit) Write(p []byte) (int, error) {
	n, err := v.Session.Write(p)
	v.sent(n)
	return n, err
}

func (v *visit) sent(n int) {
	v.bytesOut.Add(int64(n))
	if v.metrics != nil {
		v.metrics.BytesSent(n)
	}
}

// Stderr counts what goes to the visitor's stderr too.
func (v *visit) Stderr() io.ReadWriter {
	return countingRW{ReadWriter: v.Session.Stderr(), v: v}
}

type countingRW struct {
	io.ReadWriter
	v *visit
}

func (c countingRW) Write(p []byte) (int, error) {
	n, err := c.ReadWriter.Write(p)
	c.v.sent(n)
	return n, err
}

// idleFor is how long the visitor has not typed anything.
func (v *visit) idleFor(now time.Time) time.Duration {
	return now.Sub(time.Unix(0, v.lastInput.Load()))
}

func (v *visit) setKind(kind string) {
	v.mu.Lock()
	v.kind = kind
	v.mu.Unlock()
}

// end records why the session ends. The first reason wins: once a session is ending because
// of the idle timeout, the program quitting as a result is not a second reason.
func (v *visit) end(reason, message string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.reason != "" {
		return false
	}
	v.reason, v.message = reason, message
	return true
}

func (v *visit) ending() (reason, message string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.reason, v.message
}

// clean makes client-supplied text safe for one log line or screen: guard.Sanitize drops
// control characters, whole escape sequences, bidi and zero-width characters and invalid
// UTF-8, and cuts the value to max runes (an ellipsis included).
func clean(s string, max int) string { return guard.Sanitize(s, max) }

// sectionView is one section a visitor viewed and for how long.
type sectionView struct {
	Slug string `json:"slug"`
	MS   int64  `json:"ms"`
}

// sectionViews is the "sections" value of "session end". The JSON log gets the list as it
// is, [{"slug":"education","ms":5120},...], which portfolio stats reads; text and logfmt
// logs print it through Format as "education:5120,road-ahead:830". It deliberately has no
// String method: charm.land/log's JSON formatter would prefer that to the list.
type sectionViews []sectionView

// Format writes the compact text form for %v and %+v (the text and logfmt formatters).
func (s sectionViews) Format(f fmt.State, _ rune) {
	for i, v := range s {
		if i > 0 {
			_, _ = f.Write([]byte{','})
		}
		_, _ = f.Write([]byte(v.Slug + ":" + strconv.FormatInt(v.MS, 10)))
	}
}
