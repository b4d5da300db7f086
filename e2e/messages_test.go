package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"portfolio/store/pgtest"
)

// Visitors write to the owner: through the form (m) over OpenSSH in tmux, and with
// `ssh HOST message`; every message is in the database before the visitor is told "Sent".

// sshIn runs the OpenSSH client without a terminal, stdin given, and returns stdout, stderr
// and the exit status.
func (s *process) sshIn(t *testing.T, stdin string, flags []string, command ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", append(s.sshArgs(flags...), command...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &stdout, &stderr, strings.NewReader(stdin)
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("ssh: %v", err)
	}
	return stdout.String(), stderr.String(), code
}

// inboxMessage is one message as `portfolio inbox --json` prints it.
type inboxMessage struct {
	ID        int64  `json:"id"`
	Text      string `json:"text"`
	Name      string `json:"name"`
	ReplyTo   string `json:"reply_to"`
	Guestbook bool   `json:"guestbook"`
	Status    string `json:"status"`
	Notified  string `json:"notified"`
	Addr      string `json:"addr"`
}

// inbox runs `portfolio inbox ARGS` on the database dsn as the owner would, in dir (where
// the server keeps its SQLite file), and returns its stdout.
func inbox(t *testing.T, dir, dsn string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"inbox", "--database", dsn}, args...)...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("portfolio inbox %v: %v: %s", args, err, stderr.String())
	}
	return string(out)
}

// stored reads the messages with `portfolio inbox --json`, newest first.
func stored(t *testing.T, dsn string) []inboxMessage {
	t.Helper()
	var msgs []inboxMessage
	if err := json.Unmarshal([]byte(inbox(t, t.TempDir(), dsn, "--json")), &msgs); err != nil {
		t.Fatal(err)
	}
	return msgs
}

var codeLine = regexp.MustCompile(`^Sent to .+\. Your reply code: ([0-9A-Z-]{10,})\n$`)

// writeWithForm opens the form in tmux, types a message and sends it, and returns the code
// the confirmation shows.
func writeWithForm(t *testing.T, srv *process, text string) string {
	t.Helper()
	tm := newTmux(t, 80, 24, nil, srv.sshCommand("-t"))
	tm.waitFor(t, "m  write to", 10*time.Second)
	tm.keys(t, "m")
	tm.waitFor(t, "Write to", 5*time.Second)
	tm.keys(t, "-l", text)
	tm.keys(t, "Tab")
	tm.keys(t, "-l", "Ada")
	tm.waitFor(t, "Ada", 5*time.Second)
	tm.keys(t, "C-s")
	screen := tm.waitFor(t, "Sent.", 5*time.Second)
	m := regexp.MustCompile(`reply ([0-9A-Z-]{10,})`).FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no reply code on the confirmation:\n%s", screen)
	}
	return m[1]
}

func TestFormStoresOnSQLite(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	srv := start(t, dir)
	writeWithForm(t, srv, "Loved the talk")
	msgs := stored(t, filepath.Join(dir, "data", "portfolio.db"))
	if len(msgs) != 1 || msgs[0].Text != "Loved the talk" || msgs[0].Name != "Ada" {
		t.Fatalf("stored: %+v", msgs)
	}
}

func TestFormStoresOnPostgreSQL(t *testing.T) {
	needTools(t)
	dsn := pgtest.Start(t)
	srv := start(t, t.TempDir(), "--database", dsn)
	writeWithForm(t, srv, "Loved the talk on PostgreSQL")
	if msgs := stored(t, dsn); len(msgs) != 1 || msgs[0].Text != "Loved the talk on PostgreSQL" {
		t.Fatalf("stored: %+v", msgs)
	}
}

// TestMessageCommand: `ssh HOST message` answers one line, and exit status 0 only when the
// message was stored, for success and each refusal; eight in a row from one address store
// three; another address still sends; the metrics count them.
func TestMessageCommand(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	srv := start(t, dir, "--http-addr", "127.0.0.1:0")
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
		out         *regexp.Regexp
	}{
		{"stored", "Loved the talk\n", []string{"--name", "Ada", "--reply-to", "ada@example.com", "--guestbook"}, 0, codeLine},
		{"empty", " \n", nil, 1, regexp.MustCompile(`^Your message is empty`)},
		{"too long", strings.Repeat("x", 2001), nil, 1, regexp.MustCompile(`^Too long: a message has at most 2000 characters\.\n$`)},
		{"name too long", "hi", []string{"--name", strings.Repeat("n", 61)}, 1, regexp.MustCompile(`^Too long: a name`)},
		{"not UTF-8", "caf\xe9\n", nil, 1, regexp.MustCompile(`^Your message is not UTF-8 text\.\n$`)},
		{"duplicate", "Loved the talk\n", nil, 1, regexp.MustCompile(`^You sent that already\.\n$`)},
		{"unknown option", "hi", []string{"--to", "x"}, 1, regexp.MustCompile(`^usage: ssh .* message \[--name NAME\]`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := srv.sshIn(t, tc.stdin, nil, append([]string{"message"}, tc.args...)...)
			line := stderr
			if tc.code == 0 {
				line = stdout
				if stderr != "" {
					t.Errorf("stderr: %q", stderr)
				}
			} else if stdout != "" {
				t.Errorf("stdout: %q", stdout)
			}
			if code != tc.code || !tc.out.MatchString(line) || strings.Count(line, "\n") != 1 {
				t.Errorf("exit %d, line %q; want exit %d and %s", code, line, tc.code, tc.out)
			}
		})
	}
	// One stored above; two more are allowed in ten minutes, then refusals.
	stored1, refused := 1, 0
	for i := range 8 {
		stdout, stderr, code := srv.sshIn(t, "note "+string(rune('a'+i))+"\n", nil, "message")
		switch {
		case code == 0 && codeLine.MatchString(stdout):
			stored1++
		case code == 1 && stderr == "Too many messages from you just now: try again later.\n":
			refused++
		default:
			t.Fatalf("message %d: exit %d, %q %q", i, code, stdout, stderr)
		}
	}
	if stored1 != 3 || refused != 6 {
		t.Errorf("from one address: %d stored, %d refused; want 3 and 6", stored1, refused)
	}
	if stdout, stderr, code := srv.sshIn(t, "from elsewhere\n", []string{"-b", "127.0.0.2"}, "message"); code != 0 || !codeLine.MatchString(stdout) {
		t.Errorf("another address: exit %d, %q %q", code, stdout, stderr)
	}
	if n := len(stored(t, filepath.Join(dir, "data", "portfolio.db"))); n != 4 {
		t.Errorf("%d messages stored, want 4", n)
	}
	addr, _ := srv.event("listening")["http"].(string)
	_, metrics := httpGet(t, "http://"+addr+"/metrics")
	for _, want := range []string{
		`portfolio_messages_total{result="stored"} 4`, `portfolio_messages_total{result="too-many"} 6`,
		`portfolio_messages_total{result="empty"} 1`, `portfolio_messages_total{result="too-long"} 2`,
		`portfolio_messages_total{result="duplicate"} 1`, `portfolio_messages_total{result="not-utf8"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if _, health := httpGet(t, "http://"+addr+"/healthz"); !strings.Contains(health, `"database":"ok"`) {
		t.Errorf("/healthz: %s", health)
	}
}

// hostile carries every way a message could try to drive the reader's terminal.
const hostile = "clear\x1b[2J clip\x1b]52;c;cHduZWQ=\x07 link\x1b]8;;https://evil.example\x07here\x1b]8;;\x07 " +
	"dcs\x1bP1$r0m\x1b\\ c1\u009b31m bidi\u202egnp.exe literal&#x1b;[31m end"

// TestHostileMessagePassesNoControl: a message full of escape sequences is taken, and the
// guestbook (`ssh HOST guestbook` and its page) shows its words with none of them.
func TestHostileMessagePassesNoControl(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	srv := start(t, dir)
	if stdout, stderr, code := srv.sshIn(t, hostile, nil, "message", "--name", "Eve\x1b[5m", "--guestbook"); code != 0 {
		t.Fatalf("refused: %q %q", stdout, stderr)
	}
	dsn := filepath.Join(dir, "data", "portfolio.db")
	msgs := stored(t, dsn)
	if len(msgs) != 1 {
		t.Fatalf("%d stored", len(msgs))
	}
	safe := func(where, s string) {
		t.Helper()
		if strings.ContainsAny(s, "\x1b\x07\u009b\u202e") || !strings.Contains(s, "literal&#x1b;[31m end") {
			t.Errorf("%s passes a control or lost the literal text: %q", where, s)
		}
	}
	safe("portfolio inbox", inbox(t, dir, dsn))
	safe("portfolio inbox show", inbox(t, dir, dsn, "show", fmt.Sprint(msgs[0].ID)))
	inbox(t, dir, dsn, "approve", fmt.Sprint(msgs[0].ID))
	stdout, _, code := srv.ssh(t, nil, "guestbook")
	if code != 0 || !strings.Contains(stdout, "Eve") {
		t.Fatalf("guestbook: exit %d %q", code, stdout)
	}
	safe("ssh HOST guestbook", stdout)

	tm := newTmux(t, 100, 30, nil, srv.sshCommand("-t"))
	tm.waitFor(t, "Guestbook", 10*time.Second) // on the cover, after the sections
	tm.keys(t, "4")
	screen := tm.waitFor(t, "literal&#x1b;", 10*time.Second)
	t.Logf("the Guestbook page:\n%s", screen)
	if !strings.Contains(screen, "Guestbook") {
		t.Errorf("no Guestbook page:\n%s", screen)
	}
	styled := tm.run(t, "capture-pane", "-p", "-e", "-t", "e2e")
	for _, bad := range []string{"\x1b]52", "\x1b]8;;https://evil", "\x1bP", "\u202e"} {
		if strings.Contains(styled, bad) {
			t.Errorf("the page put %q on the terminal", bad)
		}
	}
}

// TestAddressMaskedLikeTheLogs: with PORTFOLIO_LOG_MASK_ADDR on, the owner sees the
// writer's network, not their address; the limits still count the full address.
func TestAddressMaskedLikeTheLogs(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	srv := start(t, dir, "--log-mask-addr")
	if _, stderr, code := srv.sshIn(t, "masked\n", nil, "message"); code != 0 {
		t.Fatalf("not taken: %q", stderr)
	}
	msgs := stored(t, filepath.Join(dir, "data", "portfolio.db"))
	if len(msgs) != 1 || msgs[0].Addr != "127.0.0.0/24" {
		t.Fatalf("stored %+v; want the address as 127.0.0.0/24", msgs)
	}
}

// TestSentSurvivesKill9: a message the visitor was told is sent is there after the server
// is killed at once and started again.
func TestSentSurvivesKill9(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	srv := start(t, dir)
	stdout, _, code := srv.sshIn(t, "kept through a crash\n", nil, "message")
	if code != 0 {
		t.Fatalf("not sent: %q", stdout)
	}
	_ = srv.cmd.Process.Kill()
	<-srv.exited
	start(t, dir)
	if msgs := stored(t, filepath.Join(dir, "data", "portfolio.db")); len(msgs) != 1 || msgs[0].Text != "kept through a crash" {
		t.Fatalf("after kill -9: %+v", msgs)
	}
}

// TestPostgreSQLGoesAway: with PostgreSQL stopped the narrative is still served, the form
// and `message` refuse within seconds, and once it is back messages are taken again.
func TestPostgreSQLGoesAway(t *testing.T) {
	needTools(t)
	c := pgtest.NewCluster(t)
	dsn := c.Database(t)
	srv := start(t, t.TempDir(), "--database", dsn)
	if _, _, code := srv.sshIn(t, "before\n", nil, "message"); code != 0 {
		t.Fatal("not taken while PostgreSQL runs")
	}
	c.Stop(t)

	began := time.Now()
	stdout, _, code := srv.ssh(t, []string{"-T"})
	if code != 0 || !strings.Contains(stdout, "Education") {
		t.Errorf("narrative without the database: exit %d", code)
	}
	_, stderr, code := srv.sshIn(t, "during\n", nil, "message")
	if code != 1 || stderr != "Your message can't be taken right now: try again in a minute.\n" {
		t.Errorf("message without the database: exit %d %q", code, stderr)
	}
	tm := newTmux(t, 80, 24, nil, srv.sshCommand("-t"))
	tm.waitFor(t, "m  write to", 10*time.Second)
	tm.keys(t, "m")
	tm.waitFor(t, "Write to", 5*time.Second)
	tm.keys(t, "-l", "while it is down")
	tm.keys(t, "C-s")
	tm.waitFor(t, "can't be taken right now", 10*time.Second)
	tm.waitFor(t, "while it is down", time.Second) // the text is kept
	if took := time.Since(began); took > 30*time.Second {
		t.Errorf("refusals took %s", took)
	}

	c.Start(t)
	tm.keys(t, "C-s")
	tm.waitFor(t, "Sent.", 10*time.Second)
	if _, _, code := srv.sshIn(t, "after\n", nil, "message"); code != 0 {
		t.Error("not taken once PostgreSQL is back")
	}
	var texts []string
	for _, m := range stored(t, dsn) {
		texts = append(texts, m.Text)
	}
	if strings.Join(texts, "|") != "after|while it is down|before" {
		t.Errorf("stored %q", texts)
	}
}
