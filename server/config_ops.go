package server

import (
	"fmt"
	"net"
	"strings"

	"portfolio/server/frontproxy"
)

// ProxyMode is the parsed ProxyProtocol setting.
func (c Config) ProxyMode() (frontproxy.Mode, error) {
	m, err := frontproxy.ParseMode(c.ProxyProtocol)
	if err != nil {
		return frontproxy.Off, fmt.Errorf("PORTFOLIO_PROXY_PROTOCOL %q: want off, v1, v2 or any", c.ProxyProtocol)
	}
	return m, nil
}

// validateObservability checks the deployment settings: the HTTP address, the PROXY
// protocol policy and its trusted ranges.
func (c Config) validateObservability() error {
	if c.HTTPAddr != "" {
		_, port, err := net.SplitHostPort(c.HTTPAddr)
		if err != nil || port == "" {
			return fmt.Errorf("PORTFOLIO_HTTP_ADDR %q is not a listen address such as :9091 or 127.0.0.1:9091", c.HTTPAddr)
		}
		if c.HTTPAddr == c.Addr && port != "0" {
			return fmt.Errorf("PORTFOLIO_HTTP_ADDR %q is the same as PORTFOLIO_ADDR", c.HTTPAddr)
		}
	}
	mode, err := c.ProxyMode()
	if err != nil {
		return err
	}
	trusted, err := frontproxy.ParseTrusted(c.ProxyTrusted)
	if err != nil {
		return fmt.Errorf("PORTFOLIO_PROXY_TRUSTED %q: %w", c.ProxyTrusted, err)
	}
	if mode == frontproxy.Off && len(trusted) > 0 {
		return fmt.Errorf("PORTFOLIO_PROXY_TRUSTED %q is set but PORTFOLIO_PROXY_PROTOCOL is %q: trusted ranges need the PROXY protocol on",
			strings.TrimSpace(c.ProxyTrusted), c.ProxyProtocol)
	}
	return nil
}
