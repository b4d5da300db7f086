package e2e

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portfolio/content"
)

// contentWithLinks writes the embedded content to a directory with contact links set, as an
// owner would, and returns the directory.
func contentWithLinks(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(content.Embedded(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(content.Embedded(), path)
		if err != nil {
			return err
		}
		if path == content.SettingsFile {
			data = append(data, []byte("\n")...)
			data = []byte(strings.Replace(string(data), `email = ""`, `email = "owner@example.com"`, 1))
			data = []byte(strings.Replace(string(data), `website = ""`, `website = "https://example.com"`, 1))
		}
		return os.WriteFile(filepath.Join(dir, path), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestExportsThroughSSH(t *testing.T) {
	needTools(t)
	st := site(t)
	srv := start(t, t.TempDir())

	out, errOut, code := srv.ssh(t, nil, "json")
	if code != 0 {
		t.Fatalf("json: status %d, stderr %q", code, errOut)
	}
	var doc struct {
		Site     content.Settings `json:"site"`
		Sections []struct {
			Slug, Title, Markdown, Text string
		} `json:"sections"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json is not JSON: %v\n%s", err, out)
	}
	if doc.Site.Title != st.Settings.Title || len(doc.Sections) != len(st.Sections) {
		t.Fatalf("json: %+v", doc)
	}
	for i, sec := range st.Sections {
		got := doc.Sections[i]
		if got.Slug != sec.Slug || got.Markdown != sec.Markdown || got.Text != sec.Plain {
			t.Errorf("json section %d = %+v, want %s with its markdown and text", i, got, sec.Slug)
		}
	}

	out, errOut, code = srv.ssh(t, nil, "vcard")
	if code != 1 || out != "" || !strings.Contains(errOut, "no contact details") || !strings.Contains(errOut, "json") {
		t.Errorf("vcard without contact settings: status %d, stdout %q, stderr %q; want exit 1 and a hint", code, out, errOut)
	}

	out, errOut, code = srv.ssh(t, nil, "help")
	for _, word := range []string{"json", "vcard", "fingerprint", "plain"} {
		if code != 0 || !strings.Contains(out, " "+word) {
			t.Errorf("help does not document %q (status %d, stderr %q):\n%s", word, code, errOut, out)
		}
	}

	out, _, code = srv.ssh(t, nil, "fingerprint")
	if want := keyscan(t, srv); code != 0 || strings.TrimSpace(out) != want {
		t.Errorf("fingerprint: status %d, %q; ssh-keyscan sees %q", code, out, want)
	}
}

func TestVCardThroughSSH(t *testing.T) {
	needTools(t)
	srv := start(t, t.TempDir(), "--content-dir", contentWithLinks(t))
	out, errOut, code := srv.ssh(t, nil, "vcard")
	if code != 0 {
		t.Fatalf("vcard: status %d, stderr %q", code, errOut)
	}
	for _, line := range []string{"BEGIN:VCARD\r\n", "VERSION:4.0\r\n", "EMAIL:owner@example.com\r\n", "URL;TYPE=website:https://example.com\r\n", "END:VCARD\r\n"} {
		if !strings.Contains(out, line) {
			t.Errorf("vcard lacks %q:\n%s", line, out)
		}
	}
}

func TestAccessibleViewAtConnect(t *testing.T) {
	needTools(t)
	st := site(t)
	srv := start(t, t.TempDir())
	tm := newTmux(t, 100, 30, nil, srv.sshCommand("-t")+" plain")
	screen := tm.waitFor(t, "Cover: what there is to read.", 15*time.Second)
	if strings.ContainsAny(screen, "─│┌") {
		t.Errorf("accessible view draws boxes:\n%s", screen)
	}
	tm.keys(t, "Right")
	tm.waitFor(t, "Section 1 of 3: "+st.Sections[0].Title, 5*time.Second)
	tm.keys(t, "Right")
	tm.waitFor(t, "Section 2 of 3: "+st.Sections[1].Title, 5*time.Second)
	tm.keys(t, "q")
	tm.waitFor(t, "EXIT=0", 5*time.Second)

	// NO_COLOR reaches the server only when the client sends it.
	// NO_COLOR means no colour, not a screen reader: the standard layout, rules and all.
	tm = newTmux(t, 100, 30, nil, srv.sshCommand("-t", "-o", "SetEnv=NO_COLOR=1"))
	if s := tm.waitFor(t, cover(st), 15*time.Second); !strings.Contains(s, "─") || strings.Contains(s, "Section 1 of 3:") {
		t.Errorf("NO_COLOR did not get the standard layout:\n%s", s)
	}
	tm.keys(t, "q")
	tm.waitFor(t, "EXIT=0", 5*time.Second)
}

func TestSearchAcrossSections(t *testing.T) {
	needTools(t)
	st := site(t)
	srv := start(t, t.TempDir())
	tm := newTmux(t, 100, 30, nil, srv.sshCommand("-t"))
	tm.waitFor(t, cover(st), 15*time.Second)
	// "Snowflake" appears only in the second section.
	tm.keys(t, "/")
	tm.keys(t, "-l", "Snowflake")
	tm.keys(t, "Enter")
	// "Snowflake" is on screen as soon as it is typed into the prompt: wait for the jump.
	tm.waitScreen(t, "the second section with the match", 5*time.Second, func(s string) bool {
		return strings.Contains(s, "Section 2 of 3") && strings.Contains(s, "match 1/")
	})
	tm.keys(t, "Escape")
	tm.waitFor(t, "? help", 5*time.Second) // the search footer is gone
	tm.keys(t, "q")
	tm.waitFor(t, "EXIT=0", 5*time.Second)
}
