package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"portfolio/server"
)

func TestHardeningSettings(t *testing.T) {
	m := NewMain()
	m.Stderr = &bytes.Buffer{}
	err := m.ParseFlags([]string{"--read-rate", "32KiB"}, env(map[string]string{
		"PORTFOLIO_MAX_WINDOW": "200x60", "PORTFOLIO_HANDSHAKE_TIMEOUT": "10s",
		"PORTFOLIO_KEEPALIVE_INTERVAL": "15s", "PORTFOLIO_READ_RATE": "1MiB",
	}))
	if err != nil {
		t.Fatal(err)
	}
	c := m.Config
	if c.MaxWindow != (server.WindowSize{Width: 200, Height: 60}) || c.HandshakeTimeout != 10*time.Second ||
		c.KeepaliveInterval != 15*time.Second || c.ReadRate != 32<<10 {
		t.Fatalf("config %+v", c)
	}

	for _, tt := range []struct{ env, val string }{
		{"PORTFOLIO_MAX_WINDOW", "huge"},
		{"PORTFOLIO_MAX_WINDOW", "5000x5000"},
		{"PORTFOLIO_HANDSHAKE_TIMEOUT", "0s"},
		{"PORTFOLIO_READ_RATE", "lots"},
	} {
		m := NewMain()
		m.Stderr = &bytes.Buffer{}
		err := m.ParseFlags(nil, env(map[string]string{tt.env: tt.val}))
		if err == nil || !strings.Contains(err.Error(), tt.env) || !strings.Contains(err.Error(), tt.val) {
			t.Errorf("%s=%s: error %v should name the setting and the value", tt.env, tt.val, err)
		}
	}

	var help bytes.Buffer
	m = NewMain()
	m.Stderr = &help
	_ = m.ParseFlags([]string{"--help"}, env(nil))
	for _, want := range []string{"PORTFOLIO_MAX_WINDOW", "(default 300x100)", "PORTFOLIO_HANDSHAKE_TIMEOUT", "(default 15s)",
		"PORTFOLIO_KEEPALIVE_INTERVAL", "(default 30s)", "PORTFOLIO_READ_RATE", "(default 64KiB)"} {
		if !strings.Contains(help.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}
