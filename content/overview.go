package content

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// wordsPerMinute is a common adult reading speed for prose on a screen.
const wordsPerMinute = 200

// Summary is the section's one-line summary: the first sentence of its first paragraph, so
// the words are always the owner's own. Headings are skipped: they name, they do not
// summarise. It is "" for a section with no paragraph.
func (s Section) Summary() string {
	src := []byte(s.Markdown)
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	var para string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.Kind() {
		case ast.KindParagraph, ast.KindTextBlock:
			if entering {
				if para = strings.TrimSpace(inlineText(n, src)); para != "" {
					return ast.WalkStop, nil
				}
			}
		}
		return ast.WalkContinue, nil
	})
	return firstSentence(para)
}

// inlineText is the words of n and nothing else: links give their text, not their address.
func inlineText(n ast.Node, src []byte) string {
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
		case *ast.AutoLink:
			b.Write(c.Label(src))
		case *ast.RawHTML:
		default:
			b.WriteString(inlineText(c, src))
		}
	}
	return b.String()
}

// firstSentence cuts s after the first ".", "!" or "?" that a space follows. A dot inside a
// word ("B.Tech", "3.11") does not end a sentence.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for i := 0; i < len(s)-1; i++ {
		switch s[i] {
		case '.', '!', '?':
			if s[i+1] == ' ' {
				return s[:i+1]
			}
		}
	}
	return s
}

// ReadingTime is how many minutes the section takes to read, at least one.
func (s Section) ReadingTime() int {
	words := len(strings.Fields(s.Plain))
	return max(1, (words+wordsPerMinute/2)/wordsPerMinute)
}

// ReadingLabel is the reading time as a visitor reads it: "3 min".
func (s Section) ReadingLabel() string { return fmt.Sprintf("%d min", s.ReadingTime()) }

// DisplayName is whose portfolio this is: the owner's name when set, else the site's title.
func (s *Site) DisplayName() string {
	if n := strings.TrimSpace(s.Settings.Name); n != "" {
		return n
	}
	return s.Settings.Title
}

// Ellipsize cuts s to at most width runes, at a space when one is near the end, and marks
// the cut with ellipsis ("…", or "..." where Unicode cannot be shown).
func Ellipsize(s string, width int, ellipsis string) string {
	if utf8.RuneCountInString(s) <= width {
		return s
	}
	room := width - utf8.RuneCountInString(ellipsis)
	if room <= 0 {
		return string([]rune(ellipsis)[:max(0, width)])
	}
	r := []rune(s)[:room]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-") + ellipsis
}

// PlainOverview is what a visitor sees first in text: whose portfolio it is, the tagline,
// and every section with its number, title, reading time and one-line summary, wrapped at
// width columns (0: no wrapping). The result ends with a newline.
func (s *Site) PlainOverview(width int) string {
	var b strings.Builder
	b.WriteString(s.DisplayName() + "\n")
	if t := s.Settings.Tagline; t != "" {
		b.WriteString(Wrap(t, width) + "\n")
	}
	b.WriteString("\n")
	for i, sec := range s.Sections {
		num := fmt.Sprintf("%d. ", i+1)
		b.WriteString(Wrap(num+sec.Title+" ("+sec.ReadingLabel()+")", width) + "\n")
		if sum := sec.Summary(); sum != "" {
			indent := strings.Repeat(" ", len(num))
			w := width
			if w > 0 {
				w = max(1, w-len(num))
			}
			b.WriteString(indent + strings.ReplaceAll(Wrap(sum, w), "\n", "\n"+indent) + "\n")
		}
	}
	return b.String()
}
