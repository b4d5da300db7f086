package server

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// pager is a model whose section follows the digit typed, like ui.Model's.
type pager struct{ section string }

func (p pager) Init() tea.Cmd   { return nil }
func (p pager) View() tea.View  { return tea.NewView(p.section) }
func (p pager) Section() string { return p.section }
func (p pager) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.Text >= "1" && k.Text <= "9" {
		p.section = "s" + k.Text
	}
	return p, nil
}

// The fleet hears of a section or size that changed, once, and of nothing else: scrolling
// keys pass without taking the lock every session shares.
func TestSectionWatchTellsOnlyChanges(t *testing.T) {
	type told struct {
		section string
		w, h    int
	}
	var got []told
	var m tea.Model = sectionWatch{Model: pager{}, w: 80, h: 24, seen: func(s string, w, h int) {
		got = append(got, told{s, w, h})
	}}
	for _, msg := range []tea.Msg{
		tea.KeyPressMsg{Code: 'j', Text: "j"},
		tea.KeyPressMsg{Code: '2', Text: "2"},
		tea.KeyPressMsg{Code: 'j', Text: "j"},
		tea.KeyPressMsg{Code: '2', Text: "2"},
		tea.WindowSizeMsg{Width: 80, Height: 24},
		tea.WindowSizeMsg{Width: 120, Height: 40},
		tea.KeyPressMsg{Code: '3', Text: "3"},
	} {
		m, _ = m.Update(msg)
	}
	want := []told{{"s2", 80, 24}, {"s2", 120, 40}, {"s3", 120, 40}}
	if len(got) != len(want) {
		t.Fatalf("told %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("told %v, want %v", got, want)
		}
	}
}
