package ui

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// DefaultAccent is the accent used when site.toml sets none: the lavender of the first design.
const DefaultAccent = "#B79CFF"

// tier is how many colours a visitor's terminal shows, as far as the palette cares: hex
// colours are downsampled by Bubble Tea for 256-colour terminals, but 16-colour terminals
// get colours picked by hand, because downsampling there lands on black or white (a dark
// grey becomes SGR 30, invisible on PuTTY's and the Linux console's black).
type tier uint8

const (
	tierHex  tier = iota // true colour and 256 colours
	tier16               // the 16 ANSI colours
	tierNone             // no colour at all: NO_COLOR, TERM=dumb, accessible mode
)

func tierFor(p colorprofile.Profile) tier {
	switch p {
	case colorprofile.ANSI:
		return tier16
	case colorprofile.ASCII, colorprofile.NoTTY:
		return tierNone
	}
	return tierHex
}

// palette is every colour one screen uses, derived from the one accent. Each is a colour
// string lipgloss and glamour both read ("#rrggbb" or an ANSI index); "" means the
// terminal's own foreground. Body text always uses the terminal's foreground.
type palette struct {
	accent string // title, headings, active tab, links, progress, keys in the help
	muted  string // secondary text: tagline, summaries, subheadings, the footer
	faint  string // rules and separators: faint, but still 3:1
}

// The backgrounds the palette is checked against: the darkest and a common lighter one
// of each kind (pure black, VS Code's #1E1E1E; pure white, a light grey).
var (
	darkBackgrounds  = []color.RGBA{{0, 0, 0, 255}, {0x1e, 0x1e, 0x1e, 255}}
	lightBackgrounds = []color.RGBA{{255, 255, 255, 255}, {0xf0, 0xf0, 0xf0, 255}}
)

// Contrast the derived colours aim for: a little above WCAG's 4.5:1 (text) and 3:1
// (non-text), so 256-colour rounding cannot take them under.
const (
	textContrast = 4.8
	ruleContrast = 3.3
)

// newPalette derives the palette for a background from the site's accent (any "#rrggbb";
// anything else falls back to DefaultAccent).
func newPalette(accent string, dark bool, t tier) palette {
	switch t {
	case tierNone:
		return palette{}
	case tier16:
		return palette16(accent, dark)
	}
	base, ok := parseHex(accent)
	if !ok {
		base, _ = parseHex(DefaultAccent)
	}
	bgs, towards := darkBackgrounds, color.RGBA{255, 255, 255, 255}
	accentC := reach(base, towards, bgs, textContrast)
	if !dark {
		bgs, towards = lightBackgrounds, color.RGBA{0, 0, 0, 255}
		// Darkening by mixing with black greys a pale accent; a deeper shade of the same
		// hue (lower lightness, a little less saturation) stays recognisably the accent.
		accentC = reach(deepen(base), towards, bgs, textContrast)
	}
	// Greys tinted a little with the accent, so the faint things belong to the same family.
	grey := mix(color.RGBA{0x80, 0x80, 0x80, 255}, base, 0.15)
	p := palette{
		accent: hex(accentC),
		muted:  hex(reach(grey, towards, bgs, textContrast)),
		faint:  hex(reach(mix(grey, invert(towards), 0.35), towards, bgs, ruleContrast)),
	}
	return p
}

// palette16 picks from the 16 ANSI colours: the accent's nearest hue among the ones readable
// on the background in both the xterm and the VGA (Linux console, PuTTY) palettes; white
// (7) for muted text and rules on dark; the default foreground for muted text and bright
// black (8) for rules on light. Nothing is black on dark or white on light.
func palette16(accent string, dark bool) palette {
	base, ok := parseHex(accent)
	if !ok {
		base, _ = parseHex(DefaultAccent)
	}
	// One hue for both backgrounds (its normal shade on light, its bright one on dark), so
	// the site keeps its colour when the visitor's background changes.
	darkBg := append([]color.RGBA{xterm16[0], vga16[0]}, darkBackgrounds...)
	lightBg := append([]color.RGBA{xterm16[15], vga16[15]}, lightBackgrounds...)
	readable := func(c int, bgs []color.RGBA) bool {
		return minContrast(xterm16[c], bgs) >= 4.5 && minContrast(vga16[c], bgs) >= 4.5
	}
	best, bestD := 5, math.Inf(1) // magenta
	for h := 1; h <= 6; h++ {
		if !readable(h, lightBg) || !readable(h+8, darkBg) {
			continue
		}
		if d := hueDistance(base, xterm16[h+8]); d < bestD {
			best, bestD = h, d
		}
	}
	if dark {
		return palette{accent: strconv.Itoa(best + 8), muted: "7", faint: "7"}
	}
	return palette{accent: strconv.Itoa(best), muted: "", faint: "8"}
}

// xterm16 is xterm's default palette (as x/ansi knows it); vga16 is the VGA one the Linux
// console and PuTTY use.
var (
	xterm16 = func() (p [16]color.RGBA) {
		for i := range p {
			p[i] = toRGBA(ansi.BasicColor(i))
		}
		return p
	}()
	vga16 = [16]color.RGBA{
		{0, 0, 0, 255}, {0xaa, 0, 0, 255}, {0, 0xaa, 0, 255}, {0xaa, 0x55, 0, 255},
		{0, 0, 0xaa, 255}, {0xaa, 0, 0xaa, 255}, {0, 0xaa, 0xaa, 255}, {0xaa, 0xaa, 0xaa, 255},
		{0x55, 0x55, 0x55, 255}, {0xff, 0x55, 0x55, 255}, {0x55, 0xff, 0x55, 255}, {0xff, 0xff, 0x55, 255},
		{0x55, 0x55, 0xff, 255}, {0xff, 0x55, 0xff, 255}, {0x55, 0xff, 0xff, 255}, {0xff, 0xff, 0xff, 255},
	}
)

// reach moves c towards target in small steps until it has at least ratio:1 contrast
// against every background, both as itself and as the 256-colour terminal will show it.
func reach(c, target color.RGBA, bgs []color.RGBA, ratio float64) color.RGBA {
	for i := 0; i <= 50; i++ {
		t := mix(c, target, float64(i)/50)
		if minContrast(t, bgs) >= ratio && minContrast(toRGBA(colorprofile.ANSI256.Convert(t)), bgs) >= ratio {
			return t
		}
	}
	return target
}

func minContrast(c color.RGBA, bgs []color.RGBA) float64 {
	m := math.Inf(1)
	for _, bg := range bgs {
		m = min(m, contrast(c, bg))
	}
	return m
}

// contrast is the WCAG 2 contrast ratio of two colours, from 1 to 21.
func contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.RGBA) float64 {
	ch := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}

// deepen lowers a colour's lightness to 45% and its saturation by a third, keeping its hue.
func deepen(c color.RGBA) color.RGBA {
	h, s, l := toHSL(c)
	return fromHSL(h, s*0.7, min(l, 0.45))
}

func toHSL(c color.RGBA) (h, s, l float64) {
	r, g, b := float64(c.R)/255, float64(c.G)/255, float64(c.B)/255
	mx, mn := max(r, g, b), min(r, g, b)
	l = (mx + mn) / 2
	if mx == mn {
		return 0, 0, l
	}
	d := mx - mn
	if l > 0.5 {
		s = d / (2 - mx - mn)
	} else {
		s = d / (mx + mn)
	}
	switch mx {
	case r:
		h = math.Mod((g-b)/d+6, 6)
	case g:
		h = (b-r)/d + 2
	default:
		h = (r-g)/d + 4
	}
	return h * 60, s, l
}

func fromHSL(h, s, l float64) color.RGBA {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g = c, x
	case h < 120:
		r, g = x, c
	case h < 180:
		g, b = c, x
	case h < 240:
		g, b = x, c
	case h < 300:
		r, b = x, c
	default:
		r, b = c, x
	}
	f := func(v float64) uint8 { return uint8(math.Round(max(0, min(1, v+m)) * 255)) }
	return color.RGBA{f(r), f(g), f(b), 255}
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 255}
}

func invert(c color.RGBA) color.RGBA { return color.RGBA{255 - c.R, 255 - c.G, 255 - c.B, 255} }

// hueDistance compares colours by their direction from grey, so a pale lavender still finds
// magenta rather than white.
func hueDistance(a, b color.RGBA) float64 {
	norm := func(c color.RGBA) [3]float64 {
		m := (float64(c.R) + float64(c.G) + float64(c.B)) / 3
		v := [3]float64{float64(c.R) - m, float64(c.G) - m, float64(c.B) - m}
		l := math.Sqrt(v[0]*v[0]+v[1]*v[1]+v[2]*v[2]) + 1e-9
		return [3]float64{v[0] / l, v[1] / l, v[2] / l}
	}
	x, y := norm(a), norm(b)
	return math.Sqrt((x[0]-y[0])*(x[0]-y[0]) + (x[1]-y[1])*(x[1]-y[1]) + (x[2]-y[2])*(x[2]-y[2]))
}

func parseHex(s string) (color.RGBA, bool) {
	var r, g, b uint8
	if len(s) != 7 || s[0] != '#' {
		return color.RGBA{}, false
	}
	if _, err := fmt.Sscanf(s[1:], "%02x%02x%02x", &r, &g, &b); err != nil {
		return color.RGBA{}, false
	}
	return color.RGBA{r, g, b, 255}, true
}

func hex(c color.RGBA) string { return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B) }

func toRGBA(c color.Color) color.RGBA {
	if c == nil {
		return color.RGBA{}
	}
	r, g, b, _ := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
}
