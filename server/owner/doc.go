// Package owner decides which connections are the owner's.
//
// The owner is whoever logs in as the user name "owner" (User) with a signature from one of
// the keys in PORTFOLIO_OWNER_KEYS (ParseKeys). For that user name, "none",
// keyboard-interactive and every other key are refused: each refusal is a failed login,
// counted against the connection's auth tries like any other. Every other user name is left
// alone: the guard's anonymous logins let it in as a visitor, whatever key it offers (the
// owner's included).
//
// The decision rests on the key whose signature the ssh package verified, never on a key a
// client merely asked about. A client may send a publickey query for the owner's key without
// signing, then sign with another key (the class of CVE-2024-45337). So the login callback
// returns a fresh ssh.Permissions per key, carrying the owner mark only for an owner key
// under the owner's user name; golang.org/x/crypto/ssh keeps the Permissions of the key that
// finally signed as the connection's, and charm.land/ssh hands those to the session's
// context after the handshake, which Is reads.
package owner
