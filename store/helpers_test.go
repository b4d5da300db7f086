package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"portfolio/store/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// engines runs f against a fresh database of each engine: a SQLite file and a PostgreSQL
// database on the shared throw-away cluster.
func engines(t *testing.T, f func(t *testing.T, s *Store)) {
	t.Helper()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			f(t, openTest(t, engine))
		})
	}
}

func openTest(t testing.TB, engine string) *Store {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "test.db")
	if engine == "postgres" {
		dsn = pgtest.Start(t)
	}
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open(%s): %v", engine, err)
	}
	t.Cleanup(func() { s.Close() })
	if s.Engine() != engine {
		t.Fatalf("Engine() = %q, want %q", s.Engine(), engine)
	}
	return s
}

// t0 is a fixed "now" for the tests: the limits are about time, and the tests say which.
var t0 = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// fill inserts n messages directly (not through TakeMessage, which the limits would stop),
// each from its own source, at the given time and status, in one statement.
func fill(t testing.TB, s *Store, n int, status string, at time.Time) {
	t.Helper()
	prefix := fmt.Sprintf("fill-%d-", fills.Add(1))
	_, err := s.db.Exec(`INSERT INTO messages (at, text, status, source_hash, text_hash, code_hash)
		WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $1)
		SELECT $2, 'filler', $3, CAST($4 AS TEXT) || n, CAST($4 AS TEXT) || n, CAST($4 AS TEXT) || n FROM seq`,
		n, micro(at), status, prefix)
	if err != nil {
		t.Fatal(err)
	}
}

// fills numbers the calls of fill, whose rows must not collide.
var fills atomic.Int64

// count counts the rows of a table that a condition (without parameters) selects.
func count(t *testing.T, s *Store, table, where string) int {
	t.Helper()
	var n int
	q := "SELECT count(*) FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	if err := s.db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// take sends a message from source with text and fails the test on any error.
func take(t *testing.T, s *Store, d Draft, now time.Time) (int64, string) {
	t.Helper()
	id, code, err := s.TakeMessage(context.Background(), d, now)
	if err != nil {
		t.Fatalf("TakeMessage(%+v): %v", d, err)
	}
	return id, code
}
