package guard

import gossh "golang.org/x/crypto/ssh"

// anonymousLogins lets every visitor in, whatever their client tries
// first, and calls loggedIn once a login has succeeded:
//
//   - "none", which OpenSSH, PuTTY and Dropbear try first;
//   - "publickey" with any key: clients such as paramiko's SSHClient never
//     try "none" and go straight to the user's keys. The key identifies
//     nobody here (it is neither logged nor kept); the ssh package still
//     checks the signature, which proves only that the client holds the
//     key it offered;
//   - "keyboard-interactive" with no questions: one empty
//     SSH_MSG_USERAUTH_INFO_REQUEST, which a client answers without
//     showing its user anything.
//
// "password" is never offered: a server that asks for a password invites a
// visitor to type a secret into a stranger's machine. Callbacks already in
// conf run first and may still refuse (portfolio's server/owner refuses
// every method but the owner's keys for the user name "owner"); their
// Permissions are the login's.
//
// loggedIn runs from AuthLogCallback, which the ssh package calls with a
// nil error only for the login that succeeds: a public key query without
// a signature, or a client that stops halfway, does not count.
func anonymousLogins(conf *gossh.ServerConfig, loggedIn func()) {
	prevNone := conf.NoClientAuthCallback
	conf.NoClientAuth = true
	conf.NoClientAuthCallback = func(m gossh.ConnMetadata) (*gossh.Permissions, error) {
		if prevNone != nil {
			return prevNone(m)
		}
		return nil, nil
	}
	prevKey := conf.PublicKeyCallback
	conf.PublicKeyCallback = func(m gossh.ConnMetadata, key gossh.PublicKey) (*gossh.Permissions, error) {
		if prevKey != nil {
			return prevKey(m, key)
		}
		return nil, nil
	}
	prevKbd := conf.KeyboardInteractiveCallback
	conf.KeyboardInteractiveCallback = func(m gossh.ConnMetadata, challenge gossh.KeyboardInteractiveChallenge) (*gossh.Permissions, error) {
		var perms *gossh.Permissions
		if prevKbd != nil {
			// The server's own callback decides first (it may refuse a user name); when
			// it lets the login on, the visitor still gets the empty challenge.
			p, err := prevKbd(m, challenge)
			if err != nil {
				return nil, err
			}
			perms = p
		}
		// No instruction and no questions: the client answers at once.
		if _, err := challenge("", "", nil, nil); err != nil {
			return nil, err
		}
		return perms, nil
	}
	conf.PasswordCallback = nil
	prevLog := conf.AuthLogCallback
	conf.AuthLogCallback = func(m gossh.ConnMetadata, method string, err error) {
		if prevLog != nil {
			prevLog(m, method, err)
		}
		if err == nil {
			loggedIn()
		}
	}
}
