package content

import (
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// FirstSentence returns the first sentence of the first paragraph of markdown, as plain
// text: headings are skipped (they name the part, they do not summarise it). A paragraph
// with no sentence end is returned whole.
func FirstSentence(markdown string) string {
	src := []byte(markdown)
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if _, ok := n.(*ast.Paragraph); !ok {
			continue
		}
		p := strings.TrimSpace(plainInline(n, src))
		if p == "" {
			continue
		}
		return cutSentence(p)
	}
	return ""
}

// cutSentence ends s after the first '.', '!' or '?' that is followed by a space and a
// capital letter (so "e.g. this" and "2.5 days" do not end it).
func cutSentence(s string) string {
	r := []rune(s)
	for i := 0; i+2 < len(r); i++ {
		if strings.ContainsRune(".!?", r[i]) && r[i+1] == ' ' && unicode.IsUpper(r[i+2]) {
			return string(r[:i+1])
		}
	}
	return s
}
