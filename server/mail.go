package server

import (
	"context"
	"errors"

	"portfolio/outbox"
	"portfolio/server/guard"
	"portfolio/server/session"
	"portfolio/store"
	"portfolio/ui/letter"
)

// mailbox is where one visitor's letters go: the store, with who they are (their source
// for the limits, their address as the owner sees it, masked when the logs are), and the
// notification channels configured. Every send is counted and logged by its result.
func (s *Server) mailbox(v *session.Visit) letter.Mailbox {
	return countedMailbox{
		s: s,
		v: v,
		inner: letter.StoreMailbox{
			Store:    s.db.store(),
			Source:   guard.SourceKey(v.RemoteAddr()),
			Addr:     s.log.Addr(v.RemoteAddr()),
			Client:   v.Context().ClientVersion(),
			Channels: s.channels(),
		},
	}
}

// channels are the notification channels each new message gets an outbox row for.
func (s *Server) channels() []string { return outbox.Channels(s.notifyConfig()) }

type countedMailbox struct {
	s     *Server
	v     *session.Visit
	inner letter.StoreMailbox
}

func (b countedMailbox) Send(ctx context.Context, l letter.Letter) (string, error) {
	if b.inner.Store == nil {
		b.inner.Store = b.s.db.waitStore(ctx) // being opened, or opened since the session began
	}
	code, err := b.inner.Send(ctx, l)
	result := messageResult(err)
	b.s.metrics.MessageTaken(result)
	switch {
	case err == nil:
		b.s.logger.Info("message stored", "session", b.v.ID(), "addr", b.inner.Addr)
		b.s.outbox.Load().Kick() // its notifications leave now, not at the next poll
	case result == "unavailable":
		b.s.logger.Error("message not stored: database unavailable", "session", b.v.ID(), "addr", b.inner.Addr, "err", err)
	default:
		b.s.logger.Info("message refused", "session", b.v.ID(), "addr", b.inner.Addr, "result", result)
	}
	return code, err
}

// ReplyFor reads a reply through the same per-source limit on wrong codes as
// `ssh HOST reply CODE` (reply.go).
func (b countedMailbox) ReplyFor(ctx context.Context, code string) (string, bool, error) {
	return b.s.replies.Read(ctx, b.inner.Source, code)
}

// messageResult is the metric's and the log's name for a send's outcome.
func messageResult(err error) string {
	for _, r := range []struct {
		err  error
		name string
	}{
		{store.ErrEmpty, "empty"}, {store.ErrTooLong, "too-long"}, {store.ErrNotUTF8, "not-utf8"},
		{store.ErrTooMany, "too-many"}, {store.ErrInboxFull, "inbox-full"}, {store.ErrDuplicate, "duplicate"},
	} {
		if errors.Is(err, r.err) {
			return r.name
		}
	}
	if err != nil {
		return "unavailable"
	}
	return "stored"
}
