package linear

import "unicode/utf8"

// Keys the reader acts on besides printable characters.
const (
	keyEnter rune = '\n'
	keyRight rune = 0xE000 + iota // private-use runes stand for the arrow keys
	keyLeft
	keyDown
	keyUp
	keyQuit    // ctrl+c, ctrl+d
	keyLineEnd // a line end right after keys in one read: ends a typed line, is no key itself
	keyErase   // backspace or delete: takes back a typed character
)

// decoder turns the bytes a visitor's client sends into keys. It accepts both kinds of
// terminal: one in raw mode sends each key as it is pressed, "2" then (later) "\r"; one in
// cooked mode (Emacs M-x shell, a line-buffered console) sends a whole line at once, "2\n".
// A line end that arrives in the same read as the key before it ends that line: it is not a
// second key, or "2\n" would open section 2 and at once page past its first screen.
// Escape sequences (an arrow key on a terminal that sends them anyway) are consumed whole:
// nothing of them may reach the screen, and the arrows mean what they mean in the full UI.
type decoder struct {
	prevCR bool // the last byte was "\r": a "\n" after it is the same line end
	esc    int  // 0: text; 1: after ESC; 2: inside a CSI or SS3 sequence
	pend   []byte
}

// feed decodes one read's worth of bytes.
func (d *decoder) feed(b []byte) []rune {
	var keys []rune
	lineHasKey := false // a key other than a line end came earlier in this read
	b = append(d.pend, b...)
	d.pend = nil
	for len(b) > 0 {
		c := b[0]
		if d.esc > 0 {
			b = b[1:]
			d.escape(c, &keys)
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRune(b)
			if r == utf8.RuneError && !utf8.FullRune(b) {
				d.pend = append(d.pend, b...) // the rest comes in the next read
				break
			}
			b = b[n:]
			d.prevCR = false
			keys = append(keys, r)
			lineHasKey = true
			continue
		}
		b = b[1:]
		cr := d.prevCR
		d.prevCR = c == '\r'
		switch {
		case c == '\n' && cr:
			// the second half of "\r\n"
		case c == '\r' || c == '\n':
			if lineHasKey {
				keys = append(keys, keyLineEnd)
			} else {
				keys = append(keys, keyEnter)
			}
			lineHasKey = false
		case c == 0x1b:
			d.esc = 1
		case c == 0x03 || c == 0x04:
			keys = append(keys, keyQuit)
		case c == 0x7f || c == 0x08:
			keys = append(keys, keyErase)
		case c >= 0x20 && c < 0x7f:
			keys = append(keys, rune(c))
			lineHasKey = true
		}
	}
	return keys
}

func (d *decoder) escape(c byte, keys *[]rune) {
	if d.esc == 1 {
		if c == '[' || c == 'O' {
			d.esc = 2
			return
		}
		d.esc = 0 // ESC and one character (alt+key): drop both
		return
	}
	if c < 0x40 || c > 0x7e {
		return // a parameter or intermediate byte
	}
	d.esc = 0
	switch c {
	case 'C':
		*keys = append(*keys, keyRight)
	case 'D':
		*keys = append(*keys, keyLeft)
	case 'B':
		*keys = append(*keys, keyDown)
	case 'A':
		*keys = append(*keys, keyUp)
	}
}
