package outbox

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"portfolio/store"
)

// The owner is emailed a new message through a plain SMTP server on loopback (with AUTH
// PLAIN); Reply-To is the writer's address, and a name with a line break in it stays in the
// subject. Then the owner's reply is emailed to the writer, quoting the message.
func TestEmailNotifyAndReply(t *testing.T) {
	ms := serveMail(t, listen(t, "127.0.0.1:0"), nil, "owner", "pa ss")
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		cfg := Config{Email: "owner@example.com", SMTPURL: "smtp://owner:pa%20ss@" + ms.addr, SiteName: "Ada's portfolio"}
		w, err := New(st, cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		stop := start(t, w)
		defer stop()
		id := take(t, st, cfg, store.Draft{Text: "Loved the talk.\nMore, please.", Name: "Grace\nBcc: evil@example.com", ReplyTo: "grace@example.com"})
		w.Kick()
		advance(time.Second)
		if d := delivery(t, st, id, ChannelEmail); d.State != "sent" || d.Attempts != 1 {
			t.Fatalf("email delivery %+v, want sent at the first attempt", d)
		}

		if err := st.Reply(t.Context(), id, "Thank you, Grace!", true); err != nil {
			t.Fatal(err)
		}
		w.Kick()
		advance(time.Second)
		if d := delivery(t, st, id, ChannelReplyEmail); d.State != "sent" {
			t.Fatalf("reply delivery %+v, want sent", d)
		}
	})

	got := ms.mails()
	if len(got) != 2 {
		t.Fatalf("the SMTP server got %d emails, want 2", len(got))
	}
	n, r := got[0], got[1]
	if n.from != "owner@example.com" || len(n.to) != 1 || n.to[0] != "owner@example.com" || n.user != "owner" {
		t.Errorf("notification envelope from %q to %q as %q", n.from, n.to, n.user)
	}
	h := n.msg.Header
	if from := h.Get("From"); !strings.Contains(from, "<owner@example.com>") || !strings.Contains(from, "portfolio") {
		t.Errorf("From %q", from)
	}
	if to := h.Get("To"); to != "<owner@example.com>" {
		t.Errorf("To %q", to)
	}
	if rt := h.Get("Reply-To"); rt != "<grace@example.com>" {
		t.Errorf("Reply-To %q, want the writer's address", rt)
	}
	if subj := h.Get("Subject"); !strings.HasPrefix(subj, "Message #") || !strings.HasSuffix(subj, "to Ada's portfolio from Grace Bcc: evil@example.com") {
		t.Errorf("Subject %q, want the whole name on one line", subj)
	}
	if len(h["Bcc"]) > 0 {
		t.Errorf("a Bcc header came from the visitor's name: %q", h["Bcc"])
	}
	if !strings.Contains(n.body, "Loved the talk.\r\nMore, please.") || !strings.Contains(n.body, "Reply to: grace@example.com") {
		t.Errorf("notification body:\n%s", n.body)
	}
	if id := h.Get("Message-Id"); !strings.HasPrefix(id, "<portfolio.delivery.") || !strings.HasSuffix(id, "@example.com>") {
		t.Errorf("Message-Id %q", id)
	}

	if r.from != "owner@example.com" || len(r.to) != 1 || r.to[0] != "grace@example.com" {
		t.Errorf("reply envelope from %q to %q", r.from, r.to)
	}
	if subj := r.msg.Header.Get("Subject"); subj != "Re: your message to Ada's portfolio" {
		t.Errorf("reply Subject %q", subj)
	}
	if !strings.HasPrefix(r.body, "Thank you, Grace!") || !strings.Contains(r.body, "> Loved the talk.\r\n> More, please.") {
		t.Errorf("reply body:\n%s", r.body)
	}
}

// smtps:// is TLS from the first byte, and AUTH goes over it, with the URL-encoded user
// and password decoded.
func TestEmailImplicitTLS(t *testing.T) {
	serverTLS, clientTLS := testCert(t)
	ms := serveMail(t, tlsListen(t, serverTLS), nil, "owner@example.com", "se:cr/et@")
	_, port, _ := net.SplitHostPort(ms.addr)
	m, err := newMailer(Config{Email: "owner@example.com", SMTPURL: "smtps://owner%40example.com:se%3Acr%2Fet%40@127.0.0.1:" + port})
	if err != nil {
		t.Fatal(err)
	}
	m.roots = clientTLS
	if err := m.notify(t.Context(), 7, testMessage("Over TLS")); err != nil {
		t.Fatal(err)
	}
	got := ms.mails()
	if len(got) != 1 || !got[0].tls || got[0].user != "owner@example.com" {
		t.Fatalf("got %+v, want one email over TLS from owner@example.com", got)
	}
}

// smtp:// to anything but loopback needs STARTTLS: a server that does not offer it gets
// nothing (not even the password); one that does gets the email encrypted.
func TestEmailSTARTTLSRequired(t *testing.T) {
	serverTLS, clientTLS := testCert(t)
	for _, offer := range []bool{false, true} {
		t.Run(fmt.Sprintf("offered=%v", offer), func(t *testing.T) {
			var cfg *tls.Config
			if offer {
				cfg = serverTLS
			}
			ms := serveMail(t, listen(t, "127.0.0.1:0"), cfg, "owner", "secret")
			m, err := newMailer(Config{Email: "owner@example.com", SMTPURL: "smtp://owner:secret@mail.example.test:587"})
			if err != nil {
				t.Fatal(err)
			}
			m.roots = clientTLS
			m.dialTCP = func(ctx context.Context, network, addr string) (net.Conn, error) {
				if addr != "mail.example.test:587" {
					t.Errorf("dialled %q", addr)
				}
				return (&net.Dialer{}).DialContext(ctx, network, ms.addr)
			}
			err = m.notify(t.Context(), 7, testMessage("Over STARTTLS"))
			got := ms.mails()
			if !offer {
				if err == nil || !strings.Contains(err.Error(), "STARTTLS") || len(got) != 0 {
					t.Fatalf("without STARTTLS: err %v and %d emails, want a STARTTLS error and none", err, len(got))
				}
				ms.mu.Lock()
				defer ms.mu.Unlock()
				if ms.auths != 0 {
					t.Errorf("without STARTTLS the client began AUTH %d times, want never", ms.auths)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || !got[0].tls || got[0].user != "owner" {
				t.Fatalf("got %+v, want one email over STARTTLS from owner", got)
			}
		})
	}
}

// The SMTP server is down when the message is taken: the attempt fails and is recorded;
// once the server is up, the next attempt delivers it.
func TestEmailDownThenUp(t *testing.T) {
	engines(t, testEmailDownThenUp)
}

func testEmailDownThenUp(t *testing.T, dsn string) {
	ln := listen(t, "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // down: connections refused
	up, ready := make(chan struct{}), make(chan *mailServer)
	go func() { // started outside the bubble, so its connections do not hold its clock
		<-up
		ready <- serveMail(t, listen(t, addr), nil, "", "")
	}()
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t, dsn)
		cfg := Config{Email: "owner@example.com", SMTPURL: "smtp://" + addr}
		w, err := New(st, cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		id := take(t, st, cfg, store.Draft{Text: "Is this thing on?"})
		stop := start(t, w)
		defer stop()
		advance(time.Second)
		d := delivery(t, st, id, ChannelEmail)
		if d.State != "pending" || d.Attempts != 1 || !strings.Contains(d.LastError, "refused") {
			t.Fatalf("while down: %+v, want pending after 1 attempt, connection refused", d)
		}
		close(up)
		<-ready
		advance(time.Minute)
		d = delivery(t, st, id, ChannelEmail)
		if d.State != "sent" || d.Attempts != 2 || !d.SentAt.Equal(t0.Add(firstRetry)) {
			t.Fatalf("once up: %+v, want sent at the second attempt, %v after the first", d, firstRetry)
		}
	})
}

func tlsListen(t *testing.T, cfg *tls.Config) net.Listener {
	return tls.NewListener(listen(t, "127.0.0.1:0"), cfg)
}

// A mail server that accepts the connection and never greets does not hold up a stop: the
// connection is closed at once, not at the end of the attempt's time.
func TestEmailStopDuringAttempt(t *testing.T) {
	began := time.Now() // the wall clock: the bubble's stands still while a connection waits
	ln := listen(t, "127.0.0.1:0")
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		select {
		case c := <-accepted:
			c.Close()
		default:
		}
	})
	synctest.Test(t, func(t *testing.T) {
		st := openStore(t)
		cfg := Config{Email: "owner@example.com", SMTPURL: "smtp://" + ln.Addr().String()}
		w, err := New(st, cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		id := take(t, st, cfg, store.Draft{Text: "Hello?"})
		stop := start(t, w)
		c := <-accepted
		accepted <- c // for the cleanup
		stop()
		if d := delivery(t, st, id, ChannelEmail); d.State != "pending" || d.Attempts != 0 {
			t.Errorf("after a stop: %+v, want pending with no attempt recorded", d)
		}
	})
	if took := time.Since(began); took >= attempt {
		t.Errorf("the stop took %v, as long as an attempt may", took)
	}
}
