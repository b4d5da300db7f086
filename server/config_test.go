package server

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestDefaultsAreValid(t *testing.T) {
	if err := Defaults().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateNamesSettingAndValue(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   []string
	}{
		{"empty addr", func(c *Config) { c.Addr = " " }, []string{"PORTFOLIO_ADDR"}},
		{"no key at all", func(c *Config) { c.HostKeyPath = "" }, []string{"PORTFOLIO_HOST_KEY_PATH"}},
		{"log format", func(c *Config) { c.LogFormat = "xml" }, []string{"PORTFOLIO_LOG_FORMAT", `"xml"`}},
		{"log level", func(c *Config) { c.LogLevel = "loud" }, []string{"PORTFOLIO_LOG_LEVEL", `"loud"`}},
		{"idle timeout", func(c *Config) { c.IdleTimeout = -time.Second }, []string{"PORTFOLIO_IDLE_TIMEOUT", "-1s"}},
		{"max duration", func(c *Config) { c.MaxSessionDuration = 0 }, []string{"PORTFOLIO_MAX_SESSION_DURATION", "0s"}},
		{"max sessions", func(c *Config) { c.MaxSessions = 0 }, []string{"PORTFOLIO_MAX_SESSIONS", "0"}},
		{"per ip", func(c *Config) { c.MaxSessionsPerIP = -2 }, []string{"PORTFOLIO_MAX_SESSIONS_PER_IP", "-2"}},
		{"per ip over total", func(c *Config) { c.MaxSessions, c.MaxSessionsPerIP = 5, 6 }, []string{"PORTFOLIO_MAX_SESSIONS_PER_IP", "6", "5"}},
		{"rate", func(c *Config) { c.RateLimit = Rate{} }, []string{"PORTFOLIO_RATE_LIMIT"}},
		{"burst", func(c *Config) { c.RateBurst = 0 }, []string{"PORTFOLIO_RATE_BURST", "0"}},
		{"sleep negative", func(c *Config) { c.SleepAfter = -time.Second }, []string{"PORTFOLIO_SLEEP_AFTER", "-1s"}},
		{"sleep too soon", func(c *Config) { c.SleepAfter = 10 * time.Millisecond }, []string{"PORTFOLIO_SLEEP_AFTER", "10ms"}},
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
					t.Errorf("%q does not name %q", err, w)
				}
			}
		})
	}
	cfg := Defaults()
	cfg.HostKeyPath, cfg.HostKeyPEM = "", "pem text"
	if err := cfg.Validate(); err != nil {
		t.Errorf("PEM without a path should do: %v", err)
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    Rate
		limit   rate.Limit
		wantErr bool
	}{
		{in: "2/s", want: Rate{2, time.Second}, limit: 2},
		{in: "30/m", want: Rate{30, time.Minute}, limit: 0.5},
		{in: "3600/h", want: Rate{3600, time.Hour}, limit: 1},
		{in: " 5 / 10s ", want: Rate{5, 10 * time.Second}, limit: 0.5},
		{in: "1/500ms", want: Rate{1, 500 * time.Millisecond}, limit: 2},
		{in: "2", wantErr: true},
		{in: "0/s", wantErr: true},
		{in: "-1/s", wantErr: true},
		{in: "x/s", wantErr: true},
		{in: "2/fortnight", wantErr: true},
		{in: "2/-1s", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRate(tt.in)
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
					t.Fatalf("ParseRate(%q) = %v, %v; want an error naming the value", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want || got.Limit() != tt.limit {
				t.Fatalf("ParseRate(%q) = %v (%v), %v; want %v (%v)", tt.in, got, got.Limit(), err, tt.want, tt.limit)
			}
			again, err := ParseRate(got.String())
			if err != nil || again != got {
				t.Fatalf("round trip through %q: %v, %v", got.String(), again, err)
			}
		})
	}
}
