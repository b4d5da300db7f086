package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"
)

func TestStatsSubcommand(t *testing.T) {
	sample := filepath.Join("..", "..", "stats", "testdata", "sample.log")
	golden, err := os.ReadFile(filepath.Join("..", "..", "stats", "testdata", "sample.golden"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		args  []string
		stdin io.Reader
	}{
		"file":     {[]string{sample}, strings.NewReader("")},
		"stdin":    {nil, bytes.NewReader(data)},
		"dash":     {[]string{"-"}, bytes.NewReader(data)},
		"tz flag":  {[]string{"--tz", "UTC", sample}, strings.NewReader("")},
		"hum flag": {[]string{"--human-after=5s", sample}, strings.NewReader("")},
	} {
		t.Run(name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if code := runStats(context.Background(), tc.args, noEnv, tc.stdin, &out, &errs); code != 0 {
				t.Fatalf("exit %d: %s", code, errs.String())
			}
			if out.String() != string(golden) {
				t.Errorf("output differs from stats/testdata/sample.golden:\n%s", out.String())
			}
		})
	}
	var out, errs bytes.Buffer
	if code := runStats(context.Background(), []string{filepath.Join(t.TempDir(), "missing.log")}, noEnv, nil, &out, &errs); code != 1 || !strings.Contains(errs.String(), "missing.log") {
		t.Errorf("missing file: exit %d, %q", code, errs.String())
	}
	if code := runStats(context.Background(), []string{"a", "b"}, noEnv, nil, &out, &errs); code != 2 {
		t.Errorf("two files: exit %d", code)
	}
	errs.Reset()
	out.Reset()
	if code := runStats(context.Background(), []string{"--help"}, noEnv, nil, &out, &errs); code != 0 || !strings.Contains(out.String(), "stdin") || errs.Len() != 0 {
		t.Errorf("--help: exit %d, stdout %q, stderr %q", code, out.String(), errs.String())
	}
	errs.Reset()
	if code := runStats(context.Background(), []string{"--top", "many"}, noEnv, nil, &out, &errs); code != 2 ||
		errs.String() != "portfolio stats: invalid value \"many\" for flag -top: parse error\nrun portfolio stats --help for its flags\n" {
		t.Errorf("bad flag: exit %d, stderr %q", code, errs.String())
	}
}

func TestStderrRelayKeepsJSONWhole(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { // the relay's quiet time runs on the bubble's clock
		logs := &syncWriter{}
		logger := log.NewWithOptions(logs, log.Options{Formatter: log.JSONFormatter})
		r, w := io.Pipe()
		done := make(chan struct{})
		go func() { relayStderr(r, logger); close(done) }()
		// What Bubble Tea's panic backstop prints, raw mode line endings and all.
		_, _ = io.WriteString(w, "Caught panic:\r\n\r\nboom\r\n\r\nRestoring terminal...\r\n\r\ngoroutine 7 [running]:\r\nmain.f()\r\n")
		synctest.Wait()
		if logs.String() != "" {
			t.Fatalf("logged before the quiet time, mid-report:\n%s", logs.String())
		}
		time.Sleep(stderrQuiet) // the bubble's fake clock: the quiet time passes at once
		synctest.Wait()
		if logs.String() == "" {
			t.Fatal("nothing logged after the quiet time")
		}
		_, _ = io.WriteString(w, "second burst\n")
		_ = w.Close()
		<-done
		checkRelayed(t, logs.String())
	})
}

// checkRelayed checks the relay's log: one JSON event per burst, the panic report whole.
func checkRelayed(t *testing.T, out string) {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want one per burst (2):\n%s", len(lines), out)
	}
	var e map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &e); err != nil {
		t.Fatalf("not JSON: %q", lines[0])
	}
	if e["msg"] != "stderr" || e["level"] != "error" || !strings.Contains(e["text"].(string), "boom") ||
		!strings.Contains(e["text"].(string), "goroutine 7") || strings.Contains(e["text"].(string), "\r") {
		t.Errorf("panic report event: %v", e)
	}
}

func TestMainServesHealthAndMetrics(t *testing.T) {
	m := NewMain()
	var logs syncWriter
	m.Stderr = &logs
	dir := t.TempDir()
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0",
		"--database", filepath.Join(t.TempDir(), "portfolio.db"), "--host-key-path", filepath.Join(dir, "key"), "--log-format", "json"}, env(nil)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	base := "http://" + m.Server.HTTPAddr().String()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if !poll(5*time.Second, func() bool { code, _ := get("/healthz"); return code == 200 }) {
		t.Fatal("/healthz never became ready")
	}
	client, err := gossh.Dial("tcp", m.Addr().String(), &gossh.ClientConfig{
		User: "v", HostKeyCallback: gossh.FixedHostKey(m.Server.HostKey().Signer.PublicKey()),
	})
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := client.NewSession()
	if _, err := sess.Output("education"); err != nil {
		t.Fatal(err)
	}
	client.Close()
	want := []string{`portfolio_sessions_total{kind="plain"} 1`, `portfolio_section_views_total{section="education"} 1`}
	var body, missing string
	if !poll(5*time.Second, func() bool {
		_, body = get("/metrics")
		missing = ""
		for _, w := range want {
			if !strings.Contains(body, w+"\n") {
				missing = w
			}
		}
		return missing == ""
	}) {
		t.Fatalf("/metrics lacks %s:\n%s", missing, body)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if code, _ := get("/healthz"); code != 0 {
		t.Errorf("HTTP still answers after Close: %d", code)
	}
	if !strings.Contains(logs.String(), `"http":"127.0.0.1:`) {
		t.Errorf("the listening event lacks the HTTP address:\n%s", logs.String())
	}
}
