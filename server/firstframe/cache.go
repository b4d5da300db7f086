package firstframe

import (
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	lru "github.com/hashicorp/golang-lru/v2"
)

// DefaultCacheSize holds the first screens of a small site at the sizes, colour profiles,
// backgrounds and sections visitors commonly arrive with.
const DefaultCacheSize = 256

// Cache keeps painted frames, shared by every session of a server. Most visitors arrive
// with one of a few window sizes, colour profiles and backgrounds on the same first
// screen, so most first frames are a lookup. The key is the view's content itself (with
// the size, profile, $TERM and modes): whatever decides the content, the section, the
// cover, the palette chosen for the background, the locale's glyphs or a deep link's
// notice, can never give a visitor another visitor's frame.
type Cache struct {
	frames       *lru.Cache[frameKey, []byte]
	hits, misses atomic.Int64
}

type frameKey struct {
	width, height int
	profile       colorprofile.Profile
	term          string
	content       string
	modes         modes
	after         string
}

// modes is the part of a tea.View besides its content that the first frame writes.
type modes struct {
	noPaste  bool
	focus    bool
	mouse    tea.MouseMode
	title    string
	keyboard tea.KeyboardEnhancements
}

// NewCache returns a cache of at most size frames (DefaultCacheSize when size < 1).
func NewCache(size int) *Cache {
	if size < 1 {
		size = DefaultCacheSize
	}
	frames, err := lru.New[frameKey, []byte](size)
	if err != nil {
		panic(err) // only for a size < 1, excluded above
	}
	return &Cache{frames: frames}
}

// Paint is the package's Paint through the cache, followed by after: what the caller writes
// right behind the frame (the model's start-up queries, Leave), kept with it so that a visit
// writes one shared slice and copies nothing. The bytes returned are shared: the caller
// writes them and must not change them.
func (c *Cache) Paint(scr Screen, v tea.View, after string) ([]byte, bool) {
	if !Paintable(v) {
		return nil, false
	}
	k := frameKey{
		width: scr.Width, height: scr.Height, profile: scr.Profile, term: scr.term(),
		content: v.Content,
		modes: modes{
			noPaste: v.DisableBracketedPasteMode, focus: v.ReportFocus, mouse: v.MouseMode,
			title: v.WindowTitle, keyboard: v.KeyboardEnhancements,
		},
		after: after,
	}
	if b, ok := c.frames.Get(k); ok {
		c.hits.Add(1)
		return b, true
	}
	c.misses.Add(1)
	b, ok := Paint(scr, v)
	if ok {
		b = append(b, after...)
		c.frames.Add(k, b)
	}
	return b, ok
}

// Counts returns how many frames were found in the cache and how many were painted.
func (c *Cache) Counts() (hits, misses int64) { return c.hits.Load(), c.misses.Load() }
