// Package hostkey loads the server's identity: an Ed25519 key from PEM text or a file,
// generated once when the file is missing and that is allowed, never rewritten, never
// replaced quietly. Visitors pin it on first connect, so a new key greets them with
// "REMOTE HOST IDENTIFICATION HAS CHANGED".
package hostkey

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// ErrNoHostKey means there is no host key and the configuration forbids generating one; the
// container image runs this way so that a machine without the shared key fails loudly instead
// of greeting visitors with "REMOTE HOST IDENTIFICATION HAS CHANGED".
var ErrNoHostKey = errors.New("no host key")

// Source says where the key comes from.
type Source struct {
	PEM      string // the private key's PEM text (PORTFOLIO_HOST_KEY); wins over Path
	Path     string // the key file (PORTFOLIO_HOST_KEY_PATH)
	Generate bool   // whether a missing Path may be generated (PORTFOLIO_HOST_KEY_GENERATE)
}

// Key is the server's identity, loaded once at start.
type Key struct {
	Signer      gossh.Signer
	Fingerprint string // SHA256:..., what `ssh-keygen -lf` and ssh's first-connect prompt show
	Source      string // "PORTFOLIO_HOST_KEY" or the file path
	Generated   bool   // the file was created by this start
	LooseMode   bool   // the file is readable by group or others
}

// Load returns the Ed25519 host key src names. The PEM text wins over the path. A missing
// file is generated once, when allowed; an existing file is never rewritten; anything
// unreadable, unparsable or not Ed25519 is an error, never a quiet new key.
func Load(src Source) (Key, error) {
	if src.PEM != "" {
		return parse([]byte(src.PEM), "PORTFOLIO_HOST_KEY")
	}
	path := src.Path
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if !src.Generate {
			return Key{}, fmt.Errorf("%w: %s does not exist and PORTFOLIO_HOST_KEY_GENERATE is false; set PORTFOLIO_HOST_KEY or provide the file", ErrNoHostKey, path)
		}
		created, err := generateHostKeyFile(path)
		if err != nil {
			return Key{}, err
		}
		// Read back what is on disk: if another start won the race, its key is the one to use.
		data, err = os.ReadFile(path)
		if err != nil {
			return Key{}, fmt.Errorf("read host key %s: %w", path, err)
		}
		hk, err := parse(data, path)
		hk.Generated = created
		return hk, err
	}
	if err != nil {
		return Key{}, fmt.Errorf("read host key %s: %w", path, err)
	}
	hk, err := parse(data, path)
	if err != nil {
		return Key{}, err
	}
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
		hk.LooseMode = true
	}
	return hk, nil
}

func parse(data []byte, source string) (Key, error) {
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return Key{}, fmt.Errorf("parse host key %s: %w", source, err)
	}
	if t := signer.PublicKey().Type(); t != gossh.KeyAlgoED25519 {
		return Key{}, fmt.Errorf("host key %s is %s, want ssh-ed25519", source, t)
	}
	return Key{
		Signer:      signer,
		Fingerprint: gossh.FingerprintSHA256(signer.PublicKey()),
		Source:      source,
	}, nil
}

// generateHostKeyFile writes a new Ed25519 key to path unless a file is already there. It
// reports whether this call created the file. Only missing directories are created (0700):
// an existing directory, such as the working directory, keeps its mode.
//
// The key is written to a private temporary file and then hard-linked into place, so the
// file appears complete and exclusively: when two starts race, one link fails with "exists"
// and that start uses the winner's key. Where hard links are unsupported it falls back to
// an O_EXCL create.
func generateHostKeyFile(path string) (bool, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, fmt.Errorf("create host key directory %s: %w", dir, err)
	}
	pemBytes, err := newHostKeyPEM()
	if err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(dir, ".hostkey-*") // mode 0600
	if err != nil {
		return false, fmt.Errorf("write host key %s: %w", path, err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName)
	if _, err := tmp.Write(pemBytes); err != nil {
		tmp.Close()
		return false, fmt.Errorf("write host key %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, fmt.Errorf("write host key %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("write host key %s: %w", path, err)
	}
	err = os.Link(tmpName, path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrExist):
		return false, nil
	}
	return writeExclusive(path, pemBytes)
}

func writeExclusive(path string, data []byte) (bool, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("write host key %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return true, fmt.Errorf("write host key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return true, fmt.Errorf("write host key %s: %w", path, err)
	}
	return true, nil
}

// newHostKeyPEM returns a fresh Ed25519 private key in OpenSSH PEM form, the format
// ssh-keygen writes and PORTFOLIO_HOST_KEY accepts.
func newHostKeyPEM() ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "portfolio host key")
	if err != nil {
		return nil, fmt.Errorf("encode host key: %w", err)
	}
	return pem.EncodeToMemory(block), nil
}
