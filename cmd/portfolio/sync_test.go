package main

import (
	"bytes"
	"sync"
	"time"
)

// syncWriter is a sink (a log, a program's output) that the test reads while the code under
// test writes; waitFor wakes on every write.
type syncWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	grew chan struct{} // closed (and dropped) by the next write
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.grew != nil {
		close(w.grew)
		w.grew = nil
	}
	return w.buf.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor waits until what has been written satisfies ok, or within has passed (false).
func (w *syncWriter) waitFor(within time.Duration, ok func(written string) bool) bool {
	deadline := time.After(within)
	for {
		w.mu.Lock()
		written := w.buf.String()
		if w.grew == nil {
			w.grew = make(chan struct{})
		}
		grew := w.grew
		w.mu.Unlock()
		if ok(written) {
			return true
		}
		select {
		case <-grew:
		case <-deadline:
			return false
		}
	}
}

// poll asks ok every 10 ms until it holds (true) or within has passed (false): for what can
// only be asked for, such as an HTTP endpoint's answer, which announces no change.
func poll(within time.Duration, ok func() bool) bool {
	deadline := time.After(within)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !ok() {
		select {
		case <-tick.C:
		case <-deadline:
			return ok()
		}
	}
	return true
}
