// Package ownercmd answers the owner's commands over SSH exec, for scripts: `inbox` (the
// same code as `portfolio inbox`, package inbox), `now` (the sessions open on every machine)
// and `stats` (package stats over the database's visit records, the same report as
// `portfolio stats` over a log of the same visits), each with --json. The server calls Run
// only for a connection the owner logged in to (server/owner).
//
// Everything printed that came from a visitor (addresses, client versions, TERM, sections)
// passes store.CleanLine first, in text and in JSON alike: a JSON string may carry C1 and
// bidi controls that a terminal would act on.
package ownercmd
