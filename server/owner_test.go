package server

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func authorizedLine(s gossh.Signer) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
}

// unsignable offers a key the client does not hold: the server may accept the query for
// it, but no signature can follow. It counts the server's yes (the client only asks to
// sign after one).
type unsignable struct {
	pub         gossh.PublicKey
	askedToSign atomic.Int32
}

func (u *unsignable) PublicKey() gossh.PublicKey { return u.pub }
func (u *unsignable) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	u.askedToSign.Add(1)
	return nil, errors.New("no private key")
}

// login connects as user with the given auth methods, tried in order (one publickey
// method may follow another), and runs cmd. It returns the output, or the login's error.
func (ts *testServer) login(t *testing.T, user string, methods []gossh.AuthMethod, cmd string) (string, error) {
	t.Helper()
	return ts.loginWithInput(t, user, methods, cmd, "")
}

// loginWithInput is login with stdin for the command.
func (ts *testServer) loginWithInput(t *testing.T, user string, methods []gossh.AuthMethod, cmd, stdin string) (string, error) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", ts.addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	next := 0
	cfg := &gossh.ClientConfig{
		User:            user,
		HostKeyCallback: gossh.FixedHostKey(ts.key.Signer.PublicKey()),
		Timeout:         5 * time.Second,
		AuthCallback: func(*gossh.ClientAuthContext) (gossh.AuthMethod, error) {
			if next == len(methods) {
				return nil, errors.New("no method left")
			}
			next++
			return methods[next-1], nil
		},
	}
	c, chans, reqs, err := gossh.NewClientConn(conn, ts.addr, cfg)
	if err != nil {
		_ = conn.Close()
		return "", err
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	sess.Stdin = strings.NewReader(stdin)
	_ = sess.Run(cmd)
	return stdout.String() + stderr.String(), nil
}

// kinds are the kinds of the sessions ended so far, in order.
func (ts *testServer) kinds(t *testing.T) []string {
	var out []string
	for _, e := range ts.logs.find(t, "session end") {
		out = append(out, e["kind"].(string))
	}
	return out
}

func TestOwnerLogins(t *testing.T) {
	ownerKey, otherKey := newSigner(t), newSigner(t)
	ts := newTestServer(t, func(c *Config) {
		c.OwnerKeys = "# the owner's laptop\n" + authorizedLine(ownerKey) + "\n"
	})
	kbd := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })

	out, err := ts.login(t, "owner", []gossh.AuthMethod{gossh.PublicKeys(ownerKey)}, "help")
	if err != nil {
		t.Fatalf("the owner's key did not log in as owner: %v", err)
	}
	waitUntil(t, func() bool { return len(ts.kinds(t)) == 1 })
	if k := ts.kinds(t); k[0] != "owner" || !strings.Contains(out, "inbox") {
		t.Fatalf("the owner's session ended as %v, want owner; output %q", k, out)
	}

	// The CVE-2024-45337 class: the owner's key offered in a query, never signed; then a
	// signature from the client's own key.
	offer := &unsignable{pub: ownerKey.PublicKey()}
	for name, methods := range map[string][]gossh.AuthMethod{
		"another key":                            {gossh.PublicKeys(otherKey)},
		"no key":                                 nil,
		"keyboard-interactive":                   {kbd},
		"the owner's key unsigned, then another": {gossh.PublicKeys(offer), gossh.PublicKeys(otherKey)},
	} {
		if out, err := ts.login(t, "owner", methods, "help"); err == nil {
			t.Errorf("%s logged in as owner; output %q", name, out)
		}
	}
	warned := ts.logs.find(t, "owner login refused")
	var otherRefused bool
	for _, e := range warned {
		if e["key"] == gossh.FingerprintSHA256(otherKey.PublicKey()) && e["level"] == "warn" {
			otherRefused = true
		}
	}
	if !otherRefused {
		t.Errorf("no warning with the other key's fingerprint among %v", warned)
	}

	if offer.askedToSign.Load() == 0 {
		t.Fatal("the server never accepted the query for the owner's key: the test showed nothing")
	}

	// As anyone else, the same client is a visitor (its "none" already lets it in) and gets
	// nothing of the owner's.
	out, err = ts.login(t, "visitor", []gossh.AuthMethod{gossh.PublicKeys(&unsignable{pub: ownerKey.PublicKey()}), gossh.PublicKeys(otherKey)}, "inbox")
	if err != nil {
		t.Fatalf("a visitor offering the owner's key unsigned, then its own, was refused: %v", err)
	}
	if !strings.Contains(out, "unknown command") {
		t.Errorf("a visitor's inbox answered %q", out)
	}
	// And the owner's key under another user name is a visitor too.
	if _, err := ts.login(t, "visitor", []gossh.AuthMethod{gossh.PublicKeys(ownerKey)}, "inbox"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return len(ts.kinds(t)) == 3 })
	if k := ts.kinds(t); k[1] != "plain" || k[2] != "plain" {
		t.Fatalf("sessions ended as %v, want owner plain plain", k)
	}
}

func TestNoOwnerKeysNoOwner(t *testing.T) {
	ts := newTestServer(t, nil)
	key := newSigner(t)
	if _, err := ts.login(t, "owner", []gossh.AuthMethod{gossh.PublicKeys(key)}, "help"); err == nil {
		t.Fatal("owner logged in with no owner keys set")
	}
	if _, err := ts.login(t, "visitor", []gossh.AuthMethod{gossh.PublicKeys(key)}, "help"); err != nil {
		t.Fatalf("a visitor could not log in: %v", err)
	}
}

func TestOwnerKeysSetting(t *testing.T) {
	cfg := Defaults()
	cfg.HostKeyPath = t.TempDir() + "/key"
	cfg.OwnerKeys = "ssh-ed25519 AAAAnotbase64"
	_, err := New(cfg, testSite(t), nil)
	if err == nil || !strings.Contains(err.Error(), "PORTFOLIO_OWNER_KEYS") || !strings.Contains(err.Error(), "AAAAnotbase64") {
		t.Fatalf("a bad owner key line: %v", err)
	}
}

// TestOwnerWithinLimits: the owner goes through the same caps as everyone: with the one
// session the server allows taken by a visitor, the owner is turned away politely too.
func TestOwnerWithinLimits(t *testing.T) {
	key := newSigner(t)
	ts := newTestServer(t, func(c *Config) {
		c.OwnerKeys = authorizedLine(key)
		c.MaxSessions, c.MaxSessionsPerIP = 1, 1
	})
	tm := ts.openTerm(t, "", "", nil)
	tm.waitFor(t, testSite(t).Settings.Title, 5*time.Second)
	out, err := ts.login(t, "owner", []gossh.AuthMethod{gossh.PublicKeys(key)}, "help")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, ErrServerBusy.Error()) {
		t.Fatalf("the owner over the cap got %q", out)
	}
}
