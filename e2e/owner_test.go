package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/stats"
	"portfolio/store/pgtest"
)

// The owner's side through OpenSSH: who gets in as owner, the console and the commands,
// stats equal to the log's, and two servers sharing one PostgreSQL.

// ownerKey makes an Ed25519 key pair with ssh-keygen and returns the private key's path.
func ownerKey(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	return path
}

// as are the ssh flags that log in as user with only the key at path.
func as(user, key string) []string {
	return []string{"-l", user, "-i", key, "-o", "IdentitiesOnly=yes"}
}

// fingerprint is the SHA256 fingerprint of the public key next to the private key at path.
func fingerprint(t *testing.T, key string) string {
	t.Helper()
	b, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _, _, err := gossh.ParseAuthorizedKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return gossh.FingerprintSHA256(pub)
}

// sshNoBatch runs OpenSSH without BatchMode (which turns keyboard-interactive off), with
// only the methods in flags, and returns stdout and the exit status.
func (s *process) sshNoBatch(t *testing.T, flags []string, command ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	args := append([]string{"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "LogLevel=ERROR", "-F", "/dev/null", "-p", s.port}, flags...)
	cmd := exec.CommandContext(ctx, "ssh", append(append(args, "127.0.0.1"), command...)...)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return stdout.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), 0
}

// unsignedOffer logs in with golang.org/x/crypto/ssh as user, asking about the owner's
// public key without signing (it has no private key), then signing with its own key, and
// runs cmd. It returns the output, or the login's error, and whether the server said yes to
// the owner's key in the query (the attack was really tried).
func unsignedOffer(t *testing.T, addr, user, ownerKeyPath string, cmd string) (string, error, bool) {
	t.Helper()
	b, err := os.ReadFile(ownerKeyPath + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	ownerPub, _, _, _, err := gossh.ParseAuthorizedKey(b)
	if err != nil {
		t.Fatal(err)
	}
	own := ownerKey(t, t.TempDir(), "own")
	pem, err := os.ReadFile(own)
	if err != nil {
		t.Fatal(err)
	}
	ownSigner, err := gossh.ParsePrivateKey(pem)
	if err != nil {
		t.Fatal(err)
	}
	offer := &queryOnly{pub: ownerPub}
	methods := []gossh.AuthMethod{gossh.PublicKeys(offer), gossh.PublicKeys(ownSigner)}
	next := 0
	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: user, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second,
		AuthCallback: func(*gossh.ClientAuthContext) (gossh.AuthMethod, error) {
			if next == len(methods) {
				return nil, errors.New("no method left")
			}
			next++
			return methods[next-1], nil
		},
	})
	if err != nil {
		return "", err, offer.asked
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	_ = sess.Run(cmd)
	return stdout.String() + stderr.String(), nil, offer.asked
}

// queryOnly is a key the client does not hold: the server may say yes to a query for it,
// after which the client asks it to sign, which it cannot.
type queryOnly struct {
	pub   gossh.PublicKey
	asked bool
}

func (q *queryOnly) PublicKey() gossh.PublicKey { return q.pub }
func (q *queryOnly) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	q.asked = true
	return nil, errors.New("no private key")
}

func TestOwnerLogins(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	owner, other := ownerKey(t, dir, "owner"), ownerKey(t, dir, "other")
	srv := start(t, dir, "--owner-keys", owner+".pub")

	// A message, so that there is something of the owner's to get.
	if _, stderr, code := srv.sshIn(t, "the owner's eyes only\n", nil, "message"); code != 0 {
		t.Fatalf("message: %d %s", code, stderr)
	}
	stdout, stderr, code := srv.ssh(t, as("owner", owner), "inbox", "--json")
	var inbox []map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &inbox) != nil || len(inbox) != 1 || inbox[0]["text"] != "the owner's eyes only" {
		t.Fatalf("the owner's inbox --json: %d %q %q", code, stdout, stderr)
	}

	tm := newTmux(t, 80, 24, nil, srv.sshCommand(append([]string{"-t"}, as("owner", owner)...)...))
	tm.waitFor(t, "Unread", 10*time.Second)

	nothing := func(name, out string) {
		t.Helper()
		if strings.Contains(out, "eyes only") {
			t.Errorf("%s got the owner's inbox: %q", name, out)
		}
	}
	if out, _, code := srv.ssh(t, as("owner", other), "inbox", "--json"); code != 255 {
		t.Errorf("another key as owner: exit %d", code)
	} else {
		nothing("another key", out)
	}
	if out, _, code := srv.ssh(t, []string{"-l", "owner", "-o", "PubkeyAuthentication=no"}, "inbox"); code != 255 {
		t.Errorf("no key as owner: exit %d", code)
	} else {
		nothing("no key", out)
	}
	kbd := []string{"-o", "PreferredAuthentications=keyboard-interactive", "-o", "PubkeyAuthentication=no"}
	if out, code := srv.sshNoBatch(t, append([]string{"-l", "owner"}, kbd...), "inbox"); code != 255 {
		t.Errorf("keyboard-interactive as owner: exit %d", code)
	} else {
		nothing("keyboard-interactive", out)
	}
	// The same client as a visitor gets in that way: the refusal above was the owner's rule.
	if _, code := srv.sshNoBatch(t, append([]string{"-l", "visitor"}, kbd...), "help"); code != 0 {
		t.Errorf("keyboard-interactive as a visitor: exit %d", code)
	}
	if out, _, code := srv.ssh(t, nil, "inbox"); code != 1 {
		t.Errorf("a visitor's inbox: exit %d", code)
	} else {
		nothing("a visitor's inbox", out)
	}
	if out, _, code := srv.ssh(t, as("visitor", owner), "inbox"); code != 1 {
		t.Errorf("the owner's key as another user: exit %d", code)
	} else {
		nothing("the owner's key as another user", out)
	}
	out, err, asked := unsignedOffer(t, srv.addr, "owner", owner, "inbox --json")
	if err == nil || !asked {
		t.Errorf("the owner's key offered unsigned, then another, as owner: login error %v, query answered %v, output %q", err, asked, out)
	}
	nothing("the unsigned offer as owner", out)
	out, err, _ = unsignedOffer(t, srv.addr, "visitor", owner, "inbox --json")
	if err != nil {
		t.Errorf("the unsigned offer as a visitor: %v", err)
	}
	nothing("the unsigned offer as a visitor", out)

	var warned bool
	for _, e := range srv.log() {
		if e["msg"] == "owner login refused" && e["level"] == "warn" && e["key"] == fingerprint(t, other) {
			warned = true
		}
	}
	if !warned {
		t.Error("no warning with the other key's fingerprint")
	}
}

// TestOwnerStatsEqualLog: `ssh owner@HOST stats --json` over the visit records equals
// `portfolio stats --json` over the log of the same visits.
func TestOwnerStatsEqualLog(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	owner := ownerKey(t, dir, "owner")
	srv := start(t, dir, "--owner-keys", owner+".pub")
	srv.ssh(t, nil, "help")
	srv.ssh(t, nil, "nope")
	srv.ssh(t, nil)
	tm := newTmux(t, 80, 24, nil, srv.sshCommand("-t"))
	tm.waitFor(t, "to start", 10*time.Second)
	tm.keys(t, "Right")
	tm.keys(t, "q")
	tm.waitFor(t, "EXIT=0", 10*time.Second)
	const visits = 4

	var fromDB stats.Summary
	deadline := time.Now().Add(10 * time.Second)
	for fromDB.Visits != visits {
		if time.Now().After(deadline) {
			t.Fatalf("the database has %d visits, want %d", fromDB.Visits, visits)
		}
		stdout, stderr, code := srv.ssh(t, as("owner", owner), "stats", "--json")
		if code != 0 {
			t.Fatalf("stats --json: %d %s", code, stderr)
		}
		fromDB = stats.Summary{}
		if err := json.Unmarshal([]byte(stdout), &fromDB); err != nil {
			t.Fatalf("stats --json: %v: %q", err, stdout)
		}
	}
	cmd := exec.Command(binary, "stats", "--json")
	cmd.Stdin = strings.NewReader(srv.rawLog())
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var fromLog stats.Summary
	if err := json.Unmarshal(out, &fromLog); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromDB, fromLog) {
		t.Fatalf("ssh owner@HOST stats --json:\n%+v\nportfolio stats --json over the log:\n%+v", fromDB, fromLog)
	}
}

// TestFleetSharesOnePostgreSQL: two servers on one PostgreSQL and one host key. A message
// left on A is in B's inbox, and its writer reads B's reply on either; a visitor reading on
// A is in B's `now` within 2 s and leaves it within 30 s of A's kill -9; wrong reply codes
// are exit 1, and after 20 from one address that address is refused.
func TestFleetSharesOnePostgreSQL(t *testing.T) {
	needTools(t)
	dsn := pgtest.Start(t)
	dir := t.TempDir()
	owner := ownerKey(t, dir, "owner")
	a := start(t, dir, "--database", dsn, "--owner-keys", owner+".pub")
	b := start(t, dir, "--database", dsn, "--owner-keys", owner+".pub")

	stdout, stderr, code := a.sshIn(t, "Hello from A\n", nil, "message")
	m := codeLine.FindStringSubmatch(stdout)
	if code != 0 || m == nil {
		t.Fatalf("message on A: %d %q %q", code, stdout, stderr)
	}
	replyCode := m[1]
	stdout, _, _ = b.ssh(t, as("owner", owner), "inbox", "--json")
	var inbox []map[string]any
	if json.Unmarshal([]byte(stdout), &inbox) != nil || len(inbox) != 1 || inbox[0]["text"] != "Hello from A" {
		t.Fatalf("B's inbox: %q", stdout)
	}
	if out, _, code := a.ssh(t, nil, "reply", replyCode); code != 0 || !strings.Contains(out, "No reply yet") {
		t.Fatalf("reply before the owner's: %d %q", code, out)
	}
	id := strconv.Itoa(int(inbox[0]["id"].(float64)))
	if _, stderr, code := b.sshIn(t, "Thanks, A!\n", as("owner", owner), "inbox", "reply", id); code != 0 {
		t.Fatalf("the owner's reply on B: %d %s", code, stderr)
	}
	for _, srv := range []*process{a, b} {
		if out, _, code := srv.ssh(t, nil, "reply", replyCode); code != 0 || strings.TrimSpace(out) != "Thanks, A!" {
			t.Fatalf("reply %s: %d %q", replyCode, code, out)
		}
	}

	// A visitor reading on A, in B's "now" within 2 s.
	tm := newTmux(t, 100, 30, nil, a.sshCommand("-t"))
	tm.waitFor(t, "to start", 10*time.Second)
	seen := time.Now()
	now := func() []map[string]any {
		stdout, stderr, code := b.ssh(t, as("owner", owner), "now", "--json")
		var out []map[string]any
		if code != 0 || json.Unmarshal([]byte(stdout), &out) != nil {
			t.Fatalf("B's now: %d %q %q", code, stdout, stderr)
		}
		return out
	}
	for len(now()) != 1 {
		if time.Since(seen) > 2*time.Second {
			t.Fatalf("the visitor on A is not in B's now after %s", time.Since(seen))
		}
	}
	if got := now(); got[0]["width"] != float64(100) || got[0]["term"] == "" {
		t.Errorf("B's now: %v", got)
	}

	// kill -9 of A: its visitor leaves B's "now" within 30 s.
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	for len(now()) != 0 {
		if time.Since(killed) > 30*time.Second {
			t.Fatalf("A's visitor is still in B's now %s after kill -9", time.Since(killed))
		}
	}

	// Wrong codes: exit 1; after 20 from one address, that address is refused, even with
	// the right code.
	for i := range 20 {
		if _, stderr, code := b.ssh(t, nil, "reply", "WRONG-CODE-"+strconv.Itoa(i)); code != 1 || !strings.Contains(stderr, "no message has that code") {
			t.Fatalf("wrong code %d: %d %q", i+1, code, stderr)
		}
	}
	if _, stderr, code := b.ssh(t, nil, "reply", replyCode); code != 1 || !strings.Contains(stderr, "too many wrong codes") {
		t.Fatalf("after 20 wrong codes: %d %q", code, stderr)
	}
	if out, _, code := b.ssh(t, []string{"-b", "127.0.0.2"}, "reply", replyCode); code != 0 || strings.TrimSpace(out) != "Thanks, A!" {
		t.Fatalf("from another address: %d %q", code, out)
	}
}
