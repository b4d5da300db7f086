package server

import (
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Session requests refused before the ssh package sees them. The package itself refuses
// x11-req and subsystems only because nothing is registered for them, and it accepts agent
// forwarding unconditionally; listing all three here makes "shell only" explicit.
var refusedRequests = map[string]bool{
	"auth-agent-req@openssh.com": true, // agent forwarding: nothing here may use a visitor's keys
	"x11-req":                    true, // X11 forwarding
	"subsystem":                  true, // sftp, scp -s and friends
}

// refuseRequests wraps a "session" channel handler so that refused requests are answered
// "no" before the wrapped handler's request loop sees them. Other wrappers (per-connection
// channel caps, env limits) compose the same way.
func refuseRequests(next ssh.ChannelHandler) ssh.ChannelHandler {
	return func(srv *ssh.Server, conn *gossh.ServerConn, newChan gossh.NewChannel, ctx ssh.Context) {
		next(srv, conn, filteredChannel{NewChannel: newChan}, ctx)
	}
}

type filteredChannel struct{ gossh.NewChannel }

func (c filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		// Ends when the client closes the channel: reqs is closed with it.
		defer close(out)
		for req := range reqs {
			if refusedRequests[req.Type] {
				if req.WantReply {
					_ = req.Reply(false, nil)
				}
				continue
			}
			out <- req
		}
	}()
	return ch, out, nil
}
