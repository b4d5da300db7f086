package owner

import (
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func newKey(t *testing.T) gossh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func line(k gossh.PublicKey) string { return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k))) }

func TestParseKeys(t *testing.T) {
	a, b := newKey(t), newKey(t)
	keys, err := ParseKeys("# laptop\n" + line(a) + " me@laptop\n\n" + line(b) + "\n")
	if err != nil || keys.Len() != 2 {
		t.Fatalf("two lines: %d keys, %v", keys.Len(), err)
	}
	file := filepath.Join(t.TempDir(), "owner_keys")
	if err := os.WriteFile(file, []byte(line(a)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if keys, err := ParseKeys(file); err != nil || keys.Len() != 1 {
		t.Fatalf("a file: %d keys, %v", keys.Len(), err)
	}
	if keys, err := ParseKeys(""); err != nil || keys.Len() != 0 {
		t.Fatalf("empty: %d keys, %v", keys.Len(), err)
	}
	for value, want := range map[string]string{
		line(a) + "\nssh-ed25519 AAAAbroken x": `line 2 "ssh-ed25519 AAAAbroken x"`,
		`from="10.0.0.1" ` + line(a):           "options",
		file + ".missing":                      "owner_keys.missing",
		"# only a comment\n":                   "no key",
	} {
		if _, err := ParseKeys(value); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseKeys(%.40q) = %v, want an error naming %q", value, err, want)
		}
	}
}

type meta struct{ user string }

func (m meta) User() string          { return m.user }
func (m meta) SessionID() []byte     { return nil }
func (m meta) ClientVersion() []byte { return nil }
func (m meta) ServerVersion() []byte { return nil }
func (m meta) RemoteAddr() net.Addr  { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }
func (m meta) LocalAddr() net.Addr   { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2} }

// TestPermissionsPerKey: the mark lives in the Permissions of the owner's key alone, a new
// one for each call, so that the ssh package's per-key cache can never hand it to another
// key's login; other user names get the callbacks that were there before.
func TestPermissionsPerKey(t *testing.T) {
	a, b := newKey(t), newKey(t)
	keys, err := ParseKeys(line(a))
	if err != nil {
		t.Fatal(err)
	}
	var refusals []Refusal
	conf := &gossh.ServerConfig{}
	keys.wrap(conf, func(r Refusal) { refusals = append(refusals, r) })

	pa, err := conf.PublicKeyCallback(meta{User}, a)
	if err != nil || pa.Extensions[markExt] != gossh.FingerprintSHA256(a) {
		t.Fatalf("the owner's key: %+v, %v", pa, err)
	}
	if p, err := conf.PublicKeyCallback(meta{User}, b); err == nil || p != nil {
		t.Fatalf("another key as owner: %+v, %v", p, err)
	}
	if pa2, _ := conf.PublicKeyCallback(meta{User}, a); pa2 == pa {
		t.Fatal("two logins share one Permissions")
	}
	if p, err := conf.PublicKeyCallback(meta{"visitor"}, a); err != nil || p != nil {
		t.Fatalf("the owner's key as a visitor: %+v, %v", p, err)
	}
	if _, err := conf.NoClientAuthCallback(meta{User}); err == nil {
		t.Fatal("none as owner")
	}
	if _, err := conf.KeyboardInteractiveCallback(meta{User}, nil); err == nil {
		t.Fatal("keyboard-interactive as owner")
	}
	if _, err := conf.NoClientAuthCallback(meta{"visitor"}); err != nil {
		t.Fatalf("none as a visitor: %v", err)
	}
	if len(refusals) != 3 || refusals[0].Fingerprint != gossh.FingerprintSHA256(b) || refusals[1].Method != "none" {
		t.Fatalf("refusals %+v", refusals)
	}
}
