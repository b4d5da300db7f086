package ui

import (
	"container/list"
	"sync"
)

// pageCache is a least-recently-used cache of rendered pages bounded by their size in
// bytes, not their number: one long section rendered at a dozen widths must not hold a
// dozen times its rendered size (a 5 MB section renders to ~42 MB). A page larger than the
// whole budget is served but not kept.
type pageCache struct {
	mu    sync.Mutex
	max   int64
	used  int64
	order *list.List // front: most recently used; values are *cached
	items map[pageKey]*list.Element
}

type cached struct {
	key  pageKey
	page *page
	size int64
}

func newPageCache(maxBytes int64) *pageCache {
	return &pageCache{max: maxBytes, order: list.New(), items: map[pageKey]*list.Element{}}
}

// get returns the cached page for key and marks it recently used.
func (c *pageCache) get(key pageKey) (*page, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cached).page, true
}

// add stores p under key, evicting the least recently used pages until the total fits.
func (c *pageCache) add(key pageKey, p *page) {
	size := p.bytes()
	c.mu.Lock()
	defer c.mu.Unlock()
	if size > c.max {
		return
	}
	if e, ok := c.items[key]; ok {
		c.used -= e.Value.(*cached).size
		c.order.Remove(e)
	}
	for c.used+size > c.max {
		oldest := c.order.Back()
		old := c.order.Remove(oldest).(*cached)
		delete(c.items, old.key)
		c.used -= old.size
	}
	c.items[key] = c.order.PushFront(&cached{key: key, page: p, size: size})
	c.used += size
}

// stats returns how many pages the cache holds and their size in bytes.
func (c *pageCache) stats() (pages int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.used
}

// bytes estimates the memory a page holds: its strings, an eighth more for the allocator's
// size classes, and the slices of string headers.
func (p *page) bytes() int64 {
	const header = 16 // a string header, for each line and its plain text
	var text int64
	for i := range p.lines {
		text += int64(len(p.lines[i]) + len(p.plain[i]))
	}
	return 64 + text + text/8 + int64(len(p.lines))*2*header
}
