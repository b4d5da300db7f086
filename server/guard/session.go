package guard

import (
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// refusedRequest is the request type a refused request is renamed to
// before the wrapped handler sees it: the handler answers unknown types
// with failure, and answering through it keeps replies in request order,
// as the protocol requires.
const refusedRequest = "refused@guard"

// SessionHandler wraps next, normally ssh.DefaultSessionHandler, as the
// "session" channel handler (ssh.Server.ChannelHandlers["session"]). The
// ssh package has no option for any of this:
//
//   - at most MaxSessions session channels open at once per connection,
//     MaxSessionsTotal in its life; others are rejected (ResourceShortage);
//   - the pty-req size and every window-change are clamped to Size before
//     the session sees them (a zero pty-req size becomes 80x24, a zero
//     window-change is refused), TERM is sanitised and shortened;
//   - window-change storms are coalesced: while the session is busy only the
//     latest size waits, so the connection never stalls behind them;
//   - env requests beyond MaxEnv or longer than MaxEnvBytes are refused;
//   - only pty-req, window-change, env, shell, exec (up to MaxCommandBytes), signal
//     and break pass; agent forwarding, X11, subsystems (sftp, scp via
//     subsystem) and anything unknown are refused;
//   - a write to the session blocked for WriteTimeout (the client stopped
//     opening the channel window) drops the connection;
//   - the first session starts the connection's keepalive.
func (g *Guard) SessionHandler(next ssh.ChannelHandler) ssh.ChannelHandler {
	if next == nil {
		next = ssh.DefaultSessionHandler
	}
	return func(srv *ssh.Server, sc *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
		st := g.stateOf(ctx, sc.Close)
		if st.c != nil {
			// Opening a channel proves the handshake is done even when
			// authentication ran through a handler the guard cannot see.
			st.c.authenticated()
		}
		if !st.openSession() {
			g.stats.sessionsRefused.Add(1)
			_ = nc.Reject(gossh.ResourceShortage, "too many sessions on this connection")
			return
		}
		defer st.closeSession()
		st.keepalive.Do(func() { go g.keepalive(ctx, sc, st) })
		next(srv, sc, &newChannel{NewChannel: nc, g: g, st: st}, ctx)
	}
}

// newChannel hands the wrapped handler a guarded channel and a filtered
// request stream.
type newChannel struct {
	gossh.NewChannel
	g  *Guard
	st *connState
}

func (n *newChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := n.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	gc := newChannelGuard(ch, n.g, n.st)
	go n.g.filterRequests(reqs, out, gc.started)
	return gc, out, nil
}

// filterRequests passes in's requests to out after checking them, in
// order, with two exceptions for window-changes (which want no reply, per
// RFC 4254 section 6.7; one that wants a reply is refused):
//
//   - coalescing: a window-change is held back while out is busy and
//     replaced by any later one, so a storm costs one pending request, not
//     a queue that stalls the connection, and the last size always gets
//     through;
//   - gating: once a shell or exec has been passed on, window-changes wait
//     until the handler has started (started is closed by
//     drainWindowChanges), because the ssh package updates the session's
//     Pty while handling them and the handler reads it as it starts.
func (g *Guard) filterRequests(in <-chan *gossh.Request, out chan<- *gossh.Request, started <-chan struct{}) {
	defer close(out)
	f := requestFilter{g: g}
	var pending *gossh.Request
	var gate <-chan struct{} // not nil while window-changes must wait
	gated := false           // the gate is used once, for the first shell or exec
	for {
		var send chan<- *gossh.Request
		if pending != nil && gate == nil {
			send = out
		}
		var req *gossh.Request
		select {
		case send <- pending:
			pending = nil
			continue
		case <-gate:
			gate = nil
			continue
		case r, ok := <-in:
			if !ok {
				return // the channel is gone: a held size no longer matters
			}
			req = r
		}
		f.check(req)
		if req.Type == "window-change" {
			if pending != nil {
				g.stats.resizesCoalesced.Add(1)
			}
			pending = req
			continue
		}
		if pending != nil && gate == nil {
			out <- pending
			pending = nil
		}
		out <- req
		if (req.Type == "shell" || req.Type == "exec") && !gated && g.wrapsHandler {
			gated = true
			gate = started
		}
	}
}

// requestFilter checks one session's requests.
type requestFilter struct {
	g   *Guard
	env int
}

// check rewrites req in place: sizes clamped, or renamed to
// refusedRequest.
func (f *requestFilter) check(req *gossh.Request) {
	lim := &f.g.lim
	switch req.Type {
	case "pty-req":
		var p struct {
			Term                string
			Columns, Rows, W, H uint32
			Modes               string
		}
		if gossh.Unmarshal(req.Payload, &p) != nil {
			f.refuse(req)
			return
		}
		w, h, ok := lim.Size.Clamp(int(p.Columns), int(p.Rows))
		if !ok {
			w, h = DefaultWidth, DefaultHeight
		}
		p.Columns, p.Rows = uint32(w), uint32(h)
		p.Term = Sanitize(p.Term, lim.MaxTermBytes)
		req.Payload = gossh.Marshal(&p)
	case "window-change":
		var p struct{ Columns, Rows, W, H uint32 }
		if req.WantReply || gossh.Unmarshal(req.Payload, &p) != nil {
			f.refuse(req)
			return
		}
		w, h, ok := lim.Size.Clamp(int(p.Columns), int(p.Rows))
		if !ok {
			f.refuse(req)
			return
		}
		p.Columns, p.Rows = uint32(w), uint32(h)
		req.Payload = gossh.Marshal(&p)
	case "env":
		f.env++
		var kv struct{ Key, Value string }
		if f.env > lim.MaxEnv || gossh.Unmarshal(req.Payload, &kv) != nil || len(kv.Key)+len(kv.Value) > lim.MaxEnvBytes {
			f.refuse(req)
		}
	case "exec":
		if len(req.Payload) > lim.MaxCommandBytes+4 {
			f.refuse(req)
		}
	case "shell", "signal", "break":
	default:
		// auth-agent-req@openssh.com, x11-req, subsystem, xon-xoff and
		// anything else.
		f.refuse(req)
	}
}

func (f *requestFilter) refuse(req *gossh.Request) {
	f.g.stats.requestsRefused.Add(1)
	req.Type = refusedRequest
	req.Payload = nil
}
