package fleet

import (
	"context"
	"strconv"
	"testing"
	"time"

	"portfolio/store"
	"portfolio/store/pgtest"
)

// TestPostgreSQLAwayAndBack: on a real PostgreSQL that stops (like a crash) and comes back,
// visits that end meanwhile wait and are written once it answers, Ended never waits for
// it, and the open session's row is back too.
func TestPostgreSQLAwayAndBack(t *testing.T) {
	c := pgtest.NewCluster(t)
	url := c.Database(t)
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := New(st, "m1", 0, quiet())
	stop := running(f)
	defer stop()
	f.Opened(store.Presence{Session: "reader", Started: time.Now()})

	c.Stop(t)
	start := time.Now()
	for i := range 50 {
		f.Ended(store.Visit{Session: "v" + strconv.Itoa(i), Start: start, Kind: "plain", Command: "help"})
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("50 visits took %s to end with the database away", d)
	}
	f.Flush()
	c.Start(t)
	waitUntil(t, 30*time.Second, func() bool { return f.Queued() == 0 })
	vs, err := st.Visits(ctx, time.Time{})
	if err != nil || len(vs) != 50 {
		t.Fatalf("%d visits stored after the database came back, %v", len(vs), err)
	}
	waitUntil(t, 30*time.Second, func() bool {
		ps, err := st.Present(ctx, time.Now().Add(-PresentWithin))
		return err == nil && len(ps) == 1
	})
}

// waitUntil polls cond on a ticker until it holds, or fails after within.
func waitUntil(t *testing.T, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s", within)
		}
		<-tick.C
	}
}
