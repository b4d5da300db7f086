package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	qrcode "github.com/skip2/go-qrcode"
)

// qrQuiet is the light margin around the code, in modules. The standard asks for four; two
// are enough for phone cameras and keep the code 4 columns and 2 rows smaller, which is
// what decides whether it fits beside the contact card.
const qrQuiet = 2

// qrModules is text encoded as a QR code (low error correction: the smallest code, and a
// screen is not a damaged label), dark modules true, with the quiet margin included. It is
// nil when text does not fit in a QR code.
func qrModules(text string) [][]bool {
	q, err := qrcode.New(text, qrcode.Low)
	if err != nil {
		return nil
	}
	q.DisableBorder = true
	code := q.Bitmap()
	n := len(code) + 2*qrQuiet
	out := make([][]bool, n)
	for y := range out {
		out[y] = make([]bool, n)
		if y >= qrQuiet && y < n-qrQuiet {
			copy(out[y][qrQuiet:], code[y-qrQuiet])
		}
	}
	return out
}

// qrLines draws text as a QR code a phone can scan off the screen: two module rows per
// line in half blocks (▀ ▄ █), so the modules come out square in a usual terminal font.
// With colour it is painted black on white whatever the terminal's own colours, as a
// scanner expects. Without colour the terminal's foreground draws the light modules: right
// on the more common dark background, and on a light one an inverted code, which phone
// cameras read as well (the look has no background without colour: glamour_style.go
// shares those pages between dark and light). It returns nil where half
// blocks cannot be shown (an ASCII locale), in the accessible view (a screen reader would
// read out every block) and when text does not fit in a code.
func qrLines(text string, l look) []string {
	if l.ascii || l.access || l.ink == inkPlain {
		return nil
	}
	mods := qrModules(text)
	if mods == nil {
		return nil
	}
	// draw reports whether a module is drawn in the foreground colour.
	draw := func(dark bool) bool { return dark }
	if l.ink != inkColour {
		draw = func(dark bool) bool { return !dark }
	}
	var lines []string
	for y := 0; y < len(mods); y += 2 {
		var b strings.Builder
		for x := range mods[y] {
			top := draw(mods[y][x])
			bottom := draw(false) // past the last row: more quiet margin
			if y+1 < len(mods) {
				bottom = draw(mods[y+1][x])
			}
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		line := b.String()
		if l.ink == inkColour {
			line = ansi.Style{}.ForegroundColor(ansi.Black).BackgroundColor(ansi.White).Styled(line)
		}
		lines = append(lines, line)
	}
	return lines
}
