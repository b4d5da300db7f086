package server

import (
	"strings"
	"testing"
	"time"
)

func TestHardeningSettingsValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   []string
	}{
		{"window too small", func(c *Config) { c.MaxWindow = WindowSize{Width: 10, Height: 5} }, []string{"PORTFOLIO_MAX_WINDOW", `"10x5"`}},
		{"window absurd", func(c *Config) { c.MaxWindow = WindowSize{Width: 65535, Height: 65535} }, []string{"PORTFOLIO_MAX_WINDOW", `"65535x65535"`}},
		{"handshake", func(c *Config) { c.HandshakeTimeout = 0 }, []string{"PORTFOLIO_HANDSHAKE_TIMEOUT", "0s"}},
		{"keepalive", func(c *Config) { c.KeepaliveInterval = -time.Second }, []string{"PORTFOLIO_KEEPALIVE_INTERVAL", "-1s"}},
		{"read rate", func(c *Config) { c.ReadRate = 100 }, []string{"PORTFOLIO_READ_RATE", "100", "4KiB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Defaults()
			tt.mutate(&cfg)
			err := cfg.Validate()
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not mention %s", err, w)
				}
			}
		})
	}
}

func TestParseWindowSizeAndByteRate(t *testing.T) {
	for in, want := range map[string]WindowSize{"300x100": {300, 100}, " 120X40 ": {120, 40}} {
		if got, err := ParseWindowSize(in); err != nil || got != want {
			t.Errorf("ParseWindowSize(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "300", "x100", "300x", "0x10", "-3x10", "axb"} {
		if _, err := ParseWindowSize(bad); err == nil {
			t.Errorf("ParseWindowSize(%q) accepted", bad)
		}
	}
	for in, want := range map[string]ByteRate{"65536": 65536, "64KiB": 64 << 10, "64k": 64 << 10, "1MiB/s": 1 << 20, "2 MB": 2 << 20, "512B": 512} {
		if got, err := ParseByteRate(in); err != nil || got != want {
			t.Errorf("ParseByteRate(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "fast", "64GiB", "-1", "1.5KiB", "KiB"} {
		if _, err := ParseByteRate(bad); err == nil {
			t.Errorf("ParseByteRate(%q) accepted", bad)
		}
	}
	for _, r := range []ByteRate{DefaultReadRate, 1 << 20, 5000} {
		if back, err := ParseByteRate(r.String()); err != nil || back != r {
			t.Errorf("%d -> %q -> %d, %v", r, r.String(), back, err)
		}
	}
}
