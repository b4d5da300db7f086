package hostkey

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func keyConfig(path string) Source { return Source{Path: path, Generate: true} }

func TestHostKeyCreatedOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", ".ssh")
	path := filepath.Join(dir, "host_ed25519")

	first, err := Load(keyConfig(path))
	if err != nil {
		t.Fatal(err)
	}
	if !first.Generated || first.Signer.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Fatalf("want a generated ed25519 key, got generated=%v type=%s", first.Generated, first.Signer.PublicKey().Type())
	}
	if !strings.HasPrefix(first.Fingerprint, "SHA256:") {
		t.Errorf("fingerprint %q", first.Fingerprint)
	}
	assertMode(t, path, 0o600)
	assertMode(t, dir, 0o700)
	assertMode(t, filepath.Dir(dir), 0o700)
	before, _ := os.ReadFile(path)

	second, err := Load(keyConfig(path))
	if err != nil {
		t.Fatal(err)
	}
	if second.Generated || second.Fingerprint != first.Fingerprint {
		t.Fatalf("second start: generated=%v fingerprint %s, want the first key %s", second.Generated, second.Fingerprint, first.Fingerprint)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("the key file was rewritten")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".hostkey-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestHostKeyExistingDirectoryKeepsItsMode(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(keyConfig(filepath.Join(dir, "key"))); err != nil {
		t.Fatal(err)
	}
	assertMode(t, dir, 0o755)
}

func TestHostKeyNeverOverwritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	pemBytes, err := newHostKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	want, _ := parse(pemBytes, path)
	for range 3 {
		hk, err := Load(keyConfig(path))
		if err != nil {
			t.Fatal(err)
		}
		if hk.Fingerprint != want.Fingerprint || hk.Generated {
			t.Fatalf("got %s (generated %v), want the existing %s", hk.Fingerprint, hk.Generated, want.Fingerprint)
		}
	}
	got, _ := os.ReadFile(path)
	if string(got) != string(pemBytes) {
		t.Fatal("the existing key file changed")
	}
}

func TestHostKeyRaceCreatesOneKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "key")
	const starts = 8
	prints := make([]string, starts)
	errs := make([]error, starts)
	var wg sync.WaitGroup
	for i := range starts {
		wg.Go(func() {
			hk, err := Load(keyConfig(path))
			prints[i], errs[i] = hk.Fingerprint, err
		})
	}
	wg.Wait()
	for i := range starts {
		if errs[i] != nil {
			t.Fatalf("start %d: %v", i, errs[i])
		}
		if prints[i] != prints[0] {
			t.Fatalf("racing starts got different keys: %s and %s", prints[0], prints[i])
		}
	}
}

func TestHostKeyErrors(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt")
	os.WriteFile(corrupt, []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n"), 0o600)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o600)
	rsaPath := filepath.Join(dir, "rsa")
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	block, _ := gossh.MarshalPrivateKey(rsaKey, "")
	os.WriteFile(rsaPath, pem.EncodeToMemory(block), 0o600)
	unreadable := filepath.Join(dir, "a-directory")
	os.Mkdir(unreadable, 0o700)

	tests := []struct {
		name, path string
		pem        string
		generate   bool
		want       string
	}{
		{"corrupt file", corrupt, "", true, "parse host key " + corrupt},
		{"empty file", empty, "", true, "parse host key " + empty},
		{"not ed25519", rsaPath, "", true, "want ssh-ed25519"},
		{"unreadable", unreadable, "", true, "read host key " + unreadable},
		{"missing and generation off", filepath.Join(dir, "missing"), "", false, "PORTFOLIO_HOST_KEY_GENERATE is false"},
		{"corrupt PEM text", "", "not a key", false, "parse host key PORTFOLIO_HOST_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(tt.path)
			cfg := keyConfig(tt.path)
			cfg.PEM, cfg.Generate = tt.pem, tt.generate
			_, err := Load(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if after, _ := os.ReadFile(tt.path); string(after) != string(before) {
				t.Fatal("a bad key file was replaced")
			}
		})
	}
	if _, err := Load(Source{Path: filepath.Join(dir, "missing")}); !errors.Is(err, ErrNoHostKey) {
		t.Errorf("generation off: %v, want ErrNoHostKey", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); err == nil {
		t.Error("a key was generated although generation was off")
	}
}

func TestHostKeyPEMWinsOverPath(t *testing.T) {
	pemBytes, _ := newHostKeyPEM()
	path := filepath.Join(t.TempDir(), "never-created")
	cfg := keyConfig(path)
	cfg.PEM = string(pemBytes)
	hk, err := Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := parse(pemBytes, "")
	if hk.Fingerprint != want.Fingerprint || hk.Source != "PORTFOLIO_HOST_KEY" {
		t.Fatalf("got %s from %s", hk.Fingerprint, hk.Source)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a key file was created although the PEM was given")
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s has mode %o, want %o", path, got, want)
	}
}
