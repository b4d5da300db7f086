package outbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// mailServer is a real SMTP server (github.com/emersion/go-smtp) on loopback that keeps what
// it receives. It runs outside any synctest bubble.
type mailServer struct {
	srv        *smtp.Server
	user, pass string // when set, AUTH PLAIN is required

	mu    sync.Mutex
	got   []gotMail
	auths int // AUTH exchanges begun, whatever their outcome
	addr  string
}

// gotMail is one email as the server received it.
type gotMail struct {
	from string
	to   []string
	user string // who authenticated
	tls  bool   // the session was encrypted
	msg  *mail.Message
	body string
}

// serveMail serves SMTP on ln. With tlsConfig, it offers STARTTLS.
func serveMail(t *testing.T, ln net.Listener, tlsConfig *tls.Config, user, pass string) *mailServer {
	ms := &mailServer{user: user, pass: pass, addr: ln.Addr().String()}
	ms.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &mailSession{ms: ms, conn: c}, nil
	}))
	ms.srv.Domain = "localhost"
	ms.srv.TLSConfig = tlsConfig
	ms.srv.AllowInsecureAuth = true // the loopback case; the others check gotMail.tls
	ms.srv.ReadTimeout, ms.srv.WriteTimeout = time.Minute, time.Minute
	go ms.srv.Serve(ln)
	t.Cleanup(func() { ms.srv.Close() })
	return ms
}

func (ms *mailServer) mails() []gotMail {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]gotMail(nil), ms.got...)
}

type mailSession struct {
	ms   *mailServer
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailSession) Auth(string) (sasl.Server, error) {
	s.ms.mu.Lock()
	s.ms.auths++
	s.ms.mu.Unlock()
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.ms.user || pass != s.ms.pass {
			return errors.New("wrong user or password")
		}
		s.user = user
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.ms.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.ms.mu.Lock()
	s.ms.got = append(s.ms.got, gotMail{from: s.from, to: s.to, user: s.user, tls: isTLS, msg: msg, body: string(body)})
	s.ms.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.from, s.to = "", nil }
func (s *mailSession) Logout() error { return nil }

func listen(t *testing.T, addr string) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// testCert is a server's configuration with a self-signed certificate for 127.0.0.1 and
// mail.example.test, and a pool that trusts it.
func testCert(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mail.example.test"},
		DNSNames:     []string{"mail.example.test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		// Valid both on the wall clock and in a synctest bubble, whose clock starts in 2000.
		NotBefore:   time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:    time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return server, pool
}
