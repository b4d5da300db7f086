package ui

import (
	"bytes"
	"fmt"
	"image/color"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// TestContrast draws the screens a visitor sees (the cover, every section, the help, a
// search), downsamples each through colorprofile exactly as Bubble Tea does for the
// visitor's profile, then reads the escape sequences back cell by cell and computes the
// WCAG contrast of every drawn character against what is really behind it: text at least
// 4.5:1, rules and separators (box drawing) at least 3:1. Colours a terminal resolves
// itself (the 16 ANSI colours, its default foreground and background) are checked against
// both the xterm palette and the VGA one (Linux console, PuTTY), on a pure and a common
// background of each kind. In 16 colours nothing may be black on dark or white on light.
//
// Besides the default lavender, a pale yellow (hard on light backgrounds) and a deep blue
// (hard on dark ones) show that any accent an owner picks is adjusted until it passes.
func TestContrast(t *testing.T) {
	for _, accent := range []string{"", "#FFE135", "#1020A0"} {
		for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI} {
			for _, dark := range []bool{true, false} {
				name := fmt.Sprintf("%s/%s/%s", accent, p, map[bool]string{true: "dark", false: "light"}[dark])
				t.Run(name, func(t *testing.T) { checkContrast(t, accent, p, dark) })
			}
		}
	}
}

func checkContrast(t *testing.T, accent string, p colorprofile.Profile, dark bool) {
	site := withLinks(testSite(t))
	site.Settings.Accent = accent
	m := New(site, NewRenderer(0), Options{Width: 100, Height: 50, Profile: p, DarkBackground: dark})
	screens := map[string]Model{
		"first":  m,
		"help":   press(t, m, "?"),
		"search": press(t, m, "/", "t", "h", "e", "enter"),
		"typing": press(t, m, "/", "t", "h", "e"),
		"end":    press(t, m, "3", "G"),
		"wide":   press(t, update(m, sizeMsg(140, 40)), "2", "j"), // the rail
	}
	for i := range site.Sections {
		screens[fmt.Sprintf("section %d", i+1)] = press(t, m, strconv.Itoa(i+1))
	}
	var failures []string
	for what, sm := range screens {
		var buf bytes.Buffer
		w := &colorprofile.Writer{Forward: &buf, Profile: p}
		if _, err := w.WriteString(sm.View().Content); err != nil {
			t.Fatal(err)
		}
		for _, f := range contrastFailures(buf.String(), p == colorprofile.ANSI, dark) {
			failures = append(failures, what+": "+f)
		}
	}
	slices.Sort(failures)
	failures = slices.Compact(failures)
	for _, f := range failures {
		t.Error(f)
	}
}

// cellColour is a colour as the escape sequences name it: the terminal's default, an index
// into its palette (0-255), or an RGB value.
type cellColour struct {
	kind byte // 0 default, 'i' index, 'r' rgb
	i    int
	rgb  color.RGBA
}

type referenceTerminal struct {
	name   string
	bg, fg color.RGBA // default background and foreground
	pal    [16]color.RGBA
}

func referenceTerminals(dark bool) []referenceTerminal {
	if dark {
		return []referenceTerminal{
			{"xterm on black", color.RGBA{0, 0, 0, 255}, color.RGBA{0xe5, 0xe5, 0xe5, 255}, xterm16},
			{"VGA on black", color.RGBA{0, 0, 0, 255}, color.RGBA{0xaa, 0xaa, 0xaa, 255}, vga16},
			{"xterm on #1E1E1E", color.RGBA{0x1e, 0x1e, 0x1e, 255}, color.RGBA{0xd4, 0xd4, 0xd4, 255}, xterm16},
		}
	}
	return []referenceTerminal{
		{"xterm on white", color.RGBA{255, 255, 255, 255}, color.RGBA{0, 0, 0, 255}, xterm16},
		{"VGA on white", color.RGBA{255, 255, 255, 255}, color.RGBA{0, 0, 0, 255}, vga16},
		{"xterm on #F0F0F0", color.RGBA{0xf0, 0xf0, 0xf0, 255}, color.RGBA{0x1a, 0x1a, 0x1a, 255}, xterm16},
	}
}

func (c cellColour) resolve(rt referenceTerminal, def color.RGBA) color.RGBA {
	switch {
	case c.kind == 'r':
		return c.rgb
	case c.kind == 'i' && c.i < 16:
		return rt.pal[c.i]
	case c.kind == 'i':
		return toRGBA(ansi.IndexedColor(c.i))
	}
	return def
}

// contrastFailures reads s (one screen's escape sequences) and returns one line per drawn
// character whose colours fail, deduplicated by colours and kind.
func contrastFailures(s string, sixteen, dark bool) []string {
	var (
		fg, bg  cellColour
		reverse bool
		state   byte
		out     []string
		seen    = map[string]bool{}
	)
	for i := 0; i < len(s); {
		seq, width, n, newState := ansi.DecodeSequence(s[i:], state, nil)
		state = newState
		i += n
		if width == 0 {
			if strings.HasPrefix(seq, "\x1b[") && strings.HasSuffix(seq, "m") {
				fg, bg, reverse = applySGR(seq[2:len(seq)-1], fg, bg, reverse)
			}
			continue
		}
		if strings.TrimSpace(seq) == "" {
			continue
		}
		if fg.kind == 0 && bg.kind == 0 {
			continue // the terminal's own colours
		}
		r, _ := utf8DecodeFirst(seq)
		rule := r >= 0x2500 && r <= 0x259f || r == 0xb7 // box drawing, blocks, the middle dot
		need := 4.5
		if rule {
			need = 3
		}
		for _, rt := range referenceTerminals(dark) {
			f, b := fg.resolve(rt, rt.fg), bg.resolve(rt, rt.bg)
			if reverse {
				f, b = b, f
			}
			if sixteen && !reverse && bg.kind == 0 && fg.kind == 'i' && ((dark && fg.i == 0) || (!dark && fg.i == 15)) {
				out = appendOnce(out, seen, fmt.Sprintf("%q drawn in ANSI colour %d on a %s background", seq, fg.i, map[bool]string{true: "dark", false: "light"}[dark]))
			}
			if c := contrast(f, b); c < need {
				kind := "text"
				if rule {
					kind = "rule"
				}
				out = appendOnce(out, seen, fmt.Sprintf("%s %q: %s on %s is %.2f:1 (%s), needs %.1f:1", kind, seq, hex(f), hex(b), c, rt.name, need))
			}
		}
	}
	return out
}

func appendOnce(out []string, seen map[string]bool, s string) []string {
	// The character itself is not part of the key: one line per colour pair and kind.
	key := s
	if i := strings.Index(s, "\""); i >= 0 {
		if j := strings.Index(s[i+1:], "\""); j >= 0 {
			key = s[:i] + s[i+j+2:]
		}
	}
	if seen[key] {
		return out
	}
	seen[key] = true
	return append(out, s)
}

func utf8DecodeFirst(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// applySGR applies one SGR parameter list to the current colours.
func applySGR(params string, fg, bg cellColour, reverse bool) (cellColour, cellColour, bool) {
	ps := strings.FieldsFunc(params, func(r rune) bool { return r == ';' || r == ':' })
	if len(ps) == 0 {
		return cellColour{}, cellColour{}, false
	}
	num := func(j int) int {
		if j >= len(ps) {
			return 0
		}
		v, _ := strconv.Atoi(ps[j])
		return v
	}
	for j := 0; j < len(ps); j++ {
		v := num(j)
		switch {
		case v == 0:
			fg, bg, reverse = cellColour{}, cellColour{}, false
		case v == 7:
			reverse = true
		case v == 27:
			reverse = false
		case v >= 30 && v <= 37:
			fg = cellColour{kind: 'i', i: v - 30}
		case v >= 90 && v <= 97:
			fg = cellColour{kind: 'i', i: v - 90 + 8}
		case v == 39:
			fg = cellColour{}
		case v >= 40 && v <= 47:
			bg = cellColour{kind: 'i', i: v - 40}
		case v >= 100 && v <= 107:
			bg = cellColour{kind: 'i', i: v - 100 + 8}
		case v == 49:
			bg = cellColour{}
		case v == 38 || v == 48:
			var c cellColour
			switch num(j + 1) {
			case 5:
				c = cellColour{kind: 'i', i: num(j + 2)}
				j += 2
			case 2:
				c = cellColour{kind: 'r', rgb: color.RGBA{uint8(num(j + 2)), uint8(num(j + 3)), uint8(num(j + 4)), 255}}
				j += 4
			}
			if v == 38 {
				fg = c
			} else {
				bg = c
			}
		}
	}
	return fg, bg, reverse
}
