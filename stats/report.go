package stats

import (
	"cmp"
	"io"
	"math"
	"slices"
	"time"
)

// Options tune the summary. The zero value gives the defaults.
type Options struct {
	// HumanAfter is how long an interactive session must last to count as a
	// human reading; default 5s.
	HumanAfter time.Duration
	// TopClients is how many client versions to list; default 5.
	TopClients int
	// BarWidth is the longest bar in the section chart; default 30.
	BarWidth int
	// Location sets the day boundaries of the per-day table; default UTC.
	Location *time.Location
}

func (o Options) withDefaults() Options {
	if o.HumanAfter <= 0 {
		o.HumanAfter = 5 * time.Second
	}
	if o.TopClients <= 0 {
		o.TopClients = 5
	}
	if o.BarWidth <= 0 {
		o.BarWidth = 30
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	return o
}

// Class is what a visit is taken to be.
type Class int

// Visit classes.
const (
	Human       Class = iota // interactive and read for a while
	PlainReader              // no PTY, asked for a section or help
	Bot                      // everything else
)

// KindOwner is the kind of the owner's own sessions (the console): never a visit.
const KindOwner = "owner"

// Bot reasons, in the order the summary lists them.
const (
	BotRejected  = "rejected"
	BotNoCommand = "plain without a command"
	BotShort     = "very short"
	BotIdle      = "idle without a key"
)

// Report is the summary of one log.
type Report struct {
	Lines, Events, Other, Bad int

	Visits       int
	Humans       int
	PlainReaders int
	Bots         int
	BotReasons   map[string]int
	Unfinished   int // session starts with no end in this log

	Rejections        map[string]int // "session rejected" by reason
	HandshakeFailures int
	ReadingTimes      []time.Duration // humans, sorted
	SectionViews      []SectionCount  // humans and plain readers, most viewed first
	Clients           []ClientCount   // every visit, most common first
	Days              []DayCount      // oldest first
	First, Last       time.Time
	opts              Options
	sections          map[string]*SectionCount
	clients           map[string]int
	days              map[string]*DayCount
	started           map[string]bool
}

// SectionCount is one bar of the section chart.
type SectionCount struct {
	Slug  string
	Views int
	Time  time.Duration
}

// ClientCount is one client version and its visits.
type ClientCount struct {
	Client string
	Visits int
}

// DayCount is one row of the per-day table.
type DayCount struct {
	Day                         string // YYYY-MM-DD, or "unknown"
	Visits, Humans, Plain, Bots int
}

// Analyze reads a log and summarises it. Only a failing reader is an error.
func Analyze(r io.Reader, opts Options) (*Report, error) {
	rep := newReport(opts)
	sc := newScanner(r)
	err := sc.each(rep.add)
	rep.Lines, rep.Events, rep.Other, rep.Bad = sc.lines, sc.events, sc.other, sc.bad
	rep.finish()
	return rep, err
}

func newReport(opts Options) *Report {
	return &Report{
		opts:       opts.withDefaults(),
		BotReasons: map[string]int{},
		Rejections: map[string]int{},
		sections:   map[string]*SectionCount{},
		clients:    map[string]int{},
		days:       map[string]*DayCount{},
		started:    map[string]bool{},
	}
}

// Run reads a log from r and writes the summary to w.
func Run(r io.Reader, w io.Writer, opts Options) error {
	rep, err := Analyze(r, opts)
	if err != nil {
		return err
	}
	return rep.Write(w)
}

func (rep *Report) add(e entry) {
	if !e.Time.IsZero() {
		if rep.First.IsZero() || e.Time.Before(rep.First) {
			rep.First = e.Time
		}
		if e.Time.After(rep.Last) {
			rep.Last = e.Time
		}
	}
	switch e.Msg {
	case "session start":
		if e.Session != "" {
			rep.started[e.Session] = true
		}
	case "session end":
		delete(rep.started, e.Session)
		if e.Kind != KindOwner {
			rep.addVisit(e)
		}
	case "session rejected":
		rep.Rejections[reasonLabel(e.Reason)]++
	case "handshake failed":
		rep.HandshakeFailures++
	}
}

func reasonLabel(r string) string {
	if r == "" {
		return "unknown"
	}
	return clean(r, 20)
}

// classify decides what a finished session was.
func (rep *Report) classify(e entry) (Class, string) {
	kind := e.Kind
	if kind == "" { // older lines: derive it
		kind = "plain"
		if e.PTY {
			kind = "interactive"
		}
	}
	d := time.Duration(e.DurationMS * float64(time.Millisecond))
	switch {
	case kind == "rejected":
		return Bot, BotRejected
	case kind == "interactive" && e.Reason == "idle" && e.Keys == 0:
		return Bot, BotIdle
	case kind == "interactive" && d < rep.opts.HumanAfter:
		return Bot, BotShort
	case kind == "interactive":
		return Human, ""
	case e.Command == "":
		return Bot, BotNoCommand
	default:
		return PlainReader, ""
	}
}

func (rep *Report) addVisit(e entry) {
	rep.Visits++
	class, why := rep.classify(e)
	day := rep.day(e.Time)
	day.Visits++
	switch class {
	case Human:
		rep.Humans++
		day.Humans++
		rep.ReadingTimes = append(rep.ReadingTimes, time.Duration(e.DurationMS*float64(time.Millisecond)))
	case PlainReader:
		rep.PlainReaders++
		day.Plain++
	case Bot:
		rep.Bots++
		day.Bots++
		rep.BotReasons[why]++
	}
	if class != Bot {
		for _, s := range e.Sections {
			slug := clean(s.Slug, 24)
			sc := rep.sections[slug]
			if sc == nil {
				sc = &SectionCount{Slug: slug}
				rep.sections[slug] = sc
			}
			sc.Views++
			sc.Time += time.Duration(s.MS * float64(time.Millisecond))
		}
	}
	client := clean(e.Client, 48)
	if client == "" {
		client = "(none)"
	}
	rep.clients[client]++
}

func (rep *Report) day(t time.Time) *DayCount {
	key := "unknown"
	if !t.IsZero() {
		key = t.In(rep.opts.Location).Format(time.DateOnly)
	}
	d := rep.days[key]
	if d == nil {
		d = &DayCount{Day: key}
		rep.days[key] = d
	}
	return d
}

// finish turns the maps into sorted slices.
func (rep *Report) finish() {
	rep.Unfinished = len(rep.started)
	slices.Sort(rep.ReadingTimes)
	for _, s := range rep.sections {
		rep.SectionViews = append(rep.SectionViews, *s)
	}
	slices.SortFunc(rep.SectionViews, func(a, b SectionCount) int {
		return cmp.Or(cmp.Compare(b.Views, a.Views), cmp.Compare(a.Slug, b.Slug))
	})
	for c, n := range rep.clients {
		rep.Clients = append(rep.Clients, ClientCount{c, n})
	}
	slices.SortFunc(rep.Clients, func(a, b ClientCount) int {
		return cmp.Or(cmp.Compare(b.Visits, a.Visits), cmp.Compare(a.Client, b.Client))
	})
	for _, d := range rep.days {
		rep.Days = append(rep.Days, *d)
	}
	// "unknown" sorts after every date.
	slices.SortFunc(rep.Days, func(a, b DayCount) int { return cmp.Compare(a.Day, b.Day) })
}

// Percentile is the nearest-rank percentile p (0-100] of sorted durations.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}
