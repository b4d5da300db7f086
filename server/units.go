package server

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// The value types of Config fields that are not plain numbers, strings or durations. Each
// parses the way an operator writes it and String writes it back the same way; the settings
// table (package config) adds the ranges.

// Rate is a number of events per period, written like "2/s", "30/m" or "5/10s".
type Rate struct {
	Events int
	Per    time.Duration
}

// ParseRate reads a Rate written as COUNT/PERIOD, where PERIOD is s, m, h or a Go duration.
func ParseRate(s string) (Rate, error) {
	count, period, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, fmt.Errorf("rate %q: want COUNT/PERIOD, like 2/s", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(count))
	if err != nil || n < 1 {
		return Rate{}, fmt.Errorf("rate %q: count must be a whole number of at least 1", s)
	}
	var per time.Duration
	switch p := strings.TrimSpace(period); p {
	case "s", "sec", "second":
		per = time.Second
	case "m", "min", "minute":
		per = time.Minute
	case "h", "hour":
		per = time.Hour
	default:
		per, err = time.ParseDuration(p)
		if err != nil || per <= 0 {
			return Rate{}, fmt.Errorf("rate %q: period must be s, m, h or a positive duration like 10s", s)
		}
	}
	return Rate{Events: n, Per: per}, nil
}

// String writes the rate the way ParseRate reads it.
func (r Rate) String() string {
	switch r.Per {
	case time.Second:
		return strconv.Itoa(r.Events) + "/s"
	case time.Minute:
		return strconv.Itoa(r.Events) + "/m"
	case time.Hour:
		return strconv.Itoa(r.Events) + "/h"
	}
	// time.Duration writes 2h as 2h0m0s; ParseDuration reads 2h all the same.
	per := r.Per.String()
	if strings.HasSuffix(per, "m0s") {
		per = strings.TrimSuffix(per, "0s")
	}
	if strings.HasSuffix(per, "h0m") {
		per = strings.TrimSuffix(per, "0m")
	}
	return strconv.Itoa(r.Events) + "/" + per
}

// Limit converts the rate to the events-per-second form golang.org/x/time/rate uses.
func (r Rate) Limit() rate.Limit {
	if r.Per <= 0 {
		return rate.Inf
	}
	return rate.Limit(float64(r.Events) / r.Per.Seconds())
}

// ByteSize is a number of bytes, written as a whole number with an optional unit: 700MiB,
// 1GB, 65536. Every unit counts in 1024s, as Go's GOMEMLIMIT does: K, KB and KiB all mean
// 1024 bytes, M, MB and MiB 1024 KiB, and so on up to T.
type ByteSize int64

// maxByteSize keeps every parsed size, times any count of sessions the server could hold,
// well inside an int64.
const maxByteSize = 1 << 50

// ParseByteSize reads a ByteSize.
func ParseByteSize(s string) (ByteSize, error) {
	t := strings.TrimSpace(s)
	num := strings.TrimRight(t, "KkMmGgTtiIbB ")
	var mult int64
	switch strings.ToLower(strings.TrimSpace(t[len(num):])) {
	case "", "b":
		mult = 1
	case "k", "kb", "kib":
		mult = 1 << 10
	case "m", "mb", "mib":
		mult = 1 << 20
	case "g", "gb", "gib":
		mult = 1 << 30
	case "t", "tb", "tib":
		mult = 1 << 40
	default:
		return 0, fmt.Errorf("byte size %q: unit must be B, KiB, MiB, GiB or TiB", s)
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > maxByteSize/mult {
		return 0, fmt.Errorf("byte size %q: want a whole number of bytes with an optional unit, like 65536, 64KiB or 700MiB", s)
	}
	return ByteSize(n * mult), nil
}

// String writes the size in the largest unit that divides it: 700MiB, 1GiB, 5000.
func (b ByteSize) String() string {
	for _, u := range []struct {
		shift uint
		name  string
	}{{40, "TiB"}, {30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if b > 0 && b%(1<<u.shift) == 0 {
			return strconv.FormatInt(int64(b>>u.shift), 10) + u.name
		}
	}
	return strconv.FormatInt(int64(b), 10)
}
