package main

import (
	"bufio"
	"io"
	"os"
	"strings"
	"time"

	"charm.land/log/v2"
)

// stderrQuiet is how long the relay waits for more lines before it logs what it has: the
// lines of one report (a panic and its stack) arrive together and become one event.
const stderrQuiet = 100 * time.Millisecond

// captureStderr routes what libraries print to os.Stderr through the logger, so that a JSON
// or logfmt log stays one object per line. Bubble Tea's panic backstop (the panics the
// server's own catching cannot reach, see server/screen) prints its report there. The
// logger keeps writing to the original stderr file. It returns a function that puts
// os.Stderr back and logs what is left. Setting os.Stderr is main's business alone, like the
// default loggers.
func captureStderr(logger *log.Logger) (restore func(), err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	orig := os.Stderr
	os.Stderr = w
	done := make(chan struct{})
	go func() {
		defer close(done)
		relayStderr(r, logger)
	}()
	return func() {
		os.Stderr = orig
		_ = w.Close()
		<-done
		_ = r.Close()
	}, nil
}

// relayStderr logs the text read from r as "stderr" error events, one per burst of lines.
func relayStderr(r io.Reader, logger *log.Logger) {
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lines <- strings.TrimRight(sc.Text(), "\r")
		}
		// A line over 1 MiB ends the scan; drain the rest so writers never block.
		_, _ = io.Copy(io.Discard, r)
	}()
	var buf []string
	flush := func() {
		text := strings.TrimSpace(strings.Join(buf, "\n"))
		buf = buf[:0]
		if text != "" {
			logger.Error("stderr", "text", text)
		}
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				flush()
				return
			}
			buf = append(buf, line)
			if len(buf) >= 500 {
				flush()
			}
			timer.Reset(stderrQuiet)
		case <-timer.C:
			flush()
		}
	}
}
