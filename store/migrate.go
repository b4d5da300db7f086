package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations is the schema's history, oldest first. Each is migrations/NNNN_NAME.sql, or
// NNNN_NAME_sqlite.sql and NNNN_NAME_postgres.sql where the engines differ. Never edit a
// released one: add the next.
var migrations = []string{
	"0001_create_tables",
}

// migrationLock is the PostgreSQL advisory lock key held while migrating, so machines of a
// fleet starting together apply each migration once ("portfolio" in ASCII, truncated).
const migrationLock = 0x706f7274666f6c

// migrate applies the migrations not yet recorded in schema_migrations, each in its own
// transaction with its record.
func (s *Store) migrate(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.migrated {
		return nil
	}
	for i, name := range migrations {
		if err := s.apply(ctx, i+1, name); err != nil {
			return err
		}
	}
	s.migrated = true
	return nil
}

func (s *Store) apply(ctx context.Context, version int, name string) error {
	text, err := s.migrationText(name)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return unavailable(err)
	}
	defer tx.Rollback()
	if s.engine == "postgres" {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
			return unavailable(err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at BIGINT NOT NULL)`); err != nil {
		return unavailable(err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = $1", version).Scan(&n); err != nil {
		return unavailable(err)
	}
	if n > 0 {
		return nil
	}
	for _, stmt := range statements(text) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("migration %s: %w", name, unavailable(err))
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
		version, name, time.Now().UnixMicro()); err != nil {
		return unavailable(err)
	}
	return unavailable(tx.Commit())
}

// migrationText reads a migration's file for this engine.
func (s *Store) migrationText(name string) (string, error) {
	b, err := migrationFiles.ReadFile("migrations/" + name + "_" + s.engine + ".sql")
	if errors.Is(err, fs.ErrNotExist) {
		b, err = migrationFiles.ReadFile("migrations/" + name + ".sql")
	}
	if err != nil {
		return "", fmt.Errorf("migration %s: %w", name, err)
	}
	return string(b), nil
}

// statements splits a migration into its statements, which end with a ";" at the end of a
// line; comment lines ("--") are dropped. Migrations are ours, so this need not parse SQL.
func statements(text string) []string {
	var out []string
	var cur strings.Builder
	for line := range strings.Lines(text) {
		if strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue
		}
		cur.WriteString(line)
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if stmt := strings.TrimSpace(cur.String()); stmt != ";" {
				out = append(out, stmt)
			}
			cur.Reset()
		}
	}
	if stmt := strings.TrimSpace(cur.String()); stmt != "" {
		out = append(out, stmt)
	}
	return out
}
