package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchEngines runs a benchmark on each engine.
func benchEngines(b *testing.B, f func(b *testing.B, s *Store)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) { f(b, openTest(b, engine)) })
	}
}

// BenchmarkTakeMessage: one visitor's message with two notifications, limits checked, in
// its transaction (SQLite with synchronous=FULL: each one is on disk when it returns).
func BenchmarkTakeMessage(b *testing.B) {
	benchEngines(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		i := 0
		for b.Loop() {
			i++
			// A new hour every 90 messages, so no limit refuses one.
			now := t0.Add(time.Duration(i/90) * time.Hour)
			if _, _, err := s.TakeMessage(ctx, Draft{Text: "hello", Source: fmt.Sprint(i), Channels: []string{"webhook", "email"}}, now); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPutPresence1000: a machine refreshing the rows of 1,000 open sessions.
func BenchmarkPutPresence1000(b *testing.B) {
	benchEngines(b, func(b *testing.B, s *Store) {
		ps := make([]Presence, 1000)
		for i := range ps {
			ps[i] = Presence{Machine: "m", Session: fmt.Sprint(i), Addr: "192.0.2.x", Client: "OpenSSH", Term: "xterm", Width: 80, Height: 24, Section: "education", Started: t0}
		}
		for b.Loop() {
			if err := s.PutPresence(context.Background(), ps); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMessagesFull: the whole inbox at its cap of 10,000 messages.
func BenchmarkMessagesFull(b *testing.B) {
	benchEngines(b, func(b *testing.B, s *Store) {
		fill(b, s, maxStored, "unread", t0)
		for b.Loop() {
			if ms, err := s.Messages(context.Background(), Filter{}); err != nil || len(ms) != maxStored {
				b.Fatal(len(ms), err)
			}
		}
	})
}
