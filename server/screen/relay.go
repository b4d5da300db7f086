package screen

import (
	"io"
	"sync"
)

// relayBuffer bounds what the relay holds for a program that is not reading yet: Bubble Tea
// reads without pause, so this only fills while a program is being woken.
const relayBuffer = 32 << 10

// inputRelay reads a visitor's input once and hands it to whichever program is drawing their
// screen now. A program that is put to sleep must not take a byte with it: Bubble Tea's
// reader on a non-file input cannot be cancelled mid-read, so a program reading the session
// directly would swallow the key that was meant to wake its successor. Here each program
// reads through its own relayReader, and a detached reader gets io.EOF instead of data.
type inputRelay struct {
	mu      sync.Mutex
	buf     []byte
	err     error         // the input's end; reported once buf is drained
	reader  *relayReader  // the one reader that may take bytes; nil while asleep
	changed chan struct{} // closed and replaced whenever buf, err or reader change
	closed  bool          // the screen is over: the pump stops at its next chance
	done    chan struct{} // closed when the pump has returned; see wait
}

func newInputRelay(src io.Reader) *inputRelay {
	r := &inputRelay{changed: make(chan struct{}), done: make(chan struct{})}
	go r.pump(src)
	return r
}

// pump copies src into the buffer until src ends (the session's channel closes).
func (r *inputRelay) pump(src io.Reader) {
	defer close(r.done)
	b := make([]byte, 1024) // visitors type, they do not stream: the read rate is capped anyway
	for {
		r.mu.Lock()
		for len(r.buf) >= relayBuffer && !r.closed {
			ch := r.changed
			r.mu.Unlock()
			<-ch
			r.mu.Lock()
		}
		closed := r.closed
		r.mu.Unlock()
		if closed {
			return // src's Read ends with the session's channel
		}

		n, err := src.Read(b)
		r.mu.Lock()
		r.buf = append(r.buf, b[:n]...)
		if err != nil {
			r.err = err
		}
		r.broadcast()
		r.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// broadcast wakes everyone waiting on a change; r.mu must be held.
func (r *inputRelay) broadcast() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// close ends the relay when the screen is over: a pump waiting for a program to drain its
// buffer would otherwise wait forever.
func (r *inputRelay) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	r.reader = nil
	r.broadcast()
}

// wait returns once the pump has: at once after close if it was waiting for room, else when
// its read of the input returns (an SSH channel's read ends when the channel closes).
func (r *inputRelay) wait() { <-r.done }

// attach returns the reader for the next program; any earlier reader is detached.
func (r *inputRelay) attach() *relayReader {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reader = &relayReader{relay: r}
	r.broadcast()
	return r.reader
}

// detach stops the current reader: its blocked and later reads return io.EOF, and what the
// visitor types next waits in the buffer for the next program. It returns how many bytes the
// reader took in all, to compare with an earlier taken().
func (r *inputRelay) detach() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n int64
	if r.reader != nil {
		n = r.reader.n
	}
	r.reader = nil
	r.broadcast()
	return n
}

// taken is how many bytes the current reader has taken so far.
func (r *inputRelay) taken() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reader == nil {
		return 0
	}
	return r.reader.n
}

// pending returns a channel that is closed once input is waiting (or the input has ended),
// for the sleeper to wait on, and whether that is so already.
func (r *inputRelay) pending() (<-chan struct{}, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.changed, len(r.buf) > 0 || r.err != nil
}

// ended reports whether the input has ended with nothing left to read.
func (r *inputRelay) ended() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.buf) == 0 && r.err != nil
}

// relayReader is one program's view of the visitor's input.
type relayReader struct {
	relay *inputRelay
	n     int64 // bytes taken; guarded by relay.mu
}

func (rr *relayReader) Read(p []byte) (int, error) {
	r := rr.relay
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		switch {
		case r.reader != rr:
			return 0, io.EOF
		case len(r.buf) > 0:
			n := copy(p, r.buf)
			r.buf = r.buf[n:]
			rr.n += int64(n)
			if len(r.buf) == 0 {
				r.buf = nil // let a large burst's array go
			}
			r.broadcast()
			return n, nil
		case r.err != nil:
			return 0, r.err
		}
		ch := r.changed
		r.mu.Unlock()
		<-ch
		r.mu.Lock()
	}
}
