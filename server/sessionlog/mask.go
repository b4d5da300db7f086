package sessionlog

import (
	"net"
	"net/netip"

	"portfolio/server/guard"
)

// MaskAddr returns the network an address belongs to: its IPv4 /24 or IPv6 /48, without the
// port. Something that is not an IP address and port is replaced entirely. It reads the
// address the way the limits do (guard.SourceKey), and cuts that key shorter.
func MaskAddr(a net.Addr) string { return maskSourceKey(guard.SourceKey(a)) }

// maskIP is MaskAddr for an address already parsed; an invalid one becomes "masked".
func maskIP(ip netip.Addr) string {
	if !ip.IsValid() {
		return "masked"
	}
	ip = ip.Unmap()
	bits := 48
	if ip.Is4() {
		bits = 24
	}
	p, _ := ip.Prefix(bits)
	return p.String()
}
