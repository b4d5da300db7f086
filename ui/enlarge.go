package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// enlargeScreen asks for a bigger window, centred, never wider or taller than the window:
// the words wrap to the window's width rather than being cut.
func (m *Model) enlargeScreen() string {
	minW, minH := m.minSize()
	text := "Please enlarge your window to at least " + strconv.Itoa(minW) + "x" + strconv.Itoa(minH) +
		". It is " + strconv.Itoa(m.width) + "x" + strconv.Itoa(m.height) + " now. q quits."
	if m.page == nil && !m.tooSmall() {
		text = "Nothing to show yet. q quits."
	}
	var lines []string
	for _, l := range strings.Split(wrapWords(text, m.width), "\n") {
		lines = append(lines, ansi.Truncate(l, m.width, ""))
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	top := (m.height - len(lines)) / 2
	var b strings.Builder
	for range top {
		b.WriteByte('\n')
	}
	for i, l := range lines {
		b.WriteString(spaces((m.width - ansi.StringWidth(l)) / 2))
		b.WriteString(m.st.enlarge.Render(l))
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// wrapWords breaks s at spaces into lines of at most w columns (a longer word keeps a line).
func wrapWords(s string, w int) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= w:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return strings.Join(append(lines, line), "\n")
}
