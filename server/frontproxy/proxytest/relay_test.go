package proxytest_test

import (
	"bufio"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"portfolio/server/frontproxy"
	"portfolio/server/frontproxy/proxytest"
)

func TestRelayGivesTheClaimedAddress(t *testing.T) {
	for _, v := range []byte{1, 2} {
		inner, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ln, err := frontproxy.Wrap(inner, frontproxy.Config{Mode: frontproxy.Any, HeaderTimeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		src := netip.MustParseAddrPort("[2001:db8::42]:50000")
		relay := proxytest.NewRelay(t, ln.Addr().String(), v, src)

		go func() {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			_, _ = io.WriteString(c, c.RemoteAddr().String()+"\n")
			_, _ = io.Copy(io.Discard, c)
		}()
		c, err := net.Dial("tcp", relay.Addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(3 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		c.Close()
		if err != nil || line != src.String()+"\n" {
			t.Errorf("v%d: server saw %q, %v; want %s", v, line, err, src)
		}
	}
}
