package guard

import (
	"net"
	"testing"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

func TestKexSniffer(t *testing.T) {
	kexinit := "SSH-2.0-OpenSSH_9.6\r\n\x00\x00\x05\xdc\x04\x14rest-of-the-packet"
	for _, tt := range []struct {
		name   string
		stream string
		chunk  int
		want   bool
	}{
		{"in one read", kexinit, len(kexinit), true},
		{"a byte at a time", kexinit, 1, true},
		{"after other lines", "hello\r\n" + kexinit, 3, true},
		{"another message first", "SSH-2.0-x\r\n\x00\x00\x00\x0c\x04\x15", 5, false},
		{"version only", "SSH-2.0-x\r\n", 4, false},
		{"no line end", string(make([]byte, 2*maxIdentBytes)), 100, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var k kexSniffer
			seen := 0
			for s := tt.stream; len(s) > 0; {
				n := min(tt.chunk, len(s))
				if k.feed([]byte(s[:n])) {
					seen++
				}
				s = s[n:]
			}
			if (seen == 1) != tt.want || seen > 1 {
				t.Fatalf("KEXINIT seen %d times, want %v", seen, tt.want)
			}
		})
	}
}

// dialSlowHostKey runs a handshake whose host-key check takes wait, the way
// a person reads OpenSSH's "Are you sure you want to continue connecting?"
// prompt, and returns the connection and the handshake's error.
func dialSlowHostKey(t *testing.T, addr string, wait time.Duration) (net.Conn, *gossh.Client, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	cc := nc
	t.Cleanup(func() { _ = cc.Close() })
	conf := clientConfig()
	conf.Timeout = 0
	conf.HostKeyCallback = func(string, net.Addr, gossh.PublicKey) error {
		time.Sleep(wait) // the person reading: the scenario, not a wait for an event
		return nil
	}
	c, chans, reqs, err := gossh.NewClientConn(cc, addr, conf)
	if err != nil {
		return cc, nil, err
	}
	return cc, gossh.NewClient(c, chans, reqs), nil
}

// TestKexInitGetsLoginGrace: a client that has sent its KEXINIT is past
// the handshake timeout's reach; only the login grace bounds it.
func TestKexInitGetsLoginGrace(t *testing.T) {
	const handshake, grace = 300 * time.Millisecond, 1500 * time.Millisecond
	g := newGuard(t, Config{Tune: func(l *Limits) { l.HandshakeTimeout, l.LoginGrace, l.PenaltyTokens = handshake, grace, 5 }})
	addr := startServer(t, g, func(s ssh.Session) { _, _ = s.Write([]byte("hello\n")) })

	t.Run("answers the prompt after the handshake timeout", func(t *testing.T) {
		_, c, err := dialSlowHostKey(t, addr, 3*handshake)
		if err != nil {
			t.Fatalf("handshake with a host-key answer after %v: %v", 3*handshake, err)
		}
		defer c.Close()
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if out, err := s.Output(""); err != nil || string(out) != "hello\n" {
			t.Fatalf("session: %q, %v", out, err)
		}
	})
	t.Run("never answers", func(t *testing.T) {
		start := time.Now()
		failed := make(chan error, 1)
		go func() {
			_, _, err := dialSlowHostKey(t, addr, 2*grace)
			failed <- err
		}()
		// The client sits in its host-key callback and reads nothing: watch
		// the server's side.
		tick := time.NewTicker(5 * time.Millisecond) // the guard announces no drop: ask
		defer tick.Stop()
		for g.Stats().LoginGraceDrops == 0 && time.Since(start) < 2*grace {
			<-tick.C
		}
		took := time.Since(start)
		if took < grace-50*time.Millisecond || took >= 2*grace {
			t.Fatalf("dropped after %v, want about the login grace %v", took, grace)
		}
		if err := <-failed; err == nil {
			t.Fatal("a client that took longer than the login grace logged in")
		}
		if st := g.Stats(); st.LoginGraceDrops != 1 || st.HandshakeTimeouts != 0 || st.Startups != 0 {
			t.Fatalf("stats %+v, want one login-grace drop and no startups left", st)
		}
	})
	if st := g.Stats(); st.HandshakeTimeouts != 0 {
		t.Fatalf("stats %+v: a client past its KEXINIT hit the handshake timeout", st)
	}
}

// TestTimeoutsCharged: connections cut off by a timeout spend the source's
// budget faster than ones that merely fail; a visit's token comes back.
func TestTimeoutsCharged(t *testing.T) {
	g := newGuard(t, Config{RateLimit: 0.001, Tune: func(l *Limits) {
		l.RateBurst, l.PenaltyTokens, l.HandshakeTimeout = 4, 2, 200*time.Millisecond
	}})
	addr := startServer(t, g, holdHandler)
	for range 3 {
		c := dial(t, addr) // logs in; no session yet: its token is still out
		_ = c.Close()
	}
	g.adm.mu.Lock()
	left := g.adm.sourceAt("127.0.0.1", time.Now()).tokens
	g.adm.mu.Unlock()
	if left > 1.01 || left < 0.99 {
		t.Fatalf("%.2f tokens left after three connections without a session, want 1", left)
	}
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	readClosed(t, silent, 3*time.Second)
	// One token was left; the silent connection took it and paid two more.
	if c, err := gossh.Dial("tcp", addr, clientConfig()); err == nil {
		_ = c.Close()
		t.Fatal("a connection got in after the source's budget went into debt")
	}
	if st := g.Stats(); st.HandshakeTimeouts != 1 || st.RateLimited != 1 {
		t.Fatalf("stats %+v, want one handshake timeout and the next connection refused", st)
	}
}
