package content

import (
	"strings"
	"unicode/utf8"
)

// Columns lays out terms and their descriptions as an indented two-column list no wider
// than width: the descriptions start in one column and wrap under themselves. When the
// terms are too wide to leave a description column of at least a third of the width, each
// description goes on its own line under its term instead. Terms (commands to copy) are
// never broken. The result ends with a newline.
func Columns(rows [][2]string, width int) string {
	const indent, gap = 2, 2
	termW := 0
	for _, r := range rows {
		termW = max(termW, utf8.RuneCountInString(r[0]))
	}
	descCol := indent + termW + gap
	stacked := descCol > width-width/3
	var b strings.Builder
	for _, r := range rows {
		term, desc := r[0], r[1]
		if stacked {
			b.WriteString(strings.Repeat(" ", indent) + term + "\n")
			pad := strings.Repeat(" ", 2*indent)
			b.WriteString(pad + strings.ReplaceAll(Wrap(desc, max(1, width-2*indent)), "\n", "\n"+pad) + "\n")
			continue
		}
		lines := strings.Split(Wrap(desc, max(1, width-descCol)), "\n")
		b.WriteString(strings.Repeat(" ", indent) + term + strings.Repeat(" ", descCol-indent-utf8.RuneCountInString(term)) + lines[0] + "\n")
		for _, l := range lines[1:] {
			b.WriteString(strings.Repeat(" ", descCol) + l + "\n")
		}
	}
	return b.String()
}
