package server

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/log/v2"

	"portfolio/store"
	"portfolio/ui/letter"
)

// TestGuestbookPageFollowsApprovals: the site a visitor gets has a Guestbook page once an
// entry is approved, and the same site (so the same cached pages) while nothing changes.
func TestGuestbookPageFollowsApprovals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portfolio.db")
	site := testSite(t)
	d := startDatabase(path, site, log.New(os.Stderr), nil)
	defer d.stop()
	ctx := context.Background()
	st := d.waitStore(ctx)
	if st == nil {
		t.Fatal("the store did not open")
	}
	d.readGuestbook(ctx)
	if d.siteNow() != site {
		t.Fatal("a Guestbook page with nothing approved")
	}
	id, _, err := st.TakeMessage(ctx, store.Draft{Text: "lovely", Name: "Ada", Guestbook: true, Source: "192.0.2.1"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Approve(ctx, id); err != nil {
		t.Fatal(err)
	}
	d.readGuestbook(ctx)
	first := d.siteNow()
	if n := len(first.Sections); n != len(site.Sections)+1 || first.Sections[n-1].Title != "Guestbook" || !strings.Contains(first.Sections[n-1].Plain, "Ada") {
		t.Fatalf("no Guestbook page after an approval: %d sections", n)
	}
	d.readGuestbook(ctx)
	if d.siteNow() != first {
		t.Error("an unchanged guestbook made a new site: every page would render again")
	}
	if h := d.health(); h != "ok" {
		t.Errorf("health %q", h)
	}
}

// TestDatabaseThatCannotOpen: a database that cannot be created is reported by health and
// refused as unavailable, and the server goes on without it.
func TestDatabaseThatCannotOpen(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	logged := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "database unavailable") {
				select {
				case logged <- sc.Text():
				default:
				}
			}
		}
	}()
	d := startDatabase(filepath.Join(blocker, "portfolio.db"), testSite(t), log.New(pw), nil)
	defer pw.Close()
	defer d.stop()
	select {
	case <-logged: // the open failed, and the error is recorded before it is logged
	case <-time.After(10 * time.Second):
		t.Fatal("no error logged")
	}
	if h := d.health(); !strings.Contains(h, "not a directory") {
		t.Errorf("health %q, want the error", h)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if st := d.waitStore(ctx); st != nil {
		t.Fatal("a store under a file opened")
	}
	mail := letter.StoreMailbox{Store: d.store()}
	if _, err := mail.Send(context.Background(), letter.Letter{Text: "hi"}); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("send without a database: %v", err)
	}
}
