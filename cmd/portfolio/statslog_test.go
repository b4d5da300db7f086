package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/stats"
)

// TestStatsReadsEveryLogFormat runs the real server in each log format, makes the same
// visits, and checks that `portfolio stats` counts them all from that log with no bad line.
func TestStatsReadsEveryLogFormat(t *testing.T) {
	for _, format := range []string{"text", "logfmt", "json"} {
		t.Run(format, func(t *testing.T) {
			m := NewMain()
			logs := &syncWriter{}
			m.Stderr = logs
			if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--database", filepath.Join(t.TempDir(), "portfolio.db"), "--host-key-path", filepath.Join(t.TempDir(), "key"),
				"--log-format", format}, nil); err != nil {
				t.Fatal(err)
			}
			if err := m.Run(); err != nil {
				t.Fatal(err)
			}
			client, err := gossh.Dial("tcp", m.Addr().String(), &gossh.ClientConfig{
				User: "v", HostKeyCallback: gossh.FixedHostKey(m.Server.HostKey().Signer.PublicKey()),
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, cmd := range []string{"education", "help", "no-such-thing"} {
				sess, err := client.NewSession()
				if err != nil {
					t.Fatal(err)
				}
				_, _ = sess.Output(cmd) // the last one fails on purpose
			}
			client.Close()
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			// Close waits for the sessions, so their end events are in the log.
			rep, err := stats.Analyze(strings.NewReader(logs.String()), stats.Options{})
			if err != nil {
				t.Fatal(err)
			}
			views := map[string]int{}
			for _, s := range rep.SectionViews {
				views[s.Slug] = s.Views
			}
			if rep.Bad != 0 || rep.Visits != 3 || rep.PlainReaders != 3 || rep.Unfinished != 0 || views["education"] != 1 {
				t.Errorf("%d bad lines, %d visits, %d plain readers, %d unfinished, views %v; log:\n%s",
					rep.Bad, rep.Visits, rep.PlainReaders, rep.Unfinished, views, logs.String())
			}
			// The text format's clock has no zone: read as UTC, it may be hours off.
			if rep.First.IsZero() || time.Since(rep.First).Abs() > 26*time.Hour {
				t.Errorf("first event at %v", rep.First)
			}
		})
	}
}
