package deploy

import (
	"path"
	"strings"
	"testing"
)

// TestDatabaseOnTheVolume: the SQLite file the server writes lies on a volume fly.toml
// mounts, so messages outlive a deploy; a PostgreSQL URL would need none, and belongs in a
// secret, not in the files.
func TestDatabaseOnTheVolume(t *testing.T) {
	f := load(t)
	dsn := f.mustEnv(t, "PORTFOLIO_DATABASE")
	if strings.Contains(dsn, "://") {
		t.Fatalf("PORTFOLIO_DATABASE=%q in the files: a database URL carries a password; set it with fly secrets set", dsn)
	}
	file := path.Clean(strings.TrimPrefix(dsn, "sqlite:"))
	if !path.IsAbs(file) {
		t.Fatalf("PORTFOLIO_DATABASE=%q: want an absolute path on the volume, not one under the working directory", dsn)
	}
	if len(f.fly.Mounts) != 1 {
		t.Fatalf("fly.toml has %d [[mounts]]; want the one volume the SQLite file lives on", len(f.fly.Mounts))
	}
	m := f.fly.Mounts[0]
	if m.Source == "" || !strings.HasPrefix(file, path.Clean(m.Destination)+"/") {
		t.Errorf("PORTFOLIO_DATABASE=%q is not on the volume %q mounted at %q: messages would be lost with the machine", dsn, m.Source, m.Destination)
	}
}
