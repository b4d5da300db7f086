package outbox

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"portfolio/store"
	"portfolio/store/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// advance moves a synctest bubble's fake clock on by d: inside the bubble a sleep returns
// once every other goroutine of the bubble is blocked, at the fake time d later, and takes no
// wall time. The worker runs on timers (backoff, polling), so this is how its tests wait.
func advance(d time.Duration) { time.Sleep(d) }

// engines runs f with the address of a fresh database of each engine: a SQLite file, and a
// PostgreSQL database on the test binary's throw-away cluster.
func engines(t *testing.T, f func(t *testing.T, dsn string)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "portfolio.db")
			if engine == "postgres" {
				dsn = pgtest.Start(t)
			}
			f(t, dsn)
		})
	}
}

// openStore opens the store at dsn (a fresh SQLite file when dsn is empty); inside a
// synctest bubble, so that its connections belong to the bubble.
func openStore(t *testing.T, dsn ...string) *store.Store {
	t.Helper()
	at := filepath.Join(t.TempDir(), "portfolio.db")
	if len(dsn) > 0 {
		at = dsn[0]
	}
	st, err := store.Open(t.Context(), at)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// take stores a message as a visitor's form would, queueing cfg's channels.
func take(t *testing.T, st *store.Store, cfg Config, d store.Draft) int64 {
	t.Helper()
	if d.Source == "" {
		d.Source = "test " + d.Text
	}
	d.Channels = Channels(cfg)
	id, _, err := st.TakeMessage(t.Context(), d, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func message(t *testing.T, st *store.Store, id int64) store.Message {
	t.Helper()
	m, err := st.Message(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// delivery is message id's only delivery on channel.
func delivery(t *testing.T, st *store.Store, id int64, channel string) store.Delivery {
	t.Helper()
	var found []store.Delivery
	for _, d := range message(t, st, id).Deliveries {
		if d.Channel == channel {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("message %d has %d %s deliveries, want 1", id, len(found), channel)
	}
	return found[0]
}

// start runs w until the returned stop is called; stop returns once Run has.
func start(t *testing.T, w *Worker) (stop func()) {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		w.Run(ctx)
		close(done)
	}()
	return func() {
		cancel()
		<-done
	}
}

// counted is what the worker's metrics hook was called with, and when (the bubble's clock).
type counted struct {
	mu    sync.Mutex
	calls []countCall
}

type countCall struct {
	channel, result string
	at              time.Time
}

func (c *counted) count(channel, result string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, countCall{channel, result, time.Now()})
}

func (c *counted) results(channel string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, call := range c.calls {
		if call.channel == channel {
			out = append(out, call.result)
		}
	}
	return out
}

// receiver is a real HTTP server that answers the webhook with the statuses it was given,
// one per request, and 200 once they are used up. It runs outside any synctest bubble.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	got      []received
	entered  chan struct{} // a request arrived (when a test is waiting for one)
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	r := &receiver{statuses: statuses, entered: make(chan struct{}, 1)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{req.Header.Clone(), body})
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		r.mu.Unlock()
		select {
		case r.entered <- struct{}{}:
		default:
		}
		if status == 0 { // hang until the client goes away
			<-req.Context().Done()
			return
		}
		w.WriteHeader(status)
		if status >= 300 {
			io.WriteString(w, "{\"message\": \"no\x1b[31m thanks\"}\n")
		}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}
