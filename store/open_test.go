package store

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"portfolio/store/pgtest"
)

// TestOpenDefault: "" is SQLite at data/portfolio.db under the working directory, the
// directory 0700 and the file 0600, created at start.
func TestOpenDefault(t *testing.T) {
	t.Chdir(t.TempDir())
	s, err := Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for path, want := range map[string]os.FileMode{"data": 0o700 | os.ModeDir, DefaultPath: 0o600} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode() != want {
			t.Errorf("%s: %v %v, want mode %v", path, fi.Mode(), err, want)
		}
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

func TestOpenNames(t *testing.T) {
	dir := t.TempDir()
	for _, dsn := range []string{"sqlite:" + filepath.Join(dir, "a.sqlite"), filepath.Join(dir, "b.db"), filepath.Join(dir, "c")} {
		s, err := Open(context.Background(), dsn)
		if err != nil || s.Engine() != "sqlite" {
			t.Errorf("Open(%q): %v", dsn, err)
			continue
		}
		s.Close()
	}
	for _, dsn := range []string{"mysql://u:secret@h/db", "postgres://u:secret@h:notaport/db"} {
		_, err := Open(context.Background(), dsn)
		if err == nil {
			t.Errorf("Open(%q) succeeded", dsn)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) error shows the password: %v", dsn, err)
		}
	}
	if _, err := Open(context.Background(), filepath.Join(dir, "no-such-dir-file", "x.db")); err != nil {
		t.Errorf("Open does not create the directory: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o600)
	if _, err := Open(context.Background(), filepath.Join(dir, "file", "x.db")); err == nil {
		t.Error("Open under a file succeeded")
	}
}

// TestMigrations: every migration is applied once and recorded, on both engines, also when
// two processes (here two Stores) start at the same time.
func TestMigrations(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "m.db")
			if engine == "postgres" {
				dsn = pgtest.Start(t)
			}
			stores := make([]*Store, 4)
			errs := make([]error, len(stores))
			var wg sync.WaitGroup
			for i := range stores {
				wg.Go(func() { stores[i], errs[i] = Open(context.Background(), dsn) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("Open %d: %v", i, err)
				}
				defer stores[i].Close()
			}
			s := stores[0]
			if n := count(t, s, "schema_migrations", ""); n != len(migrations) {
				t.Errorf("%d migrations recorded, want %d", n, len(migrations))
			}
			var name string
			if err := s.db.QueryRow("SELECT name FROM schema_migrations WHERE version = 1").Scan(&name); err != nil || name != migrations[0] {
				t.Errorf("version 1 = %q, %v", name, err)
			}
			// Every engine has a file for every migration.
			for _, m := range migrations {
				if _, err := s.migrationText(m); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// TestSQLiteSharedByTwoProcesses: `portfolio inbox` writes while a server holds the file
// (WAL and the busy timeout): two Stores on one file, both writing, both see everything.
func TestSQLiteSharedByTwoProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	server, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	owner, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			src := string(rune('a' + i))
			if _, _, err := server.TakeMessage(context.Background(), Draft{Text: "hi", Source: src}, t0); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if _, err := owner.Messages(context.Background(), Filter{}); err != nil {
				t.Error(err)
			}
			if _, err := owner.PruneVisits(context.Background(), t0); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ms, err := owner.Messages(context.Background(), Filter{}); err != nil || len(ms) != 10 {
		t.Errorf("the second process sees %d messages, %v", len(ms), err)
	}
}

// TestPostgresGoesAway: with the server stopped, operations fail within seconds with
// ErrUnavailable (the portfolio says "can't take it right now" and keeps the text); once it
// is back they work again on the same Store, without reopening.
func TestPostgresGoesAway(t *testing.T) {
	c := pgtest.NewCluster(t)
	dsn := c.Database(t)
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	take(t, s, Draft{Text: "before", Source: "a"}, time.Now())

	c.Stop(t)
	start := time.Now()
	_, _, err = s.TakeMessage(ctx, Draft{Text: "while down", Source: "a"}, time.Now())
	took := time.Since(start)
	if !errors.Is(err, ErrUnavailable) || took > opTimeout+time.Second {
		t.Errorf("TakeMessage with PostgreSQL stopped: %v after %v; want ErrUnavailable within %v", err, took, opTimeout)
	}
	t.Logf("TakeMessage failed after %v: %v", took, err)
	if _, err := s.Messages(ctx, Filter{}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Messages: %v", err)
	}
	if err := s.Ping(ctx); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Ping: %v", err)
	}

	c.Start(t)
	start = time.Now()
	take(t, s, Draft{Text: "while down", Source: "a"}, time.Now())
	t.Logf("TakeMessage worked again %v after the server was back", time.Since(start))
	if ms, err := s.Messages(ctx, Filter{}); err != nil || len(ms) != 2 {
		t.Errorf("after the outage: %d messages, %v", len(ms), err)
	}
}

// TestPostgresDownAtOpen: a machine that starts while PostgreSQL is down still starts; the
// schema is made on first use once the server is up.
func TestPostgresDownAtOpen(t *testing.T) {
	c := pgtest.NewCluster(t)
	dsn := c.Database(t)
	c.Stop(t)
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open with PostgreSQL down: %v", err)
	}
	defer s.Close()
	if err := s.Ping(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Ping while down: %v", err)
	}
	if _, _, err := s.TakeMessage(context.Background(), Draft{Text: "x", Source: "a"}, t0); !errors.Is(err, ErrUnavailable) {
		t.Errorf("TakeMessage while down: %v", err)
	}
	c.Start(t)
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("Ping once up: %v", err)
	}
	take(t, s, Draft{Text: "x", Source: "a"}, t0)
}

// TestPostgresHangs: a server that accepts connections and never answers (a hung machine,
// a network that drops packets) fails operations at their deadline, not TCP's.
func TestPostgresHangs(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	}()
	start := time.Now()
	s, err := Open(context.Background(), "postgres://postgres@"+l.Addr().String()+"/x?sslmode=disable")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	t.Logf("Open returned after %v", time.Since(start))
	start = time.Now()
	_, _, err = s.TakeMessage(context.Background(), Draft{Text: "x", Source: "a"}, t0)
	if took := time.Since(start); !errors.Is(err, ErrUnavailable) || took > opTimeout+time.Second {
		t.Errorf("TakeMessage on a hung server: %v after %v; want ErrUnavailable within %v", err, took, opTimeout)
	} else {
		t.Logf("TakeMessage failed after %v: %v", took, err)
	}
}
