package screen

import (
	"io"
	"sync/atomic"
	"time"
)

// programOutput is one program's writer to the visitor. It notes when the program last drew,
// and drops everything once the program is put to sleep: a killed program still writes the
// sequences that leave the alternate screen and reset the terminal, and the visitor must
// keep the screen as it was.
type programOutput struct {
	w         io.Writer
	discard   atomic.Bool
	lastWrite atomic.Int64 // unix nanoseconds
}

func (o *programOutput) Write(p []byte) (int, error) {
	if o.discard.Load() {
		return len(p), nil
	}
	o.lastWrite.Store(time.Now().UnixNano())
	return o.w.Write(p)
}

// quietFor is how long the program has written nothing. A program that has not written
// its first frame yet is not quiet at all: on a loaded machine its start can take longer
// than the sleep delay, and putting it to sleep then would leave the visitor's screen as it
// was before the key or resize that woke it (and drop what that key asked for).
func (o *programOutput) quietFor(now time.Time) time.Duration {
	last := o.lastWrite.Load()
	if last == 0 {
		return 0
	}
	return now.Sub(time.Unix(0, last))
}
