package config

import (
	"errors"
	"net/mail"
	"net/url"
	"strings"
)

// The checks of the settings that name another service. Each accepts empty (the service is
// not used) and says what it wants otherwise.

// checkDatabase accepts a path (SQLite) or a PostgreSQL URL.
func checkDatabase(s string) error {
	scheme, _, isURL := strings.Cut(s, "://")
	switch {
	case s == "" || !isURL:
		return nil
	case scheme == "postgres" || scheme == "postgresql":
		if _, err := url.Parse(s); err != nil {
			return errors.New("not a valid URL: want postgres://USER:PASSWORD@HOST/DB")
		}
		return nil
	}
	return errors.New("want a file path (SQLite) or a postgres:// or postgresql:// URL")
}

// checkWebhook accepts an http or https URL with a host.
func checkWebhook(s string) error {
	if s == "" {
		return nil
	}
	if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want an http:// or https:// URL")
	}
	return nil
}

// checkSMTP accepts an smtp or smtps URL with a host.
func checkSMTP(s string) error {
	if s == "" {
		return nil
	}
	if u, err := url.Parse(s); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return errors.New("want smtp://USER:PASSWORD@HOST:587 or smtps://USER:PASSWORD@HOST:465")
	}
	return nil
}

// checkEmail accepts one bare address.
func checkEmail(s string) error {
	if s == "" {
		return nil
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		return errors.New("want one address, like you@example.org")
	}
	return nil
}
