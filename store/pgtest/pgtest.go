// Package pgtest runs throw-away PostgreSQL clusters for tests: the real server of the
// machine (Debian's PostgreSQL 15, found with `pg_config --bindir`), initialised in a
// temporary directory, listening on a free port of 127.0.0.1 and on a unix socket in that
// directory, with trust authentication, and removed when the tests are done.
//
// One cluster serves a whole test binary and each test gets a fresh database on it:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestX(t *testing.T) {
//		url := pgtest.Start(t) // postgres://postgres@127.0.0.1:PORT/DB?sslmode=disable
//		...
//	}
//
// Without pgtest.Main, Start gives each test a cluster of its own (slower, same result). A
// test that stops and starts the server (a database that goes away mid-run) takes a
// cluster of its own with NewCluster, so that it does not pull the server from under the
// other tests.
//
// When PostgreSQL is not installed, Start skips the test, except under CI=true, where it
// fails it: CI installs PostgreSQL (.ci/run), so a missing server there is a broken CI.
//
// When the tests run as root, initdb and the server run as the postgres user, since
// PostgreSQL refuses to run as root. The server is the test binary's child and dies with it,
// even when the binary is killed.
package pgtest

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// Cluster is one running (or stopped) PostgreSQL server.
type Cluster struct {
	dir  string // holds data/, the log and the socket
	bin  string // PostgreSQL's programs
	port int
	as   *syscall.Credential // the postgres user's, when we are root
	dbs  atomic.Int64

	mu     sync.Mutex
	server *exec.Cmd     // the running postmaster, nil when stopped
	exited chan struct{} // closed when server has exited
}

// shared is the cluster Main keeps for the whole test binary.
var shared struct {
	mu      sync.Mutex
	enabled bool // Main is in use
	c       *Cluster
	err     error
}

// Main runs a test binary's tests (call it from TestMain) and then stops the cluster they
// shared, if one was started: tests call Start, which starts it on first use.
func Main(m *testing.M) {
	shared.mu.Lock()
	shared.enabled = true
	shared.mu.Unlock()
	code := m.Run()
	shared.mu.Lock()
	if shared.c != nil {
		shared.c.remove()
	}
	shared.mu.Unlock()
	os.Exit(code)
}

// Start returns the URL of a fresh, empty database for this test, on the binary's shared
// cluster when TestMain calls Main, else on a cluster of the test's own.
func Start(t testing.TB) string {
	t.Helper()
	shared.mu.Lock()
	if !shared.enabled {
		shared.mu.Unlock()
		return NewCluster(t).Database(t)
	}
	if shared.c == nil && shared.err == nil {
		shared.c, shared.err = newCluster(t)
	}
	c, err := shared.c, shared.err
	shared.mu.Unlock()
	if err != nil {
		missing(t, err)
	}
	return c.Database(t)
}

// NewCluster starts a cluster of the test's own, removed when the test ends.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	c, err := newCluster(t)
	if err != nil {
		missing(t, err)
	}
	t.Cleanup(c.remove)
	return c
}

// errMissing marks "PostgreSQL is not installed", which skips outside CI.
type errMissing struct{ err error }

func (e errMissing) Error() string { return e.err.Error() }

func missing(t testing.TB, err error) {
	t.Helper()
	if _, ok := err.(errMissing); ok && os.Getenv("CI") != "true" {
		t.Skipf("PostgreSQL is not installed (%v); .ci/run installs it", err)
	}
	t.Fatalf("pgtest: %v", err)
}

func newCluster(t testing.TB) (*Cluster, error) {
	out, err := exec.Command("pg_config", "--bindir").Output()
	if err != nil {
		return nil, errMissing{fmt.Errorf("pg_config --bindir: %w", err)}
	}
	bin := strings.TrimSpace(string(out))
	if _, err := os.Stat(filepath.Join(bin, "initdb")); err != nil {
		return nil, errMissing{fmt.Errorf("no initdb in %s (the server package is missing)", bin)}
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, errMissing{fmt.Errorf("running as root and %w", err)}
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.as = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	if err := c.run("initdb", "-D", c.data(), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
		"--locale=C", "--no-sync", "--no-instructions"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if c.port, err = freePort(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := c.start(); err != nil {
		c.remove()
		return nil, err
	}
	t.Logf("pgtest: PostgreSQL in %s on 127.0.0.1:%d", dir, c.port)
	return c, nil
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

// command is one of PostgreSQL's programs, run as the postgres user when we are root
// (PostgreSQL refuses to run as root).
func (c *Cluster) command(program string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(c.bin, program), args...)
	cmd.Dir = c.dir
	if c.as != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.as}
	}
	return cmd
}

// run runs a program to its end.
func (c *Cluster) run(program string, args ...string) error {
	cmd := c.command(program, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", program, strings.Join(args, " "), err, out.Bytes())
	}
	return nil
}

// ready is the line the server logs once it accepts connections.
const ready = "database system is ready to accept connections"

// start runs the server as our child and returns once it logs that it is ready. The child
// gets SIGKILL should this process die (a test binary killed at its timeout), and its
// backends then exit by themselves: no server outlives its tests. Its log is dir/log.
func (c *Cluster) start() error {
	cmd := c.command("postgres", "-D", c.data(),
		"-p", strconv.Itoa(c.port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+c.dir,
		// A test database needs no durability across a crash of the machine.
		"-c", "fsync=off",
		"-c", "full_page_writes=off",
	)
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	log, err := os.OpenFile(filepath.Join(c.dir, "log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		log.Close()
		return err
	}
	// Pdeathsig goes with the thread that started the child: keep this goroutine on its
	// thread until the child runs, so the runtime does not retire that thread meanwhile.
	runtime.LockOSThread()
	err = cmd.Start()
	runtime.UnlockOSThread()
	if err != nil {
		log.Close()
		return err
	}
	isReady := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer log.Close()
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			fmt.Fprintln(log, sc.Text())
			if !signalled && strings.Contains(sc.Text(), ready) {
				close(isReady)
				signalled = true
			}
		}
		cmd.Wait()
		close(exited)
	}()
	select {
	case <-isReady:
	case <-exited:
		text, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		return fmt.Errorf("postgres exited before it was ready: %v\n%s", cmd.ProcessState, text)
	case <-time.After(2 * time.Minute): // a wedged start, not a slow one
		cmd.Process.Kill()
		<-exited
		return errors.New("postgres did not become ready within 2 minutes")
	}
	c.mu.Lock()
	c.server, c.exited = cmd, exited
	c.mu.Unlock()
	return nil
}

// Stop stops the server at once, as a crash would (SIGQUIT: immediate shutdown), and
// returns when it has exited; its data stays, and Start brings it back on the same port.
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	if err := c.stop(); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
}

func (c *Cluster) stop() error {
	c.mu.Lock()
	cmd, exited := c.server, c.exited
	c.server = nil
	c.mu.Unlock()
	if cmd == nil {
		return nil
	}
	if err := cmd.Process.Signal(syscall.SIGQUIT); err != nil {
		return err
	}
	<-exited
	return nil
}

// Start starts a stopped server again.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	if err := c.start(); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
}

func (c *Cluster) remove() {
	c.stop()
	os.RemoveAll(c.dir)
}

// URL returns the URL of database db on the cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

var unsafeName = regexp.MustCompile(`[^a-z0-9_]+`)

// Database creates a fresh database for the test and returns its URL.
func (c *Cluster) Database(t testing.TB) string {
	t.Helper()
	name := unsafeName.ReplaceAllString(strings.ToLower(t.Name()), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	name = fmt.Sprintf("t%d_%s", c.dbs.Add(1), name)
	db, err := sql.Open("pgx", c.URL("postgres"))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// A database name cannot be a parameter; name is [a-z0-9_] only.
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	return c.URL(name)
}

// freePort returns a TCP port of 127.0.0.1 that nothing listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
