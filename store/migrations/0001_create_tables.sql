-- An id column is written {{id}}: the one thing the engines spell differently (store's
-- idColumn): an id that is never reused after a delete, since ids are shown to the owner
-- and sent to receivers, which drop repeats by id.
-- Times are microseconds since 1970 (0: none), the same BIGINT on both engines.

CREATE TABLE messages (
	id {{id}},
	at BIGINT NOT NULL,
	text TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	reply_to TEXT NOT NULL DEFAULT '',
	guestbook BOOLEAN NOT NULL DEFAULT FALSE,
	approved BOOLEAN NOT NULL DEFAULT FALSE,
	status TEXT NOT NULL DEFAULT 'unread' CHECK (status IN ('unread', 'read', 'archived')),
	addr TEXT NOT NULL DEFAULT '',
	client TEXT NOT NULL DEFAULT '',
	-- SHA-256 of the source key (the limits' key) and of the text (repeats), hex.
	source_hash TEXT NOT NULL,
	text_hash TEXT NOT NULL,
	-- SHA-256 of the reply code, hex: the code itself is shown once, to the writer.
	code_hash TEXT NOT NULL UNIQUE,
	reply TEXT NOT NULL DEFAULT '',
	replied_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX messages_at ON messages (at);
CREATE INDEX messages_source ON messages (source_hash, at);
CREATE INDEX messages_status ON messages (status, at);

-- The outbox: one row per notification of a message, written in the message's transaction.
CREATE TABLE deliveries (
	id {{id}},
	message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	channel TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at BIGINT NOT NULL,
	sent_at BIGINT NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_due ON deliveries (state, next_at);
CREATE INDEX deliveries_message ON deliveries (message_id);

-- One row per ended session: what "session end" logs.
CREATE TABLE visits (
	id {{id}},
	machine TEXT NOT NULL,
	session TEXT NOT NULL,
	start BIGINT NOT NULL,
	duration BIGINT NOT NULL,
	kind TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT '',
	client TEXT NOT NULL DEFAULT '',
	command TEXT NOT NULL DEFAULT '',
	pty BOOLEAN NOT NULL DEFAULT FALSE,
	keys BIGINT NOT NULL DEFAULT 0,
	-- JSON: [{"slug": "...", "time": nanoseconds}], read only whole.
	sections TEXT NOT NULL DEFAULT '[]',
	UNIQUE (machine, session)
);
CREATE INDEX visits_start ON visits (start);

-- The sessions open now, one row each, refreshed while it lives.
CREATE TABLE presence (
	machine TEXT NOT NULL,
	session TEXT NOT NULL,
	addr TEXT NOT NULL DEFAULT '',
	client TEXT NOT NULL DEFAULT '',
	term TEXT NOT NULL DEFAULT '',
	width INTEGER NOT NULL DEFAULT 0,
	height INTEGER NOT NULL DEFAULT 0,
	section TEXT NOT NULL DEFAULT '',
	started BIGINT NOT NULL,
	seen BIGINT NOT NULL,
	PRIMARY KEY (machine, session)
);
CREATE INDEX presence_seen ON presence (seen);
