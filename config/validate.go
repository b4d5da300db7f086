package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"portfolio/server"
	"portfolio/server/frontproxy"
)

// given is where a row's value came from and, from a flag or a variable, as written there.
type given struct {
	from origin
	raw  string
}

// validate checks cfg against the table's ranges and the rules between settings, naming the
// first bad value as the operator gave it.
func validate(cfg server.Config, rows []Setting, gave []given) error {
	// who names row i as the operator gave it: the flag or variable and the text written
	// there, or the variable and the value.
	who := func(i int) string {
		if gave[i].from == fromDefault {
			return rows[i].describe(fromDefault, rows[i].Value(&cfg).String())
		}
		return rows[i].describe(gave[i].from, gave[i].raw)
	}
	for i, s := range rows {
		if err := s.Value(&cfg).Check(); err != nil {
			return fmt.Errorf("%s: %v", who(i), err)
		}
	}
	byName := func(env string) string { return who(find(rows, env)) }
	for _, check := range crossChecks() {
		if err := check(cfg, byName); err != nil {
			return err
		}
	}
	return nil
}

// crossChecks are the rules that involve more than one setting. who names a setting the way
// an error message does: its flag or variable, as the value was given, and the value.
func crossChecks() []func(c server.Config, who func(env string) string) error {
	return []func(server.Config, func(string) string) error{
		func(c server.Config, who func(string) string) error {
			if c.HostKeyPEM == "" && strings.TrimSpace(c.HostKeyPath) == "" {
				return fmt.Errorf("%s: empty, and PORTFOLIO_HOST_KEY is not set: the server needs a host key", who("PORTFOLIO_HOST_KEY_PATH"))
			}
			return nil
		},
		func(c server.Config, who func(string) string) error {
			if c.MaxSessionsPerIP > c.MaxSessions {
				return fmt.Errorf("%s: more than %s", who("PORTFOLIO_MAX_SESSIONS_PER_IP"), who("PORTFOLIO_MAX_SESSIONS"))
			}
			return nil
		},
		func(c server.Config, who func(string) string) error {
			return between(c.ContendedSessions, c.MaxSessionsPerIP, c.MaxSessions, who,
				"PORTFOLIO_CONTENDED_SESSIONS", "PORTFOLIO_MAX_SESSIONS_PER_IP", "PORTFOLIO_MAX_SESSIONS")
		},
		func(c server.Config, who func(string) string) error {
			if _, port, _ := net.SplitHostPort(c.HTTPAddr); c.HTTPAddr == c.Addr && port != "0" {
				return fmt.Errorf("%s: the same address as %s", who("PORTFOLIO_HTTP_ADDR"), who("PORTFOLIO_ADDR"))
			}
			return nil
		},
		func(c server.Config, who func(string) string) error {
			mode, _ := frontproxy.ParseMode(c.ProxyProtocol)
			if mode == frontproxy.Off && len(c.ProxyTrusted) > 0 {
				return fmt.Errorf("%s: trusted ranges need the PROXY protocol on (%s)", who("PORTFOLIO_PROXY_TRUSTED"), who("PORTFOLIO_PROXY_PROTOCOL"))
			}
			return nil
		},
		func(c server.Config, who func(string) string) error {
			if c.NotifyEmail != "" && c.SMTPURL == "" {
				return fmt.Errorf("%s: mail needs a mail server (PORTFOLIO_SMTP_URL)", who("PORTFOLIO_NOTIFY_EMAIL"))
			}
			return nil
		},
	}
}

// between checks a contended threshold: 0 (the server derives it) or from the share to the
// cap, naming both sides of a rule it breaks.
func between(n, share, limit int, who func(string) string, env, shareEnv, limitEnv string) error {
	switch {
	case n == 0:
		return nil
	case n < share:
		return fmt.Errorf("%s: less than %s", who(env), who(shareEnv))
	case n > limit:
		return fmt.Errorf("%s: more than %s", who(env), who(limitEnv))
	}
	return nil
}

// describe names the setting as the operator gave it, with the value: `--max-sessions 0`,
// `PORTFOLIO_MAX_SESSIONS=0`, or for a value from no flag or variable `PORTFOLIO_MAX_SESSIONS 200`.
// A secret's value is never shown.
func (s Setting) describe(o origin, val string) string {
	if s.Secret {
		val = "(hidden)"
	} else if val == "" || strings.ContainsAny(val, " \t\"'\\") || strconv.Quote(val) != `"`+val+`"` {
		val = strconv.Quote(val)
	}
	switch o {
	case fromFlag:
		return "--" + s.Flag() + " " + val
	case fromEnv:
		return s.Env + "=" + val
	}
	return s.Env + " " + val
}
