package stats

import (
	"encoding/json"
	"io"
	"maps"
)

// Summary is a Report as JSON (`portfolio stats --json`, `ssh owner@HOST stats --json`): the
// figures that mean the same whether the visits came from a log or from the database's
// visit records. What only a log has (its lines, handshake failures, sessions with no end)
// is left out, so the two sources give equal objects for the same visits.
type Summary struct {
	Visits     int            `json:"visits"`
	Humans     int            `json:"humans"`
	Plain      int            `json:"plain"`
	Bots       int            `json:"bots"`
	BotReasons map[string]int `json:"bot_reasons"`
	Rejections map[string]int `json:"rejections"`
	Reading    Reading        `json:"reading"`
	Sections   []SectionJSON  `json:"sections"`
	Clients    []ClientJSON   `json:"clients"`
	Days       []DayJSON      `json:"days"`
}

// Reading is the humans' reading time in milliseconds (0 with no human visit).
type Reading struct {
	MedianMS  int64 `json:"median_ms"`
	P90MS     int64 `json:"p90_ms"`
	LongestMS int64 `json:"longest_ms"`
}

// SectionJSON is one section's views and time on screen (humans and plain readers).
type SectionJSON struct {
	Slug  string `json:"slug"`
	Views int    `json:"views"`
	MS    int64  `json:"ms"`
}

// ClientJSON is one client version and its visits.
type ClientJSON struct {
	Client string `json:"client"`
	Visits int    `json:"visits"`
}

// DayJSON is one day's visits by class.
type DayJSON struct {
	Day    string `json:"day"`
	Visits int    `json:"visits"`
	Humans int    `json:"humans"`
	Plain  int    `json:"plain"`
	Bots   int    `json:"bots"`
}

// JSON returns the summary of the report.
func (rep *Report) JSON() Summary {
	s := Summary{
		Visits: rep.Visits, Humans: rep.Humans, Plain: rep.PlainReaders, Bots: rep.Bots,
		BotReasons: maps.Clone(rep.BotReasons),
		Rejections: maps.Clone(rep.Rejections),
		Sections:   []SectionJSON{},
		Clients:    []ClientJSON{},
		Days:       []DayJSON{},
	}
	if n := len(rep.ReadingTimes); n > 0 {
		s.Reading = Reading{
			MedianMS:  Percentile(rep.ReadingTimes, 50).Milliseconds(),
			P90MS:     Percentile(rep.ReadingTimes, 90).Milliseconds(),
			LongestMS: rep.ReadingTimes[n-1].Milliseconds(),
		}
	}
	for _, sc := range rep.SectionViews {
		s.Sections = append(s.Sections, SectionJSON{Slug: sc.Slug, Views: sc.Views, MS: sc.Time.Milliseconds()})
	}
	for _, c := range rep.Clients {
		s.Clients = append(s.Clients, ClientJSON(c))
	}
	for _, d := range rep.Days {
		s.Days = append(s.Days, DayJSON(d))
	}
	return s
}

// WriteJSON writes the summary as one indented JSON object.
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep.JSON())
}
