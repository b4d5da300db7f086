package store

import (
	"crypto/rand"
	"strings"
)

// A reply code is 12 characters of Crockford's base32 (60 random bits), shown in groups of
// four: ABCD-EFGH-JKMN. Base32 has no letters that look alike (no I, L, O, U), and
// normalizeCode forgives a reader who types them anyway, in any case, with or without dashes.
const (
	codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeLength   = 12
)

// newCode returns a fresh reply code. (crypto/rand.Read never fails: it crashes the
// program rather than return predictable bytes.)
func newCode() string {
	var b [codeLength]byte
	rand.Read(b[:])
	var out strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(codeAlphabet[c&31])
	}
	return out.String()
}

// normalizeCode is the form of a code that is hashed: upper case, no separators, and the
// letters Crockford's base32 reads as digits replaced by them.
func normalizeCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch r {
		case '-', ' ', '\t':
		case 'O':
			b.WriteByte('0')
		case 'I', 'L':
			b.WriteByte('1')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
