package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"portfolio/inbox"
	"portfolio/store"
)

// runInbox is `portfolio inbox [--database DSN] ...`: the owner's inbox on the machine
// that keeps the database, without SSH. The database is --database, else
// PORTFOLIO_DATABASE, else the server's default SQLite file under the working directory;
// the commands are package inbox's, the same as `ssh owner@HOST inbox`.
func runInbox(ctx context.Context, args []string, getenv func(string) (string, bool), stdin io.Reader, stdout, stderr io.Writer) int {
	dsn, _ := getenv("PORTFOLIO_DATABASE")
	var rest []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--database" || a == "-database":
			if i+1 == len(args) {
				fmt.Fprintln(stderr, "portfolio inbox: --database needs a value (a postgres:// URL or an SQLite file)")
				return 2
			}
			i++
			dsn = args[i]
		case strings.HasPrefix(a, "--database=") || strings.HasPrefix(a, "-database="):
			_, dsn, _ = strings.Cut(a, "=")
		case a == "--help" || a == "-help" || a == "-h":
			fmt.Fprint(stdout, "portfolio inbox [--database DSN] ...: the messages visitors left\n"+
				"(DSN: --database, else PORTFOLIO_DATABASE, else "+store.DefaultPath+" here)\n\n")
			fmt.Fprint(stdout, inbox.Usage)
			return 0
		default:
			rest = append(rest, a)
		}
	}
	// The server creates the SQLite file at start: a missing one means the wrong directory
	// or setting, not an empty inbox.
	if path, ok := store.SQLitePath(dsn); ok {
		if _, err := os.Stat(path); err != nil {
			fmt.Fprintf(stderr, "portfolio inbox: no database at %s: run it where the server runs, or set --database or PORTFOLIO_DATABASE\n", path)
			return 1
		}
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintln(stderr, "portfolio inbox:", err)
		return 1
	}
	defer st.Close()
	smtp, _ := getenv("PORTFOLIO_SMTP_URL")
	return inbox.Run(ctx, st, rest, stdin, stdout, stderr, inbox.Options{EmailReplies: smtp != "", Location: time.Local})
}

// lookup is os.LookupEnv over a list of KEY=VALUE pairs (os.Environ outside tests).
func lookup(environ []string) func(string) (string, bool) {
	return func(key string) (string, bool) {
		for _, kv := range slices.Backward(environ) { // the last one wins, as in os.Environ
			if k, v, ok := strings.Cut(kv, "="); ok && k == key {
				return v, true
			}
		}
		return "", false
	}
}
