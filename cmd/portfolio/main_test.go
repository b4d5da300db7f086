package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/server"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestConfigPrecedence(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want func(server.Config) bool
	}{
		{"default", nil, nil, func(c server.Config) bool { return c.Addr == ":23234" && c.IdleTimeout == 10*time.Minute }},
		{"env beats default", nil, map[string]string{"PORTFOLIO_ADDR": ":2222", "PORTFOLIO_IDLE_TIMEOUT": "90s"},
			func(c server.Config) bool { return c.Addr == ":2222" && c.IdleTimeout == 90*time.Second }},
		{"flag beats env", []string{"--addr", ":3333", "-rate-limit=5/m"}, map[string]string{"PORTFOLIO_ADDR": ":2222", "PORTFOLIO_RATE_LIMIT": "1/s"},
			func(c server.Config) bool {
				return c.Addr == ":3333" && c.RateLimit == server.Rate{Events: 5, Per: time.Minute}
			}},
		{"every variable", nil, map[string]string{
			"PORTFOLIO_HOST_KEY_PATH": "/k", "PORTFOLIO_HOST_KEY_GENERATE": "false", "PORTFOLIO_CONTENT_DIR": "/c",
			"PORTFOLIO_LOG_FORMAT": "json", "PORTFOLIO_LOG_LEVEL": "debug", "PORTFOLIO_MAX_SESSION_DURATION": "2h",
			"PORTFOLIO_MAX_SESSIONS": "50", "PORTFOLIO_MAX_SESSIONS_PER_IP": "3", "PORTFOLIO_RATE_BURST": "9",
			"PORTFOLIO_HOST_KEY": "pem", "PORTFOLIO_SHUTDOWN_TIMEOUT": "45s", "PORTFOLIO_HTTP_ADDR": ":9091",
			"PORTFOLIO_PROXY_PROTOCOL": "v2", "PORTFOLIO_PROXY_TRUSTED": "10.0.0.0/8", "PORTFOLIO_LOG_MASK_ADDR": "true",
		}, func(c server.Config) bool {
			return c.HostKeyPath == "/k" && !c.HostKeyGenerate && c.ContentDir == "/c" && c.LogFormat == "json" &&
				c.LogLevel == "debug" && c.MaxSessionDuration == 2*time.Hour && c.MaxSessions == 50 &&
				c.MaxSessionsPerIP == 3 && c.RateBurst == 9 && c.HostKeyPEM == "pem" &&
				c.ShutdownTimeout == 45*time.Second && c.HTTPAddr == ":9091" && c.ProxyProtocol == "v2" &&
				c.ProxyTrusted == "10.0.0.0/8" && c.LogMaskAddr
		}},
		{"ops flags beat env", []string{"--proxy-protocol", "v1", "--http-addr", "127.0.0.1:9100", "--shutdown-timeout", "5s", "--log-mask-addr"},
			map[string]string{"PORTFOLIO_PROXY_PROTOCOL": "v2", "PORTFOLIO_HTTP_ADDR": ":9091", "PORTFOLIO_LOG_MASK_ADDR": "false"},
			func(c server.Config) bool {
				return c.ProxyProtocol == "v1" && c.HTTPAddr == "127.0.0.1:9100" && c.ShutdownTimeout == 5*time.Second && c.LogMaskAddr
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMain()
			m.Stderr = &bytes.Buffer{}
			if err := m.ParseFlags(tt.args, env(tt.env)); err != nil {
				t.Fatal(err)
			}
			if !tt.want(m.Config) {
				t.Fatalf("config %+v", m.Config)
			}
		})
	}
}

func TestConfigErrorsNameSettingAndValue(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"bad env duration", nil, map[string]string{"PORTFOLIO_IDLE_TIMEOUT": "soon"}, []string{"PORTFOLIO_IDLE_TIMEOUT", "soon"}},
		{"bad env number", nil, map[string]string{"PORTFOLIO_MAX_SESSIONS": "many"}, []string{"PORTFOLIO_MAX_SESSIONS", "many"}},
		{"bad env bool", nil, map[string]string{"PORTFOLIO_HOST_KEY_GENERATE": "perhaps"}, []string{"PORTFOLIO_HOST_KEY_GENERATE", "perhaps"}},
		{"bad env rate", nil, map[string]string{"PORTFOLIO_RATE_LIMIT": "lots"}, []string{"PORTFOLIO_RATE_LIMIT", "lots"}},
		{"bad flag", []string{"--max-session-duration", "forever"}, nil, []string{"max-session-duration", "forever"}},
		{"valid but senseless", nil, map[string]string{"PORTFOLIO_LOG_FORMAT": "xml"}, []string{"PORTFOLIO_LOG_FORMAT", "xml"}},
		{"stray argument", []string{"serve"}, nil, []string{"serve"}},
		{"bad proxy mode", nil, map[string]string{"PORTFOLIO_PROXY_PROTOCOL": "v9"}, []string{"PORTFOLIO_PROXY_PROTOCOL", "v9"}},
		{"bad trusted range", nil, map[string]string{"PORTFOLIO_PROXY_PROTOCOL": "any", "PORTFOLIO_PROXY_TRUSTED": "10.0.0.0/99"}, []string{"PORTFOLIO_PROXY_TRUSTED", "10.0.0.0/99"}},
		{"bad shutdown timeout", nil, map[string]string{"PORTFOLIO_SHUTDOWN_TIMEOUT": "-3s"}, []string{"PORTFOLIO_SHUTDOWN_TIMEOUT", "-3s"}},
		{"frame rate too high", nil, map[string]string{"PORTFOLIO_FRAME_RATE": "500"}, []string{"PORTFOLIO_FRAME_RATE", "500"}},
		{"bad sleep duration", nil, map[string]string{"PORTFOLIO_SLEEP_AFTER": "soon"}, []string{"PORTFOLIO_SLEEP_AFTER", "soon"}},
		{"bad mask bool", nil, map[string]string{"PORTFOLIO_LOG_MASK_ADDR": "maybe"}, []string{"PORTFOLIO_LOG_MASK_ADDR", "maybe"}},
		{"bad http addr", []string{"--http-addr", "healthz"}, nil, []string{"PORTFOLIO_HTTP_ADDR", "healthz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMain()
			m.Stderr = &bytes.Buffer{}
			err := m.ParseFlags(tt.args, env(tt.env))
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
}

func TestHelpListsEverySetting(t *testing.T) {
	m := NewMain()
	var out bytes.Buffer
	m.Stderr = &out
	if err := m.ParseFlags([]string{"--help"}, env(nil)); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, want := range []string{
		"PORTFOLIO_ADDR", "(default :23234)", "PORTFOLIO_HOST_KEY_PATH", "(default .ssh/portfolio_ed25519)",
		"PORTFOLIO_HOST_KEY\n", "PORTFOLIO_HOST_KEY_GENERATE", "PORTFOLIO_CONTENT_DIR", "PORTFOLIO_LOG_FORMAT", "(default text)",
		"PORTFOLIO_LOG_LEVEL", "(default info)", "PORTFOLIO_IDLE_TIMEOUT", "(default 10m0s)",
		"PORTFOLIO_MAX_SESSION_DURATION", "PORTFOLIO_MAX_SESSIONS", "PORTFOLIO_MAX_SESSIONS_PER_IP",
		"PORTFOLIO_RATE_LIMIT", "(default 2/s)", "PORTFOLIO_RATE_BURST", "preview",
		"PORTFOLIO_SHUTDOWN_TIMEOUT", "(default 20s)", "PORTFOLIO_HTTP_ADDR", "PORTFOLIO_PROXY_PROTOCOL", "(default off)",
		"PORTFOLIO_PROXY_TRUSTED", "PORTFOLIO_LOG_MASK_ADDR", "portfolio stats [FILE]", "PORTFOLIO_FRAME_RATE", "(default 120)", "PORTFOLIO_SLEEP_AFTER", "(default 5s)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q:\n%s", want, out.String())
		}
	}
	// Every flag the set defines is documented.
	cfg := server.Defaults()
	newFlagSet(&cfg, &bytes.Buffer{}).VisitAll(func(f *flag.Flag) {
		if !strings.Contains(out.String(), "--"+f.Name+" ") {
			t.Errorf("flag --%s is not in --help", f.Name)
		}
	})
}

func TestMainServesAndCloses(t *testing.T) {
	m := NewMain()
	var logs bytes.Buffer
	m.Stderr = &logs
	dir := t.TempDir()
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--host-key-path", filepath.Join(dir, "key"), "--log-format", "json"}, env(nil)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	client, err := gossh.Dial("tcp", m.Addr().String(), &gossh.ClientConfig{
		User:            "v",
		HostKeyCallback: gossh.FixedHostKey(m.Server.HostKey().Signer.PublicKey()),
	})
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := client.NewSession()
	out, err := sess.Output("help")
	if err != nil || !strings.Contains(string(out), "Usage:") {
		t.Fatalf("help: %v %q", err, out)
	}
	client.Close()
	if err := m.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if !strings.Contains(logs.String(), `"fingerprint":"SHA256:`) || !strings.Contains(logs.String(), `"msg":"listening"`) {
		t.Errorf("start-up logs lack the fingerprint or the address:\n%s", logs.String())
	}
}

func TestMainRefusesABadHostKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := NewMain()
	m.Stderr = &bytes.Buffer{}
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--host-key-path", path}, env(nil)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Run with a corrupt key: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "garbage" {
		t.Fatal("the corrupt key was replaced")
	}
}
