// Package store is the portfolio's database: visitors' messages and their notifications
// (the outbox), the owner's replies, the guestbook, visit records and the sessions open now.
// It is a leaf: it imports nothing of the portfolio's, and every other package reaches the
// database only through it.
//
// # Engines
//
// Open("") uses SQLite at data/portfolio.db under the working directory (the directory 0700,
// the file 0600, created at start), through modernc.org/sqlite, a pure-Go driver, so the
// binary stays static. The file is in WAL mode with a busy timeout, so `portfolio inbox` can
// read and write while a server runs on the same file. A postgres:// or postgresql:// URL uses
// PostgreSQL through jackc/pgx/v5's database/sql driver, which every machine of a fleet can
// share. Both go through database/sql with the same SQL text ($1-style parameters, which
// SQLite accepts too), so there is one code path; the schema differs only where the engines
// do (how an id is generated).
//
// # Migrations
//
// The schema is a small ordered list of versioned SQL files (migrations/NNNN_name.sql, an id
// column written {{id}} and spelled for each engine; NNNN_name_sqlite.sql and
// NNNN_name_postgres.sql where the engines differ in more, as soft-serve's pkg/db/migrate
// does), applied at start in one transaction each and recorded in the table
// schema_migrations. A list of a few files needs no migration library: a library would add a
// dependency, its own table format and down-migrations nobody runs, for a loop of twenty
// lines. On PostgreSQL an advisory lock makes machines starting together apply each
// migration once. A migration, once released, is never edited: a change is a new file.
//
// # Failure
//
// Every operation has a deadline (opTimeout), so a database that went away fails within
// seconds with an error wrapping ErrUnavailable, and works again when it is back: database/sql
// drops broken connections and opens new ones, and a PostgreSQL server that was not reachable
// at Open is migrated on first use. The caller never reopens a Store by hand.
//
// # Visitor text
//
// Clean is the one sanitizer for text that came from a visitor. TakeMessage and Reply store
// text already cleaned; whoever shows stored text to a terminal passes it through Clean again
// anyway, so a row written by another version or by hand cannot reach a terminal as control.
package store
