package main

import (
	"fmt"
	"net"
	"net/netip"
)

// checkLoopback refuses any address that is not a literal loopback IP (127.0.0.0/8 or ::1)
// with a port. Names are refused too, even "localhost": resolving one could land anywhere,
// and a load tool must never be pointed at someone else's machine by accident.
func checkLoopback(hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		return fmt.Errorf("address %q: %w", hostport, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("address %q: host must be a loopback IP literal (127.0.0.0/8 or ::1)", hostport)
	}
	if !ip.Unmap().IsLoopback() {
		return fmt.Errorf("address %q: refusing a non-loopback target; only 127.0.0.0/8 and ::1 are allowed", hostport)
	}
	return nil
}
