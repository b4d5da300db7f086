package stats

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden summarises the hand-recorded sample: plain JSON lines, the
// indented objects of `fly logs --json`, the NATS/log-shipper envelope,
// plain `fly logs` lines with a prefix, other processes' messages, and bad
// lines (text, a wrong type, a cut line, a panic trace).
func TestGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "sample.log"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Run(bytes.NewReader(in), &out, Options{}); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sample.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./stats -update)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("output differs from %s (go test ./stats -update, then review):\n--- got\n%s\n--- want\n%s", golden, out.Bytes(), want)
	}
	for _, b := range out.Bytes() {
		if b == 0x1b || (b < 0x20 && b != '\n') {
			t.Fatalf("output holds control byte %#x", b)
		}
	}
}

// TestSampleCounts pins the numbers the golden shows, so a wrong golden
// cannot be accepted by -update without a failing test.
func TestSampleCounts(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "sample.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Analyze(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %d, want %d", name, got, want)
		}
	}
	check("lines", rep.Lines, 107)
	check("bad", rep.Bad, 4)      // plain text, "duration_ms":"long", a cut line, the goroutine header
	check("other", rep.Other, 14) // the 14-line `fly logs --json` object of another process
	check("visits", rep.Visits, 12)
	check("humans", rep.Humans, 4)
	check("plain readers", rep.PlainReaders, 2)
	check("bots", rep.Bots, 6)
	check("rejected", rep.BotReasons[BotRejected], 2)
	check("no command", rep.BotReasons[BotNoCommand], 1)
	check("short", rep.BotReasons[BotShort], 2)
	check("idle", rep.BotReasons[BotIdle], 1)
	check("rate-limit", rep.Rejections["rate-limit"], 1)
	check("cap", rep.Rejections["cap"], 1)
	check("handshake failures", rep.HandshakeFailures, 2)
	check("unfinished", rep.Unfinished, 1)
	if got := Percentile(rep.ReadingTimes, 50); got != 160500*time.Millisecond {
		t.Errorf("median = %v", got)
	}
	if got := Percentile(rep.ReadingTimes, 90); got != 373200*time.Millisecond {
		t.Errorf("p90 = %v", got)
	}
	views := map[string]int{}
	for _, s := range rep.SectionViews {
		views[s.Slug] = s.Views
	}
	// Humans and plain readers only: the libssh bot's and the idle PTY's
	// views of "education" are left out.
	if views["education"] != 4 || views["certification"] != 4 || views["road-ahead"] != 3 {
		t.Errorf("views = %v", views)
	}
	for _, c := range rep.Clients {
		if strings.ContainsAny(c.Client, "\x1b\u202e") {
			t.Errorf("client %q not cleaned", c.Client)
		}
	}
	days := map[string]int{}
	for _, d := range rep.Days {
		days[d.Day] = d.Visits
	}
	if days["2026-11-20"] != 4 || days["2026-11-21"] != 5 || days["2026-11-22"] != 3 {
		t.Errorf("per day = %v", days)
	}
}

func TestClassify(t *testing.T) {
	rep := &Report{opts: Options{}.withDefaults()}
	tests := []struct {
		name  string
		e     entry
		class Class
		why   string
	}{
		{"read a while", entry{Kind: "interactive", DurationMS: 30000, Keys: 3, Reason: "quit"}, Human, ""},
		{"read without keys, then quit by disconnect", entry{Kind: "interactive", DurationMS: 30000, Reason: "disconnect"}, Human, ""},
		{"exactly the threshold", entry{Kind: "interactive", DurationMS: 5000, Keys: 1}, Human, ""},
		{"just under", entry{Kind: "interactive", DurationMS: 4999, Keys: 1}, Bot, BotShort},
		{"idle untouched", entry{Kind: "interactive", DurationMS: 600000, Reason: "idle"}, Bot, BotIdle},
		{"idle after reading", entry{Kind: "interactive", DurationMS: 600000, Reason: "idle", Keys: 4}, Human, ""},
		{"plain slug", entry{Kind: "plain", Command: "education"}, PlainReader, ""},
		{"plain nothing", entry{Kind: "plain"}, Bot, BotNoCommand},
		{"rejected", entry{Kind: "rejected", PTY: true, DurationMS: 60000}, Bot, BotRejected},
		{"no kind, pty", entry{PTY: true, DurationMS: 60000}, Human, ""},
		{"no kind, no pty", entry{Command: "help"}, PlainReader, ""},
	}
	for _, tt := range tests {
		class, why := rep.classify(tt.e)
		if class != tt.class || why != tt.why {
			t.Errorf("%s: got %v %q, want %v %q", tt.name, class, why, tt.class, tt.why)
		}
	}
}

func TestPercentile(t *testing.T) {
	s := func(secs ...int) []time.Duration {
		out := make([]time.Duration, len(secs))
		for i, v := range secs {
			out[i] = time.Duration(v) * time.Second
		}
		return out
	}
	tests := []struct {
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 50, 0},
		{s(7), 50, 7 * time.Second},
		{s(7), 90, 7 * time.Second},
		{s(1, 2, 3, 4), 50, 2 * time.Second},
		{s(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Second},
		{s(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 90, 10 * time.Second},
	}
	for _, tt := range tests {
		if got := Percentile(tt.in, tt.p); got != tt.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", tt.in, tt.p, got, tt.want)
		}
	}
}

func TestBadInputIsNeverFatal(t *testing.T) {
	inputs := map[string]string{
		"empty":          "",
		"binary":         "\x00\x01\x02\xff\xfe\n\x1b[2J\n",
		"only braces":    "{\n{\n}}}}\n{\n",
		"unclosed":       "{\n    \"message\": \"x\",\n",
		"huge line":      strings.Repeat("a", maxLine+10) + "\n" + `{"msg":"session end","kind":"plain","command":"help"}` + "\n",
		"no newline":     `{"msg":"session end","kind":"plain","command":"help"}`,
		"crlf":           "{\"msg\":\"session end\",\"kind\":\"plain\",\"command\":\"help\"}\r\n",
		"wrong types":    `{"msg":"session end","sections":"all"}` + "\n" + `{"msg":7}` + "\n",
		"array":          "[1,2,3]\n",
		"bad time":       `{"time":"yesterday","msg":"session end","kind":"plain","command":"help"}` + "\n",
		"nested message": `{"message":"{\"message\":\"{}\"}"}` + "\n",
	}
	for name, in := range inputs {
		var out bytes.Buffer
		if err := Run(strings.NewReader(in), &out, Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !strings.Contains(out.String(), "Visits") {
			t.Errorf("%s: no summary:\n%s", name, out.String())
		}
	}

	rep, err := Analyze(strings.NewReader(inputs["huge line"]), Options{})
	if err != nil || rep.Bad != 1 || rep.PlainReaders != 1 {
		t.Errorf("huge line: bad=%d plain=%d err=%v; want the long line skipped and the next one read", rep.Bad, rep.PlainReaders, err)
	}
	rep, _ = Analyze(strings.NewReader(inputs["crlf"]+inputs["no newline"]), Options{})
	if rep.PlainReaders != 2 || rep.Bad != 0 {
		t.Errorf("crlf + last line without newline: plain=%d bad=%d", rep.PlainReaders, rep.Bad)
	}
	rep, _ = Analyze(strings.NewReader(inputs["bad time"]), Options{})
	if len(rep.Days) != 1 || rep.Days[0].Day != "unknown" {
		t.Errorf("bad time: days = %+v, want one unknown day", rep.Days)
	}
}

func TestCutIndentedObjectDoesNotSwallowTheRest(t *testing.T) {
	in := "{\n    \"level\": \"info\",\n    \"message\": \"{\\\"msg\\\":\\\"session end\\\",\n" +
		`{"msg":"session end","kind":"plain","command":"education"}` + "\n"
	rep, err := Analyze(strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.PlainReaders != 1 || rep.Bad != 3 {
		t.Errorf("plain=%d bad=%d; want the cut object's 3 lines bad and the next line read", rep.PlainReaders, rep.Bad)
	}
}

func TestReadErrorIsReturned(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := Analyze(iotest.ErrReader(boom), Options{})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want the reader's error", err)
	}
}

func TestClean(t *testing.T) {
	tests := map[string]string{
		"SSH-2.0-OpenSSH_9.6":             "SSH-2.0-OpenSSH_9.6",
		"a\x1b[31mred\x1b[0m\n\tb\u202ec": "ared bc",
		strings.Repeat("x", 60):           strings.Repeat("x", 48) + "...",
	}
	for in, want := range tests {
		if got := clean(in, 48); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}
