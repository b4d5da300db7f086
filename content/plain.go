package content

import (
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// PlainText turns markdown into plain text with no markup and no escape sequences: one line
// per paragraph or heading, blocks separated by blank lines, links as "text (url)".
func PlainText(markdown string) string {
	src := []byte(markdown)
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	var blocks []string
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if b := plainBlock(n, src, ""); b != "" {
			blocks = append(blocks, b)
		}
	}
	return strings.Join(blocks, "\n\n")
}

func plainBlock(n ast.Node, src []byte, indent string) string {
	switch n := n.(type) {
	case *ast.Heading, *ast.Paragraph, *ast.TextBlock:
		return indent + strings.TrimSpace(plainInline(n, src))
	case *ast.List:
		var items []string
		i := n.Start
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			marker := "- "
			if n.IsOrdered() {
				marker = itoa(i) + ". "
				i++
			}
			var parts []string
			for c := item.FirstChild(); c != nil; c = c.NextSibling() {
				parts = append(parts, plainBlock(c, src, ""))
			}
			items = append(items, indent+marker+strings.Join(parts, "\n"+indent+"  "))
		}
		return strings.Join(items, "\n")
	case *ast.Blockquote:
		var parts []string
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			parts = append(parts, plainBlock(c, src, indent+"> "))
		}
		return strings.Join(parts, "\n"+indent+">\n")
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.WriteString(indent + "    " + strings.TrimRight(string(seg.Value(src)), "\n") + "\n")
		}
		return strings.TrimRight(b.String(), "\n")
	case *ast.ThematicBreak:
		return indent + "* * *"
	case *ast.HTMLBlock:
		return ""
	}
	return indent + strings.TrimSpace(plainInline(n, src))
}

func plainInline(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			b.WriteString(plainInline(c, src))
		case *ast.Link:
			label := plainInline(c, src)
			b.WriteString(label)
			if dest := string(c.Destination); dest != "" && dest != label && "mailto:"+label != dest {
				b.WriteString(" (" + dest + ")")
			}
		case *ast.AutoLink:
			b.Write(c.URL(src))
		case *ast.Image:
			b.WriteString(plainInline(c, src))
		case *ast.RawHTML:
		default:
			b.WriteString(plainInline(c, src))
		}
	}
	return b.String()
}

// Wrap breaks each line of s at spaces so that no line is wider than width columns (a
// single longer word keeps its own line). Indentation and "> " prefixes are kept.
func Wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	var out []string
	for _, line := range strings.Split(s, "\n") {
		out = append(out, wrapLine(line, width)...)
	}
	return strings.Join(out, "\n")
}

func wrapLine(line string, width int) []string {
	trimmed := strings.TrimLeft(line, " >-*0123456789.")
	prefix := line[:len(line)-len(trimmed)]
	hang := strings.Repeat(" ", utf8.RuneCountInString(prefix))
	if strings.HasPrefix(prefix, ">") || strings.HasPrefix(strings.TrimLeft(prefix, " "), ">") {
		hang = prefix
	}
	if utf8.RuneCountInString(line) <= width || strings.HasPrefix(prefix, "    ") {
		return []string{line}
	}
	var lines []string
	cur := prefix
	curLen := utf8.RuneCountInString(prefix)
	fresh := true
	for _, w := range strings.Fields(trimmed) {
		wl := utf8.RuneCountInString(w)
		if !fresh && curLen+1+wl > width {
			lines = append(lines, cur)
			cur, curLen, fresh = hang, utf8.RuneCountInString(hang), true
		}
		if !fresh {
			cur += " "
			curLen++
		}
		cur += w
		curLen += wl
		fresh = false
	}
	return append(lines, cur)
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
