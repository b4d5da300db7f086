package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// traceMain connects once to a running server and prints every chunk of output with its
// arrival time, so redundant frames at start (or after a key) are visible:
//
//	sshload trace --addr 127.0.0.1:23234 --for 1s --keys jjk --raw
func traceMain(args []string) error {
	fs := flag.NewFlagSet("trace", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:23234", "server address (loopback only)")
	dur := fs.Duration("for", time.Second, "how long to watch (at most 1m)")
	keys := fs.String("keys", "", "keys to send, one every --key-gap, after the first output")
	gap := fs.Duration("key-gap", 200*time.Millisecond, "pause between keys")
	raw := fs.Bool("raw", false, "print each chunk's bytes, quoted")
	width := fs.Int("width", 80, "PTY width")
	height := fs.Int("height", 24, "PTY height")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkLoopback(*addr); err != nil {
		return err
	}
	*dur = min(*dur, time.Minute)
	d := &dialer{addr: *addr, timeout: 10 * time.Second, width: *width, height: *height, term: "xterm-256color"}
	ctx, cancel := context.WithTimeout(context.Background(), *dur+10*time.Second)
	defer cancel()
	t0 := time.Now()
	s, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Printf("%9.3f ms  session open\n", ms(time.Since(t0)))
	end := time.NewTimer(*dur)
	defer end.Stop()
	pending := []byte(*keys)
	var nextKey <-chan time.Time
	total := 0
	for {
		select {
		case <-end.C:
			fmt.Printf("%9.3f ms  done, %d bytes\n", ms(time.Since(t0)), total)
			return nil
		case <-nextKey:
			fmt.Printf("%9.3f ms  key %q\n", ms(time.Since(t0)), pending[0])
			if _, err := s.stdin.Write(pending[:1]); err != nil {
				return err
			}
			pending = pending[1:]
			nextKey = nil
			if len(pending) > 0 {
				nextKey = time.After(*gap)
			}
		case c := <-s.out:
			total += len(c.b)
			fmt.Printf("%9.3f ms  %5d bytes", ms(c.at.Sub(t0)), len(c.b))
			if *raw {
				fmt.Printf("  %q", c.b)
			}
			fmt.Println()
			if total == len(c.b) && len(pending) > 0 {
				nextKey = time.After(*gap)
			}
		case <-s.done:
			if err, _ := s.readErr.Load().(error); err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			fmt.Fprintln(os.Stdout, "session ended")
			return nil
		}
	}
}
