package stats

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"portfolio/store"
)

// TestFromVisitsMatchesTheLog summarises the same visits from records and from the JSON
// lines the server logs for them ("session end", and "session rejected" for a refused
// one): the reports agree on every count, and the owner's own session is in neither.
func TestFromVisitsMatchesTheLog(t *testing.T) {
	start := time.Date(2026, 12, 6, 23, 59, 0, 0, time.UTC)
	sec := func(slug string, d time.Duration) store.SectionTime { return store.SectionTime{Slug: slug, Time: d} }
	visits := []store.Visit{
		{Session: "a", Start: start, Duration: 3*time.Minute + 250*time.Millisecond, Kind: "interactive", PTY: true, Keys: 9,
			Reason: "quit", Client: "SSH-2.0-OpenSSH_9.6", Sections: []store.SectionTime{sec("education", 2*time.Minute), sec("road-ahead", time.Minute)}},
		{Session: "b", Start: start, Duration: 2 * time.Second, Kind: "interactive", PTY: true, Reason: "quit", Client: "SSH-2.0-PuTTY"},
		{Session: "c", Start: start, Duration: 10 * time.Minute, Kind: "interactive", PTY: true, Reason: "idle", Client: "SSH-2.0-Go"},
		{Session: "d", Start: start, Duration: time.Second, Kind: "plain", Command: "education", Client: "SSH-2.0-OpenSSH_9.6",
			Sections: []store.SectionTime{sec("education", 0)}},
		{Session: "e", Start: start, Duration: time.Second, Kind: "plain", Client: "SSH-2.0-Go"},
		{Session: "f", Start: start, Kind: "rejected", Reason: "too many sessions", Client: "SSH-2.0-Go"},
		{Session: "g", Start: start, Duration: time.Hour, Kind: KindOwner, PTY: true, Keys: 40, Client: "SSH-2.0-OpenSSH_9.6"},
	}
	var log strings.Builder
	for _, v := range visits {
		end := v.Start.Add(v.Duration).Format(time.RFC3339Nano)
		var secs []map[string]any
		for _, s := range v.Sections {
			secs = append(secs, map[string]any{"slug": s.Slug, "ms": s.Time.Milliseconds()})
		}
		line := func(fields map[string]any) {
			b, err := json.Marshal(fields)
			if err != nil {
				t.Fatal(err)
			}
			log.Write(append(b, '\n'))
		}
		if v.Kind == "rejected" {
			line(map[string]any{"time": end, "msg": "session rejected", "session": v.Session, "reason": "cap", "limit": v.Reason})
		}
		line(map[string]any{"time": end, "level": "info", "msg": "session end", "session": v.Session, "client": v.Client,
			"command": v.Command, "pty": v.PTY, "duration_ms": v.Duration.Milliseconds(), "sections": secs, "keys": v.Keys,
			"reason": v.Reason, "kind": v.Kind})
	}
	fromLog, err := Analyze(strings.NewReader(log.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fromRecords := FromVisits(visits, Options{})
	// What only a log has: its lines.
	fromLog.Lines, fromLog.Events = 0, 0
	if !reflect.DeepEqual(fromLog, fromRecords) {
		t.Errorf("reports differ:\nlog     %+v\nrecords %+v", fromLog, fromRecords)
	}
	if fromRecords.Visits != 6 || fromRecords.Humans != 1 || fromRecords.PlainReaders != 1 || fromRecords.Bots != 4 ||
		fromRecords.Rejections["cap"] != 1 || len(fromRecords.Days) != 2 {
		t.Errorf("records: %d visits, %d humans, %d plain, %d bots, rejections %v, %d days; want 6, 1, 1, 4, cap 1, 2 days",
			fromRecords.Visits, fromRecords.Humans, fromRecords.PlainReaders, fromRecords.Bots, fromRecords.Rejections, len(fromRecords.Days))
	}
}
