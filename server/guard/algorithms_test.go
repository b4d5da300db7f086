package guard

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

func TestWeakAlgorithmsRefused(t *testing.T) {
	g := newGuard(t, Config{})
	addr := startServer(t, g, func(s ssh.Session) { _, _ = io.WriteString(s, "ok\n") })
	unguarded := startServer(t, nil, func(s ssh.Session) { _, _ = io.WriteString(s, "ok\n") })

	weak := []struct {
		name string
		conf gossh.Config
	}{
		{"dh group14 sha1 only", gossh.Config{KeyExchanges: []string{gossh.InsecureKeyExchangeDH14SHA1}}},
		{"nist p256 only", gossh.Config{KeyExchanges: []string{gossh.KeyExchangeECDHP256}}},
		{"dh group14 sha256 only", gossh.Config{KeyExchanges: []string{gossh.KeyExchangeDH14SHA256}}},
		{"hmac-sha1 only", gossh.Config{Ciphers: []string{gossh.CipherAES128CTR}, MACs: []string{gossh.HMACSHA1}}},
		{"non-etm sha2 only", gossh.Config{Ciphers: []string{gossh.CipherAES128CTR}, MACs: []string{gossh.HMACSHA256}}},
	}
	for _, tt := range weak {
		t.Run(tt.name, func(t *testing.T) {
			conf := clientConfig()
			conf.Config = tt.conf
			if c, err := gossh.Dial("tcp", unguarded, conf); err != nil {
				t.Fatalf("baseline: the unguarded server refused it too (%v), the test proves nothing", err)
			} else {
				_ = c.Close()
			}
			if c, err := gossh.Dial("tcp", addr, conf); err == nil {
				_ = c.Close()
				t.Fatal("handshake succeeded")
			} else if !strings.Contains(err.Error(), "no common algorithm") {
				t.Fatalf("unexpected error %v", err)
			}
		})
	}
	for _, kex := range []string{gossh.KeyExchangeMLKEM768X25519, gossh.KeyExchangeCurve25519} {
		for _, cipher := range []string{gossh.CipherChaCha20Poly1305, gossh.CipherAES128GCM, gossh.CipherAES256CTR} {
			conf := clientConfig()
			conf.KeyExchanges, conf.Ciphers = []string{kex}, []string{cipher}
			conf.HostKeyAlgorithms = []string{gossh.KeyAlgoED25519}
			c, err := gossh.Dial("tcp", addr, conf)
			if err != nil {
				t.Fatalf("%s + %s refused: %v", kex, cipher, err)
			}
			_ = c.Close()
		}
	}
}

func TestApplyRequiresEd25519HostKey(t *testing.T) {
	g := newGuard(t, Config{})
	if err := g.Apply(&ssh.Server{}); err == nil {
		t.Fatal("Apply accepted a server without a host key")
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaSigner, err := gossh.NewSignerFromKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Apply(&ssh.Server{HostSigners: []ssh.Signer{hostSigner(t), rsaSigner}}); err == nil {
		t.Fatal("Apply accepted an RSA host key")
	}
}

// TestOpenSSHClient checks the algorithm set against the real OpenSSH
// client: its defaults connect, a SHA-1 key exchange does not.
func TestOpenSSHClient(t *testing.T) {
	sshPath, err := exec.LookPath("ssh")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("ssh client not installed")
		}
		t.Skip("ssh client not installed")
	}
	g := newGuard(t, Config{})
	addr := startServer(t, g, func(s ssh.Session) { _, _ = io.WriteString(s, "hello from guard\n") })
	host, port, _ := net.SplitHostPort(addr)
	run := func(extra ...string) (string, error) {
		args := append([]string{
			"-F", "/dev/null", "-p", port, "-T",
			"-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
			"-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5",
			"-o", "LogLevel=INFO",
		}, extra...)
		args = append(args, "visitor@"+host, "hi")
		cmd := exec.Command(sshPath, args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.Stdin = strings.NewReader("")
		done := make(chan error, 1)
		if err := cmd.Start(); err != nil {
			return "", err
		}
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			return out.String(), err
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			return out.String(), <-done
		}
	}
	out, err := run("-v")
	if err != nil || !strings.Contains(out, "hello from guard") {
		t.Fatalf("default OpenSSH client: %v: %s", err, out)
	}
	// OpenSSH 9.9 and later pick mlkem768x25519-sha256.
	if !strings.Contains(out, "kex: algorithm: curve25519-sha256") && !strings.Contains(out, "kex: algorithm: mlkem768x25519-sha256") {
		t.Errorf("unexpected key exchange in\n%s", out)
	}
	for _, want := range []string{"kex: host key algorithm: ssh-ed25519", "cipher: chacha20-poly1305@openssh.com"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	out, err = run("-o", "KexAlgorithms=diffie-hellman-group14-sha1")
	if err == nil || !strings.Contains(out, "no matching key exchange") {
		t.Fatalf("dh-group14-sha1 client: err %v, output %s", err, out)
	}
	out, err = run("-o", "MACs=hmac-sha1", "-o", "Ciphers=aes128-ctr")
	if err == nil || !strings.Contains(out, "no matching MAC") {
		t.Fatalf("hmac-sha1 client: err %v, output %s", err, out)
	}
	out, err = run("-o", "HostKeyAlgorithms=rsa-sha2-512,ecdsa-sha2-nistp256")
	if err == nil || !strings.Contains(out, "no matching host key") {
		t.Fatalf("rsa/ecdsa-only client: err %v, output %s", err, out)
	}
}
