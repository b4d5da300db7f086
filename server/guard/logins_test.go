package guard

import (
	"errors"
	"testing"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// TestAnonymousLogins: none, any public key and keyboard-interactive with
// no questions let a visitor in; password is never offered; only the login
// that succeeds counts. (The ssh packages' clients always try "none"
// first, so the other methods are shown through the server's callbacks
// here and end to end with paramiko in e2e.)
func TestAnonymousLogins(t *testing.T) {
	conf := &gossh.ServerConfig{}
	logins := 0
	anonymousLogins(conf, func() { logins++ })
	if !conf.NoClientAuth || conf.PasswordCallback != nil {
		t.Fatalf("none %v, password offered %v", conf.NoClientAuth, conf.PasswordCallback != nil)
	}
	if _, err := conf.NoClientAuthCallback(nil); err != nil {
		t.Fatalf("none: %v", err)
	}
	signer := hostSigner(t)
	if _, err := conf.PublicKeyCallback(nil, signer.PublicKey()); err != nil {
		t.Fatalf("publickey: %v", err)
	}
	questions := -1
	_, err := conf.KeyboardInteractiveCallback(nil, func(name, instruction string, qs []string, echos []bool) ([]string, error) {
		questions = len(qs)
		if name != "" || instruction != "" {
			t.Errorf("keyboard-interactive shows %q %q", name, instruction)
		}
		return nil, nil
	})
	if err != nil || questions != 0 {
		t.Fatalf("keyboard-interactive: %d questions, %v", questions, err)
	}
	// A client that gives up in the middle of keyboard-interactive is not in.
	if _, err := conf.KeyboardInteractiveCallback(nil, func(string, string, []string, []bool) ([]string, error) {
		return nil, errors.New("gone")
	}); err == nil {
		t.Fatal("a failed keyboard-interactive exchange logged in")
	}
	conf.AuthLogCallback(nil, "publickey", errors.New("no"))
	if logins != 0 {
		t.Fatalf("%d logins counted before any succeeded", logins)
	}
	conf.AuthLogCallback(nil, "publickey", nil)
	if logins != 1 {
		t.Fatalf("%d logins counted, want 1", logins)
	}
}

// TestLoginCallbacksKept: a server's own callbacks still run first and may
// refuse.
func TestLoginCallbacksKept(t *testing.T) {
	refuse := errors.New("not you")
	var logged []string
	conf := &gossh.ServerConfig{
		PublicKeyCallback:    func(gossh.ConnMetadata, gossh.PublicKey) (*gossh.Permissions, error) { return nil, refuse },
		NoClientAuthCallback: func(gossh.ConnMetadata) (*gossh.Permissions, error) { return nil, refuse },
		AuthLogCallback:      func(_ gossh.ConnMetadata, method string, _ error) { logged = append(logged, method) },
	}
	anonymousLogins(conf, func() {})
	if _, err := conf.PublicKeyCallback(nil, hostSigner(t).PublicKey()); !errors.Is(err, refuse) {
		t.Fatalf("publickey: %v", err)
	}
	if _, err := conf.NoClientAuthCallback(nil); !errors.Is(err, refuse) {
		t.Fatalf("none: %v", err)
	}
	conf.AuthLogCallback(nil, "none", nil)
	if len(logged) != 1 {
		t.Fatalf("the server's own AuthLogCallback ran %d times", len(logged))
	}
}

// TestMaxAuthTries: the connection's ssh config allows MaxAuthTries failed logins, unless the
// wrapped callback chose its own number.
func TestMaxAuthTries(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) { l.MaxAuthTries = 7 }})
	if got := g.ServerConfigCallback(nil)(nil).MaxAuthTries; got != 7 {
		t.Errorf("MaxAuthTries %d, want 7", got)
	}
	own := func(ssh.Context) *gossh.ServerConfig { return &gossh.ServerConfig{MaxAuthTries: 2} }
	if got := g.ServerConfigCallback(own)(nil).MaxAuthTries; got != 2 {
		t.Errorf("MaxAuthTries %d, want the wrapped callback's 2", got)
	}
	if got := newGuard(t, Config{}).ServerConfigCallback(nil)(nil).MaxAuthTries; got != MaxAuthTries {
		t.Errorf("MaxAuthTries %d by default, want %d", got, MaxAuthTries)
	}
}
