package deploy

import (
	"testing"
	"time"

	"portfolio/config"
	"portfolio/server"
)

// The server's own defaults, used when neither the image nor fly.toml sets
// the variable. Kept in one place so a change in the server's Config shows
// up here and nowhere else.

func serverMaxSessions() int { return server.Defaults().MaxSessions }

func serverShutdownTimeout() time.Duration { return server.Defaults().ShutdownTimeout }

// TestDeployEnvIsAValidServerConfig reads the environment the machine gets (the image's
// ENV under fly.toml's [env]) through the server's own settings table, the way the binary
// does at start, so a typo in a deploy file (a bad value, or a name that is no setting)
// fails here, not on a machine.
func TestDeployEnvIsAValidServerConfig(t *testing.T) {
	f := load(t)
	environ := []string{"PORTFOLIO_HOST_KEY=from the PORTFOLIO_HOST_KEY secret"}
	for key, val := range f.env {
		environ = append(environ, key+"="+val)
	}
	loaded, err := config.Load(nil, environ)
	if err != nil {
		t.Fatalf("the deployed environment would not start the server: %v", err)
	}
	for _, u := range loaded.Unknown {
		t.Errorf("deploy files: %s", u)
	}
	cfg := loaded.Config
	if cfg.HTTPAddr == "" {
		t.Error("PORTFOLIO_HTTP_ADDR is not set: the /healthz check and [metrics] would find nothing")
	}
	if cfg.LogFormat != "json" {
		t.Errorf("PORTFOLIO_LOG_FORMAT=%s: `fly logs --json` and portfolio stats want json", cfg.LogFormat)
	}
}
