package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"portfolio/store"
	"portfolio/store/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestInboxCommand: `portfolio inbox` on the database PORTFOLIO_DATABASE or --database
// names, SQLite and PostgreSQL: the list as JSON, and a reply read from stdin.
func TestInboxCommand(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dsn := filepath.Join(t.TempDir(), "portfolio.db")
			if engine == "postgres" {
				dsn = pgtest.Start(t)
			}
			st, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			id, _, err := st.TakeMessage(ctx, store.Draft{Text: "Loved the talk\x1b]52;c;eA==\x07", ReplyTo: "ada@example.com", Source: "a"}, time.Now())
			if err != nil {
				t.Fatal(err)
			}

			// Through the binary's entry point, the database from the environment.
			var stdout, stderr bytes.Buffer
			code := run(ctx, func() {}, []string{"inbox", "--json"}, env(map[string]string{"PORTFOLIO_DATABASE": dsn}), &stdout, &stderr)
			var list []struct {
				ID       int64  `json:"id"`
				Text     string `json:"text"`
				ReplyTo  string `json:"reply_to"`
				Status   string `json:"status"`
				Notified string `json:"notified"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &list); code != 0 || err != nil || len(list) != 1 ||
				list[0].ID != id || list[0].Text != "Loved the talk" || list[0].Status != "unread" || list[0].Notified != "none" {
				t.Fatalf("inbox --json: exit %d, %v, stderr %q\n%s", code, err, stderr.String(), stdout.String())
			}

			// --database beats the environment; the reply comes from stdin and is emailed when
			// SMTP is set.
			stdout.Reset()
			stderr.Reset()
			environ := env(map[string]string{"PORTFOLIO_DATABASE": "/nonexistent/x.db", "PORTFOLIO_SMTP_URL": "smtp://127.0.0.1:2525"})
			code = runInbox(ctx, []string{"--database", dsn, "reply", strconv.FormatInt(id, 10)}, environ, strings.NewReader("Thank you!\n"), &stdout, &stderr)
			if code != 0 || !strings.Contains(stdout.String(), "emailed to ada@example.com") {
				t.Fatalf("inbox reply: exit %d, %q %q", code, stdout.String(), stderr.String())
			}
			m, err := st.Message(ctx, id)
			if err != nil || m.Reply != "Thank you!" || m.Status != "read" || len(m.Deliveries) != 1 || m.Deliveries[0].Channel != "reply-email" {
				t.Errorf("after reply: %+v, %v", m, err)
			}
		})
	}
}

// TestInboxCommandNoDatabase: run in the wrong directory, `portfolio inbox` says where it
// looked instead of creating an empty database and reporting an empty inbox.
func TestInboxCommandNoDatabase(t *testing.T) {
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), func() {}, []string{"inbox"}, nil, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "no database at data/portfolio.db") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if matches, _ := filepath.Glob("data"); len(matches) != 0 {
		t.Error("portfolio inbox created a data directory")
	}
	stderr.Reset()
	code = run(context.Background(), func() {}, []string{"stats", "--database"}, nil, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "no database at data/portfolio.db") {
		t.Errorf("portfolio stats --database: exit %d, stderr %q", code, stderr.String())
	}
	if matches, _ := filepath.Glob("data"); len(matches) != 0 {
		t.Error("portfolio stats --database created a data directory")
	}
	for _, args := range [][]string{{"inbox", "--database"}, {"inbox", "--database", "mysql://h/db"}} {
		stderr.Reset()
		if code := run(context.Background(), func() {}, args, nil, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, %q", args, code, stderr.String())
		}
	}
}
