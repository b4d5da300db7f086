package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	_ "net/http/pprof" // the reference servers expose /debug/pprof on their debug address
	"os/signal"
	"strings"
	"syscall"
	"time"

	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

// serverMain runs one of the reference servers (kind "baseline" or "tea") until SIGTERM or
// SIGINT. It is started by the tool as a child process, never by hand, but works by hand too.
func serverMain(kind string, args []string) error {
	fs := flag.NewFlagSet(kind+"-server", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	debugAddr := fs.String("debug-addr", "", "serve /debug/pprof on this loopback address")
	fps := fs.Int("fps", 0, "tea: Bubble Tea frame rate (0: its default, 60)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkLoopback(*addr); err != nil {
		return err
	}
	signer, err := newHostSigner()
	if err != nil {
		return err
	}
	var srv *ssh.Server
	switch kind {
	case "baseline":
		// Ed25519 like the portfolio's key, so the key exchange costs the same on both.
		srv = &ssh.Server{Addr: *addr, Handler: helloHandler, HostSigners: []ssh.Signer{signer}}
	case "tea":
		srv, err = wish.NewServer(
			wish.WithAddress(*addr),
			func(s *ssh.Server) error { s.AddHostKey(signer); return nil },
			wish.WithMiddleware(bubbletea.Middleware(teaHandler(*fps))),
		)
		if err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown server kind %q", kind)
	}
	if *debugAddr != "" {
		if err := checkLoopback(*debugAddr); err != nil {
			return err
		}
		go func() { _ = http.ListenAndServe(*debugAddr, nil) }()
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
			_ = srv.Close()
		}
		return nil
	}
}

func newHostSigner() (ssh.Signer, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return gossh.NewSignerFromKey(key)
}

// helloHandler is the whole baseline: write "hello", then echo what the visitor types (so
// keystroke latency has a floor to compare with) until the session ends.
func helloHandler(s ssh.Session) {
	_, _ = io.WriteString(s, "hello\r\n")
	buf := make([]byte, 256)
	for {
		n, err := s.Read(buf)
		if n > 0 {
			if _, werr := s.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// teaFooter is the last line of the plain Bubble Tea app; the tool waits for it as the sign
// of a full first frame.
const teaFooter = "j/k scroll - q quit"

// teaModel is the "plain Bubble Tea-over-wish app" of the performance targets: 4 KB of text
// in a bubbles viewport and a footer, nothing optimised. It is a second reference point
// between the bare server and the portfolio.
type teaModel struct {
	vp viewport.Model
}

// teaHandler builds one session's program; fps > 0 overrides Bubble Tea's frame rate, to
// measure what the frame rate costs idle and what it adds to keystroke latency.
func teaHandler(fps int) bubbletea.Handler {
	return func(s ssh.Session) (tea.Model, []tea.ProgramOption) {
		pty, _, _ := s.Pty()
		vp := viewport.New(viewport.WithWidth(pty.Window.Width), viewport.WithHeight(max(pty.Window.Height-1, 1)))
		vp.SetContent(teaText())
		opts := []tea.ProgramOption{tea.WithoutSignalHandler()}
		if fps > 0 {
			opts = append(opts, tea.WithFPS(fps))
		}
		return teaModel{vp: vp}, opts
	}
}

func (m teaModel) Init() tea.Cmd { return nil }

func (m teaModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.vp.SetWidth(msg.Width)
		m.vp.SetHeight(max(msg.Height-1, 1))
	case tea.KeyPressMsg:
		if msg.String() == "q" || msg.String() == "ctrl+c" {
			return m, tea.Quit
		}
	}
	var cmd tea.Cmd
	m.vp, cmd = m.vp.Update(msg)
	return m, cmd
}

func (m teaModel) View() tea.View {
	v := tea.NewView(m.vp.View() + "\n" + teaFooter)
	v.AltScreen = true
	return v
}

// teaText is about 4 KB of prose in short paragraphs, long enough to scroll.
func teaText() string {
	var b strings.Builder
	for i := 1; b.Len() < 4096; i++ {
		fmt.Fprintf(&b, "Paragraph %d. A visitor reads this over SSH; every line is wrapped to the "+
			"terminal's width by the viewport, and scrolling one line redraws the screen.\n\n", i)
	}
	return b.String()
}

// freeLoopbackAddr asks the kernel for a free port on 127.0.0.1.
func freeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
