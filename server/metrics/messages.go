package metrics

import "github.com/prometheus/client_golang/prometheus"

// Message results, the "result" label of portfolio_messages_total.
var messageResults = []string{"stored", "empty", "too-long", "not-utf8", "too-many", "inbox-full", "duplicate", "unavailable"}

// Notification channels and results, the labels of portfolio_notifications_total.
var (
	notifyChannels = []string{"webhook", "email", "reply-email"}
	notifyResults  = []string{"sent", "retry", "failed"}
)

// messages holds the counters of visitors' messages and the owner's notifications.
type messages struct {
	taken    *prometheus.CounterVec
	notified *prometheus.CounterVec
}

func newMessages(ns string) messages {
	m := messages{
		taken: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "messages_total",
			Help: "Messages visitors sent, by result (stored, or why refused).",
		}, []string{"result"}),
		notified: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "notifications_total",
			Help: "Notification delivery attempts, by channel (webhook, email, reply-email) and result (sent, retry, failed).",
		}, []string{"channel", "result"}),
	}
	for _, r := range messageResults {
		m.taken.WithLabelValues(r)
	}
	for _, c := range notifyChannels {
		for _, r := range notifyResults {
			m.notified.WithLabelValues(c, r)
		}
	}
	return m
}

// MessageTaken counts a message a visitor sent, by result: "stored" or the refusal.
func (m *Metrics) MessageTaken(result string) {
	m.msgs.taken.WithLabelValues(known(result, messageResults)).Inc()
}

// Notified counts one delivery attempt of a notification.
func (m *Metrics) Notified(channel, result string) {
	m.msgs.notified.WithLabelValues(known(channel, notifyChannels), known(result, notifyResults)).Inc()
}

// known is v when it is one of values, else "other": no caller can create a new series.
func known(v string, values []string) string {
	for _, k := range values {
		if k == v {
			return v
		}
	}
	return otherLabel
}
