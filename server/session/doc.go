// Package session provides the visit: one SSH session as the server sees it while the
// middleware chain and the handlers pass it down. A Visit counts what was sent to the
// visitor and the keys they pressed, keeps the clock of their last input (the idle timeout
// is measured on input only: the UI's own drawing must not keep a session alive), and
// records why the session ended as a typed Reason: the first reason wins. Its Summary is
// what the "session end" event and the metrics report.
//
// It knows nothing of the server, the screen or the log: they read and write a Visit.
package session
