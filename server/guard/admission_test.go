package guard

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/time/rate"
)

func TestSourceKey(t *testing.T) {
	tcp := func(s string) net.Addr { return &net.TCPAddr{IP: net.ParseIP(s), Port: 1234} }
	tests := []struct {
		addr net.Addr
		want string
	}{
		{tcp("203.0.113.7"), "203.0.113.7"},
		{tcp("::ffff:203.0.113.7"), "203.0.113.7"},
		{tcp("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64"},
		{tcp("2001:db8:1:2:ffff::1"), "2001:db8:1:2::/64"},
		{tcp("2001:db8:1:3::1"), "2001:db8:1:3::/64"},
		{&net.UDPAddr{IP: net.ParseIP("198.51.100.1"), Port: 1}, "198.51.100.1"},
		{&net.UnixAddr{Name: "@sock", Net: "unix"}, "unknown"},
		{nil, "unknown"},
	}
	for _, tt := range tests {
		if got := SourceKey(tt.addr); got != tt.want {
			t.Errorf("SourceKey(%v) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

func TestAdmission(t *testing.T) {
	a := newAdmission(1, Limits{RateBurst: 3, MaxSources: 2,
		MaxStartups: 4, StartupsContended: 3, MaxStartupsPerSource: 1, PenaltyTokens: 2})
	now := time.Unix(1000, 0)
	// Uncontended, a source may hold more than its share of startups...
	for range 2 {
		if err := a.admit("a", now); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.admit("b", now); err != nil {
		t.Fatal(err)
	}
	// ...but from StartupsContended on it is held to its share, while a
	// source under its share still gets in, up to MaxStartups.
	if err := a.admit("a", now); !errors.Is(err, ErrTooManyStartups) {
		t.Fatalf("over its share while contended: %v", err)
	}
	if err := a.admit("c", now); err != nil {
		t.Fatalf("a source under its share: %v", err)
	}
	if err := a.admit("d", now); !errors.Is(err, ErrStartupsFull) {
		t.Fatalf("over MaxStartups: %v", err)
	}
	// Logging in frees the startup slot; becoming a visit gives the token
	// back, so "a", whose burst of three has one token left, can visit
	// again and again.
	a.authenticated("a")
	a.authenticated("a")
	a.visited("a", now)
	a.visited("a", now)
	a.ended("a", true, false, now)
	a.ended("a", true, false, now)
	a.ended("b", false, false, now)
	a.ended("c", false, false, now)
	for i := range 10 {
		if err := a.admit("a", now); err != nil {
			t.Fatalf("visit %d: %v", i, err)
		}
		a.authenticated("a")
		a.visited("a", now)
		a.ended("a", true, false, now)
	}
	// Connections that never become visits keep their token: three spend
	// the burst.
	for range 3 {
		if err := a.admit("a", now); err != nil {
			t.Fatal(err)
		}
		a.ended("a", false, false, now)
	}
	if err := a.admit("a", now); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("budget spent: %v", err)
	}
	// A second later one token is back; a connection cut off by a timeout
	// costs it plus the penalty.
	now = now.Add(time.Second)
	if err := a.admit("a", now); err != nil {
		t.Fatal(err)
	}
	a.ended("a", false, true, now)
	now = now.Add(2 * time.Second) // two tokens back, but two were charged
	if err := a.admit("a", now); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("penalty not charged: %v", err)
	}
	if len(a.pending) != 0 || a.inFlight != 0 {
		t.Fatalf("pending %v, in flight %d", a.pending, a.inFlight)
	}
	// The source table is bounded.
	for _, k := range []string{"x", "y", "z"} {
		_ = a.admit(k, now)
		a.ended(k, false, false, now)
	}
	if n := a.sources.Len(); n != 2 {
		t.Fatalf("%d sources kept, want MaxSources=2", n)
	}
}

// TestRefusalLoggedOnceAMinute: a source refused again and again gets one
// info line per RefusalLogInterval (a minute by default), which counts the
// refusals it did not log.
func TestRefusalLoggedOnceAMinute(t *testing.T) {
	a := newAdmission(1, tuned(func(l *Limits) { l.RateBurst, l.MaxSources = 1, 8 }))
	now := time.Unix(1000, 0)
	logged := 0
	for i := range 100 {
		at := now.Add(time.Duration(i) * time.Second)
		if n, ok := a.logRefusal("a", at); ok {
			logged++
			if want := map[int]int{0: 0, 60: 59}[i]; n != want {
				t.Errorf("line at %ds counts %d unlogged refusals, want %d", i, n, want)
			}
		}
	}
	if logged != 2 {
		t.Fatalf("%d lines for 100 refusals in 100s, want 2", logged)
	}
	if _, ok := a.logRefusal("b", now.Add(10*time.Second)); !ok {
		t.Fatal("another source's first refusal was not logged")
	}
	a = newAdmission(1, tuned(func(l *Limits) { l.RateBurst, l.MaxSources, l.RefusalLogInterval = 1, 8, 10*time.Second }))
	logged = 0
	for i := range 100 {
		if _, ok := a.logRefusal("a", now.Add(time.Duration(i)*time.Second)); ok {
			logged++
		}
	}
	if logged != 10 {
		t.Fatalf("%d lines for 100 refusals in 100s at one per 10s, want 10", logged)
	}
}

func TestSessionShares(t *testing.T) {
	s := newSessionShares(Config{MaxOpenSessions: 6, OpenSessionsContended: 4, OpenSessionsPerSource: 2})
	var releases []func()
	take := func(key string, want error) {
		t.Helper()
		rel, err := s.acquire(key)
		if !errors.Is(err, want) {
			t.Fatalf("%s: %v, want %v", key, err, want)
		}
		if err == nil {
			releases = append(releases, rel)
		}
	}
	// A crowd behind one address gets in while the server has room...
	for range 4 {
		take("crowd", nil)
	}
	// ...then it is held to its share, while others still get in.
	take("crowd", ErrOverShare)
	take("other", nil)
	take("other", nil)
	take("third", ErrServerFull)
	releases[0]()
	releases[0]() // twice is harmless
	take("third", nil)
	if s.open() != 6 {
		t.Fatalf("%d open, want 6", s.open())
	}
	for _, r := range releases {
		r()
	}
	if s.open() != 0 || len(s.perSrc) != 0 {
		t.Fatalf("after release: %d open, %v", s.open(), s.perSrc)
	}
}

// TestFloodFromOneAddress: 1,000 rapid connections from 127.0.0.1 are
// refused at accept (bar the burst), while a visitor from 127.0.0.2 gets
// through the whole handshake and its first output quickly.
func TestFloodFromOneAddress(t *testing.T) {
	g := newGuard(t, Config{RateLimit: rate.Limit(1), Tune: func(l *Limits) {
		l.RateBurst, l.MaxStartupsPerSource, l.HandshakeTimeout = 10, 4, 2*time.Second
	}})
	addr := startServer(t, g, func(s ssh.Session) { _, _ = io.WriteString(s, "hello\n") })
	if !canBind("127.0.0.2") {
		t.Skip("127.0.0.2 is not usable here")
	}
	const flood, workers = 1000, 32
	var refused, served atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	floodStart := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, Timeout: 2 * time.Second}
			buf := make([]byte, 64)
			for next.Add(1) <= flood {
				c, err := d.Dial("tcp", addr)
				if err != nil {
					refused.Add(1)
					continue
				}
				_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
				if n, _ := c.Read(buf); n > 0 {
					served.Add(1) // got the server's version line
				} else {
					refused.Add(1)
				}
				_ = c.Close()
			}
		}()
	}
	// Meanwhile, visitors from 127.0.0.2, one after the other for as long
	// as the flood lasts, up to 8 (127.0.0.2 has a burst of 10 too).
	floodDone := make(chan struct{})
	go func() { wg.Wait(); close(floodDone) }()
	var worst time.Duration
	visits := 0
	conf := clientConfig()
	for flooding := true; flooding && visits < 8; {
		select {
		case <-floodDone:
			flooding = false
			continue
		default:
		}
		start := time.Now()
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, Timeout: 5 * time.Second}
		nc, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("visitor %d: %v", visits, err)
		}
		cc, chans, reqs, err := sshClientConn(nc, addr, conf)
		if err != nil {
			t.Fatalf("visitor %d handshake: %v", visits, err)
		}
		out, err := firstOutput(cc, chans, reqs)
		if err != nil || out != "hello\n" {
			t.Fatalf("visitor %d: %q, %v", visits, out, err)
		}
		worst = max(worst, time.Since(start))
		visits++
	}
	wg.Wait()
	floodTime := time.Since(floodStart)
	st := g.Stats()
	t.Logf("flood: %d connections from 127.0.0.1 in %v: %d got a version line, %d refused at accept (rate %d, startups %d)",
		flood, floodTime.Round(time.Millisecond), served.Load(), refused.Load(), st.RateLimited, st.StartupsRefused)
	t.Logf("visitors from 127.0.0.2: %d full SSH sessions during the flood, slowest first output %v", visits, worst.Round(time.Millisecond))
	if visits < 2 {
		t.Fatalf("only %d visits during the flood", visits)
	}
	if served.Load() > 20 {
		t.Fatalf("%d flood connections got to the handshake; the limiter lets through about the burst", served.Load())
	}
	if worst > time.Second {
		t.Fatalf("visitor took %v during the flood", worst)
	}
	if floodTime > 20*time.Second {
		t.Fatalf("flood took %v", floodTime)
	}
}

func canBind(ip string) bool {
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		return false
	}
	_ = ln.Close()
	return true
}

// TestStartupSlotFreedOnAuth: a connection stops counting as a startup
// once it has authenticated (method "none", as the portfolio's visitors
// do), and a silent one gives its slot back when it is dropped.
func TestStartupSlotFreedOnAuth(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) {
		l.MaxStartups, l.StartupsContended, l.MaxStartupsPerSource, l.HandshakeTimeout = 1, 1, 1, 200*time.Millisecond
	}})
	addr := startServer(t, g, holdHandler)
	inFlight := func() int {
		g.adm.mu.Lock()
		defer g.adm.mu.Unlock()
		return g.adm.inFlight
	}
	c1 := dial(t, addr)
	if n := inFlight(); n != 0 {
		t.Fatalf("%d startups in flight after authentication", n)
	}
	// The slot is free: a second client from the same address gets in.
	dial(t, addr)
	// A silent client holds the only slot until the handshake timeout...
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	waitUntil(t, "the silent client takes the slot", 5*time.Second, func() bool { return inFlight() == 1 })
	if _, err := gossh.Dial("tcp", addr, clientConfig()); err == nil {
		t.Fatal("a second startup from the same source was admitted")
	}
	// ...and gives it back when dropped.
	readClosed(t, silent, 3*time.Second)
	waitUntil(t, "the dropped client gives the slot back", 5*time.Second, func() bool { return inFlight() == 0 })
	dial(t, addr)
	_ = c1
}
