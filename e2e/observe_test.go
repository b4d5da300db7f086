package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"portfolio/server/frontproxy/proxytest"
)

// visitor is the address the relay's PROXY header claims. 203.0.113.0/24 is reserved for
// documentation: it is only written into the header, no traffic goes there.
var visitor = netip.MustParseAddrPort("203.0.113.7:40001")

// TestVisitorLogThroughProxy is a deployment in miniature: the real binary with a JSON log,
// the PROXY protocol required and the HTTP port on; the real OpenSSH client in tmux reaches
// it through a relay that speaks the PROXY protocol like Fly's proxy. The session end
// summary must carry the visitor's address (not the relay's) and the sections viewed,
// /healthz and /metrics must count it, and `portfolio stats` must read the log.
func TestVisitorLogThroughProxy(t *testing.T) {
	needTools(t)
	st := site(t)
	for _, tc := range []struct {
		mode    string
		version byte
		mask    bool
		addr    *regexp.Regexp
	}{
		{"v2", 2, false, regexp.MustCompile(`^203\.0\.113\.7:40001$`)},
		{"v1", 1, true, regexp.MustCompile(`^203\.0\.113\.0/24$`)},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			args := []string{"--proxy-protocol", tc.mode, "--http-addr", "127.0.0.1:0"}
			if tc.mask {
				args = append(args, "--log-mask-addr")
			}
			srv := start(t, t.TempDir(), args...)
			relay := proxytest.NewRelay(t, srv.addr, tc.version, visitor)
			relayPort := relay.Addr[strings.LastIndex(relay.Addr, ":")+1:]

			// A client that skips the proxy sends no header: closed before the handshake.
			if _, stderr, code := srv.ssh(t, nil, "help"); code != 255 {
				t.Errorf("headerless connection: exit %d, want 255 (closed by the server); stderr %q", code, stderr)
			}

			cmd := strings.Replace(srv.sshCommand("-t"), "-p "+srv.port, "-p "+relayPort, 1)
			tm := newTmux(t, 110, 32, nil, cmd)
			tm.waitFor(t, cover(st), 15*time.Second)
			for i, key := range []string{"Enter", "Right"} { // the first section, then the second
				tm.keys(t, key)
				tm.waitFor(t, opening(st.Sections[i]), 5*time.Second)
				// The visitor reads: the time spent in a section is what the log must report,
				// so it has to pass; there is nothing to wait for.
				time.Sleep(300 * time.Millisecond)
			}
			tm.keys(t, "q")
			tm.waitFor(t, "EXIT=0", 5*time.Second)

			end := waitEvent(t, srv, "session end", 5*time.Second)
			if !tc.addr.MatchString(fmt.Sprint(end["addr"])) {
				t.Errorf("session end addr %v, want %s (the header's, not the relay's 127.0.0.1)", end["addr"], tc.addr)
			}
			if end["kind"] != "interactive" || end["reason"] != "quit" || end["pty"] != true ||
				!strings.HasSuffix(fmt.Sprint(end["term"]), "256color") || end["profile"] != "ANSI256" || !strings.HasPrefix(fmt.Sprint(end["client"]), "SSH-2.0-OpenSSH") ||
				end["width"] != float64(110) || end["keys"].(float64) < 2 || end["bytes"].(float64) < 1000 ||
				end["duration_ms"].(float64) < 600 {
				t.Errorf("session end summary: %v", end)
			}
			viewed := map[string]float64{}
			list, _ := end["sections"].([]any)
			for _, s := range list {
				o, _ := s.(map[string]any)
				ms, _ := o["ms"].(float64)
				viewed[fmt.Sprint(o["slug"])] = ms
			}
			for _, sec := range st.Sections[:2] {
				if viewed[sec.Slug] < 200 {
					t.Errorf("sections %v: want %s with its reading time", end["sections"], sec.Slug)
				}
			}
			if start := srv.event("session start"); start == nil || start["session"] != end["session"] || start["addr"] != end["addr"] {
				t.Errorf("session start %v does not match the end", start)
			}
			for _, e := range srv.log() {
				if e["msg"] == "NOT JSON" {
					t.Errorf("a log line is not one JSON object: %q", e["line"])
				}
			}

			// Health and metrics from the real binary.
			base := "http://" + fmt.Sprint(srv.event("listening")["http"])
			code, body := httpGet(t, base+"/healthz")
			var h struct {
				Status string `json:"status"`
				Ready  bool   `json:"ready"`
			}
			if err := json.Unmarshal([]byte(body), &h); code != 200 || err != nil || !h.Ready || h.Status != "ok" {
				t.Errorf("/healthz: %d %s", code, body)
			}
			_, metrics := httpGet(t, base+"/metrics")
			for _, want := range []string{
				`portfolio_sessions_total{kind="interactive"} 1`,
				`portfolio_section_views_total{section="` + st.Sections[0].Slug + `"} 1`,
				`portfolio_section_views_total{section="` + st.Sections[1].Slug + `"} 1`,
				`portfolio_proxy_header_rejections_total 1`,
				`portfolio_session_duration_seconds_count{kind="interactive"} 1`,
				`portfolio_sessions_open 0`,
			} {
				if !strings.Contains(metrics, want+"\n") {
					t.Errorf("/metrics lacks %q", want)
				}
			}

			// portfolio stats reads the same log.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			stats := exec.CommandContext(ctx, binary, "stats", "--human-after", "500ms")
			stats.Stdin = strings.NewReader(srv.rawLog())
			out, err := stats.CombinedOutput()
			if err != nil {
				t.Fatalf("portfolio stats: %v\n%s", err, out)
			}
			report := string(out)
			t.Logf("portfolio stats:\n%s", report)
			for _, want := range []*regexp.Regexp{
				regexp.MustCompile(`(?m)^Visits\s+1\b`),
				regexp.MustCompile(`(?m)^\s+humans\s+1\b`),
				regexp.MustCompile(`(?m)^\s+` + st.Sections[0].Slug + `\s+#+\s+1\b`),
				regexp.MustCompile(`(?m)^\s+` + st.Sections[1].Slug + `\s+#+\s+1\b`),
				regexp.MustCompile(`(?m)^\s+1\s+SSH-2\.0-OpenSSH`),
				regexp.MustCompile(`(?m)^Input\s+\d+ lines: \d+ events, 0 other log lines, 0 bad lines skipped$`),
			} {
				if !want.MatchString(report) {
					t.Errorf("portfolio stats output lacks %s:\n%s", want, report)
				}
			}
		})
	}
}

// waitEvent waits for the first log event with msg.
func waitEvent(t *testing.T, srv *process, msg string, within time.Duration) map[string]any {
	t.Helper()
	return srv.waitLog(t, fmt.Sprintf("%q event", msg), within, func(e map[string]any) bool { return e["msg"] == msg })
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
