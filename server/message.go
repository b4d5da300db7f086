package server

import (
	"context"
	"errors"
	"io"
	"time"

	"portfolio/server/answer"
	"portfolio/server/session"
	"portfolio/store"
	"portfolio/ui/letter"
)

// messageReadTimeout bounds how long `ssh HOST message` waits for its standard input to
// end: a pipe ends at once, a person typing into a terminal has this long to press ctrl+d.
const messageReadTimeout = time.Minute

// messageReadLimit is the most of standard input read: the longest message in the widest
// UTF-8 (four bytes a character) and some room for the trailing newline and spaces a file
// may bring. A longer input is refused as too long without reading the rest.
const messageReadLimit = 4*letter.MaxText + 1024

// message takes a letter from standard input (`ssh HOST message [--name NAME]
// [--reply-to CONTACT] [--guestbook]`): stored, one line on stdout ending with the reply
// code and exit status 0; otherwise one line on stderr saying why and exit status 1.
func (s *Server) message(v *session.Visit, args []string) {
	v.SetKind(session.Plain)
	l, bad := answer.ParseMessage(s.site, args)
	if bad != nil {
		s.send(v, *bad)
		return
	}
	text, err := readBounded(v.Context(), v, messageReadLimit, messageReadTimeout)
	switch {
	case errors.Is(err, errInputTooLong):
		s.metrics.MessageTaken("too-long")
		s.send(v, answer.MessageRefused(store.ErrTooLong))
		return
	case errors.Is(err, errNoEnd):
		s.send(v, answer.MessageNoEnd(s.site))
		return
	case err != nil:
		v.End(session.Disconnect, "") // the client went away mid-message
		_ = v.Exit(1)
		return
	}
	l.Text = text
	ctx, cancel := context.WithTimeout(v.Context(), letter.Deadline)
	defer cancel()
	code, err := s.mailbox(v).Send(ctx, l)
	if err != nil {
		s.send(v, answer.MessageRefused(err))
		return
	}
	s.send(v, answer.MessageSent(s.site, code))
}

var (
	errInputTooLong = errors.New("input too long")
	errNoEnd        = errors.New("no end of input in time")
)

// readBounded reads r to its end, at most limit bytes, for at most timeout. The reading
// goroutine ends when r does: the caller ends the session after answering, which closes it.
func readBounded(ctx context.Context, r io.Reader, limit int, timeout time.Duration) (string, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
		done <- result{b, err}
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case res := <-done:
		if res.err != nil {
			return "", res.err
		}
		if len(res.b) > limit {
			return "", errInputTooLong
		}
		return string(res.b), nil
	case <-t.C:
		return "", errNoEnd
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
