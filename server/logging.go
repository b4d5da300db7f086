package server

import (
	"strings"
	"time"

	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"github.com/charmbracelet/colorprofile"
)

// logSessions writes one "session start" event when a session begins and one "session end"
// event when it ends, whatever ended it (including a panic on its way to the recover
// middleware). The keys are stable: log readers (portfolio stats, dashboards) depend on them.
//
//	start: session addr user client term profile width height pty command
//	end:   the same session and addr, plus duration_ms sections keys bytes reason kind
//
// It also registers the session with live, so that a shutdown waits for it. Registered here,
// and released only after "session end" is written, so that no end event is lost to exit.
func logSessions(logger *log.Logger, live *liveSessions) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) {
			v := newVisit(s)
			v.tracked = true
			live.add(v)
			defer live.remove(v) // runs last: after the end event below
			pty, _, isPty := s.Pty()
			if isPty {
				v.profile = visitorProfile(s).String()
			}
			logger.Info("session start",
				"session", v.id,
				"addr", s.RemoteAddr().String(),
				"user", clean(s.User(), 64),
				"client", clean(s.Context().ClientVersion(), 128),
				"term", clean(pty.Term, 64),
				"profile", v.profile,
				"width", pty.Window.Width,
				"height", pty.Window.Height,
				"pty", isPty,
				"command", clean(s.RawCommand(), 128),
			)
			// Deferred without recover: a panic keeps unwinding to the recover middleware,
			// and this still logs the end with reason "panic".
			finished := false
			defer func() {
				if !finished {
					v.end("panic", "")
				}
				v.mu.Lock()
				kind, reason, sections := v.kind, v.reason, v.sections
				v.mu.Unlock()
				if reason == "" {
					reason = "done"
				}
				level := log.InfoLevel
				if reason == "panic" {
					level = log.ErrorLevel
				}
				logger.Log(level, "session end",
					"session", v.id,
					"addr", s.RemoteAddr().String(),
					"duration_ms", time.Since(v.start).Milliseconds(),
					"sections", sections,
					"keys", v.keys.Load(),
					"bytes", v.bytesOut.Load(),
					"reason", reason,
					"kind", kind,
				)
			}()
			next(v)
			finished = true
		}
	}
}

// visitorProfile is the colour profile of the visitor's terminal, derived the same way
// wish's bubbletea.MakeOptions derives it for an emulated PTY: from the environment the
// client sent plus the PTY's TERM. Never from the server's own terminal.
func visitorProfile(s ssh.Session) colorprofile.Profile {
	pty, _, _ := s.Pty()
	return colorprofile.Env(append(s.Environ(), "TERM="+pty.Term))
}

// ASCIILocale reports, from environment entries (KEY=value), whether the visitor's locale says their terminal cannot show UTF-8.
// The first of LC_ALL, LC_CTYPE and LANG that is set decides, as in POSIX. With none set
// (most clients send none) UTF-8 is assumed: nearly every terminal today speaks it.
func ASCIILocale(environ []string) bool {
	vals := map[string]string{}
	for _, kv := range environ {
		k, val, ok := strings.Cut(kv, "=")
		if ok {
			vals[k] = val
		}
	}
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		val := vals[k]
		if val == "" {
			continue
		}
		l := strings.ToLower(val)
		return !strings.Contains(l, "utf-8") && !strings.Contains(l, "utf8")
	}
	return false
}
