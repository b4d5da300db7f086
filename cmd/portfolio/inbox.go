package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"portfolio/config"
	"portfolio/inbox"
	"portfolio/store"
)

// runInbox is `portfolio inbox [--database DSN] ...`: the owner's inbox on the machine
// that keeps the database, without SSH. The database is the server's setting (--database,
// else PORTFOLIO_DATABASE, else the SQLite file under the working directory), read through
// the same settings table; the commands are package inbox's, the same as
// `ssh owner@HOST inbox`.
func runInbox(ctx context.Context, args, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var settings, rest []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--database" || a == "-database":
			if i+1 == len(args) {
				fmt.Fprintln(stderr, "portfolio inbox: --database needs a value (a postgres:// URL or an SQLite file)")
				return 2
			}
			i++
			settings = append(settings, "--database="+args[i])
		case strings.HasPrefix(a, "--database=") || strings.HasPrefix(a, "-database="):
			settings = append(settings, a)
		case a == "--help" || a == "-help" || a == "-h":
			fmt.Fprint(stdout, "portfolio inbox [--database DSN] ...: the messages visitors left\n"+
				"(DSN: --database, else PORTFOLIO_DATABASE, else "+store.DefaultPath+" here)\n\n")
			fmt.Fprint(stdout, inbox.Usage)
			return 0
		default:
			rest = append(rest, a)
		}
	}
	loaded, err := config.Load(settings, environ)
	for _, u := range loaded.Unknown {
		fmt.Fprintln(stderr, "portfolio inbox: warning:", u)
	}
	if err != nil {
		fmt.Fprintln(stderr, "portfolio inbox:", err)
		return 2
	}
	cfg := loaded.Config
	st, err := openExisting(ctx, cfg.Database)
	if err != nil {
		fmt.Fprintln(stderr, "portfolio inbox:", err)
		return 1
	}
	defer st.Close()
	return inbox.Run(ctx, st, rest, stdin, stdout, stderr, inbox.Options{EmailReplies: cfg.SMTPURL != "", Location: time.Local})
}

// openExisting opens the server's database for a command that reads it. The server creates
// the SQLite file at start: a missing one means the wrong directory or setting, not an empty
// inbox or no visits, and must not be created empty by the command.
func openExisting(ctx context.Context, dsn string) (*store.Store, error) {
	if path, ok := store.SQLitePath(dsn); ok {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no database at %s: run it where the server runs, or set --database or PORTFOLIO_DATABASE", path)
		}
	}
	return store.Open(ctx, dsn)
}
