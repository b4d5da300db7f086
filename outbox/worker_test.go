package outbox

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"portfolio/store"
)

// The receiver fails twice, then answers: one success is recorded after three attempts, 5 s
// and then 10 s apart, each signed, each the same notification.
func TestWebhookRetriedUntilAnswered(t *testing.T) {
	engines(t, testWebhookRetriedUntilAnswered)
}

func testWebhookRetriedUntilAnswered(t *testing.T, dsn string) {
	rec := newReceiver(t, 500, 502)
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t, dsn)
		cfg := Config{Webhook: rec.URL, Secret: "s3cret", SiteName: "Ada's portfolio"}
		var c counted
		w, err := New(st, cfg, nil, c.count)
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		id := take(t, st, cfg, store.Draft{Text: "Loved the talk", Name: "Grace", ReplyTo: "grace@example.com"})
		stop := start(t, w)
		defer stop()

		advance(time.Second)
		d := delivery(t, st, id, ChannelWebhook)
		if d.State != "pending" || d.Attempts != 1 || !d.NextAt.Equal(t0.Add(5*time.Second)) {
			t.Errorf("after the first attempt: %+v, want pending, 1 attempt, next at +5s", d)
		}
		if !strings.Contains(d.LastError, "500 Internal Server Error") || !strings.Contains(d.LastError, `"no thanks"`) {
			t.Errorf("recorded error %q, want the status and the receiver's reason, escape removed", d.LastError)
		}
		if strings.Contains(d.LastError, rec.URL) {
			t.Errorf("recorded error %q names the webhook URL", d.LastError)
		}

		advance(time.Minute)
		d = delivery(t, st, id, ChannelWebhook)
		if d.State != "sent" || d.Attempts != 3 || d.LastError != "" {
			t.Errorf("delivery %+v, want sent after 3 attempts with no error left", d)
		}
		if got := d.SentAt.Sub(t0); got != 15*time.Second {
			t.Errorf("sent %v after the message, want 15s (attempts at 0, 5 s and 15 s)", got)
		}
		if n := message(t, st, id).Notified; n != "sent" {
			t.Errorf("message notified %q, want sent", n)
		}
		if got, want := c.results(ChannelWebhook), []string{ResultRetry, ResultRetry, ResultSent}; !slices.Equal(got, want) {
			t.Errorf("metrics %v, want %v", got, want)
		}
	})
	reqs := rec.requests()
	if len(reqs) != 3 {
		t.Fatalf("the receiver got %d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		if got, want := r.header.Get(SignatureHeader), sign([]byte("s3cret"), r.body); got != want || !strings.HasPrefix(got, "sha256=") {
			t.Errorf("request %d signature %q, want %q", i, got, want)
		}
		if string(r.body) != string(reqs[0].body) {
			t.Errorf("request %d body differs from the first: %s", i, r.body)
		}
	}
	var p payload
	if err := json.Unmarshal(reqs[0].body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Message.ID == 0 || p.Message.Text != "Loved the talk" || p.Message.Name != "Grace" || p.Message.ReplyTo != "grace@example.com" {
		t.Errorf("payload message %+v", p.Message)
	}
}

// A receiver that never answers 2xx: attempts 5 s apart, doubling to 5 minutes, then every
// 5 minutes until a day has passed since the message; then the delivery is failed and never
// tried again. (The message was taken 23 hours before the worker starts, so the test's
// attempts are a few dozen, not three hundred.)
func TestWebhookGivenUpAfterADay(t *testing.T) {
	rec := newReceiver(t, slices.Repeat([]int{503}, 1000)...)
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		cfg := Config{Webhook: rec.URL}
		var c counted
		w, err := New(st, cfg, nil, c.count)
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		id, _, err := st.TakeMessage(t.Context(), store.Draft{Text: "Anyone there?", Source: "x", Channels: Channels(cfg)}, t0)
		if err != nil {
			t.Fatal(err)
		}
		advance(23 * time.Hour)
		stop := start(t, w)
		defer stop()
		advance(2 * time.Hour)

		d := delivery(t, st, id, ChannelWebhook)
		if d.State != "failed" || !strings.Contains(d.LastError, "503") {
			t.Errorf("delivery %+v, want failed with the last status", d)
		}
		if n := message(t, st, id).Notified; n != "failed" {
			t.Errorf("message notified %q, want failed", n)
		}
		c.mu.Lock()
		calls := c.calls
		c.mu.Unlock()
		if len(calls) != d.Attempts {
			t.Fatalf("%d metric calls for %d attempts", len(calls), d.Attempts)
		}
		want := []time.Duration{5, 10, 20, 40, 80, 160, 300}
		for i := 1; i < len(calls); i++ {
			gap := calls[i].at.Sub(calls[i-1].at)
			w := 300 * time.Second
			if i-1 < len(want) {
				w = want[i-1] * time.Second
			}
			if gap != w {
				t.Fatalf("attempt %d came %v after the one before, want %v", i+1, gap, w)
			}
		}
		last := calls[len(calls)-1]
		if last.result != ResultFailed || slices.Contains(c.results(ChannelWebhook)[:len(calls)-1], ResultFailed) {
			t.Errorf("results %v, want retries then one failed", c.results(ChannelWebhook))
		}
		if since := last.at.Sub(t0); since > 24*time.Hour || since < 24*time.Hour-5*time.Minute {
			t.Errorf("gave up %v after the message, want within the day's last 5 minutes", since)
		}
	})
}

// A message taken while the worker sleeps leaves at once when the worker is kicked, and
// within a poll when it is not (another machine took it).
func TestKickAndPoll(t *testing.T) {
	rec := newReceiver(t)
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		cfg := Config{Webhook: rec.URL}
		w, err := New(st, cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		stop := start(t, w)
		defer stop()

		advance(3 * time.Second)
		kicked := time.Now()
		id := take(t, st, cfg, store.Draft{Text: "Kicked"})
		w.Kick()
		advance(time.Second)
		if d := delivery(t, st, id, ChannelWebhook); d.State != "sent" || !d.SentAt.Equal(kicked) {
			t.Errorf("kicked delivery %+v, want sent at once (%v)", d, kicked)
		}

		taken := time.Now()
		id = take(t, st, cfg, store.Draft{Text: "Polled"})
		advance(pollEvery)
		if d := delivery(t, st, id, ChannelWebhook); d.State != "sent" || d.SentAt.Sub(taken) > pollEvery {
			t.Errorf("unkicked delivery %+v, want sent within %v of %v", d, pollEvery, taken)
		}
	})
}

// Stopping the worker mid-attempt returns at once; the attempt is not counted against the
// receiver, and the row is due again when its lease ends.
func TestStopDuringAttempt(t *testing.T) {
	engines(t, testStopDuringAttempt)
}

func testStopDuringAttempt(t *testing.T, dsn string) {
	rec := newReceiver(t, 0) // hangs
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t, dsn)
		cfg := Config{Webhook: rec.URL}
		w, err := New(st, cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		id := take(t, st, cfg, store.Draft{Text: "Hold on"})
		stop := start(t, w)
		<-rec.entered
		stop()
		d := delivery(t, st, id, ChannelWebhook)
		if d.State != "pending" || d.Attempts != 0 || d.LastError != "" {
			t.Errorf("after a stop: %+v, want pending with no attempt recorded", d)
		}
		if !d.NextAt.Equal(t0.Add(store.DeliveryLease)) {
			t.Errorf("due again at %v, want when the lease ends (%v)", d.NextAt, t0.Add(store.DeliveryLease))
		}

		w2, err := New(st, cfg, nil, nil) // the next start
		if err != nil {
			t.Fatal(err)
		}
		stop = start(t, w2)
		defer stop()
		advance(store.DeliveryLease + time.Second)
		if d := delivery(t, st, id, ChannelWebhook); d.State != "sent" || d.SentAt.Sub(t0) > store.DeliveryLease {
			t.Errorf("after the next start: %+v, want sent when the lease ended", d)
		}
	})
}

// Two machines share the database: each of many messages is sent once, by one of them.
func TestTwoWorkersSendEachOnce(t *testing.T) {
	engines(t, testTwoWorkersSendEachOnce)
}

func testTwoWorkersSendEachOnce(t *testing.T, dsn string) {
	rec := newReceiver(t)
	synctest.Test(t, func(t *testing.T) {
		a, b := openStore(t, dsn), openStore(t, dsn)
		cfg := Config{Webhook: rec.URL}
		const n = 12
		for i := range n {
			take(t, a, cfg, store.Draft{Text: fmt.Sprintf("Message %d", i), Source: fmt.Sprintf("source %d", i)})
		}
		for _, st := range []*store.Store{a, b} {
			w, err := New(st, cfg, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			stop := start(t, w)
			defer stop()
		}
		advance(time.Minute)
	})
	seen := map[int64]int{}
	for _, r := range rec.requests() {
		var p payload
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatal(err)
		}
		seen[p.Message.ID]++
	}
	if len(seen) != 12 {
		t.Errorf("%d messages notified, want 12", len(seen))
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("message %v notified %d times, want once", id, k)
		}
	}
}

func TestChannels(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want []string
	}{
		{Config{}, nil},
		{Config{Webhook: "https://hooks.example.com/x"}, []string{"webhook"}},
		{Config{Email: "me@example.com"}, nil},
		{Config{Email: "me@example.com", SMTPURL: "smtps://u:p@mail.example.com"}, []string{"email"}},
		{Config{Webhook: "https://hooks.example.com/x", Email: "me@example.com", SMTPURL: "smtp://127.0.0.1:25"}, []string{"webhook", "email"}},
	} {
		if got := Channels(tc.cfg); !slices.Equal(got, tc.want) {
			t.Errorf("Channels(%+v) = %v, want %v", tc.cfg, got, tc.want)
		}
	}
}

// A bad setting is refused at start with a reason, and a URL that holds a credential is
// never repeated in it. Good ones pass.
func TestNewRefusesBadSettings(t *testing.T) {
	for _, cfg := range []Config{
		{},
		{Webhook: "https://hooks.slack.com/services/T000/B000/XXXX", Secret: "s"},
		{Email: " me@example.com ", SMTPURL: "smtps://me%40example.com:p%2Fss@mail.example.com"},
		{Email: "me@example.com", SMTPURL: "smtp://[::1]:25"},
	} {
		if err := cfg.Check(); err != nil {
			t.Errorf("Check(%+v): %v", cfg, err)
		}
	}
	for _, cfg := range []Config{
		{Webhook: "hooks.example.com/T000/secret-path"},
		{Webhook: "ftp://hooks.example.com/secret-path"},
		{Email: "me@example.com"},
		{SMTPURL: "smtps://me:secret-path@mail.example.com"},
		{Email: "Me <me@example.com>", SMTPURL: "smtps://me:secret-path@mail.example.com"},
		{Email: "me@example.com", SMTPURL: "imap://me:secret-path@mail.example.com"},
		{Email: "me@example.com", SMTPURL: "smtps://me:secret-path@mail.example.com:99999"},
		{Email: "me@example.com", SMTPURL: "smtps://me:secret-path@mail.example.com/secret-path"},
	} {
		_, err := New(nil, cfg, nil, nil)
		if err == nil {
			t.Errorf("New(%+v) accepted it", cfg)
			continue
		}
		if cerr := cfg.Check(); cerr == nil || cerr.Error() != err.Error() {
			t.Errorf("Check(%+v) = %v, want New's %v", cfg, cerr, err)
		}
		if strings.Contains(err.Error(), "secret-path") || !strings.Contains(err.Error(), "PORTFOLIO_") {
			t.Errorf("New(%+v): %q, want the setting named and no credential", cfg, err)
		}
	}
}

// A retry this worker scheduled for a message the owner then deleted (or that another
// machine's worker took) is not waited for once its time has come: the worker goes back to
// polling, rather than looking for it again at once, for ever.
func TestNoWaitForARetryThatIsGone(t *testing.T) {
	rec := newReceiver(t, 500)
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		cfg := Config{Webhook: rec.URL}
		w, err := New(st, cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		id := take(t, st, cfg, store.Draft{Text: "Deleted before its retry"})
		if _, err := w.pass(t.Context()); err != nil {
			t.Fatal(err)
		}
		if wait := w.untilNext(time.Now()); wait <= 0 || wait > firstRetry {
			t.Fatalf("after a failed attempt the worker waits %v, want up to the retry in %v", wait, firstRetry)
		}
		if err := st.Delete(t.Context(), id); err != nil {
			t.Fatal(err)
		}
		advance(firstRetry)
		if _, err := w.pass(t.Context()); err != nil {
			t.Fatal(err)
		}
		if wait := w.untilNext(time.Now()); wait != pollEvery {
			t.Errorf("past the deleted message's retry time the worker waits %v, want the poll's %v", wait, pollEvery)
		}
	})
}
