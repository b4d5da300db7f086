package deploy

import (
	"time"

	"portfolio/server"
)

// The server's own defaults, used when neither the image nor fly.toml sets
// the variable. Kept in one place so a change in the server's Config shows
// up here and nowhere else.

func serverMaxSessions() int { return server.Defaults().MaxSessions }

func serverShutdownTimeout() time.Duration { return server.Defaults().ShutdownTimeout }
