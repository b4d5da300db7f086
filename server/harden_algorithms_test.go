package server

import (
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// TestWeakAlgorithmsRefused: a client offering only what ssh-audit fails (the issue's
// diffie-hellman-group14-sha1 first) cannot connect; a modern one can.
func TestWeakAlgorithmsRefused(t *testing.T) {
	ts := newTestServer(t, nil)
	weak := []struct {
		name  string
		algos gossh.Config
	}{
		{"kex diffie-hellman-group14-sha1", gossh.Config{KeyExchanges: []string{gossh.InsecureKeyExchangeDH14SHA1}}},
		{"kex ecdh-sha2-nistp256", gossh.Config{KeyExchanges: []string{gossh.KeyExchangeECDHP256}}},
		{"kex diffie-hellman-group14-sha256", gossh.Config{KeyExchanges: []string{gossh.KeyExchangeDH14SHA256}}},
		{"mac hmac-sha1", gossh.Config{MACs: []string{gossh.HMACSHA1}, Ciphers: []string{gossh.CipherAES128CTR}}},
		{"mac hmac-sha2-256 (not ETM)", gossh.Config{MACs: []string{gossh.HMACSHA256}, Ciphers: []string{gossh.CipherAES128CTR}}},
		{"cipher aes128-cbc", gossh.Config{Ciphers: []string{gossh.InsecureCipherAES128CBC}}},
	}
	for _, tt := range weak {
		t.Run(tt.name, func(t *testing.T) {
			algos := tt.algos
			err := ts.handshakeWith("127.0.0.1", &algos)
			if err == nil {
				t.Fatal("the handshake succeeded")
			}
			if !strings.Contains(err.Error(), "no common algorithm") {
				t.Fatalf("refused for another reason: %v", err)
			}
		})
	}
	t.Run("modern client", func(t *testing.T) {
		if err := ts.handshake("127.0.0.1"); err != nil {
			t.Fatal(err)
		}
	})
}
