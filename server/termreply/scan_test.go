package termreply

import (
	"bytes"
	"image/color"
	"math/rand/v2"
	"testing"
	"time"

	uv "github.com/charmbracelet/ultraviolet"
)

const (
	oscWhiteBEL = "\x1b]11;rgb:ffff/ffff/ffff\x07"
	oscBlackST  = "\x1b]11;rgb:0000/0000/0000\x1b\\"
	decrpm      = "\x1b[?2026;2$y"
	kittyFlags  = "\x1b[?1u"
	da1         = "\x1b[?62;22c"
	da2         = "\x1b[>1;10;0c"
	xtversion   = "\x1bP>|xterm(390)\x1b\\"
	sizeReport  = "\x1b[48;24;80;480;960t" // mode 2048: 24 rows, 80 columns
)

func TestScan(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		expired bool
		n       int
		input   bool
		partial bool
		replies int
	}{
		{name: "nothing", in: ""},
		{name: "a key", in: "j", input: true},
		{name: "an arrow key", in: "\x1b[A", input: true},
		{name: "background, BEL", in: oscWhiteBEL, n: len(oscWhiteBEL), replies: 1},
		{name: "background, ST", in: oscBlackST, n: len(oscBlackST), replies: 1},
		{name: "every reply at start", in: decrpm + kittyFlags + da1 + da2 + xtversion + oscWhiteBEL,
			n: len(decrpm + kittyFlags + da1 + da2 + xtversion + oscWhiteBEL), replies: 6},
		{name: "reply then key", in: oscWhiteBEL + "j", n: len(oscWhiteBEL), input: true, replies: 1},
		{name: "key then reply", in: "j" + oscWhiteBEL, input: true},
		{name: "own size report", in: sizeReport, n: len(sizeReport), replies: 1},
		{name: "another size", in: "\x1b[48;30;100;600;1000t", input: true},
		{name: "paste", in: "\x1b[200~hi\x1b[201~", input: true},
		{name: "mouse", in: "\x1b[<0;1;1M", input: true},
		{name: "lone escape, waiting", in: "\x1b", partial: true},
		{name: "lone escape, expired", in: "\x1b", expired: true, input: true},
		{name: "alt+[ alone, waiting", in: "\x1b[", partial: true},
		{name: "alt+j", in: "\x1bj", input: true},
		{name: "cut OSC", in: oscWhiteBEL[:12], partial: true},
		{name: "cut OSC, expired", in: oscWhiteBEL[:12], expired: true, input: true},
		{name: "OSC cut inside its ST", in: oscBlackST[:len(oscBlackST)-1], partial: true},
		{name: "reply then cut reply", in: decrpm + kittyFlags[:3], n: len(decrpm), partial: true, replies: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Scan([]byte(c.in), c.expired, 80, 24)
			if r.N != c.n || r.Input != c.input || r.Partial != c.partial || len(r.Replies) != c.replies {
				t.Fatalf("Scan(%q) = N %d input %v partial %v replies %d; want %d %v %v %d",
					c.in, r.N, r.Input, r.Partial, len(r.Replies), c.n, c.input, c.partial, c.replies)
			}
		})
	}
}

func TestScanReportsTheBackground(t *testing.T) {
	r := Scan([]byte(decrpm+oscWhiteBEL), false, 80, 24)
	var bg color.Color
	for _, ev := range r.Replies {
		if e, ok := ev.(uv.BackgroundColorEvent); ok {
			bg = e.Color
		}
	}
	if bg == nil {
		t.Fatalf("no background among %v", r.Replies)
	}
	if rr, gg, bb, _ := bg.RGBA(); rr != 0xffff || gg != 0xffff || bb != 0xffff {
		t.Fatalf("background %v, want white", bg)
	}
}

// TestScanSplitAnywhere cuts a stream of replies followed by typed keys at random places,
// as the network may, and consumes it the way a sleeping screen does: every reply is
// consumed whole, never a typed byte, and what is left for the program is exactly the
// typed part, however the reads fell.
func TestScanSplitAnywhere(t *testing.T) {
	replies := []string{oscWhiteBEL, oscBlackST, decrpm, kittyFlags, da1, da2, xtversion, sizeReport}
	typed := []string{"j", "\x1b[B", "q", "\x1b[200~pasted\x1b[201~", "\x1bj"}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 500 {
		var head bytes.Buffer
		for range 1 + rng.IntN(5) {
			head.WriteString(replies[rng.IntN(len(replies))])
		}
		var tail bytes.Buffer
		for range rng.IntN(3) {
			tail.WriteString(typed[rng.IntN(len(typed))])
		}
		stream := append(head.Bytes(), tail.Bytes()...)

		var buf []byte
		consumed, woke := 0, false
		for pos := 0; pos < len(stream) && !woke; {
			step := 1 + rng.IntN(8)
			end := min(pos+step, len(stream))
			buf = append(buf, stream[pos:end]...)
			pos = end
			r := Scan(buf, false, 80, 24)
			buf = buf[r.N:]
			consumed += r.N
			woke = r.Input
		}
		if !woke && len(buf) > 0 { // the reads ended: what waits is decided on the timeout
			r := Scan(buf, true, 80, 24)
			buf = buf[r.N:]
			consumed += r.N
			woke = r.Input
		}
		if consumed != head.Len() {
			t.Fatalf("round %d: consumed %d bytes of %q, want the %d of the replies", round, consumed, stream, head.Len())
		}
		if tail.Len() > 0 && !woke {
			t.Fatalf("round %d: typed %q did not count as input", round, tail.Bytes())
		}
		if tail.Len() == 0 && woke {
			t.Fatalf("round %d: replies alone %q counted as input", round, stream)
		}
		if !bytes.HasPrefix(tail.Bytes(), buf) {
			t.Fatalf("round %d: left %q, which is not the start of the typed %q", round, buf, tail.Bytes())
		}
	}
}

func TestWaiterRestartsWhenBytesArrive(t *testing.T) {
	var w Waiter
	t0 := time.Unix(1000, 0)
	if left := w.Partial(t0, 3); left != EscTimeout {
		t.Fatalf("first wait %v, want %v", left, EscTimeout)
	}
	if left := w.Partial(t0.Add(30*time.Millisecond), 3); left != EscTimeout-30*time.Millisecond {
		t.Fatalf("wait after 30ms %v", left)
	}
	if left := w.Partial(t0.Add(40*time.Millisecond), 5); left != EscTimeout {
		t.Fatalf("a byte arrived: wait %v, want a fresh %v", left, EscTimeout)
	}
	if left := w.Partial(t0.Add(40*time.Millisecond+EscTimeout), 5); left != 0 {
		t.Fatalf("after EscTimeout: wait %v, want 0", left)
	}
	w.Reset()
	if left := w.Partial(t0.Add(time.Hour), 5); left != EscTimeout {
		t.Fatalf("after Reset: wait %v, want %v", left, EscTimeout)
	}
}
