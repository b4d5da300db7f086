package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Value is one setting bound to its field of a server.Config. The kinds below cover every
// setting; each knows how an operator writes it, how to write it back and its sane range.
type Value interface {
	// Set parses what an operator wrote into the field. Its error says what is wanted,
	// without the setting's name or the value: the caller adds both.
	Set(s string) error
	// String is the field's value written the way Set reads it.
	String() string
	// Check reports a value outside the setting's range ("must be from 1s to 1h").
	Check() error
	// Range is the range in words for --help and the README ("1s to 1h"); empty when any
	// value that parses will do.
	Range() string
	// Kind names the value's form after the flag in --help: DURATION, N, SIZE, ...
	Kind() string
}

// Duration is a time.Duration from min to max (Go syntax: 90s, 10m, 1h30m).
func Duration(p *time.Duration, min, max time.Duration) Value {
	return &durationValue{p: p, min: min, max: max}
}

type durationValue struct {
	p        *time.Duration
	min, max time.Duration
}

func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return errors.New("want a duration like 90s, 10m or 1h30m")
	}
	*v.p = d
	return nil
}

func (v *durationValue) String() string { return shortDuration(*v.p) }
func (v *durationValue) Kind() string   { return "DURATION" }

func (v *durationValue) Range() string { return shortDuration(v.min) + " to " + shortDuration(v.max) }

func (v *durationValue) Check() error {
	if *v.p < v.min || *v.p > v.max {
		return fmt.Errorf("must be from %s", v.Range())
	}
	return nil
}

// shortDuration writes d as Go does without the zero units it ends with: 10m, 1h, 1h30m, 0.
func shortDuration(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Int is a whole number from min to max.
func Int(p *int, min, max int) Value { return &intValue{p: p, min: min, max: max} }

// IntOrAuto is an Int that may also be 0, which the server derives from other settings
// (autoWords says how: "three quarters of PORTFOLIO_MAX_SESSIONS").
func IntOrAuto(p *int, autoWords string, min, max int) Value {
	return &intValue{p: p, min: min, max: max, auto: autoWords}
}

type intValue struct {
	p        *int
	min, max int
	auto     string
}

func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return errors.New("want a whole number")
	}
	*v.p = n
	return nil
}

func (v *intValue) String() string { return strconv.Itoa(*v.p) }
func (v *intValue) Kind() string   { return "N" }

func (v *intValue) Range() string {
	r := fmt.Sprintf("%d to %d", v.min, v.max)
	if v.auto != "" {
		return "0 (" + v.auto + ") or " + r
	}
	return r
}

func (v *intValue) Check() error {
	n := *v.p
	if (v.auto != "" && n == 0) || (n >= v.min && n <= v.max) {
		return nil
	}
	if v.auto != "" {
		return fmt.Errorf("must be 0 (%s) or from %d to %d", v.auto, v.min, v.max)
	}
	return fmt.Errorf("must be from %s", v.Range())
}

// Bool is true or false; the flag alone (--log-mask-addr) means true.
func Bool(p *bool) Value { return &boolValue{p: p} }

type boolValue struct{ p *bool }

func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return errors.New("want true or false")
	}
	*v.p = b
	return nil
}

func (v *boolValue) String() string   { return strconv.FormatBool(*v.p) }
func (v *boolValue) Kind() string     { return "" }
func (v *boolValue) Range() string    { return "" }
func (v *boolValue) Check() error     { return nil }
func (v *boolValue) IsBoolFlag() bool { return true }

// Text is a string. check, when set, judges the value (its error is the message) and words
// is the range shown in --help and the README.
func Text(p *string, check func(string) error, words string) Value {
	return &textValue{p: p, check: check, words: words, kind: "TEXT"}
}

// OneOf is a string that must be one of choices.
func OneOf(p *string, choices ...string) Value {
	quoted := make([]string, len(choices))
	for i, c := range choices {
		quoted[i] = "`" + c + "`"
	}
	words := strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
	return &textValue{p: p, words: words, kind: "WORD", check: func(s string) error {
		for _, c := range choices {
			if s == c {
				return nil
			}
		}
		return errors.New("must be " + plain(words))
	}}
}

// plain drops the backticks that mark literal text in the README.
func plain(s string) string { return strings.ReplaceAll(s, "`", "") }

// ListenAddr is a TCP listen address such as :23234 or 127.0.0.1:9091; with optional, empty
// means off.
func ListenAddr(p *string, optional bool) Value {
	return &textValue{p: p, kind: "ADDR", check: func(s string) error {
		if optional && s == "" {
			return nil
		}
		if _, port, err := net.SplitHostPort(strings.TrimSpace(s)); err != nil || port == "" {
			return errors.New("must be a listen address such as :23234 or 127.0.0.1:9091")
		}
		return nil
	}}
}

type textValue struct {
	p     *string
	check func(string) error
	words string
	kind  string
}

func (v *textValue) Set(s string) error { *v.p = s; return nil }
func (v *textValue) String() string     { return *v.p }
func (v *textValue) Kind() string       { return v.kind }
func (v *textValue) Range() string      { return v.words }

func (v *textValue) Check() error {
	if v.check == nil {
		return nil
	}
	return v.check(*v.p)
}

// Prefixes is a list of CIDR ranges, parsed once by parse (which also judges it: its error is
// the message), so the server uses the ranges as they are. String writes a single address
// without its /32 or /128, the way an operator writes it.
func Prefixes(p *[]netip.Prefix, parse func(string) ([]netip.Prefix, error)) Value {
	return &prefixesValue{p: p, parse: parse}
}

type prefixesValue struct {
	p     *[]netip.Prefix
	parse func(string) ([]netip.Prefix, error)
}

func (v *prefixesValue) Set(s string) error {
	ps, err := v.parse(s)
	if err != nil {
		return err
	}
	*v.p = ps
	return nil
}

func (v *prefixesValue) String() string {
	words := make([]string, len(*v.p))
	for i, p := range *v.p {
		if p.IsSingleIP() {
			words[i] = p.Addr().String()
		} else {
			words[i] = p.String()
		}
	}
	return strings.Join(words, ", ")
}

func (v *prefixesValue) Kind() string  { return "CIDRS" }
func (v *prefixesValue) Range() string { return "" }
func (v *prefixesValue) Check() error  { return nil }
