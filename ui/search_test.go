package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// typeSearch opens the prompt, types q and submits it.
func typeSearch(t *testing.T, m Model, q string) Model {
	t.Helper()
	keys := []string{"/"}
	for _, r := range q {
		if r == ' ' {
			keys = append(keys, "space")
			continue
		}
		keys = append(keys, string(r))
	}
	return press(t, m, append(keys, "enter")...)
}

func TestSearchJumpsAcrossSections(t *testing.T) {
	m := newTestModel(t, 80, 24, colorprofile.ASCII, true)
	m = typeSearch(t, m, "snowflake") // only in "Why Certification"
	if slug := m.site.Sections[m.active].Slug; slug != "certification" {
		t.Fatalf("active %s, want certification", slug)
	}
	s := screen(t, m)
	if !strings.Contains(s, "match 1/1") {
		t.Fatalf("status:\n%s", s)
	}
	// The match is on screen, and its line carries the margin marker.
	var marked string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "> ") {
			marked = l
		}
	}
	if !strings.Contains(marked, "Snowflake") {
		t.Fatalf("no marked line with the match:\n%s", s)
	}
}

func TestSearchNextPrevious(t *testing.T) {
	m := newTestModel(t, 80, 16, colorprofile.TrueColor, false)
	m = typeSearch(t, m, "DATA") // case-insensitive; in education and the road ahead
	n := len(m.search.matches)
	if n < 3 {
		t.Fatalf("%d matches for data", n)
	}
	seen := map[string]bool{}
	for i := range n {
		if m.search.cur != i {
			t.Fatalf("after %d n: current %d", i, m.search.cur)
		}
		mt := m.search.matches[m.search.cur]
		if mt.sec != m.active || mt.line < m.offset() || mt.line >= m.offset()+m.bodyHeight() {
			t.Fatalf("match %d (%+v) not on screen (section %d, offset %d)", i, mt, m.active, m.offset())
		}
		if !strings.Contains(m.View().Content, m.st.currentOpen) {
			t.Fatalf("match %d not highlighted as current", i)
		}
		seen[m.site.Sections[m.active].Slug] = true
		m = press(t, m, "n")
	}
	if m.search.cur != 0 || m.active != 0 {
		t.Fatalf("n after the last match: current %d, section %d; want wrap to the first", m.search.cur, m.active)
	}
	if !seen["education"] || !seen["road-ahead"] {
		t.Fatalf("n did not cross sections: %v", seen)
	}
	m = press(t, m, "N")
	if m.search.cur != n-1 || m.site.Sections[m.active].Slug != "road-ahead" {
		t.Fatalf("N from the first: current %d in %s", m.search.cur, m.site.Sections[m.active].Slug)
	}
	// Every match on screen is highlighted, not only the current one.
	if got := strings.Count(m.View().Content, m.st.matchOpen) + strings.Count(m.View().Content, m.st.currentOpen); got < 2 {
		t.Fatalf("%d highlights on screen", got)
	}
}

func TestSearchKeys(t *testing.T) {
	m := newTestModel(t, 80, 24, colorprofile.ASCII, false)
	// While typing, letters are text: q does not quit, l does not switch sections.
	typing := press(t, m, "/", "q", "l", "x", "backspace")
	if !typing.search.typing || string(typing.search.input) != "ql" || typing.active != 0 {
		t.Fatalf("typing: %+v, section %d", typing.search, typing.active)
	}
	if s := screen(t, typing); !strings.Contains(s, "/ql▏") {
		t.Fatalf("prompt not shown:\n%s", s)
	}
	if _, cmd := typing.Update(keyPress(t, "ctrl+c")); !quits(cmd) {
		t.Fatal("ctrl+c does not quit while typing")
	}
	// esc closes the prompt without searching.
	closed := press(t, typing, "esc")
	if closed.search.typing || closed.search.active() {
		t.Fatalf("esc while typing: %+v", closed.search)
	}
	// esc after a search clears it; the next esc quits.
	found := typeSearch(t, m, "python")
	if !found.search.active() || len(found.search.matches) == 0 {
		t.Fatal("no matches for python")
	}
	if s := screen(t, found); !strings.Contains(s, "n/N next/prev · esc clear") {
		t.Fatalf("no search hint in the footer:\n%s", s)
	}
	cleared := press(t, found, "esc")
	if cleared.search.active() || strings.Contains(screen(t, cleared), "match") {
		t.Fatal("esc did not clear the search")
	}
	if _, cmd := cleared.Update(keyPress(t, "esc")); !quits(cmd) {
		t.Fatal("esc without a search does not quit")
	}
	// n and N without a search do nothing.
	if n := press(t, m, "n", "N"); n.active != 0 || n.offset() != 0 {
		t.Fatal("n/N moved without a search")
	}
	// No match: said so, nothing moves.
	none := typeSearch(t, press(t, m, "2"), "zebra")
	if none.active != 1 || !strings.Contains(screen(t, none), "no match") {
		t.Fatalf("no match:\n%s", screen(t, none))
	}
	// An empty query does nothing.
	if e := press(t, m, "/", "enter"); e.search.active() || e.search.typing {
		t.Fatal("empty search")
	}
}

func TestSearchSurvivesResize(t *testing.T) {
	m := typeSearch(t, newTestModel(t, 120, 30, colorprofile.TrueColor, false), "systems")
	before := len(m.search.matches)
	m = update(m, tea.WindowSizeMsg{Width: 45, Height: 20})
	if len(m.search.matches) != before {
		t.Fatalf("%d matches after resize, %d before", len(m.search.matches), before)
	}
	for _, mt := range m.search.matches {
		if got := strings.ToLower(cells(m.r.page(m.site, mt.sec, renderWidth(45), m.look).plain[mt.line], mt.col, mt.width)); got != "systems" {
			t.Fatalf("match %+v covers %q after resize", mt, got)
		}
	}
	assertFits(t, m)
}

// cells returns width cells of s from column col (ASCII test text plus dashes).
func cells(s string, col, width int) string {
	r := []rune(s)
	return string(r[col : col+width])
}

func TestSearchNeverRecorded(t *testing.T) {
	m := typeSearch(t, newTestModel(t, 80, 24, colorprofile.ASCII, false), "secretword")
	st := m.Stats()
	if m.search.query == "" {
		t.Fatal("the search was not run: the test shows nothing")
	}
	if strings.Contains(fmt.Sprintf("%+v %#v", st, st), "secret") {
		t.Fatal("search text in stats")
	}
}

func TestFindAll(t *testing.T) {
	got := findAll("Data—data, DATA!", foldRunes("data"))
	want := [][2]int{{0, 4}, {5, 4}, {11, 4}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("findAll = %v, want %v", got, want)
	}
	if findAll("aaa", foldRunes("aa")) == nil || len(findAll("aaaa", foldRunes("aa"))) != 2 {
		t.Fatal("matches must not overlap")
	}
}

func TestHighlight(t *testing.T) {
	line := "\x1b[38;5;252mhello world\x1b[m"
	got := highlight(line, [][2]int{{6, 11}}, []string{"<H>"}, "</H>")
	want := "\x1b[38;5;252mhello \x1b[m<H>world</H>\x1b[38;5;252m\x1b[m"
	if got != want {
		t.Fatalf("highlight = %q, want %q", got, want)
	}
	plain := highlight("a b c", [][2]int{{0, 1}, {4, 5}}, []string{"[", "{"}, ")")
	if plain != "\x1b[m[a)\x1b[m b \x1b[m{c)" && plain != "\x1b[m[a) b \x1b[m{c)" {
		t.Fatalf("two ranges: %q", plain)
	}
}
