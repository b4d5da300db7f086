package config

import (
	"errors"
	"fmt"

	"portfolio/server"
)

// Rate is a server.Rate (COUNT/PERIOD) from min to max events per second.
func Rate(p *server.Rate, min, max server.Rate) Value { return &rateValue{p: p, min: min, max: max} }

type rateValue struct {
	p        *server.Rate
	min, max server.Rate
}

func (v *rateValue) Set(s string) error {
	r, err := server.ParseRate(s)
	if err != nil {
		return errors.New("want COUNT/PERIOD with a period of s, m, h or a duration, like 2/s or 5/10s")
	}
	*v.p = r
	return nil
}

func (v *rateValue) String() string { return v.p.String() }
func (v *rateValue) Kind() string   { return "COUNT/PERIOD" }
func (v *rateValue) Range() string  { return v.min.String() + " to " + v.max.String() }

func (v *rateValue) Check() error {
	if v.p.Events < 1 || v.p.Per <= 0 || v.p.Limit() < v.min.Limit() || v.p.Limit() > v.max.Limit() {
		return fmt.Errorf("must be from %s", v.Range())
	}
	return nil
}

// Window is a server.WindowSize (COLUMNSxROWS) whose columns and rows each lie within min's
// and max's.
func Window(p *server.WindowSize, min, max server.WindowSize) Value {
	return &windowValue{p: p, min: min, max: max}
}

type windowValue struct {
	p        *server.WindowSize
	min, max server.WindowSize
}

func (v *windowValue) Set(s string) error {
	w, err := server.ParseWindowSize(s)
	if err != nil {
		return errors.New("want COLUMNSxROWS, like 300x100")
	}
	*v.p = w
	return nil
}

func (v *windowValue) String() string { return v.p.String() }
func (v *windowValue) Kind() string   { return "COLSxROWS" }
func (v *windowValue) Range() string  { return v.min.String() + " to " + v.max.String() }

func (v *windowValue) Check() error {
	w := *v.p
	if w.Width < v.min.Width || w.Width > v.max.Width || w.Height < v.min.Height || w.Height > v.max.Height {
		return fmt.Errorf("must be from %s (columns x rows)", v.Range())
	}
	return nil
}

// Bytes is a server.ByteSize (65536, 64KiB, 700MiB, 1GB; units count in 1024s) from min to
// max.
func Bytes(p *server.ByteSize, min, max server.ByteSize) Value {
	return &bytesValue{p: p, min: min, max: max}
}

// BytesOrOff is a Bytes that may also be 0, which means off (offWords says what 0 does).
func BytesOrOff(p *server.ByteSize, offWords string, min, max server.ByteSize) Value {
	return &bytesValue{p: p, min: min, max: max, off: offWords}
}

type bytesValue struct {
	p        *server.ByteSize
	min, max server.ByteSize
	off      string
}

func (v *bytesValue) Set(s string) error {
	b, err := server.ParseByteSize(s)
	if err != nil {
		return errors.New("want a number of bytes with an optional unit, like 65536, 64KiB or 700MiB")
	}
	*v.p = b
	return nil
}

func (v *bytesValue) String() string { return v.p.String() }
func (v *bytesValue) Kind() string   { return "SIZE" }

func (v *bytesValue) Range() string {
	r := v.min.String() + " to " + v.max.String()
	if v.off != "" {
		return "0 (" + v.off + ") or " + r
	}
	return r
}

func (v *bytesValue) Check() error {
	b := *v.p
	if (v.off != "" && b == 0) || (b >= v.min && b <= v.max) {
		return nil
	}
	if v.off != "" {
		return fmt.Errorf("must be 0 (%s) or from %s to %s", v.off, v.min, v.max)
	}
	return fmt.Errorf("must be from %s", v.Range())
}

// ByteRate is a server.ByteRate (bytes per second: 65536, 64KiB, 1MiB/s) from min to max.
func ByteRate(p *server.ByteRate, min, max server.ByteRate) Value {
	return &byteRateValue{p: p, min: min, max: max}
}

type byteRateValue struct {
	p        *server.ByteRate
	min, max server.ByteRate
}

func (v *byteRateValue) Set(s string) error {
	r, err := server.ParseByteRate(s)
	if err != nil {
		return errors.New("want bytes per second with an optional unit, like 65536 or 64KiB")
	}
	*v.p = r
	return nil
}

func (v *byteRateValue) String() string { return v.p.String() }
func (v *byteRateValue) Kind() string   { return "SIZE" }
func (v *byteRateValue) Range() string  { return v.min.String() + " to " + v.max.String() }

func (v *byteRateValue) Check() error {
	if *v.p < v.min || *v.p > v.max {
		return fmt.Errorf("must be from %s", v.Range())
	}
	return nil
}
