package config

import (
	"errors"
	"flag"
	"strings"
	"testing"

	"portfolio/server"
)

func TestSecretValueNeverShown(t *testing.T) {
	rows := Settings()
	s := rows[find(rows, "PORTFOLIO_HOST_KEY")]
	if s.Flag() != "" {
		t.Errorf("the host key has a flag --%s: it would show in ps", s.Flag())
	}
	for _, o := range []origin{fromDefault, fromEnv, fromFlag} {
		if d := s.describe(o, "-----BEGIN OPENSSH PRIVATE KEY-----"); strings.Contains(d, "BEGIN") {
			t.Errorf("describe shows the secret: %s", d)
		}
	}
}

// TestHelp: --help is flag.ErrHelp for the caller to print, and WriteHelp lists every row
// with its flag, variable, range and default.
func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "--help", "-help"} {
		if _, err := Load([]string{arg}, nil); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%s: %v", arg, err)
		}
	}
	var b strings.Builder
	WriteHelp(&b)
	help := b.String()
	for _, want := range []string{
		"--addr ADDR", "PORTFOLIO_ADDR", "default :23234\n", "(no flag)", "PORTFOLIO_HOST_KEY\n", "default unset\n",
		"--idle-timeout DURATION", "default 10m; range 10s to 24h\n", "--max-sessions N", "default 200; range 1 to 100000\n",
		"--log-mask-addr   ", "default false\n", "--rate-limit COUNT/PERIOD", "default 2/s; range 1/h to 100000/s\n",
		"--memory-budget SIZE", "default 0; range 0 (no limit) or 985600 to 1TiB\n", "default built-in content\n",
		"--visit-retention DURATION", "default 2160h; range 1h to 87600h\n", "default SQLite at data/portfolio.db\n",
		"default off\n", "default text; range text, json or logfmt\n", "default any source\n",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("--help lacks %q:\n%s", want, help)
		}
	}
	if strings.Contains(help, "`") {
		t.Error("--help shows the README's backticks")
	}
	for _, s := range Settings() {
		if !strings.Contains(help, s.Env+"\n") || (s.Flag() != "" && !strings.Contains(help, "--"+s.Flag()+" ")) {
			t.Errorf("--help lacks %s", s.Env)
		}
	}
}

// TestTableRows keeps the table well formed: names, one flag per row, a usage, and a
// default inside its own range (TestLoad's "defaults" case checks the rules between them).
func TestTableRows(t *testing.T) {
	seen := map[string]bool{}
	cfg := server.Defaults()
	for _, s := range Settings() {
		if !strings.HasPrefix(s.Env, "PORTFOLIO_") || strings.ToUpper(s.Env) != s.Env || seen[s.Env] {
			t.Errorf("bad or repeated name %q", s.Env)
		}
		seen[s.Env] = true
		if s.Usage == "" || s.Value == nil {
			t.Errorf("%s: no usage or no value", s.Env)
		}
		if err := s.Value(&cfg).Check(); err != nil {
			t.Errorf("%s: the default is out of range: %v", s.Env, err)
		}
	}
}
