package answer

import (
	"slices"
	"strings"
	"testing"

	"portfolio/content"
	"portfolio/server/session"
)

func TestReplies(t *testing.T) {
	site, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	sec := site.Sections[1]
	for _, tt := range []struct {
		args    []string
		code    int
		reason  session.Reason
		section string
		stdout  string // a part of it
		stderr  string // a part of it
	}{
		{args: nil, reason: session.Done, stdout: site.Sections[0].Title},
		{args: []string{Plain}, reason: session.Done, stdout: site.Sections[len(site.Sections)-1].Title},
		{args: []string{Help}, reason: session.Done, stdout: "ssh -T " + site.Settings.Host},
		{args: []string{Fingerprint}, reason: session.Done, stdout: "SHA256:test\n"},
		{args: []string{JSON}, reason: session.Done, stdout: `"` + sec.Slug + `"`},
		{args: []string{VCard}, code: 1, reason: session.NoContact, stderr: "json"},
		{args: []string{sec.Slug}, reason: session.Done, section: sec.Slug, stdout: sec.Title},
		{args: []string{"nope\x1b[31m"}, code: 1, reason: session.UnknownCommand, stderr: `unknown command "nope"`},
		{args: []string{sec.Slug, sec.Slug}, code: 1, reason: session.UnknownCommand, stderr: "help"},
	} {
		r := For(site, "SHA256:test", tt.args)
		if r.Code != tt.code || r.Reason != tt.reason || r.Section != tt.section ||
			!strings.Contains(r.Stdout, tt.stdout) || !strings.Contains(r.Stderr, tt.stderr) ||
			(tt.stdout == "") != (r.Stdout == "") {
			t.Errorf("For(%q) = code %d reason %s section %q stdout %.60q stderr %q", tt.args, r.Code, r.Reason, r.Section, r.Stdout, r.Stderr)
		}
	}
}

func TestIsText(t *testing.T) {
	for args, want := range map[string]bool{"help": true, "fingerprint": true, "json": true, "vcard": true,
		"plain": false, "education": false, "": false} {
		if got := IsText(strings.Fields(args)); got != want {
			t.Errorf("IsText(%q) = %v, want %v", args, got, want)
		}
	}
}

// BenchmarkPlainAnswer is `ssh -T host`'s answer: the whole narrative as plain text.
func BenchmarkPlainAnswer(b *testing.B) {
	site, err := content.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(For(site, "", nil).Stdout)
	}
	b.ReportMetric(float64(n), "bytes/answer")
}

// The command words are the slugs content refuses: a section can never hide one.
func TestCommandWordsAreReservedSlugs(t *testing.T) {
	words := []string{Help, Plain, Fingerprint, JSON, VCard, Message, Guestbook, ReadReply}
	if !slices.Equal(slices.Sorted(slices.Values(words)), slices.Sorted(slices.Values(content.ReservedSlugs))) {
		t.Errorf("command words %v, content.ReservedSlugs %v: they must be the same", words, content.ReservedSlugs)
	}
}
