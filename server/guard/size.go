package guard

// Default window size limits. Bubble Tea's screen buffers cost about 250
// bytes per cell (measured: a 320x120 session adds about 10 MB of heap), so
// the largest size a client may claim bounds its session's memory: 300x100
// (about 8 MB) covers a maximised terminal on a large monitor, and the
// narrative is centred at a readable width anyway. A bigger terminal
// still works; the UI just does not use the extra cells.
const (
	DefaultMaxWidth  = 300
	DefaultMaxHeight = 100
	// DefaultWidth and DefaultHeight replace a zero size in a pty-req,
	// which the protocol allows when the client does not know its size.
	DefaultWidth  = 80
	DefaultHeight = 24
)

// SizeLimits bounds the terminal size a client can make the server allocate.
type SizeLimits struct {
	MaxWidth, MaxHeight int // columns and rows; values above are clamped
}

// DefaultSizeLimits returns the package defaults.
func DefaultSizeLimits() SizeLimits {
	return SizeLimits{MaxWidth: DefaultMaxWidth, MaxHeight: DefaultMaxHeight}
}

// Clamp clamps a claimed size to the limits. ok is false for a size that
// cannot be drawn into (zero or negative), which callers refuse or ignore:
// a zero size is what a closed window-change channel yields, and
// clamping it up would invent a resize.
func (l SizeLimits) Clamp(w, h int) (int, int, bool) {
	if w <= 0 || h <= 0 {
		return 0, 0, false
	}
	return min(w, l.maxW()), min(h, l.maxH()), true
}

func (l SizeLimits) maxW() int {
	if l.MaxWidth <= 0 {
		return DefaultMaxWidth
	}
	return l.MaxWidth
}

func (l SizeLimits) maxH() int {
	if l.MaxHeight <= 0 {
		return DefaultMaxHeight
	}
	return l.MaxHeight
}

// ClampSize clamps a claimed size to the default limits (see
// SizeLimits.Clamp).
func ClampSize(w, h int) (int, int, bool) {
	return DefaultSizeLimits().Clamp(w, h)
}
