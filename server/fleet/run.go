package fleet

import (
	"context"
	"time"

	"portfolio/store"
)

// Run writes until ctx is done, then writes what is left (visits, and the drop of this
// machine's open rows) within writeTimeout, and returns.
func (f *Fleet) Run(ctx context.Context) {
	tick := time.NewTicker(FlushEvery)
	defer tick.Stop()
	var lastRefresh, lastCount, lastPrune time.Time
	for {
		select {
		case <-ctx.Done():
			f.goodbye()
			return
		case <-tick.C:
		case <-f.wake:
		}
		now := time.Now()
		if now.Sub(lastRefresh) >= RefreshEvery && f.touch(now) == nil {
			lastRefresh = now
		}
		if f.write() || now.Sub(lastCount) >= countEvery {
			f.count(now)
			lastCount = now
		}
		if now.Sub(lastPrune) >= pruneEvery {
			f.prune(now)
			lastPrune = now
		}
	}
}

// touch stamps every row this machine has written seen now, in one statement: the rows
// themselves are written only when a session opens, moves or resizes. A failed touch is
// tried again at the next tick. When fewer rows were stamped than this machine has written
// (another machine pruned them while this one could not reach the database), every open
// session's row is written again at the next write.
func (f *Fleet) touch(now time.Time) error {
	var stamped int64
	err := f.call(func(ctx context.Context) (err error) {
		stamped, err = f.db.TouchPresence(ctx, f.machine, now)
		return err
	})
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if stamped < int64(len(f.written)) {
		for id := range f.open {
			if f.written[id] {
				f.dirty[id] = true
			}
		}
	}
	return nil
}

// write sends what changed: dropped rows, changed rows, then visits in batches. What fails
// stays to be tried at the next tick. It reports whether this machine's sessions changed
// (opened, moved or ended, not only re-stamped), which is when the count is worth reading.
func (f *Fleet) write() (changed bool) {
	f.mu.Lock()
	gone := f.gone
	f.gone = nil
	var put []store.Presence
	for id := range f.dirty {
		put = append(put, *f.open[id])
		changed = changed || !f.written[id]
	}
	changed = changed || len(gone) > 0
	clear(f.dirty)
	f.mu.Unlock()

	if len(gone) > 0 {
		if err := f.call(func(ctx context.Context) error { return f.db.DropPresence(ctx, f.machine, gone) }); err != nil {
			f.mu.Lock()
			f.gone = append(f.gone, gone...)
			f.mu.Unlock()
		} else {
			f.mu.Lock()
			for _, id := range gone {
				delete(f.written, id)
			}
			f.mu.Unlock()
		}
	}
	if len(put) > 0 {
		err := f.call(func(ctx context.Context) error { return f.db.PutPresence(ctx, put) })
		f.mu.Lock()
		for _, p := range put {
			_, stillOpen := f.open[p.Session]
			switch {
			case err != nil && stillOpen:
				f.dirty[p.Session] = true
			case err == nil && stillOpen:
				f.written[p.Session] = true
			case err == nil:
				// Closed while being written: its row exists now, so drop it next time.
				f.gone = append(f.gone, p.Session)
				f.written[p.Session] = true
			}
		}
		f.mu.Unlock()
	}
	for {
		f.mu.Lock()
		batch := f.queue[:min(len(f.queue), batchSize)]
		f.mu.Unlock()
		if len(batch) == 0 {
			return changed
		}
		if err := f.call(func(ctx context.Context) error { return f.db.AddVisits(ctx, batch) }); err != nil {
			return changed
		}
		f.mu.Lock()
		// The queue may have dropped its oldest meanwhile: remove what was written, found
		// by position relative to what is left.
		f.queue = removeWritten(f.queue, batch)
		f.mu.Unlock()
	}
}

// removeWritten removes the written batch from the front of q. Only Ended appends and only
// a full queue drops from the front while a batch is out, so what is left of the batch is a
// prefix of q.
func removeWritten(q, batch []store.Visit) []store.Visit {
	last := batch[len(batch)-1]
	for i := range q {
		if q[i].Session == last.Session && q[i].Start.Equal(last.Start) {
			return append(q[:0:0], q[i+1:]...)
		}
	}
	return q // all of the batch was dropped meanwhile
}

// call runs one database call within writeTimeout and logs the first failure of an outage
// and the recovery.
func (f *Fleet) call(fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	err := fn(ctx)
	f.mu.Lock()
	was := f.failing
	f.failing = err != nil
	queued := len(f.queue)
	f.mu.Unlock()
	switch {
	case err != nil && !was:
		f.logger.Warn("fleet: database write failed; visit records wait", "err", err, "queued", queued)
	case err == nil && was:
		f.logger.Info("fleet: database back", "queued", queued, "dropped", f.dropped.Load())
	}
	return err
}

// count reads how many are reading now on all machines.
func (f *Fleet) count(now time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if n, err := f.db.Reading(ctx, now.Add(-PresentWithin)); err == nil {
		f.reading.Store(int64(n))
	}
}

// prune deletes visit records older than the retention (when there is one), and the
// presence rows no machine has stamped for staleAfter.
func (f *Fleet) prune(now time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if f.retention > 0 {
		if n, err := f.db.PruneVisits(ctx, now.Add(-f.retention)); err == nil && n > 0 {
			f.logger.Info("fleet: old visit records deleted", "deleted", n, "retention", f.retention)
		}
	}
	if n, err := f.db.PrunePresence(ctx, now.Add(-staleAfter)); err == nil && n > 0 {
		f.logger.Info("fleet: presence rows of machines gone deleted", "deleted", n, "unseen_for", staleAfter)
	}
}

// goodbye writes the visits left and drops every row of this machine: the sessions still
// open are being ended by the shutdown.
func (f *Fleet) goodbye() {
	f.mu.Lock()
	for id := range f.open {
		if f.written[id] {
			f.gone = append(f.gone, id)
		}
	}
	clear(f.open)
	clear(f.dirty)
	f.mu.Unlock()
	f.write()
}
