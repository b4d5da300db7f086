package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	qrcode "github.com/skip2/go-qrcode"

	"portfolio/content"
)

const testWebsite = "ada.example.dev"

func withWebsite(site *content.Site) *content.Site {
	c := *withLinks(site)
	c.Settings.Links.Website = testWebsite
	return &c
}

// readQR reads the QR code drawn in half blocks back off a screen: it finds the top-left
// finder's top edge ("█▀▀▀▀▀█" where dark modules are drawn, its inverse where light ones
// are) and returns the n x n modules from there, dark true. ok is false when there is none.
func readQR(screen string, n int, inverted bool) (mods [][]bool, ok bool) {
	lines := strings.Split(screen, "\n")
	edge := "█▀▀▀▀▀█"
	if inverted {
		edge = " ▄▄▄▄▄ "
	}
	for y, line := range lines {
		col := strings.Index(line, edge)
		if col < 0 || y+(n+1)/2 > len(lines) {
			continue
		}
		col = len([]rune(line[:col]))
		mods = make([][]bool, n)
		for i := range mods {
			mods[i] = make([]bool, n)
		}
		for row := 0; row < (n+1)/2; row++ {
			r := []rune(lines[y+row])
			for x := 0; x < n; x++ {
				c := ' '
				if col+x < len(r) {
					c = r[col+x]
				}
				top, bottom := c == '█' || c == '▀', c == '█' || c == '▄'
				if inverted {
					top, bottom = !top, !bottom
				}
				mods[2*row][x] = top
				if 2*row+1 < n {
					mods[2*row+1][x] = bottom
				}
			}
		}
		return mods, true
	}
	return nil, false
}

// checkSymbol checks what makes a QR code readable, on the modules as drawn: the three
// finder patterns, the timing patterns, and the format information, in both its copies, a
// valid BCH codeword saying error correction level L.
func checkSymbol(t *testing.T, m [][]bool) {
	t.Helper()
	n := len(m)
	if (n-17)%4 != 0 {
		t.Fatalf("%d modules a side is no QR version", n)
	}
	finder := func(x0, y0 int) {
		for y := 0; y < 7; y++ {
			for x := 0; x < 7; x++ {
				ring := max(abs(x-3), abs(y-3))
				if want := ring != 2; m[y0+y][x0+x] != want {
					t.Fatalf("finder at (%d,%d) wrong at (%d,%d)", x0, y0, x, y)
				}
			}
		}
	}
	finder(0, 0)
	finder(n-7, 0)
	finder(0, n-7)
	for i := 8; i < n-8; i++ {
		if m[6][i] != (i%2 == 0) || m[i][6] != (i%2 == 0) {
			t.Fatalf("timing pattern broken at %d", i)
		}
	}
	bit := func(x, y int) int {
		if m[y][x] {
			return 1
		}
		return 0
	}
	var first, second int
	for i := 0; i <= 5; i++ {
		first |= bit(8, i) << i
	}
	first |= bit(8, 7)<<6 | bit(8, 8)<<7 | bit(7, 8)<<8
	for i := 9; i < 15; i++ {
		first |= bit(14-i, 8) << i
	}
	for i := 0; i < 8; i++ {
		second |= bit(n-1-i, 8) << i
	}
	for i := 8; i < 15; i++ {
		second |= bit(8, n-15+i) << i
	}
	if first != second {
		t.Fatalf("the two copies of the format information differ: %015b, %015b", first, second)
	}
	v := first ^ 0x5412
	data := v >> 10
	rem := data
	for range 10 {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	if data<<10|rem&0x3ff != v {
		t.Fatalf("format information %015b is not a BCH codeword", first)
	}
	if ecl := data >> 3; ecl != 1 {
		t.Errorf("error correction level bits %02b, want 01 (L)", ecl)
	}
}

func abs(i int) int { return max(i, -i) }

// TestQRCodeOfTheWebsite: with a website set, the end of the last section shows a QR code of
// it; read back off the screen it is a well-formed symbol, module for module the one the
// library makes of the website's URL.
func TestQRCodeOfTheWebsite(t *testing.T) {
	q, err := qrcode.New("https://"+testWebsite, qrcode.Low)
	if err != nil {
		t.Fatal(err)
	}
	q.DisableBorder = true
	want := q.Bitmap()
	for _, tc := range []struct {
		name     string
		profile  colorprofile.Profile
		width    int
		inverted bool
	}{
		{"true colour, beside the card", colorprofile.TrueColor, 80, false},
		{"16 colours, under the card", colorprofile.ANSI, 44, false},
		{"no colour", colorprofile.ASCII, 80, true},
	} {
		m := press(t, New(withWebsite(testSite(t)), nil, Options{Width: tc.width, Height: 70, Profile: tc.profile, DarkBackground: true}), "3", "G")
		s := screen(t, m)
		got, ok := readQR(s, len(want), tc.inverted)
		if !ok {
			t.Fatalf("%s: no QR code at the end:\n%s", tc.name, s)
		}
		checkSymbol(t, got)
		for y := range want {
			for x := range want[y] {
				if got[y][x] != want[y][x] {
					t.Fatalf("%s: module (%d,%d) differs from the code of https://%s:\n%s", tc.name, x, y, testWebsite, s)
				}
			}
		}
		if !strings.Contains(s, "Scan for "+testWebsite) {
			t.Errorf("%s: no caption:\n%s", tc.name, s)
		}
	}
	// In colour the code is painted black on white whatever the terminal's colours.
	m := press(t, New(withWebsite(testSite(t)), nil, Options{Width: 80, Height: 70, Profile: colorprofile.TrueColor}), "3", "G")
	if v := m.View().Content; !strings.Contains(v, "\x1b[30;47m") {
		t.Error("the code is not painted black on white")
	}
}

func TestNoQRCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		site *content.Site
		opts Options
	}{
		{"no website", withLinks(testSite(t)), Options{Profile: colorprofile.TrueColor}},
		{"ASCII locale", withWebsite(testSite(t)), Options{Profile: colorprofile.TrueColor, ASCII: true}},
		{"accessible", withWebsite(testSite(t)), Options{Profile: colorprofile.TrueColor, Accessible: true}},
		{"too narrow", withWebsite(testSite(t)), Options{Profile: colorprofile.TrueColor, Width: 24}},
	} {
		if tc.opts.Width == 0 {
			tc.opts.Width = 80
		}
		tc.opts.Height = 70
		s := screen(t, press(t, New(tc.site, nil, tc.opts), "3", "G"))
		if strings.ContainsAny(s, "▀▄█") {
			t.Errorf("%s: a QR code is drawn:\n%s", tc.name, s)
		}
	}
}
