// Package console is the owner's console: the Bubble Tea model `ssh owner@HOST` runs. It
// knows nothing of SSH; the server builds one Model per owner session with New and runs it
// in its own tea.Program, like a visitor's ui.Model.
//
// Four screens, one job each:
//   - home.go: the first screen: readers now, today's visits, unread messages (the newest
//     one's first line), undelivered notifications, and the keys to go further.
//   - now.go: every visitor's session open on every machine, refreshed every second.
//   - visits.go: today, 7 and 30 days, summarised by package stats (the definitions of
//     `portfolio stats`): visits, humans, plain readers, bots, reading time, sections as
//     bars, top clients, refusals.
//   - inbox.go: the messages, one opened (message.go), the actions on them (actions.go) and
//     the reply (reply.go).
//
// model.go holds the Model and the keys that move between screens, load.go every database
// read as a tea.Cmd with a deadline (an error is shown in place, the console keeps
// working), frame.go the frame around the screens (tabs, notice, help footer), text.go the
// one way text from a visitor reaches the screen: store.Clean, one line, cut to fit.
//
// The colours and glyphs are the visit's (ui.Theme). Nothing costs anything while the
// program sleeps: the one-second refresh is a tea.Tick chain that runs only on the first
// screen and Now, and only while a program is drawing; a new program (a woken screen)
// starts it again in Init. Those two screens say when they were last read, which keeps
// their output changing: the server's sleeping screens (asleep after a few still seconds)
// leave them live while the owner watches, and put the others to sleep.
package console
