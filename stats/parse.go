package stats

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"
)

// Input limits: a line or a multi-line object larger than this is bad.
const (
	maxLine        = 256 << 10
	maxObjectLines = 400
)

// entry is one log event, whichever wrapper it came in.
type entry struct {
	Time       time.Time
	Msg        string
	Level      string
	Session    string
	Client     string
	Command    string
	PTY        bool
	DurationMS float64
	Sections   []sectionTime
	Keys       float64
	Reason     string
	Kind       string
}

type sectionTime struct {
	Slug string  `json:"slug"`
	MS   float64 `json:"ms"`
}

// record is the union of the server's keys and Fly's wrapper keys.
type record struct {
	Time       string        `json:"time"`
	Level      string        `json:"level"`
	Msg        string        `json:"msg"`
	Session    string        `json:"session"`
	Client     string        `json:"client"`
	Command    string        `json:"command"`
	PTY        bool          `json:"pty"`
	DurationMS float64       `json:"duration_ms"`
	Sections   []sectionTime `json:"sections"`
	Keys       float64       `json:"keys"`
	Reason     string        `json:"reason"`
	Kind       string        `json:"kind"`

	// Fly: `fly logs --json` and the NATS/log-shipper stream.
	Message   *string `json:"message"`
	Timestamp string  `json:"timestamp"`
}

// errNotOurs marks valid JSON that is no log event of ours (no "msg").
var errNotOurs = errors.New("not a log event")

// parseObject decodes one JSON object, unwrapping Fly's envelope.
func parseObject(b []byte) (entry, error) {
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return entry{}, err
	}
	if r.Msg == "" && r.Message != nil {
		// Fly's envelope: the server's line is the message.
		inner, ok := jsonIn(*r.Message)
		if !ok {
			if e, ok := parseTextual(strings.TrimSpace(*r.Message)); ok {
				if e.Time.IsZero() {
					e.Time = parseTime(r.Timestamp)
				}
				return e, nil
			}
			return entry{}, errNotOurs // another process's plain text
		}
		e, err := parseObject(inner)
		if err != nil {
			return entry{}, err
		}
		if e.Time.IsZero() {
			e.Time = parseTime(r.Timestamp)
		}
		return e, nil
	}
	if r.Msg == "" {
		return entry{}, errNotOurs
	}
	return entry{
		Time: parseTime(r.Time), Msg: r.Msg, Level: r.Level, Session: r.Session,
		Client: r.Client, Command: r.Command, PTY: r.PTY, DurationMS: r.DurationMS,
		Sections: r.Sections, Keys: r.Keys, Reason: r.Reason, Kind: r.Kind,
	}, nil
}

// jsonIn finds a JSON object in a line: the whole line, or what follows a
// prefix such as plain `fly logs` output's "2026-11-20T10:00:00Z app[id] ams [info]".
func jsonIn(s string) ([]byte, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		return []byte(s), true
	}
	if i := strings.Index(s, `{"`); i > 0 && strings.HasSuffix(s, "}") {
		return []byte(s[i:]), true
	}
	return nil, false
}

// timeLayouts are the formats charm.land/log may be configured with.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006/01/02 15:04:05", // charm.land/log's default
	time.DateTime,
	"2006-01-02T15:04:05",
	"2006/01/02 15:04:05.000000",
}

func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// scanner yields log events from a stream of lines: JSON objects, gathering the
// indented multi-line objects `fly logs --json` prints, and logfmt and text lines
// (textlog.go). Lines that are none of these are reported through bad.
type scanner struct {
	r      *bufio.Reader
	lines  int
	bad    int
	other  int
	events int
}

func newScanner(r io.Reader) *scanner { return &scanner{r: bufio.NewReaderSize(r, 64<<10)} }

// readLine returns the next line without its newline; long reports a line
// over maxLine, whose rest was discarded.
func (s *scanner) readLine() (line []byte, long bool, err error) {
	var buf []byte
	for {
		chunk, err := s.r.ReadSlice('\n')
		if len(buf)+len(chunk) <= maxLine {
			buf = append(buf, chunk...)
		} else {
			long = true
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && len(buf) == 0 && !long {
			return nil, false, err
		}
		s.lines++
		return bytes.TrimRight(buf, "\r\n"), long, nil
	}
}

// each calls fn for every event of ours in the stream.
func (s *scanner) each(fn func(entry)) error {
	var pending [][]byte // lines of an unfinished multi-line object
	depth := 0
	textEvent := false // the last line was an event in the text format
	flushBad := func() {
		s.bad += len(pending)
		pending, depth = nil, 0
	}
	handle := func(obj []byte, lines int) {
		e, err := parseObject(obj)
		switch {
		case err == nil:
			s.events++
			fn(e)
		case errors.Is(err, errNotOurs):
			s.other += lines
		default:
			s.bad += lines
		}
	}
	for {
		line, long, err := s.readLine()
		if err == io.EOF {
			flushBad()
			return nil
		}
		if err != nil {
			flushBad()
			return err
		}
		if long {
			flushBad()
			s.bad++
			continue
		}
		trimmed := bytes.TrimSpace(line)
		if len(pending) > 0 && len(line) > 0 && line[0] == '{' {
			// Inside an indented object only its closing brace sits in
			// column 0; a new object there means the last one was cut.
			flushBad()
		}
		if len(pending) > 0 {
			pending = append(pending, line)
			depth += braceDelta(trimmed)
			if depth <= 0 {
				handle(bytes.Join(pending, []byte("\n")), len(pending))
				pending, depth = nil, 0
			} else if len(pending) >= maxObjectLines {
				flushBad()
			}
			continue
		}
		if len(trimmed) == 0 {
			continue
		}
		if textEvent && line[0] == ' ' {
			// An indented value line of the text format's event above (a panic report's
			// stack, say): part of an event, carrying nothing stats reads.
			s.other++
			continue
		}
		textEvent = false
		if obj, ok := jsonIn(string(trimmed)); ok {
			handle(obj, 1)
			continue
		}
		if e, ok := parseTextual(flyPrefix(string(trimmed))); ok {
			s.events++
			textEvent = true
			fn(e)
			continue
		}
		if string(trimmed) == "{" {
			// The first line of an indented object (`fly logs --json`).
			pending, depth = [][]byte{line}, 1
			continue
		}
		s.bad++
	}
}

// braceDelta counts { minus } outside JSON strings.
func braceDelta(b []byte) int {
	d, inString, escaped := 0, false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && c == '{':
			d++
		case !inString && c == '}':
			d--
		}
	}
	return d
}
