package server

import (
	"strings"
	"testing"
	"time"
)

func TestSessionLogEvents(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.MaxSessionsPerIP = 1 })
	site := testSite(t)

	tm := ts.openTerm(t, "", "", map[string]string{"LANG": "C"})
	tm.waitFor(t, site.Settings.Title, 5*time.Second)
	ts.run(t, "", "help") // over the per-address cap: rejected
	tm.press(t, "q")
	tm.exit(t, 5*time.Second)
	ts.run(t, "", "education")
	waitUntil(t, func() bool { return len(ts.logs.find(t, "session end")) == 3 })

	starts, ends := ts.logs.find(t, "session start"), ts.logs.find(t, "session end")
	if len(starts) != 3 {
		t.Fatalf("%d start events, want 3", len(starts))
	}
	for _, e := range starts {
		for _, k := range []string{"session", "addr", "user", "client", "term", "profile", "width", "height", "pty", "command"} {
			if _, ok := e[k]; !ok {
				t.Errorf("session start lacks %q: %v", k, e)
			}
		}
	}
	for _, e := range ends {
		for _, k := range []string{"session", "addr", "duration_ms", "sections", "keys", "bytes", "reason", "kind"} {
			if _, ok := e[k]; !ok {
				t.Errorf("session end lacks %q: %v", k, e)
			}
		}
	}
	byID := map[any]map[string]any{}
	for _, e := range starts {
		byID[e["session"]] = e
	}
	kinds := map[any]map[string]any{}
	for _, e := range ends {
		if byID[e["session"]] == nil {
			t.Errorf("end without a start: %v", e)
		}
		kinds[e["kind"]] = e
	}

	in := kinds["interactive"]
	st := byID[in["session"]]
	if st["pty"] != true || st["term"] != "xterm-256color" || st["width"] != float64(100) || st["height"] != float64(30) ||
		st["profile"] != "ANSI256" || st["user"] != "visitor" || !strings.HasPrefix(st["client"].(string), "SSH-2.0-Go") {
		t.Errorf("interactive start: %v", st)
	}
	if in["reason"] != "quit" || in["keys"].(float64) < 1 || in["bytes"].(float64) < 100 ||
		!firstSection(in, site.Sections[0].Slug) {
		t.Errorf("interactive end: %v", in)
	}
	pl := kinds["plain"]
	if pl["reason"] != "done" || byID[pl["session"]]["command"] != "education" || byID[pl["session"]]["pty"] != false {
		t.Errorf("plain: %v / %v", byID[pl["session"]], pl)
	}
	if want := len(site.PlainHeader() + "\n" + site.Sections[0].PlainSection(78)); pl["bytes"] != float64(want) {
		t.Errorf("plain bytes %v, want %d", pl["bytes"], want)
	}
	if rj := kinds["rejected"]; rj["reason"] != "too_many_from_address" {
		t.Errorf("rejected: %v", rj)
	}
}

// firstSection reports whether an end event's sections list opens with slug, as the JSON
// list of {"slug","ms"} objects that portfolio stats reads.
func firstSection(e map[string]any, slug string) bool {
	list, ok := e["sections"].([]any)
	if !ok || len(list) == 0 {
		return false
	}
	first, ok := list[0].(map[string]any)
	return ok && first["slug"] == slug && first["ms"] != nil
}
