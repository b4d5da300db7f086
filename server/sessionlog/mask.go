package sessionlog

import (
	"net"
	"net/netip"
)

// MaskAddr returns the network an address belongs to: its IPv4 /24 or IPv6 /48, without the
// port. Something that is not an IP address is replaced entirely.
func MaskAddr(a net.Addr) string {
	var ip netip.Addr
	switch t := a.(type) {
	case *net.TCPAddr:
		ip, _ = netip.AddrFromSlice(t.IP)
	default:
		if ap, err := netip.ParseAddrPort(a.String()); err == nil {
			ip = ap.Addr()
		} else if p, err := netip.ParseAddr(a.String()); err == nil {
			ip = p
		}
	}
	return maskIP(ip)
}

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
