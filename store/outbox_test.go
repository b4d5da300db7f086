package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestOutbox(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		id, _ := take(t, s, Draft{Text: "notify", Source: "a", Channels: []string{"webhook", "email"}}, t0)

		if ds, err := s.DueDeliveries(ctx, t0.Add(-time.Second), 10); err != nil || len(ds) != 0 {
			t.Errorf("due before their time: %+v %v", ds, err)
		}
		ds, err := s.DueDeliveries(ctx, t0, 10)
		if err != nil || len(ds) != 2 || ds[0].MessageID != id {
			t.Fatalf("DueDeliveries = %+v, %v", ds, err)
		}
		// Claimed: nobody else gets them until the lease runs out.
		if again, _ := s.DueDeliveries(ctx, t0.Add(time.Second), 10); len(again) != 0 {
			t.Errorf("claimed deliveries returned again: %+v", again)
		}
		if again, _ := s.DueDeliveries(ctx, t0.Add(DeliveryLease), 1); len(again) != 1 {
			t.Errorf("after the lease, limit 1: %+v", again)
		}

		webhook, email := ds[0].ID, ds[1].ID
		if err := s.DeliveryFailed(ctx, webhook, "connection refused\x1b[2J\n"+strings.Repeat("x", 1000), t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		m, _ := s.Message(ctx, id)
		d := m.Deliveries[0]
		if d.State != "pending" || d.Attempts != 1 || !d.NextAt.Equal(t0.Add(time.Minute)) || !strings.HasPrefix(d.LastError, "connection refused x") ||
			len([]rune(d.LastError)) != maxErrorText {
			t.Errorf("after a failure: %+v", d)
		}
		if err := s.DeliverySent(ctx, webhook, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.DeliveryFailed(ctx, email, "550 no such user", time.Time{}); err != nil {
			t.Fatal(err)
		}
		m, _ = s.Message(ctx, id)
		if m.Deliveries[0].State != "sent" || !m.Deliveries[0].SentAt.Equal(t0.Add(time.Minute)) || m.Deliveries[0].Attempts != 2 ||
			m.Deliveries[1].State != "failed" || m.Notified != "failed" {
			t.Errorf("after sent and given up: %+v", m)
		}
		// Neither is due again, ever.
		if ds, _ := s.DueDeliveries(ctx, t0.Add(48*time.Hour), 10); len(ds) != 0 {
			t.Errorf("sent or failed deliveries due again: %+v", ds)
		}
		if c, _ := s.Counts(ctx); c.Undelivered != 1 {
			t.Errorf("Undelivered = %d, want 1 (the failed one)", c.Undelivered)
		}
		if err := s.DeliverySent(ctx, 999999, t0); err == nil {
			t.Error("DeliverySent of no delivery succeeded")
		}
	})
}

func TestNotified(t *testing.T) {
	for _, tc := range []struct {
		states []string
		want   string
	}{
		{nil, "none"}, {[]string{"sent"}, "sent"}, {[]string{"sent", "pending"}, "pending"},
		{[]string{"failed", "sent"}, "failed"}, {[]string{"failed", "pending"}, "pending"},
		{[]string{"reply:pending"}, "none"}, {[]string{"sent", "reply:failed"}, "sent"},
	} {
		var ds []Delivery
		for _, s := range tc.states {
			if state, ok := strings.CutPrefix(s, "reply:"); ok {
				ds = append(ds, Delivery{Channel: ReplyEmail, State: state})
			} else {
				ds = append(ds, Delivery{Channel: "webhook", State: s})
			}
		}
		if got := notified(ds); got != tc.want {
			t.Errorf("notified(%v) = %q, want %q", tc.states, got, tc.want)
		}
	}
}
