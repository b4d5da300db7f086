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

// BytesOrOff is a server.ByteSize (65536, 64KiB, 700MiB, 1GB; units count in 1024s) from min
// to max, or 0, which means off (offWords says what 0 does).
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
	return "0 (" + v.off + ") or " + v.min.String() + " to " + v.max.String()
}

func (v *bytesValue) Check() error {
	if b := *v.p; b != 0 && (b < v.min || b > v.max) {
		return fmt.Errorf("must be 0 (%s) or from %s to %s", v.off, v.min, v.max)
	}
	return nil
}
