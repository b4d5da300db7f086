package ui

import (
	"slices"
	"time"
)

// Stats is what one visit did, for the operator's logs: which sections were read and for how
// long. It never holds what a visitor typed into search. (The server counts key presses
// itself, as they reach the program.)
type Stats struct {
	Sections []SectionStat // in the order first viewed
}

// SectionStat is the time one section was on screen.
type SectionStat struct {
	Slug string
	Time time.Duration
}

// visit tracks Stats inside the Model. Its slices are copied on write so that Model stays a
// value: an older copy of the model never sees a later visit's numbers.
type visit struct {
	spent []time.Duration // per section index
	order []int           // section indexes in the order first viewed
	since time.Time       // when the active section came on screen
}

func newVisit(sections, first int, now time.Time) visit {
	v := visit{spent: make([]time.Duration, sections), since: now}
	if first >= 0 && first < sections {
		v.order = []int{first}
	}
	return v
}

// switched records leaving section from for section to at now.
func (v visit) switched(from, to int, now time.Time) visit {
	if from == to {
		return v
	}
	v.spent = slices.Clone(v.spent)
	if from >= 0 && from < len(v.spent) {
		v.spent[from] += now.Sub(v.since)
	}
	v.since = now
	if !slices.Contains(v.order, to) {
		v.order = append(slices.Clone(v.order), to)
	}
	return v
}

// Stats returns the visit so far, counting the active section's time up to now (the Options
// clock).
func (m Model) Stats() Stats {
	spent := slices.Clone(m.visit.spent)
	if m.active >= 0 && m.active < len(spent) {
		spent[m.active] += m.now().Sub(m.visit.since)
	}
	var s Stats
	for _, i := range m.visit.order {
		s.Sections = append(s.Sections, SectionStat{Slug: m.site.Sections[i].Slug, Time: spent[i]})
	}
	return s
}
