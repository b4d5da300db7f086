package console

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"

	"portfolio/store"
)

// BenchmarkInboxView is one frame of the inbox list with 500 long messages (the owner
// moving through it with j/k draws one per key).
func BenchmarkInboxView(b *testing.B) {
	m := newModel(b, nil, 120, 40, colorprofile.TrueColor, true)
	m.active, m.inbox.loaded = inboxScreen, true
	text := strings.Repeat("A paragraph of a visitor's message, long enough to matter. ", 34)
	for i := range 500 {
		m.inbox.msgs = append(m.inbox.msgs, store.Message{ID: int64(i + 1), Time: time.Now(), Text: text,
			Name: "Grace Hopper", Status: "unread", Notified: "sent"})
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
