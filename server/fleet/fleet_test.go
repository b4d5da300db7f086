package fleet

import (
	"context"
	"io"
	"path/filepath"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"charm.land/log/v2"

	"portfolio/store"
)

// advance moves the synctest bubble's fake clock on by d: inside the bubble a sleep returns
// once every other goroutine of the bubble is blocked, at the fake time d later, and takes
// no wall time. It is how a test of code that runs on timers lets the timers fire.
func advance(d time.Duration) { time.Sleep(d) }

// openStore opens a real SQLite store; inside a synctest bubble, so that its clock is the
// bubble's.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func quiet() *log.Logger { return log.New(io.Discard) }

// running starts f.Run and returns a func that stops it and waits.
func running(f *Fleet) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// present is the sessions in "now": seen within PresentWithin.
func present(t *testing.T, st *store.Store) []store.Presence {
	t.Helper()
	return seenSince(t, st, time.Now().Add(-PresentWithin))
}

// allPresence is every presence row, however old.
func allPresence(t *testing.T, st *store.Store) []store.Presence {
	t.Helper()
	return seenSince(t, st, time.Time{})
}

func seenSince(t *testing.T, st *store.Store, since time.Time) []store.Presence {
	t.Helper()
	ps, err := st.Present(context.Background(), since)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestPresence: a session is in "now" after one flush, with its section once it changes,
// stays there for as long as it lives (refreshed), and is gone one flush after it ends; a
// machine that stops writing drops out within PresentWithin.
func TestPresence(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		defer st.Close()
		f := New(st, "m1", 0, quiet())
		stop := running(f)
		defer stop()

		f.Opened(store.Presence{Session: "s1", Addr: "192.0.2.0/24", Term: "xterm", Width: 80, Height: 24, Started: time.Now()})
		advance(FlushEvery)
		synctest.Wait()
		ps := present(t, st)
		if len(ps) != 1 || ps[0].Machine != "m1" || ps[0].Session != "s1" || ps[0].Addr != "192.0.2.0/24" {
			t.Fatalf("after one flush: %+v", ps)
		}
		f.Changed("s1", "projects", 100, 30)
		advance(FlushEvery)
		synctest.Wait()
		if ps := present(t, st); len(ps) != 1 || ps[0].Section != "projects" || ps[0].Width != 100 {
			t.Fatalf("after a change: %+v", ps)
		}

		// A machine that wrote once and died: its row ages out; the living one's does not.
		if err := st.PutPresence(context.Background(), []store.Presence{{Machine: "dead", Session: "s9", Started: time.Now()}}); err != nil {
			t.Fatal(err)
		}
		advance(2 * PresentWithin)
		synctest.Wait()
		if ps := present(t, st); len(ps) != 1 || ps[0].Session != "s1" {
			t.Fatalf("after %s: %+v, want only the living s1", 2*PresentWithin, ps)
		}
		if f.ReadingNow() != 1 {
			t.Errorf("reading now %d, want 1", f.ReadingNow())
		}

		f.Closed("s1")
		advance(FlushEvery)
		synctest.Wait()
		if ps := present(t, st); len(ps) != 0 {
			t.Fatalf("after the end: %+v", ps)
		}
	})
}

// TestStalePresence: the rows of a machine that died are deleted once unstamped for
// staleAfter, and a living machine whose rows were deleted behind its back (it could not
// reach the database for that long) writes them again at its next refresh.
func TestStalePresence(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		defer st.Close()
		dead := store.Presence{Machine: "dead", Session: "s9", Started: time.Now(), Seen: time.Now()}
		if err := st.PutPresence(context.Background(), []store.Presence{dead}); err != nil {
			t.Fatal(err)
		}
		f := New(st, "m1", 0, quiet())
		stop := running(f)
		defer stop()
		f.Opened(store.Presence{Session: "s1", Started: time.Now()})
		advance(FlushEvery)
		synctest.Wait()
		if ps := allPresence(t, st); len(ps) != 2 {
			t.Fatalf("before: %+v", ps)
		}

		advance(staleAfter + pruneEvery)
		synctest.Wait()
		if ps := allPresence(t, st); len(ps) != 1 || ps[0].Session != "s1" {
			t.Fatalf("after %s: %+v, want only the living s1", staleAfter+pruneEvery, ps)
		}

		if _, err := st.PrunePresence(context.Background(), time.Now().Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		advance(RefreshEvery + FlushEvery)
		synctest.Wait()
		if ps := present(t, st); len(ps) != 1 || ps[0].Session != "s1" {
			t.Fatalf("a refresh after its row was deleted: %+v, want s1 written again", ps)
		}
	})
}

// TestGoodbye: a stopping machine writes the visits left and drops its open rows.
func TestGoodbye(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		defer st.Close()
		f := New(st, "m1", 0, quiet())
		stop := running(f)
		f.Opened(store.Presence{Session: "s1", Started: time.Now()})
		advance(FlushEvery)
		synctest.Wait()
		f.Ended(store.Visit{Session: "s0", Start: time.Now(), Kind: "plain"})
		stop()
		if ps := present(t, st); len(ps) != 0 {
			t.Errorf("after the goodbye: %+v", ps)
		}
		vs, err := st.Visits(context.Background(), time.Time{})
		if err != nil || len(vs) != 1 || vs[0].Machine != "m1" {
			t.Errorf("visits after the goodbye: %+v, %v", vs, err)
		}
	})
}

// TestVisitsWait: while the database is gone, Ended never blocks, records wait, at most
// MaxQueued of them, the oldest dropped first and counted.
func TestVisitsWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		f := New(st, "m1", 0, quiet())
		stop := running(f)
		defer stop()
		st.Close() // the database is gone
		start := time.Now()
		for i := range MaxQueued + 5 {
			f.Ended(store.Visit{Session: "s" + strconv.Itoa(i), Start: start})
		}
		advance(3 * FlushEvery)
		synctest.Wait()
		if f.Queued() != MaxQueued || f.Dropped() != 5 {
			t.Fatalf("queued %d dropped %d, want %d and 5", f.Queued(), f.Dropped(), MaxQueued)
		}
		f.mu.Lock()
		oldest := f.queue[0].Session
		f.mu.Unlock()
		if oldest != "s5" {
			t.Errorf("the oldest waiting is %s, want s5", oldest)
		}
	})
}

// TestBatches: a long queue drains in batches, all of it, once the database answers.
func TestBatches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		defer st.Close()
		f := New(st, "m1", 0, quiet())
		start := time.Now()
		for i := range 3*batchSize + 7 {
			f.Ended(store.Visit{Session: "s" + strconv.Itoa(i), Start: start, Kind: "interactive", Duration: time.Second})
		}
		stop := running(f)
		advance(FlushEvery)
		synctest.Wait()
		stop()
		vs, err := st.Visits(context.Background(), time.Time{})
		if err != nil || len(vs) != 3*batchSize+7 || f.Queued() != 0 {
			t.Fatalf("%d visits stored, %d queued, %v", len(vs), f.Queued(), err)
		}
	})
}

// TestPrune: records older than the retention are deleted.
func TestPrune(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		defer st.Close()
		old := store.Visit{Machine: "m0", Session: "old", Start: time.Now().Add(-100 * 24 * time.Hour)}
		young := store.Visit{Machine: "m0", Session: "young", Start: time.Now().Add(-time.Hour)}
		if err := st.AddVisits(context.Background(), []store.Visit{old, young}); err != nil {
			t.Fatal(err)
		}
		f := New(st, "m1", 90*24*time.Hour, quiet())
		stop := running(f)
		advance(FlushEvery)
		synctest.Wait()
		stop()
		vs, err := st.Visits(context.Background(), time.Time{})
		if err != nil || len(vs) != 1 || vs[0].Session != "young" {
			t.Fatalf("after pruning: %+v, %v", vs, err)
		}
	})
}
