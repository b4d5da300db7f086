package stats

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// The server's two other log formats, as charm.land/log writes them:
//
//	logfmt: time=2026-11-20T09:17:13.812Z level=info msg="session end" session=a1f0c9 ...
//	text:   2026-11-20 09:17:13 INFO  session end session=a1f0c9 ...
//
// Both are key=value pairs, a value quoted when it holds a space, a quote, an = or a
// character that is not printable. logfmt escapes a backslash (\\); the text format does
// not, so there a backslash stands for itself unless it starts an escape the formatter
// writes. In both, "sections" is slug:ms,slug:ms. The text format writes a multi-line value
// on lines of its own, indented: continuation lines, which carry nothing stats reads.

// parseTextual reads one logfmt or text line into an entry; ok is false when the line is
// neither.
func parseTextual(line string) (entry, bool) {
	if strings.HasPrefix(line, "time=") || strings.HasPrefix(line, "level=") || strings.HasPrefix(line, "msg=") {
		kv, ok := parsePairs(line, true)
		if !ok || kv["msg"] == "" {
			return entry{}, false
		}
		e := fromPairs(kv)
		e.Msg, e.Level, e.Time = kv["msg"], kv["level"], parseTime(kv["time"])
		return e, true
	}
	return parseText(ansi.Strip(line))
}

// parseText reads the text format: a timestamp, the level in capitals, the message, then the
// pairs. The message ends where the rest of the line first reads as pairs.
func parseText(line string) (entry, bool) {
	when, rest, ok := textTime(line)
	if !ok {
		return entry{}, false
	}
	level, rest, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
	if level == "" || strings.ToUpper(level) != level || strings.Trim(level, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return entry{}, false
	}
	rest = strings.TrimLeft(rest, " ")
	msg, kv := rest, map[string]string{}
	for i := 0; i < len(rest); i++ {
		if rest[i] != ' ' {
			continue
		}
		if pairs, ok := parsePairs(rest[i+1:], false); ok {
			msg, kv = rest[:i], pairs
			break
		}
	}
	if msg = strings.TrimSpace(msg); msg == "" {
		return entry{}, false
	}
	e := fromPairs(kv)
	e.Msg, e.Level, e.Time = msg, strings.ToLower(level), when
	return e, true
}

// textTime reads the text format's timestamp: the layout cmd/portfolio sets (time.DateTime),
// charm.land/log's default, or RFC 3339.
func textTime(line string) (t time.Time, rest string, ok bool) {
	for _, n := range []int{len("2006-01-02 15:04:05"), len("2006/01/02 15:04:05")} {
		if len(line) > n && line[n] == ' ' {
			if tm := parseTime(line[:n]); !tm.IsZero() {
				return tm, line[n+1:], true
			}
		}
	}
	if first, after, found := strings.Cut(line, " "); found {
		if tm := parseTime(first); !tm.IsZero() {
			return tm, after, true
		}
	}
	return time.Time{}, "", false
}

// parsePairs reads key=value pairs separated by spaces. With backslashes, \\ is a backslash
// (logfmt); without, a backslash that starts no escape stands for itself (text).
func parsePairs(s string, backslashes bool) (map[string]string, bool) {
	kv := map[string]string{}
	for {
		s = strings.TrimLeft(s, " ")
		if s == "" {
			return kv, len(kv) > 0
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || !isKey(s[:eq]) {
			return nil, false
		}
		key := s[:eq]
		s = s[eq+1:]
		var val string
		if strings.HasPrefix(s, `"`) {
			v, n, ok := unquote(s, backslashes)
			if !ok {
				return nil, false
			}
			val, s = v, s[n:]
			if s != "" && s[0] != ' ' {
				return nil, false
			}
		} else {
			val, s, _ = strings.Cut(s, " ")
		}
		kv[key] = val
	}
}

func isKey(s string) bool {
	for i, r := range s {
		ok := r == '_' || r == '.' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return s != ""
}

// unquote reads the quoted value at the start of s, returning it and the bytes it took.
func unquote(s string, backslashes bool) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), i + 1, true
		case c == '\\' && i+1 < len(s):
			if r, n, ok := escape(s[i+1:], backslashes); ok {
				b.WriteRune(r)
				i += 1 + n
				continue
			}
			b.WriteByte(c)
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(r)
			i += n
		}
	}
	return "", 0, false
}

// escape decodes the escape after a backslash: the rune and the bytes it took.
func escape(s string, backslashes bool) (rune, int, bool) {
	switch s[0] {
	case '"':
		return '"', 1, true
	case '\\':
		return '\\', 1, backslashes
	case 'n':
		return '\n', 1, true
	case 't':
		return '\t', 1, true
	case 'r':
		return '\r', 1, true
	case 'a', 'b', 'f', 'v':
		return rune(map[byte]byte{'a': 7, 'b': 8, 'f': 12, 'v': 11}[s[0]]), 1, true
	case 'x', 'u', 'U':
		n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[0]]
		if len(s) > n {
			if v, err := strconv.ParseUint(s[1:1+n], 16, 32); err == nil {
				return rune(v), 1 + n, true
			}
		}
	}
	return 0, 0, false
}

// fromPairs takes the session keys stats reads from a line's pairs.
func fromPairs(kv map[string]string) entry {
	num := func(k string) float64 {
		f, _ := strconv.ParseFloat(kv[k], 64)
		return f
	}
	pty, _ := strconv.ParseBool(kv["pty"])
	return entry{
		Session: kv["session"], Client: kv["client"], Command: kv["command"], PTY: pty,
		DurationMS: num("duration_ms"), Sections: parseSections(kv["sections"]), Keys: num("keys"),
		Reason: kv["reason"], Kind: kv["kind"],
	}
}

// parseSections reads slug:ms,slug:ms; a part that does not read so is left out.
func parseSections(s string) []sectionTime {
	var out []sectionTime
	for part := range strings.SplitSeq(s, ",") {
		slug, ms, ok := strings.Cut(part, ":")
		f, err := strconv.ParseFloat(ms, 64)
		if ok && slug != "" && err == nil {
			out = append(out, sectionTime{Slug: slug, MS: f})
		}
	}
	return out
}

// flyPrefix strips what plain `fly logs` puts before the server's own line:
// "2026-11-21T14:20:05Z app[3d8d9e1c2f5e89] ams [info]".
func flyPrefix(line string) string {
	f := strings.SplitN(line, " ", 4)
	if len(f) == 4 && strings.HasSuffix(f[1], "]") && strings.Contains(f[1], "[") && strings.HasPrefix(f[3], "[") {
		if _, rest, ok := strings.Cut(f[3], "]"); ok && !parseTime(f[0]).IsZero() {
			return strings.TrimLeft(rest, " ")
		}
	}
	return line
}
