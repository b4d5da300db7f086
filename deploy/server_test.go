package deploy

import (
	"strconv"
	"testing"
	"time"

	"portfolio/server"
)

// The server's own defaults, used when neither the image nor fly.toml sets
// the variable. Kept in one place so a change in the server's Config shows
// up here and nowhere else.

func serverMaxSessions() int { return server.Defaults().MaxSessions }

func serverShutdownTimeout() time.Duration { return server.Defaults().ShutdownTimeout }

// TestDeployEnvIsAValidServerConfig applies the environment the machine gets (the image's
// ENV under fly.toml's [env]) to the server's defaults and validates it the way the server
// does at start, so a typo in a deploy file fails here, not on a machine.
func TestDeployEnvIsAValidServerConfig(t *testing.T) {
	f := load(t)
	cfg := server.Defaults()
	cfg.HostKeyPEM = "from the PORTFOLIO_HOST_KEY secret"
	for key, val := range f.env {
		var err error
		switch key {
		case "PORTFOLIO_ADDR":
			cfg.Addr = val
		case "PORTFOLIO_HTTP_ADDR":
			cfg.HTTPAddr = val
		case "PORTFOLIO_PROXY_PROTOCOL":
			cfg.ProxyProtocol = val
		case "PORTFOLIO_PROXY_TRUSTED":
			cfg.ProxyTrusted = val
		case "PORTFOLIO_LOG_FORMAT":
			cfg.LogFormat = val
		case "PORTFOLIO_LOG_LEVEL":
			cfg.LogLevel = val
		case "PORTFOLIO_MAX_SESSIONS":
			cfg.MaxSessions, err = strconv.Atoi(val)
		case "PORTFOLIO_MEMORY_BUDGET":
			cfg.MemoryBudget, err = server.ParseByteSize(val)
		case "PORTFOLIO_SHUTDOWN_TIMEOUT":
			cfg.ShutdownTimeout, err = time.ParseDuration(val)
		case "PORTFOLIO_LOG_MASK_ADDR", "PORTFOLIO_HOST_KEY_GENERATE":
			_, err = strconv.ParseBool(val)
		}
		if err != nil {
			t.Errorf("%s=%q: %v", key, val, err)
		}
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("the deployed environment would not start the server: %v", err)
	}
	if cfg.HTTPAddr == "" {
		t.Error("PORTFOLIO_HTTP_ADDR is not set: the /healthz check and [metrics] would find nothing")
	}
	if cfg.LogFormat != "json" {
		t.Errorf("PORTFOLIO_LOG_FORMAT=%s: `fly logs --json` and portfolio stats want json", cfg.LogFormat)
	}
}
