package store

import (
	"context"
	"database/sql"
	"time"
)

// Delivery is one notification of a message on one channel: a row of the outbox.
type Delivery struct {
	ID, MessageID int64
	Channel       string // "webhook", "email", "reply-email"
	State         string // "pending", "sent", "failed"
	Attempts      int
	NextAt        time.Time // when a pending one is due
	SentAt        time.Time
	LastError     string
}

// ReplyEmail is the channel of the owner's reply emailed to the writer of a message.
const ReplyEmail = "reply-email"

// DeliveryLease is how long DueDeliveries keeps the deliveries it returns from every other
// caller (another worker, another machine): an attempt must end, with DeliverySent or
// DeliveryFailed, well within it. Should its worker die, a delivery is due again this long
// after it was claimed, which keeps "pending ones are tried again within 10 s of a start".
const DeliveryLease = 10 * time.Second

// maxErrorText bounds a stored delivery error: the first lines of an SMTP or HTTP answer say
// what went wrong; the rest is noise in the inbox.
const maxErrorText = 500

const deliveryColumns = "id, message_id, channel, state, attempts, next_at, sent_at, last_error"

// deliveries returns the deliveries a WHERE clause selects, by id.
func (s *Store) deliveries(ctx context.Context, where string, args ...any) ([]Delivery, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+deliveryColumns+" FROM deliveries "+where+" ORDER BY id", args...)
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	return scanDeliveries(rows)
}

func scanDeliveries(rows *sql.Rows) ([]Delivery, error) {
	var out []Delivery
	for rows.Next() {
		var d Delivery
		var next, sent int64
		if err := rows.Scan(&d.ID, &d.MessageID, &d.Channel, &d.State, &d.Attempts, &next, &sent, &d.LastError); err != nil {
			return nil, unavailable(err)
		}
		d.NextAt, d.SentAt = fromMicro(next), fromMicro(sent)
		out = append(out, d)
	}
	return out, unavailable(rows.Err())
}

// DueDeliveries claims and returns at most limit pending deliveries due at now, oldest due
// first. Claiming moves their NextAt to now+DeliveryLease, so that workers sharing the
// database do not send the same notification at once; the returned values carry the NextAt
// they had.
func (s *Store) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	var out []Delivery
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		lock := ""
		if s.engine == "postgres" {
			lock = " FOR UPDATE SKIP LOCKED" // another machine's claim in progress: take the next ones
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+deliveryColumns+` FROM deliveries
			WHERE state = 'pending' AND next_at <= $1 ORDER BY next_at, id LIMIT $2`+lock, micro(now), limit)
		if err != nil {
			return err
		}
		out, err = scanDeliveries(rows)
		rows.Close()
		if err != nil {
			return err
		}
		for _, d := range out {
			if _, err := tx.ExecContext(ctx, "UPDATE deliveries SET next_at = $1 WHERE id = $2",
				micro(now.Add(DeliveryLease)), d.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// DeliverySent records that a delivery arrived: it is never sent again.
func (s *Store) DeliverySent(ctx context.Context, id int64, now time.Time) error {
	return s.update(ctx, "UPDATE deliveries SET state = 'sent', sent_at = $1, attempts = attempts + 1, last_error = '' WHERE id = $2",
		micro(now), id)
}

// DeliveryFailed records a failed attempt and when to try again; a zero next gives up (the
// delivery's state becomes "failed").
func (s *Store) DeliveryFailed(ctx context.Context, id int64, errText string, next time.Time) error {
	errText = CleanLine(errText)
	if r := []rune(errText); len(r) > maxErrorText {
		errText = string(r[:maxErrorText-1]) + "…"
	}
	if next.IsZero() {
		return s.update(ctx, "UPDATE deliveries SET state = 'failed', attempts = attempts + 1, last_error = $1 WHERE id = $2",
			errText, id)
	}
	return s.update(ctx, "UPDATE deliveries SET attempts = attempts + 1, last_error = $1, next_at = $2 WHERE id = $3",
		errText, micro(next), id)
}
