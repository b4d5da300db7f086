package sessionlog

import (
	"net"
	"testing"
)

type addrString string

func (a addrString) Network() string { return "tcp" }
func (a addrString) String() string  { return string(a) }

func TestMaskAddr(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7:51234":          "203.0.113.0/24",
		"[2001:db8:1:2::7]:22":       "2001:db8:1::/48",
		"[::ffff:198.51.100.9]:4000": "198.51.100.0/24",
		"10.1.2.3":                   "masked", // no port: not a connection's address
		"not-an-address":             "masked",
	} {
		if got := MaskAddr(addrString(in)); got != want {
			t.Errorf("MaskAddr(%s) = %s, want %s", in, got, want)
		}
	}
	tcp := &net.TCPAddr{IP: net.ParseIP("192.0.2.200"), Port: 9}
	if got := MaskAddr(tcp); got != "192.0.2.0/24" {
		t.Errorf("MaskAddr(%v) = %s", tcp, got)
	}
}
