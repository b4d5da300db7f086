package server

import (
	"errors"
	"net"
	"sync"

	"charm.land/ssh"
	"charm.land/wish/v2"
)

// The messages a visitor over a limit gets: one polite line, then exit status 1.
var (
	ErrServerBusy     = errors.New("the portfolio has too many visitors right now; please try again in a minute")
	ErrTooManyFromYou = errors.New("you already have the maximum number of sessions open; close one and try again")
)

// sourceKey identifies a visitor's source for limits: the IPv4 address, or the IPv6 /64 (one
// customer's network; a host can pick any address inside it).
func sourceKey(addr net.Addr) string {
	var ip net.IP
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip = a.IP
	default:
		host, _, err := net.SplitHostPort(addr.String())
		if err != nil {
			return addr.String()
		}
		ip = net.ParseIP(host)
		if ip == nil {
			return host
		}
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// sessionCaps counts open sessions in total and per source.
type sessionCaps struct {
	mu       sync.Mutex
	total    int
	perIP    map[string]int
	maxTotal int
	maxPerIP int
}

func newSessionCaps(maxTotal, maxPerIP int) *sessionCaps {
	return &sessionCaps{perIP: map[string]int{}, maxTotal: maxTotal, maxPerIP: maxPerIP}
}

// acquire takes a slot for key, or says which cap is full.
func (c *sessionCaps) acquire(key string) (release func(), err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.total >= c.maxTotal {
		return nil, ErrServerBusy
	}
	if c.perIP[key] >= c.maxPerIP {
		return nil, ErrTooManyFromYou
	}
	c.total++
	c.perIP[key]++
	var once sync.Once
	return func() {
		once.Do(func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.total--
			if c.perIP[key]--; c.perIP[key] <= 0 {
				delete(c.perIP, key)
			}
		})
	}, nil
}

func limitSessions(c *sessionCaps) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) {
			release, err := c.acquire(sourceKey(s.RemoteAddr()))
			if err != nil {
				reason := "too_many_sessions"
				if errors.Is(err, ErrTooManyFromYou) {
					reason = "too_many_from_address"
				}
				reject(s, reason, err)
				return
			}
			defer release()
			next(s)
		}
	}
}

// reject turns a session away with one line on stderr and exit status 1.
func reject(s ssh.Session, reason string, err error) {
	v := visitOf(s)
	v.setKind(kindRejected)
	v.end(reason, "")
	wish.Fatalln(s, err)
}
