package config

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"portfolio/server"
	"portfolio/server/guard"
)

// TestREADMEHardeningListsTheFixedLimits: the README's Hardening table states each of the
// guard's fixed limits as the constant has it, so changing a constant without its README row
// fails here.
func TestREADMEHardeningListsTheFixedLimits(t *testing.T) {
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	section, _, _ := strings.Cut(string(readme)[strings.Index(string(readme), "## Hardening"):], "\nAlgorithms")
	d := shortDuration
	size := func(n int) string { return strings.Replace(server.ByteSize(n).String(), "KiB", " KiB", 1) }
	for _, want := range []string{
		fmt.Sprintf("burst %d,", guard.RateBurst),
		fmt.Sprintf("pays %d more", guard.PenaltyTokens),
		fmt.Sprintf("%d,%03d sources remembered", guard.MaxSources/1000, guard.MaxSources%1000),
		fmt.Sprintf("%d in total; from %d on, %d per source", guard.MaxStartups, guard.StartupsContended, guard.MaxStartupsPerSource),
		fmt.Sprintf("%s until the client's KEXINIT, then %s from accept", d(guard.HandshakeTimeout), d(guard.LoginGrace)),
		fmt.Sprintf("%d failed attempts", guard.MaxAuthTries),
		fmt.Sprintf("closed after %s;", d(guard.NoSessionTimeout)),
		fmt.Sprintf("%d session channels per connection at once, %d in its life", guard.MaxSessions, guard.MaxSessionsTotal),
		fmt.Sprintf("env: %d per session, %s each; TERM: %d bytes; exec: %s;", guard.MaxEnv, size(guard.MaxEnvBytes), guard.MaxTermBytes, size(guard.MaxCommandBytes)),
		fmt.Sprintf("| Window size | %dx%d:", guard.MaxWidth, guard.MaxHeight),
		fmt.Sprintf("one size per %s,", d(guard.ResizeInterval)),
		fmt.Sprintf("cut %s later", d(guard.MaxSessionGrace)),
		fmt.Sprintf("every %s, dropped after %d unanswered", d(guard.KeepaliveInterval), guard.KeepaliveMaxMissed),
		fmt.Sprintf("a write blocked %s ", d(guard.WriteTimeout)),
		fmt.Sprintf("%s/s per connection, at most %s read at once", size(guard.ReadRate), size(guard.ReadBurst)),
	} {
		if !strings.Contains(section, want) {
			t.Errorf("README's Hardening table lacks %q", want)
		}
	}
}
