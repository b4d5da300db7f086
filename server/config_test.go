package server

import (
	"testing"
)

func TestASCIILocale(t *testing.T) {
	tests := []struct {
		env  []string
		want bool
	}{
		{nil, false},
		{[]string{"LANG=en_US.UTF-8"}, false},
		{[]string{"LANG=en_US.utf8"}, false},
		{[]string{"LANG=C"}, true},
		{[]string{"LANG=en_US.ISO-8859-1"}, true},
		{[]string{"LANG=C", "LC_ALL=en_US.UTF-8"}, false},
		{[]string{"LANG=en_US.UTF-8", "LC_CTYPE=POSIX"}, true},
		{[]string{"LC_ALL=", "LANG=C"}, true},
	}
	for _, tt := range tests {
		if got := ASCIILocale(tt.env); got != tt.want {
			t.Errorf("ASCIILocale(%q) = %v, want %v", tt.env, got, tt.want)
		}
	}
}

func TestSourceKey(t *testing.T) {
	tests := map[string]string{
		"192.0.2.7:5555":             "192.0.2.7",
		"[2001:db8:1:2:3:4:5:6]:22":  "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1]:999": "2001:db8:1:2::/64",
		"[::ffff:192.0.2.9]:1":       "192.0.2.9",
	}
	for in, want := range tests {
		if got := sourceKey(addrString(in)); got != want {
			t.Errorf("sourceKey(%s) = %s, want %s", in, got, want)
		}
	}
}

type addrString string

func (a addrString) Network() string { return "tcp" }
func (a addrString) String() string  { return string(a) }
