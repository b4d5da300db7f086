package main

import "testing"

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:22", true},
		{"127.0.0.1:0", true},
		{"127.255.10.3:2222", true},
		{"[::1]:22", true},
		{"[::ffff:127.0.0.1]:22", true}, // IPv4-mapped loopback is loopback
		{"localhost:22", false},         // names are never resolved
		{"10.0.0.1:22", false},
		{"128.0.0.1:22", false},
		{"0.0.0.0:22", false},
		{"[::]:22", false},
		{"[2001:db8::1]:22", false},
		{"[::ffff:8.8.8.8]:22", false},
		{"example.com:22", false},
		{"127.0.0.1", false}, // no port
		{"", false},
	}
	for _, tt := range tests {
		err := checkLoopback(tt.addr)
		if (err == nil) != tt.ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
		}
	}
}

func TestParseFlagsRejectsOutOfBounds(t *testing.T) {
	bad := [][]string{
		{"--targets", "nope"},
		{"--workers", "0"},
		{"--workers", "1,500"},
		{"--idle", "100000"},
		{"--conns", "0"},
		{"--conns", "1000000"},
		{"--frame-marker", "  "},
		{"--phase-time", "0s"},
		{"--tea-fps", "500"},
		{"--portfolio-env", "NOEQUALS"},
		{"stray"},
	}
	for _, args := range bad {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
	env, err := parseFlags([]string{"--portfolio-env", "PORTFOLIO_LOG_FORMAT=json", "--portfolio-env", "A=b=c"})
	if err != nil || len(env.PortfolioEnv) != 2 || env.PortfolioEnv[1] != "A=b=c" {
		t.Errorf("--portfolio-env twice: %v %q", err, env.PortfolioEnv)
	}
	c, err := parseFlags(nil)
	if err != nil {
		t.Fatalf("defaults rejected: %v", err)
	}
	if len(c.Workers) != 4 || c.Workers[0] != 1 || len(c.Idle) != 3 || c.Idle[2] != 2000 {
		t.Errorf("defaults: workers %v idle %v", c.Workers, c.Idle)
	}
}
