package server

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"portfolio/server/screen"
	"portfolio/ui"
)

// Visitors who arrive alike share one painted first frame, and a visitor who only reads
// costs no program: the frame cache is the server's, and each session end says woken=0.
func TestVisitorsShareThePaintedFirstFrame(t *testing.T) {
	ts := newTestServer(t, nil)
	title := testSite(t).Settings.Title
	var outputs []string
	for range 3 {
		tm := ts.openTerm(t, "", "", nil)
		tm.waitFor(t, title, 5*time.Second)
		outputs = append(outputs, tm.output())
		_ = tm.sess.Close()
	}
	if hits, misses := ts.frames.Counts(); misses != 1 || hits != 2 {
		t.Errorf("frame cache: %d painted, %d found; want 1 and 2", misses, hits)
	}
	for i, out := range outputs[1:] {
		if !strings.HasPrefix(out, outputs[0][:len(outputs[0])/2]) {
			t.Errorf("visitor %d saw another first frame:\n%q\nwant\n%q", i+2, out, outputs[0])
		}
	}
	waitUntil(t, func() bool { return len(ts.logs.find(t, "session end")) == 3 })
	for _, end := range ts.logs.find(t, "session end") {
		if end["woken"] != float64(0) || end["reason"] != "disconnect" {
			t.Errorf("session end woken=%v reason=%v, want 0 and disconnect", end["woken"], end["reason"])
		}
	}
}

// The UI's Init returns only what a screen that starts asleep can replay (ui.Model.Init's
// contract): otherwise every visit would start a program at once, whatever the visitor does.
func TestUIInitIsReplayable(t *testing.T) {
	site := testSite(t)
	for _, opts := range []ui.Options{
		{Width: 80, Height: 24, DarkBackground: true},
		{Width: 120, Height: 40, Profile: colorprofile.TrueColor},
		{Width: 80, Height: 24, ASCII: true, Profile: colorprofile.Ascii},
		{Width: 80, Height: 24, Accessible: true},
		{Width: 80, Height: 24, Section: site.Sections[len(site.Sections)-1].Slug},
		{Width: 80, Height: 24, Section: "nowhere", Notice: "There is no section \"nowhere\"."},
	} {
		m := ui.New(site, nil, opts)
		if !screen.Replayable(m.Init()) {
			t.Errorf("options %+v: Init returns a command the lazy start cannot replay", opts)
		}
	}
	// And the check can fail: a tick in Init is not replayable.
	if screen.Replayable(tea.Batch(tea.RequestBackgroundColor, tea.Tick(time.Millisecond, func(t time.Time) tea.Msg { return t }))) {
		t.Error("a tick in Init counts as replayable")
	}
}
