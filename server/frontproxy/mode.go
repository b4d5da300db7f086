package frontproxy

import (
	"fmt"
	"net/netip"
	"strings"
)

// Mode says whether a PROXY header is required and which versions count.
type Mode int

const (
	// Off accepts plain connections; RemoteAddr is the TCP peer. This is the
	// default so that `ssh -p 23234 localhost` works without a proxy.
	Off Mode = iota
	// V1 requires the human-readable v1 header ("PROXY TCP4 ...\r\n").
	V1
	// V2 requires the binary v2 header. Fly.io's proxy_proto handler sends
	// this with proxy_proto_options = { version = "v2" }.
	V2
	// Any requires a header of either version.
	Any
)

// String returns the setting's spelling, the inverse of ParseMode.
func (m Mode) String() string {
	switch m {
	case Off:
		return "off"
	case V1:
		return "v1"
	case V2:
		return "v2"
	case Any:
		return "any"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode reads a PORTFOLIO_PROXY_PROTOCOL value: off, v1, v2 or any.
// Booleans are accepted too: false/no/0 mean off and true/yes/on/1 mean any,
// so a plain "on" keeps working whichever version the proxy sends.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "off", "false", "no", "0":
		return Off, nil
	case "v1", "1.0":
		return V1, nil
	case "v2", "2.0":
		return V2, nil
	case "any", "on", "true", "yes", "1":
		return Any, nil
	}
	return Off, fmt.Errorf("proxy protocol %q: want off, v1, v2 or any", s)
}

// ParseTrusted reads a PORTFOLIO_PROXY_TRUSTED value: CIDR ranges or single
// addresses separated by commas or spaces. An empty value means no
// restriction on the source.
func ParseTrusted(s string) ([]netip.Prefix, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	out := make([]netip.Prefix, 0, len(fields))
	for _, f := range fields {
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("proxy trusted range %q: %w", f, err)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("proxy trusted address %q: %w", f, err)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
