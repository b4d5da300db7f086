package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Lengths, in runes after cleaning: what the form's counter shows.
const (
	MaxText    = 2000 // a long letter; longer is a document, which belongs in an email
	MaxName    = 60   // how a guestbook entry is signed: a name, not a paragraph
	MaxReplyTo = 200  // an email address or any contact, with room for a URL
)

// The limits of TakeMessage. They are constants, not settings: they protect the owner's
// inbox and notification channels from a script on an anonymous port, and an owner would
// have no better numbers to choose. They count rows in the database, so they hold across
// every machine sharing it.
const (
	// A person writes one message, perhaps a correction or two; a fourth within ten minutes
	// is a script.
	perSourceShort       = 3
	perSourceShortWindow = 10 * time.Minute
	// Ten a day from one address still lets a shared address (an office, a café) through.
	perSourceDay = 10
	day          = 24 * time.Hour
	// In total: more than the owner reads in an hour, and few enough that a flood from many
	// addresses does not bury the inbox or exhaust the notification channels.
	perHour = 100
	// Stored at most: archived messages make room, oldest first; unread ones are never
	// dropped to make room, so a flood is refused instead of erasing what the owner has not
	// read yet.
	maxStored = 10000
)

// Draft is a message as a visitor wrote it, with where it came from.
type Draft struct {
	Text, Name, ReplyTo string   // raw from the visitor; TakeMessage cleans and checks them
	Guestbook           bool     // the writer allows it in the guestbook
	Source              string   // the source key the limits count by; stored only as a hash
	Addr                string   // the address as shown to the owner (masked when the logs are)
	Client              string   // the SSH client version
	Channels            []string // notification channels configured: "webhook", "email"
}

// clean checks the draft and returns it cleaned, or the refusal.
func (d Draft) clean() (Draft, error) {
	for _, s := range []string{d.Text, d.Name, d.ReplyTo} {
		if !utf8.ValidString(s) {
			return d, ErrNotUTF8
		}
	}
	d.Text = strings.TrimSpace(Clean(d.Text))
	d.Name = CleanLine(d.Name)
	d.ReplyTo = CleanLine(d.ReplyTo)
	d.Addr = CleanLine(d.Addr)
	d.Client = CleanLine(d.Client)
	switch {
	case d.Text == "":
		return d, ErrEmpty
	case utf8.RuneCountInString(d.Text) > MaxText:
		return d, fmt.Errorf("%w: a message has at most %d characters", ErrTooLong, MaxText)
	case utf8.RuneCountInString(d.Name) > MaxName:
		return d, fmt.Errorf("%w: a name has at most %d characters", ErrTooLong, MaxName)
	case utf8.RuneCountInString(d.ReplyTo) > MaxReplyTo:
		return d, fmt.Errorf("%w: a contact has at most %d characters", ErrTooLong, MaxReplyTo)
	}
	return d, nil
}

// TakeMessage stores a visitor's message with its notifications (one pending delivery per
// channel, due now) in one transaction, and returns its id and the reply code to show the
// writer once. It returns ErrEmpty, ErrTooLong, ErrNotUTF8, ErrDuplicate, ErrTooMany or
// ErrInboxFull for a refusal; any other error wraps ErrUnavailable.
func (s *Store) TakeMessage(ctx context.Context, d Draft, now time.Time) (id int64, code string, err error) {
	d, err = d.clean()
	if err != nil {
		return 0, "", err
	}
	code = newCode()
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return 0, "", err
	}
	defer cancel()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if s.engine == "postgres" {
			// Serialise senders across the fleet: the checks below and the insert must
			// see every other send, or concurrent sends could exceed the limits.
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", takeLock); err != nil {
				return err
			}
		}
		if err := checkLimits(ctx, tx, d, now); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO messages
			(at, text, name, reply_to, guestbook, status, addr, client, source_hash, text_hash, code_hash)
			VALUES ($1, $2, $3, $4, $5, 'unread', $6, $7, $8, $9, $10) RETURNING id`,
			micro(now), d.Text, d.Name, d.ReplyTo, d.Guestbook, d.Addr, d.Client,
			hash(d.Source), hash(d.Text), hash(normalizeCode(code))).Scan(&id)
		if err != nil {
			return err
		}
		var seen []string
		for _, ch := range d.Channels {
			if slices.Contains(seen, ch) {
				continue
			}
			seen = append(seen, ch)
			if err := addDelivery(ctx, tx, id, ch, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, "", err
	}
	return id, code, nil
}

// takeLock is the PostgreSQL advisory lock key TakeMessage holds for its transaction.
const takeLock = migrationLock + 1

// checkLimits refuses a message that would break one of the limits, making room among the
// archived messages when the store is full.
func checkLimits(ctx context.Context, tx *sql.Tx, d Draft, now time.Time) error {
	source := hash(d.Source)
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM messages WHERE source_hash = $1 AND text_hash = $2",
		source, hash(d.Text)).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return ErrDuplicate
	}
	var short, daily int
	if err := tx.QueryRowContext(ctx, `SELECT
			count(CASE WHEN at > $2 THEN 1 END),
			count(*)
		FROM messages WHERE source_hash = $1 AND at > $3`,
		source, micro(now.Add(-perSourceShortWindow)), micro(now.Add(-day))).Scan(&short, &daily); err != nil {
		return err
	}
	if short >= perSourceShort || daily >= perSourceDay {
		return ErrTooMany
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM messages WHERE at > $1",
		micro(now.Add(-time.Hour))).Scan(&n); err != nil {
		return err
	}
	if n >= perHour {
		return ErrInboxFull
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM messages").Scan(&n); err != nil {
		return err
	}
	if n < maxStored {
		return nil
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE id IN (
		SELECT id FROM messages WHERE status = 'archived' ORDER BY at, id LIMIT $1)`, n-maxStored+1)
	if err != nil {
		return err
	}
	if dropped, err := res.RowsAffected(); err != nil {
		return err
	} else if n-int(dropped) >= maxStored {
		return ErrInboxFull
	}
	return nil
}

// addDelivery queues a notification of message id on channel, due at once.
func addDelivery(ctx context.Context, tx *sql.Tx, id int64, channel string, now time.Time) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO deliveries (message_id, channel, state, next_at) VALUES ($1, $2, 'pending', $3)",
		id, channel, micro(now))
	return err
}

// hash is the hex SHA-256 of s: how source keys, texts and reply codes are stored.
func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// inTx runs f in a transaction and commits it. A refusal f returns (one of the package's
// errors) is returned as it is; any other failure wraps ErrUnavailable.
func (s *Store) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return unavailable(err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		if isRefusal(err) {
			return err
		}
		return unavailable(err)
	}
	return unavailable(tx.Commit())
}
