package guard

import (
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Algorithms the server offers, strongest first. Everything ssh-audit
// flags is left out: SHA-1 and finite-field key exchanges, NIST curves,
// CBC modes, non-ETM and SHA-1 MACs. Every OpenSSH release since 7.x (and
// PuTTY, and the ssh libraries of Go, Rust and Python) supports this set.
// Unexported so nothing can change them: AlgorithmConfig hands out copies.
var (
	keyExchanges = []string{gossh.KeyExchangeMLKEM768X25519, gossh.KeyExchangeCurve25519}
	ciphers      = []string{
		gossh.CipherChaCha20Poly1305,
		gossh.CipherAES256GCM, gossh.CipherAES128GCM,
		gossh.CipherAES256CTR, gossh.CipherAES192CTR, gossh.CipherAES128CTR,
	}
	macs = []string{gossh.HMACSHA256ETM, gossh.HMACSHA512ETM}
)

// AlgorithmConfig returns the gossh.Config restricted to the algorithms
// above. (Host key algorithms follow from the host keys: give the server
// an Ed25519 key only, which Apply checks.)
func AlgorithmConfig() gossh.Config {
	return gossh.Config{
		KeyExchanges: append([]string(nil), keyExchanges...),
		Ciphers:      append([]string(nil), ciphers...),
		MACs:         append([]string(nil), macs...),
	}
}

// ServerConfigCallback returns an ssh.ServerConfigCallback that builds the
// config with next (if not nil) and then restricts its algorithms.
func ServerConfigCallback(next ssh.ServerConfigCallback) ssh.ServerConfigCallback {
	return func(ctx ssh.Context) *gossh.ServerConfig {
		conf := &gossh.ServerConfig{}
		if next != nil {
			if c := next(ctx); c != nil {
				conf = c
			}
		}
		algos := AlgorithmConfig()
		conf.KeyExchanges, conf.Ciphers, conf.MACs = algos.KeyExchanges, algos.Ciphers, algos.MACs
		return conf
	}
}
