package owner

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// Keys are the owner's public keys. The zero value holds none: no one is the owner.
type Keys struct {
	byWire map[string]string // the key's wire form -> its SHA256 fingerprint
}

// ParseKeys reads PORTFOLIO_OWNER_KEYS: authorized_keys lines, or the path of a file of
// them. A value of one line with no space in it is a path (every key line has one, between
// its type and its data). Blank lines and # comments are skipped; a line that does not
// parse is an error naming its number and its text, so start-up stops instead of silently
// locking the owner out. Options before the key (from=, command=, ...) are refused rather
// than ignored: an operator who wrote from="..." expects it to be enforced, and it would not be.
func ParseKeys(setting string) (Keys, error) {
	text := strings.TrimSpace(setting)
	if text == "" {
		return Keys{}, nil
	}
	source := "line"
	if !strings.ContainsAny(text, " \t\n") {
		b, err := os.ReadFile(text)
		if err != nil {
			return Keys{}, fmt.Errorf("read the owner's keys: %w", err)
		}
		text, source = string(b), text+": line"
	}
	k := Keys{byWire: map[string]string{}}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, _, options, rest, err := gossh.ParseAuthorizedKey([]byte(line))
		switch {
		case err != nil:
			return Keys{}, fmt.Errorf("%s %d %q: not an authorized_keys line: %w", source, n, short(line), err)
		case len(options) > 0:
			return Keys{}, fmt.Errorf("%s %d %q: options (%s) are not supported", source, n, short(line), strings.Join(options, ","))
		case len(bytes.TrimSpace(rest)) > 0:
			return Keys{}, fmt.Errorf("%s %d %q: one key per line", source, n, short(line))
		}
		k.byWire[string(key.Marshal())] = gossh.FingerprintSHA256(key)
	}
	if err := sc.Err(); err != nil {
		return Keys{}, fmt.Errorf("read the owner's keys: %w", err)
	}
	if len(k.byWire) == 0 {
		return Keys{}, errors.New("no key in the owner's keys")
	}
	return k, nil
}

// Len is how many keys there are.
func (k Keys) Len() int { return len(k.byWire) }

// fingerprint returns the key's fingerprint and whether it is one of the owner's.
func (k Keys) fingerprint(key gossh.PublicKey) (string, bool) {
	fp, ok := k.byWire[string(key.Marshal())]
	return fp, ok
}

// short keeps an error message about a bad line readable: a key's data is long and says
// nothing to a person.
func short(line string) string {
	const limit = 60
	if len(line) <= limit {
		return line
	}
	return line[:limit] + "…"
}
