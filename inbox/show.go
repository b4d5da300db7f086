package inbox

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"portfolio/store"
)

// previewLength is how much of a message's first line the list shows: one line of an
// 80-column terminal after the indent.
const previewLength = 72

const timeLayout = "2006-01-02 15:04 MST"

// writeList prints messages as the list: a heading line, who wrote, the first line.
func writeList(w io.Writer, ms []store.Message, unread bool, loc *time.Location) {
	if len(ms) == 0 {
		if unread {
			fmt.Fprintln(w, "No unread messages.")
		} else {
			fmt.Fprintln(w, "No messages.")
		}
		return
	}
	for i, m := range ms {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%d  %s  %s\n", m.ID, m.Time.In(loc).Format(timeLayout), state(m))
		if from := from(m); from != "" {
			fmt.Fprintf(w, "    %s\n", from)
		}
		first, _, more := strings.Cut(store.Clean(m.Text), "\n")
		fmt.Fprintf(w, "    %s\n", shorten(first, previewLength, more))
	}
}

// writeMessage prints one message whole.
func writeMessage(w io.Writer, m store.Message, loc *time.Location) {
	fmt.Fprintf(w, "Message %d, %s: %s\n", m.ID, m.Time.In(loc).Format(timeLayout), state(m))
	if from := from(m); from != "" {
		fmt.Fprintf(w, "From: %s\n", from)
	}
	if m.Addr != "" || m.Client != "" {
		fmt.Fprintf(w, "Sent from: %s\n", strings.TrimSpace(store.CleanLine(m.Addr)+"  "+store.CleanLine(m.Client)))
	}
	fmt.Fprintln(w)
	for line := range strings.Lines(store.Clean(m.Text)) {
		fmt.Fprintf(w, "  %s\n", strings.TrimSuffix(line, "\n"))
	}
	if len(m.Deliveries) > 0 {
		fmt.Fprintln(w)
	}
	for _, d := range m.Deliveries {
		what := "Notification by " + store.CleanLine(d.Channel)
		if d.Channel == store.ReplyEmail {
			what = "Your reply by email"
		}
		fmt.Fprintf(w, "%s: %s\n", what, delivery(d, loc))
	}
	if m.Reply != "" {
		fmt.Fprintf(w, "\nYour reply, %s:\n", m.RepliedAt.In(loc).Format(timeLayout))
		for line := range strings.Lines(store.Clean(m.Reply)) {
			fmt.Fprintf(w, "  %s\n", strings.TrimSuffix(line, "\n"))
		}
	}
}

// state is a message's status, notification and guestbook state in words.
func state(m store.Message) string {
	parts := []string{m.Status, "notified: " + m.Notified}
	switch {
	case m.Approved:
		parts = append(parts, "in the guestbook")
	case m.Guestbook:
		parts = append(parts, "guestbook: allowed, not approved")
	}
	if m.Reply != "" {
		parts = append(parts, "replied")
	}
	return strings.Join(parts, "  ")
}

// from is the writer's name and contact, as they gave them.
func from(m store.Message) string {
	name, contact := store.CleanLine(m.Name), store.CleanLine(m.ReplyTo)
	switch {
	case name != "" && contact != "":
		return name + " <" + contact + ">"
	case contact != "":
		return "<" + contact + ">"
	}
	return name
}

func delivery(d store.Delivery, loc *time.Location) string {
	switch d.State {
	case "sent":
		return fmt.Sprintf("sent %s", d.SentAt.In(loc).Format(timeLayout))
	case "failed":
		return fmt.Sprintf("gave up after %d attempts: %s", d.Attempts, store.CleanLine(d.LastError))
	}
	if d.Attempts == 0 {
		return "pending"
	}
	return fmt.Sprintf("pending, %d attempts so far, next %s; last error: %s", d.Attempts,
		d.NextAt.In(loc).Format(timeLayout), store.CleanLine(d.LastError))
}

// shorten cuts s to n runes with an ellipsis, also when more text follows it.
func shorten(s string, n int, more bool) string {
	if utf8.RuneCountInString(s) > n {
		return string([]rune(s)[:n-1]) + "…"
	}
	if more {
		return s + " …"
	}
	return s
}

// jsonMessage is a message in --json output.
type jsonMessage struct {
	ID         int64          `json:"id"`
	Time       time.Time      `json:"time"`
	Text       string         `json:"text"`
	Name       string         `json:"name"`
	ReplyTo    string         `json:"reply_to"`
	Guestbook  bool           `json:"guestbook"`
	Approved   bool           `json:"approved"`
	Status     string         `json:"status"`
	Addr       string         `json:"addr"`
	Client     string         `json:"client"`
	Notified   string         `json:"notified"`
	Reply      string         `json:"reply,omitempty"`
	RepliedAt  *time.Time     `json:"replied_at,omitempty"`
	Deliveries []jsonDelivery `json:"deliveries"`
}

type jsonDelivery struct {
	ID        int64      `json:"id"`
	Channel   string     `json:"channel"`
	State     string     `json:"state"`
	Attempts  int        `json:"attempts"`
	NextAt    *time.Time `json:"next_at,omitempty"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	LastError string     `json:"last_error,omitempty"`
}

func toJSON(m store.Message) jsonMessage {
	j := jsonMessage{
		ID: m.ID, Time: m.Time, Text: store.Clean(m.Text), Name: store.CleanLine(m.Name),
		ReplyTo: store.CleanLine(m.ReplyTo), Guestbook: m.Guestbook, Approved: m.Approved, Status: m.Status,
		Addr: store.CleanLine(m.Addr), Client: store.CleanLine(m.Client), Notified: m.Notified,
		Reply: store.Clean(m.Reply), RepliedAt: timeOrNil(m.RepliedAt), Deliveries: []jsonDelivery{},
	}
	for _, d := range m.Deliveries {
		jd := jsonDelivery{ID: d.ID, Channel: d.Channel, State: d.State, Attempts: d.Attempts,
			SentAt: timeOrNil(d.SentAt), LastError: store.CleanLine(d.LastError)}
		if d.State == "pending" {
			jd.NextAt = timeOrNil(d.NextAt)
		}
		j.Deliveries = append(j.Deliveries, jd)
	}
	return j
}

func toJSONList(ms []store.Message) []jsonMessage {
	out := []jsonMessage{}
	for _, m := range ms {
		out = append(out, toJSON(m))
	}
	return out
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func writeJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "&#x1b;" stays readable; it is text, not HTML
	if err := enc.Encode(v); err != nil {
		fmt.Fprintln(stderr, "inbox:", err)
		return 1
	}
	return 0
}
