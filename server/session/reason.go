package session

// Kind is what a session turned out to be, as logged in the "kind" key of "session end".
type Kind string

// The kinds of session.
const (
	Interactive Kind = "interactive" // a terminal, served by the UI
	Plain       Kind = "plain"       // a text answer; also a session that ended before one was chosen
	Rejected    Kind = "rejected"    // turned away by a cap
	Owner       Kind = "owner"       // the owner's console or commands: never a visit
)

// Reason is why a session ended, as logged in the "reason" key of "session end" (and read
// by portfolio stats and dashboards: the words are stable).
type Reason string

// The reasons a session ends.
const (
	Done       Reason = "done"       // a text answer delivered whole
	Quit       Reason = "quit"       // the visitor left the UI (q)
	Disconnect Reason = "disconnect" // the client went away before the answer or the UI was done
	Idle       Reason = "idle"       // no input for the idle timeout
	MaxTime    Reason = "max_duration"
	Shutdown   Reason = "shutdown"
	Panic      Reason = "panic"
	Error      Reason = "error" // the UI ended with an error

	UnknownCommand Reason = "unknown_command"
	NoContact      Reason = "no_contact" // vcard asked of a site that publishes no contact details

	TooManySessions    Reason = "too_many_sessions"     // the server's cap
	TooManyFromAddress Reason = "too_many_from_address" // the per-address cap
	MemoryBudget       Reason = "memory_budget"         // not even 80x24 fits in PORTFOLIO_MEMORY_BUDGET
)
