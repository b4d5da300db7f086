package guard

import (
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// keepaliveRequest is OpenSSH's keepalive: any reply, even a failure,
// proves the peer is there (OpenSSH's ClientAliveInterval sends the same).
const keepaliveRequest = "keepalive@openssh.com"

// keepalive sends a keepalive request every KeepaliveInterval and drops the
// peer after KeepaliveMaxMissed intervals without an answer. It runs until
// the connection ends.
//
// Only one request is ever outstanding: gossh serialises global requests
// that want a reply, so a dead peer's request blocks its goroutine until
// the connection is closed, which is exactly what a missed answer leads to.
func (g *Guard) keepalive(ctx ssh.Context, sc *gossh.ServerConn, st *connState) {
	interval, maxMissed := g.lim.KeepaliveInterval, g.lim.KeepaliveMaxMissed
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	replies := make(chan struct{}, 1)
	pending, missed := false, 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-replies:
			pending, missed = false, 0
		case <-ticker.C:
			if pending {
				missed++
				if missed >= maxMissed {
					g.logger().Info("ssh peer dropped", "reason", "keepalive", "remote", SourceKey(sc.RemoteAddr()), "missed", missed)
					g.stats.keepaliveDrops.Add(1)
					_ = st.close()
					return
				}
				continue
			}
			pending = true
			go func() {
				if _, _, err := sc.SendRequest(keepaliveRequest, true, nil); err != nil {
					return // the connection is closing
				}
				select {
				case replies <- struct{}{}:
				default:
				}
			}()
		}
	}
}
