// Package e2e holds end-to-end tests: they build the portfolio binary once, run it on
// 127.0.0.1 and drive it with the real OpenSSH client, inside tmux when a terminal is needed.
// Without ssh or tmux they skip with a message, unless CI is set: then they fail.
package e2e
