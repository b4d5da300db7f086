package server

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"portfolio/server/guard"
)

// TestThirdSessionChannelRefused: at most two session channels per connection.
func TestThirdSessionChannelRefused(t *testing.T) {
	ts := newTestServer(t, nil, withTicker)
	client := ts.dial(t, "")
	var open []*gossh.Session
	for range 2 {
		s, err := client.NewSession()
		if err != nil {
			t.Fatalf("session %d: %v", len(open)+1, err)
		}
		open = append(open, s)
	}
	_, err := client.NewSession()
	var oce *gossh.OpenChannelError
	if !errors.As(err, &oce) || oce.Reason != gossh.ResourceShortage {
		t.Fatalf("third session channel: %v, want a ResourceShortage refusal", err)
	}
	_ = open[0].Close()
	waitUntil(t, func() bool {
		s, err := client.NewSession()
		if err == nil {
			_ = s.Close()
		}
		return err == nil
	})
}

// TestEnvRequestsBounded: env requests are bounded in count and size.
func TestEnvRequestsBounded(t *testing.T) {
	ts := newTestServer(t, nil)
	sess, err := ts.dial(t, "").NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.Setenv("BIG", strings.Repeat("x", 30<<10)); err == nil {
		t.Error("a 30 KB env request was accepted")
	}
	accepted := 0
	for i := range 100 {
		if sess.Setenv(fmt.Sprintf("V%d", i), "1") == nil {
			accepted++
		}
	}
	if accepted > guard.MaxEnv {
		t.Errorf("%d env requests accepted, limit %d", accepted, guard.MaxEnv)
	}
}

// TestForgedUserNameOneLogLine: a user name with a newline, a forged log prefix, escape
// sequences and a bidi override leaves one clean line per event, in JSON and in text.
func TestForgedUserNameOneLogLine(t *testing.T) {
	const forged = "alice\nINFO session start user=root\r\x1b[2J\x1b]0;pwned\x07\u202etxt.exe"
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			logs := &syncBuffer{}
			opts := log.Options{Level: log.InfoLevel, Formatter: log.TextFormatter}
			if format == "json" {
				opts.Formatter = log.JSONFormatter
			}
			cfg := Defaults()
			cfg.HostKeyPath = t.TempDir() + "/key"
			cfg.Database = t.TempDir() + "/portfolio.db"
			srv, err := New(cfg, testSite(t), log.NewWithOptions(logs, opts))
			if err != nil {
				t.Fatal(err)
			}
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go func() { _ = srv.Serve(l) }()
			t.Cleanup(func() { _ = srv.Close() })

			client, err := gossh.Dial("tcp", l.Addr().String(), &gossh.ClientConfig{
				User: forged, HostKeyCallback: gossh.FixedHostKey(srv.HostKey().Signer.PublicKey()),
			})
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			sess, err := client.NewSession()
			if err != nil {
				t.Fatal(err)
			}
			_, _ = sess.Output("help")
			waitUntil(t, func() bool { return strings.Contains(logs.String(), "session end") })

			out := logs.String()
			if strings.ContainsAny(out, "\x1b\x07\r\u202e") {
				t.Fatalf("control characters reached the log:\n%q", out)
			}
			var mentions []string
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if strings.Contains(line, "alice") {
					mentions = append(mentions, line)
				}
			}
			if len(mentions) != 2 {
				t.Fatalf("the name appears on %d lines, want 2 (start, end):\n%s", len(mentions), out)
			}
			for i, prefix := range []string{"session start", "session end"} {
				line := mentions[i]
				switch format {
				case "json":
					if !strings.HasPrefix(line, "{") || !strings.Contains(line, `"msg":"`+prefix+`"`) {
						t.Errorf("line %d is not the %s event:\n%s", i, prefix, line)
					}
				case "text":
					if !strings.HasPrefix(strings.Join(strings.Fields(line), " "), "INFO "+prefix+" ") {
						t.Errorf("line %d does not open with INFO %s:\n%s", i, prefix, line)
					}
				}
			}
			if format == "json" {
				e := logs.find(t, "session start")
				if len(e) != 1 || e[0]["user"] != "aliceINFO session start user=roottxt.exe" {
					t.Errorf("user logged as %q", e[0]["user"])
				}
			}
		})
	}
}
