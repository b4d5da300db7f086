package guard

import "bytes"

// msgKexInit is SSH_MSG_KEXINIT (RFC 4253, section 7.1).
const msgKexInit = 20

// maxIdentBytes bounds what kexSniffer reads before it gives up: the
// client's identification line is at most 255 bytes (RFC 4253, 4.2).
const maxIdentBytes = 1024

// kexSniffer watches the first bytes a client sends for its KEXINIT: the
// identification line ("SSH-2.0-...\r\n") and then the first binary
// packet, whose sixth byte (after the 4-byte length and the padding
// length) is the message number. The first packet is never encrypted, so
// nothing beyond these bytes needs reading. It stops for good once it has
// decided.
type kexSniffer struct {
	seen   int     // bytes fed so far
	line   []byte  // the current line while looking for "SSH-"
	ident  bool    // the identification line is complete
	header [6]byte // the first packet's first bytes
	got    int
	done   bool
}

// feed reads p and reports whether this is where the client's KEXINIT was
// seen. After it has decided (KEXINIT or not), feed does nothing.
func (k *kexSniffer) feed(p []byte) (kexinit bool) {
	for len(p) > 0 && !k.done {
		if k.seen += len(p); !k.ident && k.seen > maxIdentBytes {
			k.done = true
			return false
		}
		if !k.ident {
			i := bytes.IndexByte(p, '\n')
			if i < 0 {
				k.line = append(k.line, p...)
				return false
			}
			k.line = append(k.line, p[:i+1]...)
			p = p[i+1:]
			// Only the line that starts with "SSH-" is the identification.
			k.ident = bytes.HasPrefix(k.line, []byte("SSH-"))
			k.line = k.line[:0]
			continue
		}
		n := copy(k.header[k.got:], p)
		k.got += n
		p = p[n:]
		if k.got == len(k.header) {
			k.done = true
			return k.header[5] == msgKexInit
		}
	}
	return false
}
