package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Visit is one ended session: what "session end" logs.
type Visit struct {
	Machine, Session string
	Start            time.Time
	Duration         time.Duration
	Kind             string // "ui", "plain", "accessible", "linear", "owner"... as session.Kind logs it
	Reason           string
	Client, Command  string
	PTY              bool
	Keys             int64
	Sections         []SectionTime
}

// SectionTime is how long a visit showed one section.
type SectionTime struct {
	Slug string        `json:"slug"`
	Time time.Duration `json:"time"`
}

// AddVisits stores a batch of visits in one transaction. A visit already stored (the same
// machine and session: a batch retried after an uncertain commit) is kept once.
func (s *Store) AddVisits(ctx context.Context, vs []Visit) error {
	if len(vs) == 0 {
		return nil
	}
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO visits
			(machine, session, start, duration, kind, reason, client, command, pty, keys, sections)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (machine, session) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, v := range vs {
			sections := v.Sections
			if sections == nil {
				sections = []SectionTime{}
			}
			js, err := json.Marshal(sections)
			if err != nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, v.Machine, v.Session, micro(v.Start), int64(v.Duration),
				v.Kind, v.Reason, v.Client, v.Command, v.PTY, v.Keys, string(js)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Visits returns the visits that started at or after since, oldest first.
func (s *Store) Visits(ctx context.Context, since time.Time) ([]Visit, error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	rows, err := s.db.QueryContext(ctx, `SELECT machine, session, start, duration, kind, reason, client, command, pty, keys, sections
		FROM visits WHERE start >= $1 ORDER BY start, id`, micro(since))
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []Visit
	for rows.Next() {
		var v Visit
		var start, dur int64
		var sections string
		if err := rows.Scan(&v.Machine, &v.Session, &start, &dur, &v.Kind, &v.Reason, &v.Client, &v.Command,
			&v.PTY, &v.Keys, &sections); err != nil {
			return nil, unavailable(err)
		}
		v.Start, v.Duration = fromMicro(start), time.Duration(dur)
		if err := json.Unmarshal([]byte(sections), &v.Sections); err != nil {
			return nil, unavailable(err)
		}
		out = append(out, v)
	}
	return out, unavailable(rows.Err())
}

// PruneVisits deletes the visits that started before before, and says how many.
func (s *Store) PruneVisits(ctx context.Context, before time.Time) (int64, error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return 0, err
	}
	defer cancel()
	res, err := s.db.ExecContext(ctx, "DELETE FROM visits WHERE start < $1", micro(before))
	if err != nil {
		return 0, unavailable(err)
	}
	n, err := res.RowsAffected()
	return n, unavailable(err)
}

// Presence is a session open now on one machine.
type Presence struct {
	Machine, Session   string
	Addr, Client, Term string
	Width, Height      int
	Section            string
	Started, Seen      time.Time
}

// PutPresence stores or refreshes open sessions (by machine and session). A zero Seen is
// stored as the time of the call.
func (s *Store) PutPresence(ctx context.Context, ps []Presence) error {
	if len(ps) == 0 {
		return nil
	}
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	now := time.Now()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for chunk := range slices.Chunk(ps, presenceChunk) {
			var values []string
			var args []any
			for _, p := range chunk {
				seen := p.Seen
				if seen.IsZero() {
					seen = now
				}
				n := len(args)
				values = append(values, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)",
					n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9, n+10))
				args = append(args, p.Machine, p.Session, p.Addr, p.Client, p.Term, p.Width, p.Height,
					p.Section, micro(p.Started), micro(seen))
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO presence
				(machine, session, addr, client, term, width, height, section, started, seen)
				VALUES `+strings.Join(values, ", ")+`
				ON CONFLICT (machine, session) DO UPDATE SET
					addr = excluded.addr, client = excluded.client, term = excluded.term,
					width = excluded.width, height = excluded.height, section = excluded.section,
					started = excluded.started, seen = excluded.seen`, args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// presenceChunk is how many sessions one statement of PutPresence writes. Measured with
// 1,000 sessions (BenchmarkPutPresence1000): a row per statement took 114 ms on PostgreSQL
// (a round trip each) and 22 ms on SQLite; 200 rows per statement 42 ms and 140 ms (SQLite
// prepares a long statement slowly); 50 rows 29 ms and 35 ms.
const presenceChunk = 50

// TouchPresence stamps every row of machine seen at now, in one statement whatever the
// number of its open sessions: how a machine says that its sessions still live. Rewriting
// every row instead cost a machine with 1,000 idle sessions 0.8 % of a core (sshload). It
// says how many rows it stamped, so that a machine can tell when some of its rows are gone.
func (s *Store) TouchPresence(ctx context.Context, machine string, now time.Time) (int64, error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return 0, err
	}
	defer cancel()
	res, err := s.db.ExecContext(ctx, "UPDATE presence SET seen = $1 WHERE machine = $2", micro(now), machine)
	if err != nil {
		return 0, unavailable(err)
	}
	n, err := res.RowsAffected()
	return n, unavailable(err)
}

// PrunePresence deletes the rows last seen before seenBefore, whatever their machine: those
// of a machine that died without dropping its own. It says how many.
func (s *Store) PrunePresence(ctx context.Context, seenBefore time.Time) (int64, error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return 0, err
	}
	defer cancel()
	res, err := s.db.ExecContext(ctx, "DELETE FROM presence WHERE seen < $1", micro(seenBefore))
	if err != nil {
		return 0, unavailable(err)
	}
	n, err := res.RowsAffected()
	return n, unavailable(err)
}

// DropPresence removes sessions of a machine that ended; no sessions means all of the
// machine's (it is shutting down).
func (s *Store) DropPresence(ctx context.Context, machine string, sessions []string) error {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if len(sessions) == 0 {
			_, err := tx.ExecContext(ctx, "DELETE FROM presence WHERE machine = $1", machine)
			return err
		}
		for _, id := range sessions {
			if _, err := tx.ExecContext(ctx, "DELETE FROM presence WHERE machine = $1 AND session = $2", machine, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// Reading counts the sessions seen at or after seenSince, on every machine: the cover's
// "reading now", read every few seconds by every machine, so a count, not the rows.
func (s *Store) Reading(ctx context.Context, seenSince time.Time) (int, error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return 0, err
	}
	defer cancel()
	var n int
	err = s.db.QueryRowContext(ctx, "SELECT count(*) FROM presence WHERE seen >= $1", micro(seenSince)).Scan(&n)
	return n, unavailable(err)
}

// Present returns the sessions seen at or after seenSince, on every machine, oldest first.
func (s *Store) Present(ctx context.Context, seenSince time.Time) ([]Presence, error) {
	ctx, cancel, err := s.op(ctx)
	if err != nil {
		return nil, err
	}
	defer cancel()
	rows, err := s.db.QueryContext(ctx, `SELECT machine, session, addr, client, term, width, height, section, started, seen
		FROM presence WHERE seen >= $1 ORDER BY started, machine, session`, micro(seenSince))
	if err != nil {
		return nil, unavailable(err)
	}
	defer rows.Close()
	var out []Presence
	for rows.Next() {
		var p Presence
		var started, seen int64
		if err := rows.Scan(&p.Machine, &p.Session, &p.Addr, &p.Client, &p.Term, &p.Width, &p.Height,
			&p.Section, &started, &seen); err != nil {
			return nil, unavailable(err)
		}
		p.Started, p.Seen = fromMicro(started), fromMicro(seen)
		out = append(out, p)
	}
	return out, unavailable(rows.Err())
}
