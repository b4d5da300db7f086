// Package deploy reads the deployment files at the repository root (the
// Dockerfile and fly.toml) with real parsers, so that its tests can check
// them against each other and against the server's settings: ports, user,
// stop signal and deadline, PROXY protocol, health check, limits.
package deploy
