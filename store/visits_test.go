package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func TestVisits(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		v1 := Visit{Machine: "m1", Session: "s1", Start: t0, Duration: 90 * time.Second, Kind: "ui", Reason: "quit",
			Client: "SSH-2.0-OpenSSH_9.6", PTY: true, Keys: 42,
			Sections: []SectionTime{{Slug: "education", Time: 30 * time.Second}, {Slug: "road-ahead", Time: time.Minute}}}
		v2 := Visit{Machine: "m2", Session: "s1", Start: t0.Add(time.Hour), Duration: time.Second, Kind: "plain", Command: "education", Sections: []SectionTime{}}
		old := Visit{Machine: "m1", Session: "s0", Start: t0.Add(-100 * 24 * time.Hour), Kind: "ui", Sections: []SectionTime{}}
		if err := s.AddVisits(ctx, []Visit{v1, v2, old}); err != nil {
			t.Fatal(err)
		}
		// A batch sent again (its commit was uncertain) is stored once.
		if err := s.AddVisits(ctx, []Visit{v1}); err != nil {
			t.Fatal(err)
		}
		vs, err := s.Visits(ctx, t0)
		if err != nil || !reflect.DeepEqual(vs, []Visit{v1, v2}) {
			t.Errorf("Visits = %+v, %v\nwant %+v", vs, err, []Visit{v1, v2})
		}
		n, err := s.PruneVisits(ctx, t0.Add(-90*24*time.Hour))
		if err != nil || n != 1 {
			t.Errorf("PruneVisits = %d, %v", n, err)
		}
		if vs, _ := s.Visits(ctx, time.Time{}); len(vs) != 2 {
			t.Errorf("after prune: %d visits", len(vs))
		}
	})
}

func TestPresence(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		p1 := Presence{Machine: "m1", Session: "a", Addr: "192.0.2.x", Client: "OpenSSH", Term: "xterm-256color", Width: 80, Height: 24,
			Section: "education", Started: t0, Seen: t0.Add(time.Second)}
		p2 := Presence{Machine: "m1", Session: "b", Started: t0.Add(time.Second), Seen: t0.Add(time.Second)}
		p3 := Presence{Machine: "m2", Session: "a", Started: t0.Add(2 * time.Second), Seen: t0.Add(-time.Minute)} // a dead machine's
		if err := s.PutPresence(ctx, []Presence{p1, p2, p3}); err != nil {
			t.Fatal(err)
		}
		// Refreshed: same row, new section and size.
		p1.Section, p1.Width, p1.Seen = "road-ahead", 120, t0.Add(2*time.Second)
		if err := s.PutPresence(ctx, []Presence{p1}); err != nil {
			t.Fatal(err)
		}
		ps, err := s.Present(ctx, t0)
		if err != nil || !reflect.DeepEqual(ps, []Presence{p1, p2}) {
			t.Errorf("Present = %+v, %v", ps, err)
		}
		// Touched: every row of m1 stamped at once, m2's left as they were.
		if n, err := s.TouchPresence(ctx, "m1", t0.Add(time.Hour)); err != nil || n != 2 {
			t.Fatalf("TouchPresence = %d, %v; want m1's 2 rows", n, err)
		}
		if ps, err := s.Present(ctx, t0.Add(time.Hour)); err != nil || len(ps) != 2 || ps[0].Machine != "m1" || ps[1].Machine != "m1" {
			t.Errorf("after TouchPresence: %+v, %v", ps, err)
		}
		if n, err := s.Reading(ctx, t0.Add(time.Hour)); err != nil || n != 2 {
			t.Errorf("Reading = %d, %v; want the 2 touched", n, err)
		}
		if err := s.DropPresence(ctx, "m1", []string{"b"}); err != nil {
			t.Fatal(err)
		}
		if ps, _ := s.Present(ctx, time.Time{}); len(ps) != 2 {
			t.Errorf("after dropping one: %+v", ps)
		}
		if err := s.DropPresence(ctx, "m1", nil); err != nil {
			t.Fatal(err)
		}
		if ps, _ := s.Present(ctx, time.Time{}); len(ps) != 1 || ps[0].Machine != "m2" {
			t.Errorf("after dropping m1: %+v", ps)
		}
		// The dead machine's row, never dropped by its machine, is pruned by age.
		if n, err := s.PrunePresence(ctx, t0); err != nil || n != 1 {
			t.Errorf("PrunePresence = %d, %v; want m2's 1 row", n, err)
		}
		if ps, _ := s.Present(ctx, time.Time{}); len(ps) != 0 {
			t.Errorf("after pruning: %+v", ps)
		}
		// A zero Seen is the time of the call.
		before := time.Now().Add(-time.Second)
		if err := s.PutPresence(ctx, []Presence{{Machine: "m3", Session: "z", Started: t0}}); err != nil {
			t.Fatal(err)
		}
		if ps, _ := s.Present(ctx, before); len(ps) != 1 || ps[0].Machine != "m3" {
			t.Errorf("zero Seen: %+v", ps)
		}
	})
}
