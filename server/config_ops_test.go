package server

import (
	"strings"
	"testing"
	"time"

	"portfolio/server/frontproxy"
)

func TestOpsDefaults(t *testing.T) {
	c := Defaults()
	if c.HTTPAddr != "" || c.LogMaskAddr || c.ProxyTrusted != "" {
		t.Errorf("HTTP, masking and trusted ranges must be off by default: %+v", c)
	}
	if m, err := c.ProxyMode(); err != nil || m != frontproxy.Off {
		t.Errorf("PROXY protocol default %v %v, want off (so ssh -p 23234 localhost works)", m, err)
	}
	if c.ShutdownTimeout != 20*time.Second {
		t.Errorf("shutdown timeout %v, want 20s", c.ShutdownTimeout)
	}
}

func TestOpsValidate(t *testing.T) {
	ok := []func(*Config){
		func(c *Config) { c.HTTPAddr = ":9091" },
		func(c *Config) { c.HTTPAddr = "127.0.0.1:0"; c.Addr = "127.0.0.1:0" },
		func(c *Config) { c.ProxyProtocol = "v1" },
		func(c *Config) { c.ProxyProtocol = "v2"; c.ProxyTrusted = "10.0.0.0/8, fdaa::/16 172.16.0.1" },
		func(c *Config) { c.ProxyProtocol = "any" },
		func(c *Config) { c.ProxyProtocol = "" },
		func(c *Config) { c.LogMaskAddr = true },
	}
	for i, mut := range ok {
		c := Defaults()
		mut(&c)
		if err := c.Validate(); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
	bad := []struct {
		mut  func(*Config)
		want []string
	}{
		{func(c *Config) { c.ShutdownTimeout = 0 }, []string{"PORTFOLIO_SHUTDOWN_TIMEOUT", "0s"}},
		{func(c *Config) { c.ShutdownTimeout = -time.Second }, []string{"PORTFOLIO_SHUTDOWN_TIMEOUT", "-1s"}},
		{func(c *Config) { c.HTTPAddr = "9091" }, []string{"PORTFOLIO_HTTP_ADDR", `"9091"`}},
		{func(c *Config) { c.HTTPAddr = ":23234" }, []string{"PORTFOLIO_HTTP_ADDR", "PORTFOLIO_ADDR"}},
		{func(c *Config) { c.ProxyProtocol = "v3" }, []string{"PORTFOLIO_PROXY_PROTOCOL", `"v3"`}},
		{func(c *Config) { c.ProxyProtocol = "v2"; c.ProxyTrusted = "10.0.0.0/33" }, []string{"PORTFOLIO_PROXY_TRUSTED", "10.0.0.0/33"}},
		{func(c *Config) { c.ProxyProtocol = "v2"; c.ProxyTrusted = "fly" }, []string{"PORTFOLIO_PROXY_TRUSTED", "fly"}},
		{func(c *Config) { c.ProxyTrusted = "10.0.0.0/8" }, []string{"PORTFOLIO_PROXY_TRUSTED", "PORTFOLIO_PROXY_PROTOCOL", "off"}},
	}
	for _, tt := range bad {
		c := Defaults()
		tt.mut(&c)
		err := c.Validate()
		if err == nil {
			t.Errorf("accepted %+v", c)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q does not name %q", err, w)
			}
		}
	}
}
