package frontproxy

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	proxyproto "github.com/pires/go-proxyproto"
)

type rejection struct {
	peer net.Addr
	err  error
}

// harness is a wrapped loopback listener whose accepted connections and
// rejections arrive on channels.
type harness struct {
	ln       net.Listener
	accepted chan net.Conn
	rejected chan rejection
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{accepted: make(chan net.Conn, 16), rejected: make(chan rejection, 16)}
	cfg.OnReject = func(peer net.Addr, err error) { h.rejected <- rejection{peer, err} }
	h.ln, err = Wrap(inner, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.ln.Close() })
	go func() {
		for {
			c, err := h.ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = c.Close() })
			h.accepted <- c
		}
	}()
	return h
}

// waitPending waits until ln is reading the header of n connections. The listener announces
// no such moment, so it is asked every millisecond, for at most 5 s.
func waitPending(t *testing.T, ln net.Listener, n int) {
	t.Helper()
	l := ln.(*listener)
	count := func() int {
		l.mu.Lock()
		defer l.mu.Unlock()
		return len(l.pending)
	}
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.After(5 * time.Second)
	for count() != n {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("%d connections pending, want %d", count(), n)
		}
	}
}

func (h *harness) dial(t *testing.T, first []byte) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", h.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if len(first) > 0 {
		if _, err := c.Write(first); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func (h *harness) wantAccepted(t *testing.T) net.Conn {
	t.Helper()
	select {
	case c := <-h.accepted:
		return c
	case r := <-h.rejected:
		t.Fatalf("rejected (%v), want accepted", r.err)
	case <-time.After(3 * time.Second):
		t.Fatal("nothing accepted within 3s")
	}
	return nil
}

func (h *harness) wantRejected(t *testing.T, within time.Duration) rejection {
	t.Helper()
	select {
	case c := <-h.accepted:
		t.Fatalf("accepted from %v, want rejected", c.RemoteAddr())
	case r := <-h.rejected:
		return r
	case <-time.After(within):
		t.Fatalf("nothing rejected within %v", within)
	}
	return rejection{}
}

// wantClosedByServer checks the client side sees the connection end.
func wantClosedByServer(t *testing.T, c net.Conn) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
	_, err := c.Read(make([]byte, 1))
	if err == nil {
		t.Fatal("server sent data on a rejected connection")
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("rejected connection left open")
	}
}

func v2Header(t *testing.T, cmd proxyproto.ProtocolVersionAndCommand, src, dst string) []byte {
	t.Helper()
	if src == "" {
		// A LOCAL header with no addresses: signature, version 2 + LOCAL,
		// family UNSPEC, length 0. (Header.Format refuses to write it.)
		sig := []byte("\r\n\r\n\x00\r\nQUIT\n")
		return append(sig, 0x20|byte(cmd&0x0f), 0x00, 0x00, 0x00)
	}
	h := &proxyproto.Header{Version: 2, Command: cmd, TransportProtocol: proxyproto.TCPv4}
	{
		s := net.TCPAddrFromAddrPort(netip.MustParseAddrPort(src))
		d := net.TCPAddrFromAddrPort(netip.MustParseAddrPort(dst))
		h.SourceAddr, h.DestinationAddr = s, d
		if s.IP.To4() == nil {
			h.TransportProtocol = proxyproto.TCPv6
		}
	}
	b, err := h.Format()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const banner = "SSH-2.0-OpenSSH_9.6\r\n"

func TestAcceptsHeaderAndPassesPayload(t *testing.T) {
	tests := []struct {
		name   string
		mode   Mode
		header []byte
		want   string
	}{
		{"v1 tcp4", V1, []byte("PROXY TCP4 203.0.113.7 10.0.0.1 51234 2222\r\n"), "203.0.113.7:51234"},
		{"v1 tcp6 under any", Any, []byte("PROXY TCP6 2001:db8::7 2001:db8::1 40000 2222\r\n"), "[2001:db8::7]:40000"},
		{"v2 tcp4", V2, v2Header(t, proxyproto.PROXY, "198.51.100.9:60001", "10.0.0.1:2222"), "198.51.100.9:60001"},
		{"v2 tcp6 under any", Any, v2Header(t, proxyproto.PROXY, "[2001:db8::9]:60002", "[2001:db8::1]:2222"), "[2001:db8::9]:60002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Config{Mode: tt.mode})
			client := h.dial(t, append(append([]byte{}, tt.header...), banner...))
			c := h.wantAccepted(t)
			if got := c.RemoteAddr().String(); got != tt.want {
				t.Errorf("RemoteAddr = %s, want %s", got, tt.want)
			}
			// The bytes after the header reach the server untouched ...
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil || line != banner {
				t.Errorf("payload = %q, %v; want %q", line, err, banner)
			}
			// ... and the server can answer.
			if _, err := io.WriteString(c, "SSH-2.0-portfolio\r\n"); err != nil {
				t.Fatal(err)
			}
			got, err := bufio.NewReader(client).ReadString('\n')
			if err != nil || got != "SSH-2.0-portfolio\r\n" {
				t.Errorf("client read %q, %v", got, err)
			}
		})
	}
}

func TestRejects(t *testing.T) {
	tests := []struct {
		name    string
		mode    Mode
		first   []byte
		wantErr error // nil: any error
	}{
		{"missing header", Any, []byte(banner), proxyproto.ErrNoProxyProtocol},
		{"missing header v2 mode", V2, []byte(banner), proxyproto.ErrNoProxyProtocol},
		{"malformed v1 address", Any, []byte("PROXY TCP4 999.1.1.1 10.0.0.1 1 2222\r\n" + banner), nil},
		{"malformed v1 ports", V1, []byte("PROXY TCP4 203.0.113.7 10.0.0.1 port 2222\r\n" + banner), nil},
		{"truncated v2", V2, v2Header(t, proxyproto.PROXY, "198.51.100.9:1", "10.0.0.1:2222")[:20], nil},
		{"v1 when v2 expected", V2, []byte("PROXY TCP4 203.0.113.7 10.0.0.1 51234 2222\r\n" + banner), ErrVersion},
		{"v2 when v1 expected", V1, append(v2Header(t, proxyproto.PROXY, "198.51.100.9:1", "10.0.0.1:2222"), banner...), ErrVersion},
		{"v2 LOCAL", Any, append(v2Header(t, proxyproto.LOCAL, "", ""), banner...), ErrNoAddress},
		{"v1 UNKNOWN", Any, []byte("PROXY UNKNOWN\r\n" + banner), ErrNoAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Config{Mode: tt.mode, HeaderTimeout: 500 * time.Millisecond})
			client := h.dial(t, tt.first)
			r := h.wantRejected(t, 3*time.Second)
			if r.err == nil || (tt.wantErr != nil && !errors.Is(r.err, tt.wantErr)) {
				t.Errorf("reject reason = %v, want %v", r.err, tt.wantErr)
			}
			if r.peer.String() != client.LocalAddr().String() {
				t.Errorf("reject peer = %v, want the TCP peer %v", r.peer, client.LocalAddr())
			}
			wantClosedByServer(t, client)
		})
	}
}

func TestSilentPeerTimesOutWithoutBlockingOthers(t *testing.T) {
	h := newHarness(t, Config{Mode: V2, HeaderTimeout: 400 * time.Millisecond})
	silent := h.dial(t, nil)
	start := time.Now()
	// A well-behaved connection behind the silent one is served at once.
	h.dial(t, append(v2Header(t, proxyproto.PROXY, "198.51.100.1:1000", "10.0.0.1:2222"), banner...))
	if c := h.wantAccepted(t); c.RemoteAddr().String() != "198.51.100.1:1000" {
		t.Errorf("RemoteAddr = %v", c.RemoteAddr())
	}
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Errorf("second connection waited %v behind a silent one", d)
	}
	r := h.wantRejected(t, 3*time.Second)
	if !errors.Is(r.err, proxyproto.ErrNoProxyProtocol) {
		t.Errorf("silent peer reason = %v", r.err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("silent peer dropped after %v, before the header timeout", d)
	}
	wantClosedByServer(t, silent)
}

func TestTrustedRanges(t *testing.T) {
	t.Run("outside", func(t *testing.T) {
		h := newHarness(t, Config{Mode: Any, Trusted: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
		client := h.dial(t, []byte("PROXY TCP4 203.0.113.7 10.0.0.1 51234 2222\r\n"+banner))
		if r := h.wantRejected(t, 3*time.Second); !errors.Is(r.err, ErrUntrusted) {
			t.Errorf("reason = %v, want ErrUntrusted", r.err)
		}
		wantClosedByServer(t, client)
	})
	t.Run("inside", func(t *testing.T) {
		trusted, err := ParseTrusted("10.0.0.0/8, 127.0.0.0/8")
		if err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, Config{Mode: Any, Trusted: trusted})
		h.dial(t, []byte("PROXY TCP4 203.0.113.7 10.0.0.1 51234 2222\r\n"+banner))
		if c := h.wantAccepted(t); c.RemoteAddr().String() != "203.0.113.7:51234" {
			t.Errorf("RemoteAddr = %v", c.RemoteAddr())
		}
	})
}

func TestBusyWhenTooManyPending(t *testing.T) {
	h := newHarness(t, Config{Mode: Any, MaxPending: 1, HeaderTimeout: 2 * time.Second})
	h.dial(t, nil) // holds the only slot
	waitPending(t, h.ln, 1)
	client := h.dial(t, nil)
	if r := h.wantRejected(t, time.Second); !errors.Is(r.err, ErrBusy) {
		t.Errorf("reason = %v, want ErrBusy", r.err)
	}
	wantClosedByServer(t, client)
}

func TestCloseEndsAcceptAndPending(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rejected := make(chan error, 4)
	ln, err := Wrap(inner, Config{Mode: Any, HeaderTimeout: time.Minute,
		OnReject: func(_ net.Addr, err error) { rejected <- err }})
	if err != nil {
		t.Fatal(err)
	}
	acceptErr := make(chan error, 1)
	go func() {
		_, err := ln.Accept()
		acceptErr <- err
	}()
	pending, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer pending.Close()
	waitPending(t, ln, 1)
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ln.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	select {
	case err := <-acceptErr:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("Accept after Close = %v, want net.ErrClosed", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Accept still blocked after Close")
	}
	wantClosedByServer(t, pending)
	select {
	case err := <-rejected:
		t.Errorf("Close reported as a rejection: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestOffLeavesListenerAlone(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	ln, err := Wrap(inner, Config{Mode: Off})
	if err != nil || ln != inner {
		t.Fatalf("Wrap(Off) = %v, %v; want the same listener", ln, err)
	}
	if _, err := Wrap(inner, Config{Mode: Off, Trusted: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}); err == nil {
		t.Error("trusted ranges with the protocol off: want an error")
	}
}

func TestParseMode(t *testing.T) {
	tests := []struct {
		in   string
		want Mode
		ok   bool
	}{
		{"", Off, true}, {"off", Off, true}, {"false", Off, true}, {"0", Off, true},
		{"v1", V1, true}, {"V2", V2, true}, {" any ", Any, true}, {"true", Any, true}, {"on", Any, true},
		{"v3", Off, false}, {"maybe", Off, false},
	}
	for _, tt := range tests {
		got, err := ParseMode(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseMode(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), tt.in) {
			t.Errorf("error %q does not name the value %q", err, tt.in)
		}
		if tt.ok {
			if back, _ := ParseMode(got.String()); back != got {
				t.Errorf("ParseMode(%v.String()) = %v", got, back)
			}
		}
	}
}

func TestParseTrusted(t *testing.T) {
	got, err := ParseTrusted("10.0.0.1/8, fdaa::/16 192.0.2.5")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "fdaa::/16", "192.0.2.5/32"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("[%d] = %v, want %s", i, got[i], want[i])
		}
	}
	if p, err := ParseTrusted("  "); err != nil || len(p) != 0 {
		t.Errorf("empty = %v, %v", p, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0.0/8,,nope"} {
		if _, err := ParseTrusted(bad); err == nil {
			t.Errorf("ParseTrusted(%q): want an error", bad)
		}
	}
}
