package guard

// SizeLimits bounds the terminal size a client can make the server allocate (MaxWidth and
// MaxHeight, limits.go, give the reason for the guard's).
type SizeLimits struct {
	MaxWidth, MaxHeight int // columns and rows; values above are clamped
}

// Clamp clamps a claimed size to the limits. ok is false for a size that
// cannot be drawn into (zero or negative), which callers refuse or ignore:
// a zero size is what a closed window-change channel yields, and
// clamping it up would invent a resize.
func (l SizeLimits) Clamp(w, h int) (int, int, bool) {
	if w <= 0 || h <= 0 {
		return 0, 0, false
	}
	return min(w, l.MaxWidth), min(h, l.MaxHeight), true
}
