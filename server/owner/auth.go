package owner

import (
	"errors"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// User is the user name the owner logs in with.
const User = "owner"

// markExt is the Permissions extension that marks the owner's connection; its value is the
// key's fingerprint. The name is ours (extensions with an @domain are private by convention).
const markExt = "owner@portfolio"

// errNotOwner is the login refusal for the owner's user name; the client sees only a failure.
var errNotOwner = errors.New("owner: not an owner key")

// Refusal is one refused owner login, for the log: the method tried and, for a public
// key, its fingerprint.
type Refusal struct {
	Conn        gossh.ConnMetadata
	Method      string // "publickey", "none", "keyboard-interactive"
	Fingerprint string
}

// Logins returns an ssh.ServerConfigCallback that wraps next's config with the owner's login
// rules (see the package documentation). refused is told of each refusal. It must run inside
// the guard's (server/guard adds the anonymous logins around callbacks already set, which
// run first and may refuse).
func (k Keys) Logins(next ssh.ServerConfigCallback, refused func(Refusal)) ssh.ServerConfigCallback {
	return func(ctx ssh.Context) *gossh.ServerConfig {
		conf := &gossh.ServerConfig{}
		if next != nil {
			conf = next(ctx)
		}
		k.wrap(conf, refused)
		return conf
	}
}

func (k Keys) wrap(conf *gossh.ServerConfig, refused func(Refusal)) {
	refuse := func(m gossh.ConnMetadata, method, fp string) (*gossh.Permissions, error) {
		if refused != nil {
			refused(Refusal{Conn: m, Method: method, Fingerprint: fp})
		}
		return nil, errNotOwner
	}
	prevKey := conf.PublicKeyCallback
	conf.PublicKeyCallback = func(m gossh.ConnMetadata, key gossh.PublicKey) (*gossh.Permissions, error) {
		if m.User() != User {
			if prevKey != nil {
				return prevKey(m, key)
			}
			return nil, nil
		}
		fp, ok := k.fingerprint(key)
		if !ok {
			return refuse(m, "publickey", gossh.FingerprintSHA256(key))
		}
		// A new Permissions for this key alone: the ssh package caches it with the key, and
		// the connection gets it only if this key's signature is the one verified.
		return &gossh.Permissions{Extensions: map[string]string{markExt: fp}}, nil
	}
	prevNone := conf.NoClientAuthCallback
	conf.NoClientAuthCallback = func(m gossh.ConnMetadata) (*gossh.Permissions, error) {
		if m.User() == User {
			return refuse(m, "none", "")
		}
		if prevNone != nil {
			return prevNone(m)
		}
		return nil, nil
	}
	prevKbd := conf.KeyboardInteractiveCallback
	conf.KeyboardInteractiveCallback = func(m gossh.ConnMetadata, c gossh.KeyboardInteractiveChallenge) (*gossh.Permissions, error) {
		if m.User() == User {
			return refuse(m, "keyboard-interactive", "")
		}
		if prevKbd != nil {
			return prevKbd(m, c)
		}
		return nil, nil
	}
}

// Is reports whether ctx is the context of a connection the owner logged in to: the user
// name is User and the verified key carried the owner's mark.
func Is(ctx ssh.Context) bool {
	return Fingerprint(ctx) != ""
}

// Fingerprint is the owner key's fingerprint on the owner's connection, "" on any other.
func Fingerprint(ctx ssh.Context) string {
	if ctx == nil || ctx.User() != User {
		return ""
	}
	p := ctx.Permissions()
	if p == nil || p.Permissions == nil {
		return ""
	}
	return p.Extensions[markExt]
}
