package termreply

import (
	"context"
	"image/color"
	"strings"
	"testing"

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

// decode runs in through the decoder the screen reads with, to its end.
func decode(t *testing.T, in string) []uv.Event {
	t.Helper()
	events := make(chan uv.Event)
	done := make(chan error, 1)
	go func() {
		done <- uv.NewTerminalReader(strings.NewReader(in), "xterm-256color").StreamEvents(context.Background(), events)
		close(events)
	}()
	var out []uv.Event
	for ev := range events {
		out = append(out, ev)
	}
	if err := <-done; err != nil {
		t.Fatalf("decoding %q: %v", in, err)
	}
	return out
}

func TestIsReply(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		reply bool
	}{
		{"background, BEL", oscWhiteBEL, true},
		{"background, ST", oscBlackST, true},
		{"mode report", decrpm, true},
		{"kitty flags", kittyFlags, true},
		{"primary device attributes", da1, true},
		{"secondary device attributes", da2, true},
		{"terminal version", xtversion, true},
		{"size report (a window change, whatever its size)", sizeReport, false},
		{"a key", "j", false},
		{"an arrow key", "\x1b[A", false},
		{"paste", "\x1b[200~hi\x1b[201~", false},
		{"mouse", "\x1b[<0;1;1M", false},
		{"escape alone", "\x1b", false},
		{"alt+j", "\x1bj", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			events := decode(t, c.in)
			if len(events) == 0 {
				t.Fatalf("%q decoded to nothing", c.in)
			}
			// An in-band size report decodes to a size and a pixel size: the input is not
			// only replies when any of its events is not one.
			reply := true
			for _, ev := range events {
				reply = reply && IsReply(ev)
			}
			if reply != c.reply {
				t.Errorf("%q decoded to %#v: reply %v, want %v", c.in, events, reply, c.reply)
			}
		})
	}
}

func TestTheBackgroundIsDecoded(t *testing.T) {
	var bg color.Color
	for _, ev := range decode(t, decrpm+oscWhiteBEL+"j") {
		if e, ok := ev.(uv.BackgroundColorEvent); ok {
			bg = e.Color
		}
	}
	if bg == nil {
		t.Fatal("no background decoded")
	}
	if r, g, b, _ := bg.RGBA(); r != 0xffff || g != 0xffff || b != 0xffff {
		t.Fatalf("background %v, want white", bg)
	}
}
