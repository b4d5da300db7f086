package server

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/stats"
	"portfolio/store"
)

// ownerServer runs a server on a fresh SQLite database with one owner key.
func ownerServer(t *testing.T) (*testServer, gossh.Signer) {
	t.Helper()
	key := newSigner(t)
	ts := newTestServer(t, func(c *Config) {
		c.OwnerKeys = authorizedLine(key)
		c.Database = "sqlite:" + filepath.Join(t.TempDir(), "portfolio.db")
	})
	return ts, key
}

// pollUntil polls cond until it holds, for 5 s, and then fails saying what got shows. Each
// of its conds is an SSH login, which paces the polls.
func pollUntil(t *testing.T, cond func() bool, got func() string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			if got != nil {
				t.Fatalf("not within 5s; now: %s", got())
			}
			t.Fatal("not within 5s")
		}
	}
}

// openStore waits for the server's database to open (it opens in the background) and
// returns it.
func (ts *testServer) openStore(t *testing.T) *store.Store {
	t.Helper()
	waitUntil(t, func() bool { return ts.db.store() != nil })
	return ts.db.store()
}

func (ts *testServer) asOwner(t *testing.T, key gossh.Signer, cmd string) string {
	t.Helper()
	out, err := ts.login(t, "owner", []gossh.AuthMethod{gossh.PublicKeys(key)}, cmd)
	if err != nil {
		t.Fatalf("owner login: %v", err)
	}
	return out
}

// TestOwnerNow: a visitor reading is in the owner's `now`, with the section on screen, and
// leaves it when they go.
func TestOwnerNow(t *testing.T) {
	ts, key := ownerServer(t)
	site := testSite(t)
	slug := site.Sections[1].Slug
	tm := ts.openTerm(t, "", slug, nil)
	tm.waitFor(t, site.Sections[1].Title, 5*time.Second)
	var now []map[string]any
	pollUntil(t, func() bool {
		now = nil
		_ = json.Unmarshal([]byte(ts.asOwner(t, key, "now --json")), &now)
		return len(now) == 1 && now[0]["section"] == slug
	}, func() string { return ts.asOwner(t, key, "now --json") })
	if now[0]["term"] != "xterm-256color" || now[0]["width"] != float64(100) {
		t.Errorf("now: %v", now[0])
	}
	if text := ts.asOwner(t, key, "now"); !strings.Contains(text, slug) || !strings.Contains(text, "xterm-256color") {
		t.Errorf("now as text: %q", text)
	}
	next := site.Sections[2].Slug
	tm.press(t, "l") // the next section: "now" follows
	pollUntil(t, func() bool {
		now = nil
		_ = json.Unmarshal([]byte(ts.asOwner(t, key, "now --json")), &now)
		return len(now) == 1 && now[0]["section"] == next
	}, func() string { return ts.asOwner(t, key, "now --json") })
	tm.press(t, "q")
	tm.exit(t, 5*time.Second)
	pollUntil(t, func() bool { return strings.TrimSpace(ts.asOwner(t, key, "now --json")) == "[]" }, nil)
}

// TestOwnerStatsEqualsLog: `stats --json` over the visit records equals `portfolio stats`
// over the log of the same visits (its JSON summary).
func TestOwnerStatsEqualsLog(t *testing.T) {
	ts, key := ownerServer(t)
	site := testSite(t)
	ts.run(t, "", "help")
	ts.run(t, "", site.Sections[0].Slug)
	ts.run(t, "", "nope")
	ts.run(t, "", "")
	tm := ts.openTerm(t, "", "", nil)
	tm.waitFor(t, site.Settings.Title, 5*time.Second)
	tm.press(t, "l")
	tm.press(t, "q")
	tm.exit(t, 5*time.Second)
	const visits = 5
	var fromDB stats.Summary
	pollUntil(t, func() bool {
		fromDB = stats.Summary{}
		_ = json.Unmarshal([]byte(ts.asOwner(t, key, "stats --json")), &fromDB)
		return fromDB.Visits == visits
	}, nil)
	rep, err := stats.Analyze(strings.NewReader(ts.logs.String()), stats.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fromLog := rep.JSON()
	// The test's log has no timestamps, so its days are "unknown"; the e2e test compares
	// them too, on the binary's real log.
	fromDB.Days, fromLog.Days = nil, nil
	if fromLog.Visits != visits || !reflect.DeepEqual(fromDB, fromLog) {
		t.Fatalf("stats differ:\n database %+v\n log      %+v", fromDB, fromLog)
	}
	if fromDB.Humans+fromDB.Plain+fromDB.Bots != visits || len(fromDB.Sections) == 0 {
		t.Errorf("a summary that shows nothing: %+v", fromDB)
	}
}

// TestReadingNowOnCover: with someone reading, the next visitor's cover says two people are
// reading; alone, it says nothing.
func TestReadingNowOnCover(t *testing.T) {
	ts, _ := ownerServer(t)
	site := testSite(t)
	first := ts.openTerm(t, "", "", nil)
	first.waitFor(t, site.Settings.Title, 5*time.Second)
	if strings.Contains(first.output(), "reading this right now") {
		t.Fatalf("alone, the cover says someone else is reading: %q", first.output())
	}
	waitUntil(t, func() bool { return ts.fleet.ReadingNow() == 1 })
	second := ts.openTerm(t, "", "", nil)
	second.waitFor(t, "2 people are reading this right now.", 5*time.Second)
}
