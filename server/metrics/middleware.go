package metrics

import (
	"io"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
)

// Middleware counts every session that passes through it: the open gauge,
// sessions_total and the duration histogram by kind, and the bytes written
// to the session (stdout and stderr, which is all a session sends with wish's
// default emulated PTY). Kind is Interactive with a PTY, Plain without, and
// Rejected when a middleware further in called RejectSession.
//
// Place it outside the rate-limit and cap middlewares (listed after them in
// wish.WithMiddleware, since the last listed runs first) so refused sessions
// are counted too. Use either this or SessionOpened/SessionClosed, not both.
func Middleware(m *Metrics) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) {
			start := time.Now()
			ms := &session{Session: s, m: m}
			m.SessionOpened()
			// Deferred so a panicking handler is still counted when an
			// outer recover middleware keeps the server alive.
			defer func() {
				kind := Plain
				if ms.rejected.Load() {
					kind = Rejected
				} else if _, _, ok := s.Pty(); ok {
					kind = Interactive
				}
				m.SessionClosed(kind, time.Since(start))
			}()
			next(ms)
		}
	}
}

// RejectSession counts a refusal like Rejected and marks the session, so
// Middleware ends it as Rejected. s may be wrapped by other middlewares as
// long as each wrapper has an Unwrap() ssh.Session method.
func (m *Metrics) RejectSession(s ssh.Session, reason string) {
	m.Rejected(reason)
	for s != nil {
		if ms, ok := s.(*session); ok && ms.m == m {
			ms.rejected.Store(true)
			return
		}
		u, ok := s.(interface{ Unwrap() ssh.Session })
		if !ok {
			return
		}
		s = u.Unwrap()
	}
}

// session counts the bytes written to the visitor. ssh.Context is shared
// by every session of a connection, so the rejected mark lives here.
type session struct {
	ssh.Session
	m        *Metrics
	rejected atomic.Bool
}

// Unwrap returns the session this one wraps.
func (s *session) Unwrap() ssh.Session { return s.Session }

func (s *session) Write(p []byte) (int, error) {
	n, err := s.Session.Write(p)
	s.m.BytesSent(n)
	return n, err
}

func (s *session) Stderr() io.ReadWriter {
	return countingReadWriter{ReadWriter: s.Session.Stderr(), m: s.m}
}

type countingReadWriter struct {
	io.ReadWriter
	m *Metrics
}

func (c countingReadWriter) Write(p []byte) (int, error) {
	n, err := c.ReadWriter.Write(p)
	c.m.BytesSent(n)
	return n, err
}
