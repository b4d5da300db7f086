package stats

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/log/v2"
)

// logAs rewrites the server's JSON log lines in another of its formats through
// charm.land/log, configured the way cmd/portfolio configures it, so the lines are what the
// server writes in that format. sections becomes slug:ms,slug:ms, as the server writes it
// outside JSON (server/logging.go).
func logAs(t *testing.T, jsonLines []string, formatter log.Formatter, timeFormat string) string {
	t.Helper()
	var out bytes.Buffer
	var now time.Time
	logger := log.NewWithOptions(&out, log.Options{Level: log.DebugLevel, ReportTimestamp: true,
		TimeFormat: timeFormat, Formatter: formatter, TimeFunction: func(time.Time) time.Time { return now }})
	for _, line := range jsonLines {
		var ev map[string]any
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&ev); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		now, _ = time.Parse(time.RFC3339Nano, ev["time"].(string))
		level, _ := log.ParseLevel(ev["level"].(string))
		msg := ev["msg"].(string)
		var keys []string
		for k := range ev {
			if k != "time" && k != "level" && k != "msg" {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		var kv []any
		for _, k := range keys {
			v := ev[k]
			if secs, ok := v.([]any); ok {
				var parts []string
				for _, s := range secs {
					m := s.(map[string]any)
					parts = append(parts, fmt.Sprintf("%s:%s", m["slug"], m["ms"]))
				}
				v = strings.Join(parts, ",")
			}
			kv = append(kv, k, v)
		}
		logger.Log(level, msg, kv...)
	}
	return out.String()
}

// summary is what a report says about visits, without the line counts and the clock's
// precision, which differ between formats.
type summary struct {
	Events, Visits, Humans, PlainReaders, Bots, Unfinished, HandshakeFailures int
	BotReasons, Rejections                                                    map[string]int
	ReadingTimes                                                              []time.Duration
	SectionViews                                                              []SectionCount
	Clients                                                                   []ClientCount
	Days                                                                      []DayCount
}

func summarise(t *testing.T, log string) (summary, *Report) {
	t.Helper()
	rep, err := Analyze(strings.NewReader(log), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return summary{rep.Events, rep.Visits, rep.Humans, rep.PlainReaders, rep.Bots, rep.Unfinished, rep.HandshakeFailures,
		rep.BotReasons, rep.Rejections, rep.ReadingTimes, rep.SectionViews, rep.Clients, rep.Days}, rep
}

// TestTextAndLogfmtRead: the sample's JSON events, written by the real logger in the text
// and logfmt formats, give the same summary as the JSON, with no bad line.
func TestTextAndLogfmtRead(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "sample.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var jsonLines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if _, err := parseObject(sc.Bytes()); err == nil && strings.HasPrefix(sc.Text(), `{"time"`) {
			jsonLines = append(jsonLines, sc.Text()) // the server's own lines, not the sample's bad ones
		}
	}
	want, jrep := summarise(t, strings.Join(jsonLines, "\n"))
	if want.Visits < 8 || want.Humans == 0 || want.PlainReaders == 0 || want.Bots == 0 || len(want.SectionViews) == 0 || jrep.Bad != 0 {
		t.Fatalf("the JSON part of the sample is too thin to compare: %+v", want)
	}
	for name, text := range map[string]string{
		"text":               logAs(t, jsonLines, log.TextFormatter, time.DateTime),
		"text, log's layout": logAs(t, jsonLines, log.TextFormatter, log.DefaultTimeFormat),
		"logfmt":             logAs(t, jsonLines, log.LogfmtFormatter, time.RFC3339Nano),
	} {
		t.Run(name, func(t *testing.T) {
			got, rep := summarise(t, text)
			if rep.Bad != 0 || rep.Other != 0 {
				t.Errorf("%d bad and %d other lines:\n%s", rep.Bad, rep.Other, text)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("summary differs from the JSON's:\n got: %+v\nwant: %+v\nlog:\n%s", got, want, text)
			}
		})
	}
}

// TestTextualLines: quoting and escapes as the two formats write them, a multi-line value's
// indented lines, Fly's prefix, and lines that only look like events.
func TestTextualLines(t *testing.T) {
	tests := []struct {
		line string
		want entry
		ok   bool
	}{
		{`time=2026-11-20T09:17:13.812Z level=info msg="session end" session=a1 user="a \"b\" c\\d" command= sections=education:61200,road-ahead:300 pty=true keys=14 duration_ms=130802 kind=interactive reason=quit`,
			entry{Time: time.Date(2026, 11, 20, 9, 17, 13, 812e6, time.UTC), Msg: "session end", Level: "info", Session: "a1", PTY: true, Keys: 14,
				DurationMS: 130802, Kind: "interactive", Reason: "quit", Sections: []sectionTime{{"education", 61200}, {"road-ahead", 300}}}, true},
		{`2026-11-20 09:17:13 INFO  session end session=a1 client="SSH-2.0-Open SSH" command="a\z \"q\"" kind=plain`,
			entry{Time: time.Date(2026, 11, 20, 9, 17, 13, 0, time.UTC), Msg: "session end", Level: "info", Session: "a1",
				Client: "SSH-2.0-Open SSH", Command: `a\z "q"`, Kind: "plain"}, true},
		{`2026/11/20 09:17:13 WARN session rejected reason=cap`,
			entry{Time: time.Date(2026, 11, 20, 9, 17, 13, 0, time.UTC), Msg: "session rejected", Level: "warn", Reason: "cap"}, true},
		{"2026-11-20 09:17:13 \x1b[1mINFO\x1b[0m listening",
			entry{Time: time.Date(2026, 11, 20, 9, 17, 13, 0, time.UTC), Msg: "listening", Level: "info"}, true},
		{`2026-11-21T14:20:05Z app[3d8d9e1c2f5e89] ams [info]time=2026-11-21T14:20:05Z level=info msg="session end" session=f1`,
			entry{Time: time.Date(2026, 11, 21, 14, 20, 5, 0, time.UTC), Msg: "session end", Level: "info", Session: "f1"}, true},
		{"goroutine 412 [running]:", entry{}, false},
		{"2026-11-20 09:17:13 panic: runtime error", entry{}, false},
		{`time=2026-11-20T09:17:13Z level=info session=a1`, entry{}, false}, // no msg
		{`msg="cut short`, entry{}, false},
	}
	for _, tt := range tests {
		got, ok := parseTextual(flyPrefix(tt.line))
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s\n got %v %+v\nwant %v %+v", tt.line, ok, got, tt.ok, tt.want)
		}
	}

	// A text event's multi-line value (the stderr relay's panic report) is part of the event.
	logText := "2026-11-20 09:17:13 ERROR stderr\n  text=\n  │ panic: boom\n  │ \n  │ goroutine 1 [running]:\n2026-11-20 09:17:14 INFO  session end session=a kind=plain command=help\n"
	rep, err := Analyze(strings.NewReader(logText), Options{})
	if err != nil || rep.Events != 2 || rep.Bad != 0 || rep.Visits != 1 || rep.PlainReaders != 1 {
		t.Errorf("%v: %d events, %d bad, %d visits, %d plain readers", err, rep.Events, rep.Bad, rep.Visits, rep.PlainReaders)
	}
}

func TestParseSince(t *testing.T) {
	for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "12h": 12 * time.Hour, "90m": 90 * time.Minute} {
		if got, err := ParseSince(in); err != nil || got != want {
			t.Errorf("ParseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "7x", "-1d", "0d", "0"} {
		if _, err := ParseSince(in); err == nil {
			t.Errorf("ParseSince(%q) took it", in)
		}
	}
}
