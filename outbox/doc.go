// Package outbox delivers the notifications package store queued: a webhook POST for each
// new message, an email to the owner, and the owner's replies emailed back to the writer.
//
// A notification is an outbox row, written by the store in the transaction that took its
// message, so nothing is lost between "sent" and the owner being told. Worker.Run claims
// due rows (store.DueDeliveries, which keeps them from other workers and machines for a
// lease) and delivers each at least once: a failed attempt is recorded on the row and tried
// again after 5 s, then 10 s, 20 s and so on up to 5 minutes apart, for up to a day from the
// message (then the row is marked failed, and the inbox shows it so). A row that succeeded
// is never sent again; every payload carries the message id, so a receiver that sees a
// repeat (the process killed between the send and its record) can drop it.
//
// The server checks its notify settings with Config.Check at start, builds the worker with
// New once the store is open, runs it, and kicks it after taking a message.
//
// worker.go holds the loop and the schedule, webhook.go the JSON POST that Slack, Discord
// and ntfy each read as it is, email.go the SMTP client (github.com/wneessen/go-mail) and
// the two kinds of email.
package outbox
