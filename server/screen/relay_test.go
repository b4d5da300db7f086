package screen

import (
	"errors"
	"io"
	"testing"
	"time"
)

// readWithin reads once from r, failing the test if nothing comes back in time.
func readWithin(t *testing.T, r io.Reader, within time.Duration) (string, error) {
	t.Helper()
	type got struct {
		s   string
		err error
	}
	ch := make(chan got, 1)
	go func() {
		b := make([]byte, 64)
		n, err := r.Read(b)
		ch <- got{string(b[:n]), err}
	}()
	select {
	case g := <-ch:
		return g.s, g.err
	case <-time.After(within):
		t.Fatalf("read still blocked after %s", within)
		return "", nil
	}
}

func TestRelayHandsInputToTheAttachedReaderOnly(t *testing.T) {
	src, w := io.Pipe()
	relay := newInputRelay(src)

	first := relay.attach()
	if _, err := w.Write([]byte("a")); err != nil {
		t.Fatal(err)
	}
	if s, err := readWithin(t, first, time.Second); s != "a" || err != nil {
		t.Fatalf("first reader got %q, %v; want \"a\"", s, err)
	}

	// A reader blocked when it is detached gets EOF, not the next key.
	blocked := make(chan error, 1)
	go func() {
		_, err := first.Read(make([]byte, 8))
		blocked <- err
	}()
	time.Sleep(20 * time.Millisecond)
	if n := relay.detach(); n != 1 {
		t.Errorf("detach says the reader took %d bytes, want 1", n)
	}
	select {
	case err := <-blocked:
		if !errors.Is(err, io.EOF) {
			t.Fatalf("detached reader got %v, want io.EOF", err)
		}
	case <-time.After(time.Second):
		t.Fatal("detached reader still blocked")
	}

	// What arrives while nobody reads waits, and wakes whoever waits on pending.
	wait, ready := relay.pending()
	if ready {
		t.Fatal("pending before any input")
	}
	if _, err := w.Write([]byte("j")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-wait:
	case <-time.After(time.Second):
		t.Fatal("pending not signalled by new input")
	}
	if _, ready := relay.pending(); !ready {
		t.Fatal("input not pending after it arrived")
	}
	if s, err := readWithin(t, first, time.Second); s != "" || !errors.Is(err, io.EOF) {
		t.Fatalf("detached reader read %q, %v after detach", s, err)
	}

	second := relay.attach()
	if s, err := readWithin(t, second, time.Second); s != "j" || err != nil {
		t.Fatalf("second reader got %q, %v; want the key typed while asleep", s, err)
	}

	// The end of the input reaches the reader, after what was typed before it.
	if _, err := w.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	_ = w.Close()
	if s, err := readWithin(t, second, time.Second); s != "q" || err != nil {
		t.Fatalf("got %q, %v; want \"q\"", s, err)
	}
	if _, err := readWithin(t, second, time.Second); !errors.Is(err, io.EOF) {
		t.Fatalf("after the input closed: %v, want io.EOF", err)
	}
	if !relay.ended() {
		t.Error("relay does not report the input's end")
	}
}

// A client streaming input at a program that is not reading cannot grow the buffer.
func TestRelayBoundsWhatItHolds(t *testing.T) {
	src, w := io.Pipe()
	relay := newInputRelay(src)
	chunk := make([]byte, 4096)
	wrote := make(chan int, 1)
	go func() {
		total := 0
		for total < 4*relayBuffer {
			n, err := w.Write(chunk)
			total += n
			if err != nil {
				break
			}
		}
		wrote <- total
	}()
	time.Sleep(100 * time.Millisecond)
	relay.mu.Lock()
	held := len(relay.buf)
	relay.mu.Unlock()
	if held > relayBuffer+len(chunk) {
		t.Errorf("relay holds %d bytes, bound %d", held, relayBuffer+len(chunk))
	}
	_ = src.Close()
	<-wrote
}

// A pump held back by a full buffer stops when the session ends, though nobody drains it.
func TestRelayPumpEndsWithTheSession(t *testing.T) {
	src, w := io.Pipe()
	defer src.Close()
	relay := newInputRelay(src)
	go func() {
		chunk := make([]byte, 4096)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}()
	deadline := time.Now().Add(2 * time.Second)
	for {
		relay.mu.Lock()
		full := len(relay.buf) >= relayBuffer
		relay.mu.Unlock()
		if full {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the buffer never filled")
		}
		time.Sleep(5 * time.Millisecond)
	}
	relay.close()
	stopped := make(chan struct{})
	go func() {
		relay.wait()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(2 * time.Second):
		t.Fatal("pump still waiting on a buffer nobody drains")
	}
}
