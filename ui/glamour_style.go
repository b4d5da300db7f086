package ui

import (
	"charm.land/glamour/v2/ansi"
	gstyles "charm.land/glamour/v2/styles"
)

// look is how the body should be drawn for one visitor; it is part of the render cache key, so
// it holds only what changes glamour's output.
type look struct {
	// ink is what the terminal can show: full colour, attributes only (bold, italic, but no
	// colour: NO_COLOR), or nothing at all (TERM=dumb), where emphasis must be spelled out.
	ink  ink
	dark bool // only meaningful with inkColour; normalised to false otherwise
	// ascii: the visitor's locale is not UTF-8, so bullets, rules and dashes become ASCII.
	ascii bool
	// access: accessible mode (see accessible.go); always with inkPlain.
	access bool
	pal    palette // the colours (empty without colour)
	// write: the message form is on, and the cover and the last section say how to open it.
	write bool
}

type ink uint8

const (
	inkColour ink = iota // colours and attributes
	inkAttrs             // bold/italic/underline, no colour (colorprofile.Ascii)
	inkPlain             // no escape sequences survive (colorprofile.NoTTY): markers instead
)

func (l look) normalised() look {
	if l.ink != inkColour {
		l.dark = false
		l.pal = palette{}
	}
	return l
}

// glamourStyle builds the portfolio's own glamour style for a look: the body in the
// terminal's own foreground, headings in the accent (no background band: the tabs already
// name the section, so the body does not repeat its title), subheadings muted, strong text
// and links in the accent, rules faint. Without colour the same structure keeps bold, italic
// and underline; with no attributes at all (inkPlain) glamour's ASCII style spells emphasis
// out as **bold** and *italic*.
func glamourStyle(l look) ansi.StyleConfig {
	var s ansi.StyleConfig
	if l.ink == inkPlain {
		s = gstyles.ASCIIStyleConfig
		if !l.ascii {
			// The ASCII style is also glamour's no-TTY style; a UTF-8 visitor still gets a bullet.
			s.Item.BlockPrefix = "• "
		}
	} else {
		s = portfolioStyle(l.pal)
	}
	if l.ascii {
		s.Item.BlockPrefix = "* "
		s.BlockQuote.IndentToken = strPtr("| ")
		s.HorizontalRule.Format = "\n--------\n"
		s.Task.Ticked = "[x] "
		s.Task.Unticked = "[ ] "
		s.ImageText.Format = "Image: {{.text}} ->"
		s.Table.CenterSeparator = strPtr("|")
		s.Table.ColumnSeparator = strPtr("|")
		s.Table.RowSeparator = strPtr("-")
		if s.Code.Prefix != "" { // glamour pads code spans with no-break spaces
			s.Code.Prefix, s.Code.Suffix = " ", " "
		}
	}
	if l.access {
		s = accessibleStyle(s)
	}
	return s
}

// portfolioStyle is the style for a palette (the empty palette: attributes only).
func portfolioStyle(p palette) ansi.StyleConfig {
	col := func(c string) *string {
		if c == "" {
			return nil
		}
		return strPtr(c)
	}
	accent, muted, faint := col(p.accent), col(p.muted), col(p.faint)
	t := boolPtr(true)
	heading := func(c *string, prefix string) ansi.StyleBlock {
		return ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{Prefix: prefix, Color: c, Bold: t}}
	}
	h1 := heading(accent, "")
	h1.Underline = t // the top heading also stands out with no colour at all
	return ansi.StyleConfig{
		Document: ansi.StyleBlock{
			StylePrimitive: ansi.StylePrimitive{BlockPrefix: "\n", BlockSuffix: "\n"},
			Margin:         uintPtr(bodyMargin),
		},
		BlockQuote: ansi.StyleBlock{
			StylePrimitive: ansi.StylePrimitive{Color: muted, Italic: t},
			Indent:         uintPtr(1),
			IndentToken:    strPtr("│ "),
		},
		List:          ansi.StyleList{LevelIndent: 2},
		Heading:       ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{BlockSuffix: "\n", Bold: t}},
		H1:            h1,
		H2:            heading(accent, ""),
		H3:            heading(muted, ""),
		H4:            heading(muted, ""),
		H5:            heading(muted, ""),
		H6:            heading(muted, ""),
		Strikethrough: ansi.StylePrimitive{CrossedOut: t},
		Emph:          ansi.StylePrimitive{Italic: t},
		Strong:        ansi.StylePrimitive{Bold: t, Color: accent},
		HorizontalRule: ansi.StylePrimitive{
			Color: faint, Format: "\n────────\n",
		},
		Item:        ansi.StylePrimitive{BlockPrefix: "• "},
		Enumeration: ansi.StylePrimitive{BlockPrefix: ". "},
		Task:        ansi.StyleTask{Ticked: "[✓] ", Unticked: "[ ] "},
		Link:        ansi.StylePrimitive{Color: accent, Underline: t},
		LinkText:    ansi.StylePrimitive{Color: accent, Bold: t},
		Image:       ansi.StylePrimitive{Color: accent, Underline: t},
		ImageText:   ansi.StylePrimitive{Color: muted, Format: "Image: {{.text}} →"},
		Code: ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{
			Prefix: "\u00a0", Suffix: "\u00a0", Color: accent,
		}},
		CodeBlock: ansi.StyleCodeBlock{StyleBlock: ansi.StyleBlock{
			StylePrimitive: ansi.StylePrimitive{Color: muted},
			Margin:         uintPtr(bodyMargin),
		}},
		Table: ansi.StyleTable{
			StyleBlock:      ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{Color: nil}},
			CenterSeparator: strPtr("┼"), ColumnSeparator: strPtr("│"), RowSeparator: strPtr("─"),
		},
		DefinitionDescription: ansi.StylePrimitive{BlockPrefix: "\n→ "},
	}
}

func strPtr(s string) *string { return &s }
func boolPtr(b bool) *bool    { return &b }
