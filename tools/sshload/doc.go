// Command sshload is a bounded load tool that measures the portfolio SSH server against a bare
// charm.land/ssh server that only writes "hello", in one run on the same machine.
//
// It starts every server it measures as its own child process (so its CPU and memory can be
// read from /proc/PID separately from the client's), drives them with golang.org/x/crypto/ssh,
// and prints a table plus the ratios against the performance targets (docs/performance.md).
// It only ever connects to loopback addresses (127.0.0.0/8 and ::1); every loop is bounded in
// count and in time.
//
//	sshload                           # build ./cmd/portfolio, measure it and the baseline
//	sshload --portfolio-bin ./bin/portfolio --json out.json
//	sshload --targets baseline,tea    # no portfolio: the bare server and a plain Bubble Tea app
//	sshload admission                 # the portfolio at its default admission settings: sessions
//	                                  # served vs refused for a crowd from one address and a flood
//	sshload memory                    # the portfolio's memory per session at 80x24 and 300x100,
//	                                  # asleep and awake (RSS growth and live heap)
//
// Subcommands used internally (the tool re-executes itself to start them):
//
//	sshload baseline-server --addr 127.0.0.1:PORT   # charm.land/ssh, writes "hello", echoes input
//	sshload tea-server --addr 127.0.0.1:PORT        # wish + Bubble Tea viewport of 4 KB text
package main
