package guard

import "time"

// The guard's fixed limits. No operator would change them: each is set from what it defends
// against, with the reason beside it, and the README's Hardening table lists them. The
// operator's limits (the rate, the session counts, the session length) are Config's.
const (
	// RateBurst is each source's budget of connections that are not visits (yet): a room of
	// 40 reading the host-key prompt at once, or two ssh-keyscans (ten connections) and the
	// visit after them, fit; a source that only floods handshakes is refused after 64.
	RateBurst = 64
	// PenaltyTokens is what a connection cut off by HandshakeTimeout or LoginGrace costs its
	// source on top of its token (OpenSSH's PerSourcePenalties, grace-exceeded): it held a
	// startup slot as long as it could. A source's debt is capped at one burst.
	PenaltyTokens = 2
	// MaxSources bounds the memory spent remembering sources (about 200 bytes each, so
	// 13 MB): a forgotten source starts with a full budget, which gains an attacker rotating
	// through more sources than that nothing those sources could not have had anyway.
	MaxSources = 65536
	// MaxStartups, StartupsContended and MaxStartupsPerSource are OpenSSH's MaxStartups
	// start:full for connections not yet logged in: any number per source below 64 (a room
	// at the host-key prompt fits), 8 per source from there on, 256 in total. Handshakes
	// cost CPU; 256 in flight is what two cores finish within the login grace.
	MaxStartups          = 256
	StartupsContended    = 64
	MaxStartupsPerSource = 8
	// RefusalLogInterval: a source's refusals at accept are logged at most once a minute,
	// with the count since, so a flood cannot flood the log.
	RefusalLogInterval = time.Minute

	// HandshakeTimeout drops a client that sends nothing, or not SSH, before its KEXINIT:
	// any SSH client sends it within a round trip.
	HandshakeTimeout = 15 * time.Second
	// LoginGrace bounds accept to logged in once the key exchange has begun (OpenSSH's
	// LoginGraceTime): a first-time visitor must read and answer the host-key prompt.
	LoginGrace = 120 * time.Second
	// NoSessionTimeout closes a connection with no session open: ssh opens its session
	// within a round trip of logging in, and a finished visit has nothing left to do.
	NoSessionTimeout = time.Minute
	// MaxSessionGrace is how long after Config.MaxSessionDuration a connection still open is
	// cut: the server says goodbye at the duration, this is only the backstop behind it.
	MaxSessionGrace = time.Minute
	// WriteTimeout drops a connection whose write (TCP, or a channel whose window the client
	// stopped opening) has been blocked this long: a client that stopped reading.
	WriteTimeout = 30 * time.Second
	// KeepaliveInterval and KeepaliveMaxMissed find dead peers (a laptop closed mid-visit):
	// one keepalive@openssh.com every 30 s, dropped after three unanswered, as OpenSSH's
	// ClientAliveInterval/CountMax would.
	KeepaliveInterval  = 30 * time.Second
	KeepaliveMaxMissed = 3

	// ReadRate and ReadBurst pace one connection's reads (bytes per second, and at once),
	// so a client streaming input cannot spend the server's CPU on decryption: 64 KiB/s is
	// far more than anyone types or pastes into a portfolio, and one burst holds the largest
	// SSH packet (at least 4 KiB, one read).
	ReadRate  = 64 << 10
	ReadBurst = 64 << 10

	// MaxSessions is the session channels one connection may have open at once, and
	// MaxSessionsTotal in its life: ssh opens one; two leave room for a multiplexed second.
	MaxSessions      = 2
	MaxSessionsTotal = 16
	// MaxEnv and MaxEnvBytes bound env requests per session and each one's name plus value:
	// OpenSSH sends LANG, LC_* and what SendEnv names.
	MaxEnv      = 16
	MaxEnvBytes = 1024
	// MaxTermBytes is the longest TERM a pty-req may carry (longer is shortened): real ones
	// are under 32 bytes.
	MaxTermBytes = 64
	// MaxCommandBytes is the longest exec command: the portfolio's commands are section
	// names, not scripts.
	MaxCommandBytes = 1024
	// MaxAuthTries is the failed login attempts one connection may make (OpenSSH's
	// MaxAuthTries is 6): the anonymous logins succeed at the first try.
	MaxAuthTries = 3

	// MaxWidth and MaxHeight clamp the window size a client may claim. Bubble Tea's screen
	// buffers cost about 250 bytes a cell, so the size bounds a session's memory: 300x100
	// (about 8 MB) covers a maximised terminal on a large monitor, and the narrative is
	// centred at a readable width anyway.
	MaxWidth  = 300
	MaxHeight = 100
	// DefaultWidth and DefaultHeight replace a zero size in a pty-req, which the protocol
	// allows when the client does not know its size.
	DefaultWidth  = 80
	DefaultHeight = 24
	// ResizeInterval: window sizes arriving faster than this are coalesced (a window being
	// dragged sends dozens a second), so the renderer reallocates at most once per interval.
	ResizeInterval = 25 * time.Millisecond
)

// Limits are the fixed limits a Guard enforces: the constants above, used as they are. Only
// tests change them (Config.Tune), to see a 30-second timeout fire in milliseconds.
type Limits struct {
	RateBurst, PenaltyTokens, MaxSources                 int
	MaxStartups, StartupsContended, MaxStartupsPerSource int
	RefusalLogInterval                                   time.Duration
	HandshakeTimeout, LoginGrace, NoSessionTimeout       time.Duration
	MaxSessionGrace, WriteTimeout, KeepaliveInterval     time.Duration
	KeepaliveMaxMissed, ReadRate, ReadBurst              int
	MaxSessions, MaxSessionsTotal, MaxEnv, MaxEnvBytes   int
	MaxTermBytes, MaxCommandBytes, MaxAuthTries          int
	Size                                                 SizeLimits
	ResizeInterval                                       time.Duration
}

// fixedLimits returns the constants as Limits.
func fixedLimits() Limits {
	return Limits{
		RateBurst: RateBurst, PenaltyTokens: PenaltyTokens, MaxSources: MaxSources,
		MaxStartups: MaxStartups, StartupsContended: StartupsContended, MaxStartupsPerSource: MaxStartupsPerSource,
		RefusalLogInterval: RefusalLogInterval,
		HandshakeTimeout:   HandshakeTimeout, LoginGrace: LoginGrace, NoSessionTimeout: NoSessionTimeout,
		MaxSessionGrace: MaxSessionGrace, WriteTimeout: WriteTimeout, KeepaliveInterval: KeepaliveInterval,
		KeepaliveMaxMissed: KeepaliveMaxMissed, ReadRate: ReadRate, ReadBurst: ReadBurst,
		MaxSessions: MaxSessions, MaxSessionsTotal: MaxSessionsTotal, MaxEnv: MaxEnv, MaxEnvBytes: MaxEnvBytes,
		MaxTermBytes: MaxTermBytes, MaxCommandBytes: MaxCommandBytes, MaxAuthTries: MaxAuthTries,
		Size:           SizeLimits{MaxWidth: MaxWidth, MaxHeight: MaxHeight},
		ResizeInterval: ResizeInterval,
	}
}
