package outbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	mail "github.com/wneessen/go-mail"

	"portfolio/store"
)

// mailer sends the two kinds of email through one SMTP server.
type mailer struct {
	from        string // PORTFOLIO_NOTIFY_EMAIL: From of every email, To of the notifications
	site        string
	host        string
	port        int
	implicitTLS bool // smtps://: TLS from the first byte
	plain       bool // smtp:// to a loopback address: the mail never leaves the machine
	user, pass  string

	// Tests point these at their own server: a certificate authority to trust (nil: the
	// system's), and a dialer that sends a name to loopback.
	roots   *x509.CertPool
	dialTCP func(ctx context.Context, network, addr string) (net.Conn, error)
}

func newMailer(cfg Config) (*mailer, error) {
	from := strings.TrimSpace(cfg.Email)
	if !store.IsEmail(from) {
		return nil, errors.New("PORTFOLIO_NOTIFY_EMAIL: want one email address, like owner@example.com")
	}
	u, err := url.Parse(cfg.SMTPURL)
	if err != nil || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		// The URL holds the password: never repeat it.
		return nil, errors.New("PORTFOLIO_SMTP_URL: want smtps://USER:PASSWORD@HOST:465 or smtp://USER:PASSWORD@HOST:587")
	}
	m := &mailer{from: from, site: siteName(cfg.SiteName), host: u.Hostname(), dialTCP: (&net.Dialer{}).DialContext}
	switch u.Scheme {
	case "smtps":
		m.implicitTLS, m.port = true, mail.DefaultPortSSL
	case "smtp":
		m.plain, m.port = isLoopback(m.host), mail.DefaultPortTLS
	default:
		return nil, errors.New("PORTFOLIO_SMTP_URL: want smtps:// (TLS, port 465) or smtp:// (STARTTLS, port 587)")
	}
	if p := u.Port(); p != "" {
		if m.port, err = strconv.Atoi(p); err != nil || m.port < 1 || m.port > 65535 {
			return nil, errors.New("PORTFOLIO_SMTP_URL: the port is not a number from 1 to 65535")
		}
	}
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, _ = u.User.Password()
	}
	return m, nil
}

// isLoopback reports whether host names this machine without asking a resolver.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// client is a go-mail client for one attempt: its connection is closed when ctx is done,
// so a stopping server does not wait for a slow mail server.
func (m *mailer) client(ctx context.Context) (*mail.Client, error) {
	tlsConfig := &tls.Config{ServerName: m.host, MinVersion: tls.VersionTLS12, RootCAs: m.roots}
	opts := []mail.Option{
		mail.WithPort(m.port),
		mail.WithTimeout(attempt),
		mail.WithTLSConfig(tlsConfig),
		mail.WithDialContextFunc(func(dctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := m.dialTCP(dctx, network, addr)
			if err != nil {
				return nil, err
			}
			if m.implicitTLS {
				tc := tls.Client(conn, tlsConfig)
				if err := tc.HandshakeContext(dctx); err != nil {
					conn.Close()
					return nil, err
				}
				conn = tc // go-mail sees a *tls.Conn and counts the session as encrypted
			}
			context.AfterFunc(ctx, func() { conn.Close() })
			return conn, nil
		}),
	}
	switch {
	case m.implicitTLS:
		// Already TLS (dialled above, where go-mail's own WithSSL cannot follow a custom
		// dialer): nothing to upgrade, and no server offers STARTTLS on port 465.
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case m.plain:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if m.user != "" {
		auth := mail.SMTPAuthAutoDiscover // the strongest the server offers; PLAIN only over TLS
		if m.plain {
			auth = mail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(m.user), mail.WithPassword(m.pass))
	}
	return mail.NewClient(m.host, opts...)
}

// send makes one attempt at msg.
func (m *mailer) send(ctx context.Context, msg *mail.Msg) error {
	c, err := m.client(ctx)
	if err != nil {
		return permanent(fmt.Errorf("email: %w", err))
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("email: %w", err)
	}
	return nil
}

// newMsg starts an email from the owner's address to, with an id that stays the same
// across retries of one delivery (a mail client shows a repeat once).
func (m *mailer) newMsg(delivery int64, to, subject string) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.FromFormat(m.site, m.from); err != nil {
		return nil, permanent(fmt.Errorf("email From: %w", err))
	}
	if err := msg.To(to); err != nil {
		return nil, permanent(fmt.Errorf("email To: %w", err))
	}
	msg.Subject(store.CleanLine(subject))
	msg.SetDate()
	msg.SetMessageIDWithValue(fmt.Sprintf("portfolio.delivery.%d@%s", delivery, m.from[strings.LastIndexByte(m.from, '@')+1:]))
	msg.SetUserAgent("portfolio")
	return msg, nil
}

// notify emails the owner a new message, with Reply-To the writer's address when the
// writer left one, so answering in the mail client reaches them.
func (m *mailer) notify(ctx context.Context, delivery int64, msg store.Message) error {
	e, err := m.newMsg(delivery, m.from, title(m.site, msg))
	if err != nil {
		return err
	}
	if store.IsEmail(msg.ReplyTo) {
		if err := e.ReplyTo(msg.ReplyTo); err != nil {
			return permanent(fmt.Errorf("email Reply-To: %w", err))
		}
	}
	var b strings.Builder
	who := "Someone"
	if msg.Name != "" {
		who = store.CleanLine(msg.Name)
	}
	fmt.Fprintf(&b, "%s wrote to %s on %s:\n\n%s\n\n", who, m.site, msg.Time.UTC().Format("2 January 2006 at 15:04 MST"), msg.Text)
	if msg.ReplyTo != "" {
		fmt.Fprintf(&b, "Reply to: %s\n", store.CleanLine(msg.ReplyTo))
	}
	if msg.Guestbook {
		b.WriteString("May appear in the guestbook: approve it with `portfolio inbox approve " + strconv.FormatInt(msg.ID, 10) + "`\n")
	}
	fmt.Fprintf(&b, "Message #%d: `portfolio inbox show %d`, `portfolio inbox reply %d`\n", msg.ID, msg.ID, msg.ID)
	e.SetBodyString(mail.TypeTextPlain, b.String())
	return m.send(ctx, e)
}

// reply emails the owner's reply to the writer, quoting what they wrote.
func (m *mailer) reply(ctx context.Context, delivery int64, msg store.Message) error {
	if !store.IsEmail(msg.ReplyTo) {
		return permanent(errors.New("the writer left no email address"))
	}
	if strings.TrimSpace(msg.Reply) == "" {
		return permanent(errors.New("the reply is empty"))
	}
	e, err := m.newMsg(delivery, msg.ReplyTo, "Re: your message to "+m.site)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(msg.Reply)
	fmt.Fprintf(&b, "\n\nOn %s you wrote:\n", msg.Time.UTC().Format("2 January 2006"))
	for line := range strings.SplitSeq(msg.Text, "\n") {
		b.WriteString("> " + line + "\n")
	}
	e.SetBodyString(mail.TypeTextPlain, b.String())
	return m.send(ctx, e)
}
