package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Message is a stored message, as the owner sees it.
type Message struct {
	ID                  int64
	Time                time.Time
	Text, Name, ReplyTo string
	Guestbook           bool   // the writer allows it in the guestbook
	Approved            bool   // the owner approved it for the guestbook
	Status              string // "unread", "read", "archived"
	Addr, Client        string
	Notified            string // "none", "pending", "sent", "failed", over all its deliveries
	Reply               string
	RepliedAt           time.Time
	Deliveries          []Delivery
}

// Filter selects messages.
type Filter struct {
	Unread bool // only unread ones
	Limit  int  // at most this many; 0: all
}

const messageColumns = "id, at, text, name, reply_to, guestbook, approved, status, addr, client, reply, replied_at"

func scanMessage(row interface{ Scan(...any) error }) (Message, error) {
	var m Message
	var at, repliedAt int64
	err := row.Scan(&m.ID, &at, &m.Text, &m.Name, &m.ReplyTo, &m.Guestbook, &m.Approved, &m.Status,
		&m.Addr, &m.Client, &m.Reply, &repliedAt)
	m.Time, m.RepliedAt = fromMicro(at), fromMicro(repliedAt)
	return m, err
}

// Messages returns the messages f selects, newest first, each with its deliveries.
func (s *Store) Messages(ctx context.Context, f Filter) ([]Message, error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	where, args := "", []any{}
	if f.Unread {
		where = "WHERE status = 'unread'"
	}
	limit := ""
	if f.Limit > 0 {
		args = append(args, f.Limit)
		limit = fmt.Sprintf("LIMIT $%d", len(args))
	}
	selected := fmt.Sprintf("SELECT %s FROM messages %s ORDER BY at DESC, id DESC %s", messageColumns, where, limit)
	rows, err := s.db.QueryContext(ctx, selected, args...)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []Message
	index := map[int64]int{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, unavailable(err)
		}
		index[m.ID] = len(out)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, unavailable(err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	ds, err := s.deliveries(ctx, "WHERE message_id IN (SELECT id FROM ("+selected+") AS m)", args...)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if i, ok := index[d.MessageID]; ok {
			out[i].Deliveries = append(out[i].Deliveries, d)
		}
	}
	for i := range out {
		out[i].Notified = notified(out[i].Deliveries)
	}
	return out, nil
}

// Message returns one message with its deliveries, or ErrNotFound.
func (s *Store) Message(ctx context.Context, id int64) (Message, error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return Message{}, err
	}
	defer cancel()
	m, err := scanMessage(s.db.QueryRowContext(ctx, "SELECT "+messageColumns+" FROM messages WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, ErrNotFound
	}
	if err != nil {
		return Message{}, unavailable(err)
	}
	if m.Deliveries, err = s.deliveries(ctx, "WHERE message_id = $1", id); err != nil {
		return Message{}, err
	}
	m.Notified = notified(m.Deliveries)
	return m, nil
}

// notified sums up how the owner was told of a message: "none" without a notification,
// "pending" while one is, "failed" when one gave up, else "sent". The emailed reply (channel
// "reply-email") goes to the writer, not the owner, and is not counted.
func notified(ds []Delivery) string {
	state := "none"
	for _, d := range ds {
		if d.Channel == ReplyEmail {
			continue
		}
		if state == "none" {
			state = "sent"
		}
		switch d.State {
		case "pending":
			return "pending"
		case "failed":
			state = "failed"
		}
	}
	return state
}

// MarkRead marks a message read (an archived one too: it comes back to the inbox).
func (s *Store) MarkRead(ctx context.Context, id int64) error {
	return s.update(ctx, "UPDATE messages SET status = 'read' WHERE id = $1", id)
}

// Archive archives a message: kept, out of the unread count, first to go when the store is
// full.
func (s *Store) Archive(ctx context.Context, id int64) error {
	return s.update(ctx, "UPDATE messages SET status = 'archived' WHERE id = $1", id)
}

// Delete deletes a message and its deliveries.
func (s *Store) Delete(ctx context.Context, id int64) error {
	return s.update(ctx, "DELETE FROM messages WHERE id = $1", id)
}

// Approve shows a message in the guestbook; ErrNotAllowed when its writer did not allow it.
func (s *Store) Approve(ctx context.Context, id int64) error {
	err := s.update(ctx, "UPDATE messages SET approved = TRUE WHERE id = $1 AND guestbook", id)
	if errors.Is(err, ErrNotFound) {
		if _, err := s.Message(ctx, id); err != nil {
			return err
		}
		return ErrNotAllowed
	}
	return err
}

// update runs a statement on one message: ErrNotFound when it touched none.
func (s *Store) update(ctx context.Context, query string, args ...any) error {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return unavailable(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return unavailable(err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Reply stores the owner's reply to a message (cleaned; replacing an earlier one) and marks
// the message read. With emailChannel, when the writer left an email address, it also
// queues a "reply-email" delivery in the same transaction.
func (s *Store) Reply(ctx context.Context, id int64, text string, emailChannel bool) error {
	if !utf8.ValidString(text) {
		return ErrNotUTF8
	}
	text = strings.TrimSpace(Clean(text))
	if text == "" {
		return ErrEmpty
	}
	if utf8.RuneCountInString(text) > MaxText {
		return fmt.Errorf("%w: a reply has at most %d characters", ErrTooLong, MaxText)
	}
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	now := time.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var replyTo string
		err := tx.QueryRowContext(ctx, `UPDATE messages SET reply = $1, replied_at = $2,
			status = CASE WHEN status = 'unread' THEN 'read' ELSE status END
			WHERE id = $3 RETURNING reply_to`, text, micro(now), id).Scan(&replyTo)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if emailChannel && IsEmail(replyTo) {
			return addDelivery(ctx, tx, id, ReplyEmail, now)
		}
		return nil
	})
}

// IsEmail reports whether a contact is a bare email address (what a mail can be sent to).
func IsEmail(contact string) bool {
	a, err := mail.ParseAddress(contact)
	return err == nil && a.Address == contact && a.Name == ""
}

// ReplyFor returns the reply to the message whose reply code is code: known is false for a
// code no message has; reply is "" while the owner has not replied.
func (s *Store) ReplyFor(ctx context.Context, code string) (reply string, known bool, err error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return "", false, err
	}
	defer cancel()
	err = s.db.QueryRowContext(ctx, "SELECT reply FROM messages WHERE code_hash = $1", hash(normalizeCode(code))).Scan(&reply)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, unavailable(err)
	}
	return reply, true, nil
}

// Entry is a guestbook entry.
type Entry struct {
	Time       time.Time
	Name, Text string
}

// Guestbook returns the messages approved for the guestbook, newest first.
func (s *Store) Guestbook(ctx context.Context) ([]Entry, error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	rows, err := s.db.QueryContext(ctx, "SELECT at, name, text FROM messages WHERE approved AND guestbook ORDER BY at DESC, id DESC")
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var at int64
		if err := rows.Scan(&at, &e.Name, &e.Text); err != nil {
			return nil, unavailable(err)
		}
		e.Time = fromMicro(at)
		out = append(out, e)
	}
	return out, unavailable(rows.Err())
}

// Counts is what the owner's first screen summarises.
type Counts struct {
	Unread       int
	NewestUnread string // the first line of the newest unread message
	Undelivered  int    // notifications pending or given up
}

// Counts counts unread messages and undelivered notifications.
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return Counts{}, err
	}
	defer cancel()
	var c Counts
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM messages WHERE status = 'unread'").Scan(&c.Unread); err != nil {
		return Counts{}, unavailable(err)
	}
	if c.Unread > 0 {
		var text string
		err := s.db.QueryRowContext(ctx, "SELECT text FROM messages WHERE status = 'unread' ORDER BY at DESC, id DESC LIMIT 1").Scan(&text)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Counts{}, unavailable(err)
		}
		c.NewestUnread, _, _ = strings.Cut(text, "\n")
	}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM deliveries WHERE state <> 'sent'").Scan(&c.Undelivered); err != nil {
		return Counts{}, unavailable(err)
	}
	return c, nil
}

// isRefusal reports whether err is one of the package's answers rather than a failure.
func isRefusal(err error) bool {
	for _, r := range []error{ErrEmpty, ErrTooLong, ErrNotUTF8, ErrTooMany, ErrInboxFull, ErrDuplicate, ErrNotFound, ErrNotAllowed} {
		if errors.Is(err, r) {
			return true
		}
	}
	return false
}
