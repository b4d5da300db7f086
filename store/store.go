package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// DefaultPath is where Open("") keeps the SQLite database, under the working directory
// (beside the host key a server creates at start).
const DefaultPath = "data/portfolio.db"

// opTimeout bounds every operation: a database that went away must fail a visitor's send
// within seconds ("can't take it right now"), not hang the form until TCP gives up.
const opTimeout = 3 * time.Second

// busyTimeout is how long SQLite waits for another writer (a second process such as
// `portfolio inbox`, or a concurrent send) before giving up; below opTimeout so the error
// says "busy" rather than "deadline".
const busyTimeout = 2500 * time.Millisecond

// Errors. Refusals of a visitor's message are the first ones; any other error from the
// package means the database could not be used and wraps ErrUnavailable.
var (
	ErrEmpty       = errors.New("the message is empty")
	ErrTooLong     = errors.New("too long")
	ErrNotUTF8     = errors.New("the text is not UTF-8")
	ErrTooMany     = errors.New("too many messages from this address; try again later")
	ErrInboxFull   = errors.New("the inbox is full for now; try again later")
	ErrDuplicate   = errors.New("this message was already sent")
	ErrNotFound    = errors.New("no such message")
	ErrNotAllowed  = errors.New("its writer did not allow it in the guestbook")
	ErrUnavailable = errors.New("the database is unavailable")
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	db     *sql.DB
	engine string // "sqlite" or "postgres"

	mu       sync.Mutex // guards migrated: migrations run once, when the database is reachable
	migrated bool
}

// Open opens the database dsn names and brings its schema up to date:
//
//   - "" is SQLite at DefaultPath;
//   - a file path (or "sqlite:PATH") is SQLite at that path;
//   - a postgres:// or postgresql:// URL is PostgreSQL.
//
// SQLite's directory (0700) and file (0600) are created when missing, and Open fails when
// it cannot create or migrate them. A PostgreSQL server that cannot be reached yet does not
// fail Open: the Store migrates on first use, and Ping reports the error meanwhile, so a
// machine that starts during a database outage still serves its pages.
func Open(ctx context.Context, dsn string) (*Store, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	var s *Store
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		// pgconn redacts the password in its parse errors.
		if _, err := pgx.ParseConfig(dsn); err != nil {
			return nil, fmt.Errorf("database URL: %w", err)
		}
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("database: %w", err)
		}
		db.SetMaxOpenConns(10)
		db.SetMaxIdleConns(4)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s = &Store{db: db, engine: "postgres"}
		if err := s.migrate(ctx); err != nil && !errors.Is(err, ErrUnavailable) {
			db.Close()
			return nil, err
		}
		return s, nil
	}
	if path, ok := SQLitePath(dsn); ok {
		db, err := openSQLite(ctx, path)
		if err != nil {
			return nil, err
		}
		s = &Store{db: db, engine: "sqlite"}
		if err := s.migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return s, nil
	}
	return nil, fmt.Errorf("database %q: want a postgres:// or postgresql:// URL, or a file path for SQLite", redact(dsn))
}

// SQLitePath returns the file an SQLite dsn names ("" is DefaultPath; "sqlite:PATH" and
// any other string that is not a URL is a path), and false when dsn is a URL.
func SQLitePath(dsn string) (string, bool) {
	if strings.Contains(dsn, "://") {
		return "", false
	}
	if path := strings.TrimPrefix(dsn, "sqlite:"); path != "" {
		return path, true
	}
	return DefaultPath, true
}

// openSQLite creates the directory and the file with the modes an owner's private data
// needs, then opens them in WAL mode.
func openSQLite(ctx context.Context, path string) (*sql.DB, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("database directory: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	f.Close()
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "synchronous(FULL)") // a message acknowledged as sent survives a power cut
	q.Add("_pragma", "foreign_keys(1)")
	// Every transaction here writes: take the write lock at BEGIN, so the checks of
	// TakeMessage and its insert cannot interleave with another writer's.
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	db.SetMaxOpenConns(4)
	if err := useWAL(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("database: %w", unavailable(err))
	}
	return db, nil
}

// useWAL puts the file in WAL mode, which it keeps: readers and the writer do not block each
// other, so `portfolio inbox` reads while the server writes. Switching takes the file for a
// moment, and SQLite answers "busy" to a second process switching at the same moment without
// waiting for the busy timeout (two processes starting on a new file: TestMigrations saw it
// once in a few hundred runs), so a busy answer is tried again until ctx is done.
func useWAL(ctx context.Context, db *sql.DB) error {
	const again = 10 * time.Millisecond
	for {
		var mode string
		err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
		if err == nil && strings.EqualFold(mode, "wal") {
			return nil
		}
		if err == nil {
			err = db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		}
		if err == nil && strings.EqualFold(mode, "wal") {
			return nil
		}
		var coded interface{ Code() int }
		if err != nil && !(errors.As(err, &coded) && coded.Code()&0xff == sqliteBusy) {
			return err
		}
		select {
		case <-ctx.Done():
			return cmp.Or(err, fmt.Errorf("journal mode %q, want wal", mode))
		case <-time.After(again):
		}
	}
}

// sqliteBusy is SQLITE_BUSY, the primary result code of "database is locked".
const sqliteBusy = 5

// redact hides a password in a DSN shown in an error.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Engine says which database this is: "sqlite" or "postgres".
func (s *Store) Engine() string { return s.engine }

// Ping reports whether the database can be used now (for /healthz).
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		return err
	}
	if err := s.db.PingContext(ctx); err != nil {
		return unavailable(err)
	}
	return nil
}

// op starts an operation: its deadline, and the schema migrated if Open could not.
func (s *Store) op(ctx context.Context) (context.Context, context.CancelFunc, error) {
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	if err := s.ready(ctx); err != nil {
		cancel()
		return nil, nil, err
	}
	return ctx, cancel, nil
}

func (s *Store) ready(ctx context.Context) error {
	s.mu.Lock()
	done := s.migrated
	s.mu.Unlock()
	if done {
		return nil
	}
	return s.migrate(ctx)
}

// unavailable wraps a database error as ErrUnavailable.
func unavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// micro is how times are stored: microseconds since 1970 in a BIGINT, the same on both
// engines and compared as numbers. The zero time is stored as 0.
func micro(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicro(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}
