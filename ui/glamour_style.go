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
	}
	return l
}

// glamourStyle builds the glamour style for a look. It starts from glamour's own dark, light
// or ASCII style and patches what a portfolio needs: no colours where the terminal has none,
// ASCII glyphs where the locale is not UTF-8.
func glamourStyle(l look) ansi.StyleConfig {
	var s ansi.StyleConfig
	switch {
	case l.ink == inkPlain:
		// glamour's ASCII style spells emphasis as **bold** and *italic*, which is the only
		// emphasis that survives a terminal without attributes.
		s = gstyles.ASCIIStyleConfig
	case l.dark:
		s = gstyles.DarkStyleConfig
	default:
		s = gstyles.LightStyleConfig
	}
	switch l.ink {
	case inkAttrs:
		s = withoutColour(s)
	case inkColour:
		// Colour and bold already mark a heading; the "## " prefix is noise there.
		s.H2.Prefix, s.H3.Prefix = "", ""
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
	} else if l.ink == inkPlain {
		// The ASCII style is also glamour's no-TTY style; a UTF-8 visitor still gets a bullet.
		s.Item.BlockPrefix = "• "
	}
	if l.access {
		s = accessibleStyle(s)
	}
	return s
}

// withoutColour drops every colour from the block and text styles a portfolio uses, keeping
// bold, italic and underline, so emphasis stays visible under NO_COLOR. The top heading gets
// an underline in place of its background band.
func withoutColour(s ansi.StyleConfig) ansi.StyleConfig {
	for _, p := range []*ansi.StylePrimitive{
		&s.Document.StylePrimitive, &s.BlockQuote.StylePrimitive, &s.Paragraph.StylePrimitive,
		&s.List.StylePrimitive, &s.Heading.StylePrimitive, &s.H1.StylePrimitive,
		&s.H2.StylePrimitive, &s.H3.StylePrimitive, &s.H4.StylePrimitive,
		&s.H5.StylePrimitive, &s.H6.StylePrimitive, &s.Text, &s.Strikethrough, &s.Emph,
		&s.Strong, &s.HorizontalRule, &s.Item, &s.Enumeration, &s.Task.StylePrimitive,
		&s.Link, &s.LinkText, &s.Image, &s.ImageText, &s.Code.StylePrimitive,
		&s.CodeBlock.StylePrimitive, &s.Table.StylePrimitive,
		&s.DefinitionList.StylePrimitive, &s.DefinitionTerm, &s.DefinitionDescription,
		&s.HTMLBlock.StylePrimitive, &s.HTMLSpan.StylePrimitive,
	} {
		p.Color, p.BackgroundColor = nil, nil
	}
	s.CodeBlock.Chroma = nil
	s.H1.Underline = boolPtr(true)
	return s
}

func strPtr(s string) *string { return &s }
func boolPtr(b bool) *bool    { return &b }
