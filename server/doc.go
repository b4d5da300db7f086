// Package server provides the SSH side of the portfolio: a wish/v2 server that gives every
// visitor with a terminal their own Bubble Tea program (ui.Model) and every visitor without
// one a plain-text answer, behind panic recovery, session logging and caps on concurrent
// sessions, with the hardening layer (server/guard) around the connections.
//
// This package only assembles: New builds the server, Serve and Shutdown run it, chain.go
// lists the middleware in order with the reason for each place, app.go picks the UI or the
// text answer, interactive.go runs a visit's screen and its timers (linear.go the line reader
// for TERM=dumb instead), budget.go holds the screens to PORTFOLIO_MEMORY_BUDGET, live.go
// knows the open sessions for a shutdown, limits.go admits sessions through the guard's caps
// and fair shares and turns the refused away politely, http.go serves /healthz and /metrics
// (PORTFOLIO_HTTP_ADDR), proxy.go the PROXY protocol policy in front of the listener,
// database.go opens the store in the background (retried; reading never waits for it) and
// keeps the guestbook and the outbox worker, mail.go is each visitor's mailbox for the
// message form, message.go is `ssh HOST message`.
// owner.go serves the owner's connections (the console, or server/ownercmd's commands),
// visits.go hands server/fleet every visit's record and the open sessions, reply.go answers
// `reply CODE` through server/replies' limit on wrong codes.
//
// How a key reaches the model. The visitor's SSH client sends the key's bytes on the session
// channel; the guard paces how fast the connection is read. The
// session (session.Visit.Read) reads them from the channel and notes the time for the idle
// clock. The screen's decoder, an ultraviolet TerminalReader the session's screen feeds
// (screen/input.go; made at the first bytes, let go while the screen sleeps and its input is
// quiet), turns the bytes into events: keys, mouse, paste, the terminal's replies, size
// reports. The screen's dispatcher hands each event to the Bubble Tea program
// drawing now with Program.Send; a size report becomes a window change, fitted to the
// memory budget like the client's own. While the screen sleeps, events wait in its queue:
// the terminal's replies are read there without a program (screen/lazy.go), and anything
// else starts a program with the model, which then gets the queue in order. In the program,
// Bubble Tea turns the event into a message (tea.KeyPressMsg), the guard's filter and the
// session's (which counts the key) pass it on, and the screen's panic watch calls
// ui.Model.Update.
//
// The server never executes anything: the command a visitor types after the host name only
// picks what to show. Port, agent and X11 forwarding and subsystems (sftp, scp) are refused.
//
// Imports point one way, from here down; no package below imports server or a sibling
// that imports it:
//
//	server ─┬─ screen ─────┬─ firstframe  the first frame painted without a program, and
//	        │    Bubble Tea │               its cache (which server holds, one per server)
//	        │    programs   └─ termreply   a terminal's replies told from the visitor's input
//	        │    on one terminal: input, sleep, wake, panic watch
//	        ├─ sessionlog ─┬─ session   the visit: counts, idle clock, typed end reason, summary
//	        │              ├─ metrics ── guard  Prometheus collectors and /healthz; (Stats) the
//	        │              │                    guard's counters, read at scrape time
//	        │              └─ guard     (Sanitize) client text made safe for a log line
//	        ├─ answer ─────┬─ session   (Reason) the end reason of each reply
//	        │              ├─ guard     (Sanitize) a mistyped command, made safe to echo
//	        │              ├─ content   the site the replies are made of
//	        │              └─ ui/letter `ssh HOST message`: its limits and refusals
//	        ├─ hostkey     the Ed25519 identity, loaded or generated once
//	        ├─ guard ───── store   admission, timeouts, limits, algorithms; (Clean) Sanitize
//	        ├─ store       the database: messages, replies, outbox, visits, presence
//	        ├─ outbox ──── store   notifications delivered until they arrive
//	        ├─ frontproxy  the PROXY protocol listener
//	        ├─ owner       who the owner is: PORTFOLIO_OWNER_KEYS, the verified key's Permissions
//	        ├─ fleet ───── store   visit records and presence rows, written in batches
//	        ├─ ownercmd ── inbox, stats, store, fleet (PresentWithin)   inbox, now, stats
//	        ├─ replies     reply codes behind a per-source limit on wrong ones
//	        ├─ ui ── content, store, ui/letter   the visitor's model and its message form
//	        ├─ ui/linear ── content, ui/letter   the TERM=dumb reader
//	        ├─ ui/console ── ui, stats, store    the owner's console
//	        └─ ui/terminal  locale and colour profile, which sessionlog and cmd/portfolio's
//	                        preview import too
//
// firstframe, termreply, session, hostkey, owner, replies and frontproxy import nothing of
// ours, guard only store's Clean, screen only firstframe and termreply, and metrics only
// guard's Stats type: each can be read and tested alone (screen's tests run on an io.Pipe).
package server
