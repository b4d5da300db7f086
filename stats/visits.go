package stats

import (
	"portfolio/store"
)

// FromVisits summarises visit records from the database the way Analyze summarises a log:
// each record is the "session end" line the server logged for it (at its end), and a
// refused one also the "session rejected" line that came with it, so the same visits give
// the same report from either source. Records carry no handshake failures, no refusals at
// accept (rate-limit) and no input lines: those counts stay zero.
func FromVisits(vs []store.Visit, opts Options) *Report {
	rep := newReport(opts)
	for _, v := range vs {
		e := entry{
			Time:       v.Start.Add(v.Duration),
			Msg:        "session end",
			Session:    v.Session,
			Client:     v.Client,
			Command:    v.Command,
			PTY:        v.PTY,
			DurationMS: float64(v.Duration.Milliseconds()),
			Keys:       float64(v.Keys),
			Reason:     v.Reason,
			Kind:       v.Kind,
		}
		for _, s := range v.Sections {
			e.Sections = append(e.Sections, sectionTime{Slug: s.Slug, MS: float64(s.Time.Milliseconds())})
		}
		if v.Kind == "rejected" {
			rep.add(entry{Time: e.Time, Msg: "session rejected", Session: v.Session, Reason: "cap"})
		}
		rep.add(e)
	}
	rep.finish()
	return rep
}
