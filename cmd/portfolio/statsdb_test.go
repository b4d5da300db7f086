package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portfolio/store"
)

func noEnv(string) (string, bool) { return "", false }

// logLine is the "session end" line the server logs for v (JSON format).
func logLine(t *testing.T, v store.Visit) string {
	sections := []map[string]any{}
	for _, s := range v.Sections {
		sections = append(sections, map[string]any{"slug": s.Slug, "ms": s.Time.Milliseconds()})
	}
	b, err := json.Marshal(map[string]any{
		"time": v.Start.Add(v.Duration).Format(time.RFC3339Nano), "level": "info", "msg": "session end",
		"session": v.Session, "client": v.Client, "command": v.Command, "pty": v.PTY,
		"duration_ms": v.Duration.Milliseconds(), "sections": sections, "keys": v.Keys,
		"reason": v.Reason, "kind": v.Kind,
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestStatsDatabase: `portfolio stats --database` over visit records reports what
// `portfolio stats` reports over the log of the same visits; --since leaves older ones out.
func TestStatsDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "p.db")
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	visits := []store.Visit{
		{Machine: "a", Session: "s1", Start: now.Add(-time.Hour), Duration: 42 * time.Second, Kind: "interactive", Reason: "quit",
			Client: "SSH-2.0-OpenSSH_9.6", PTY: true, Keys: 12,
			Sections: []store.SectionTime{{Slug: "projects", Time: 30 * time.Second}, {Slug: "education", Time: 12 * time.Second}}},
		{Machine: "b", Session: "s2", Start: now.Add(-2 * time.Hour), Duration: 20 * time.Millisecond, Kind: "plain", Reason: "done",
			Client: "SSH-2.0-Go", Command: "projects", Sections: []store.SectionTime{{Slug: "projects"}}},
		{Machine: "b", Session: "s3", Start: now.Add(-3 * time.Hour), Duration: 2 * time.Second, Kind: "interactive", Reason: "idle", PTY: true},
		{Machine: "a", Session: "s4", Start: now.Add(-4 * time.Hour), Kind: "rejected", Reason: "too_many_sessions"},
		{Machine: "a", Session: "s5", Start: now.Add(-5 * time.Hour), Duration: time.Minute, Kind: "owner", PTY: true},
		{Machine: "a", Session: "old", Start: now.Add(-10 * 24 * time.Hour), Duration: time.Minute, Kind: "interactive", PTY: true, Keys: 3},
	}
	if err := st.AddVisits(ctx, visits); err != nil {
		t.Fatal(err)
	}
	st.Close()
	var lines []string
	for _, v := range visits {
		if v.Kind == "rejected" {
			lines = append(lines, `{"time":"`+v.Start.Format(time.RFC3339Nano)+`","level":"warn","msg":"session rejected","session":"`+v.Session+`","reason":"cap"}`)
		}
		lines = append(lines, logLine(t, v))
	}
	logFile := filepath.Join(dir, "visits.log")
	if err := os.WriteFile(logFile, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	run := func(env func(string) (string, bool), args ...string) string {
		t.Helper()
		var out, errs bytes.Buffer
		if code := runStats(ctx, args, env, nil, &out, &errs); code != 0 {
			t.Fatalf("portfolio stats %v: exit %d: %s", args, code, errs.String())
		}
		return out.String()
	}
	fromLog := run(noEnv, "--json", logFile)
	if !strings.Contains(fromLog, `"visits": 5`) {
		t.Fatalf("the log's summary: %s", fromLog)
	}
	env := func(k string) (string, bool) { return url, k == "PORTFOLIO_DATABASE" }
	for _, args := range [][]string{{"--json", "--database", url}, {"--json", "--database=" + url}, {"--database", "--json"}} {
		if got := run(env, args...); got != fromLog {
			t.Errorf("portfolio stats %v:\n%s\nthe log's:\n%s", args, got, fromLog)
		}
	}
	if text := run(env, "--database"); !strings.Contains(text, "projects") {
		t.Errorf("as text: %s", text)
	}
	var week map[string]any
	for _, args := range [][]string{{"--database", "--since", "7d", "--json"}, {"--database", url, "--since", "7d", "--json"}} {
		week = nil
		if err := json.Unmarshal([]byte(run(env, args...)), &week); err != nil || week["visits"] != float64(4) {
			t.Errorf("portfolio stats %v: %v visits, %v", args, week["visits"], err)
		}
	}
	var out, errs bytes.Buffer
	if code := runStats(ctx, []string{"--since", "7d", logFile}, noEnv, nil, &out, &errs); code != 2 {
		t.Errorf("--since on a log: exit %d", code)
	}
}
