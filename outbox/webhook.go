package outbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"portfolio/store"
)

// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the body, keyed with
// PORTFOLIO_NOTIFY_SECRET, when a secret is set.
const SignatureHeader = "X-Portfolio-Signature"

const (
	// Discord refuses a content longer than 2,000 characters; ntfy turns a message longer
	// than 4,096 bytes into an error (templated) or an attachment. The summary fits both.
	summaryRunes = 2000
	summaryBytes = 4000
	// What is kept of a receiver's answer to a failed attempt: enough for Discord's or
	// Slack's one-line reason, not a whole error page.
	answerBytes = 200
)

// webhook posts each new message as JSON to one URL.
type webhook struct {
	url    string
	secret []byte
	site   string
	client *http.Client
}

func newWebhook(cfg Config) (*webhook, error) {
	u, err := url.Parse(cfg.Webhook)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// The URL itself is a credential (Slack's and Discord's are): never repeat it.
		return nil, errors.New("PORTFOLIO_NOTIFY_WEBHOOK: want an http:// or https:// URL")
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// One request now and then: an idle connection kept open would only wait to be cut.
	transport.DisableKeepAlives = true
	return &webhook{
		url:    cfg.Webhook,
		secret: []byte(cfg.Secret),
		site:   siteName(cfg.SiteName),
		client: &http.Client{Transport: transport, Timeout: attempt},
	}, nil
}

// payload is the webhook's body: a summary under the names Slack (text) and Discord
// (content) show, a title, and the message itself as `portfolio inbox --json` lists it.
type payload struct {
	Text            string          `json:"text"`
	Content         string          `json:"content"`
	Title           string          `json:"title"`
	AllowedMentions allowedMentions `json:"allowed_mentions"`
	Message         messageJSON     `json:"message"`
}

// allowedMentions with no parse list stops Discord from turning "@everyone" in a
// visitor's text into a ping.
type allowedMentions struct {
	Parse []string `json:"parse"`
}

type messageJSON struct {
	ID        int64     `json:"id"`
	Time      time.Time `json:"time"`
	Name      string    `json:"name"`
	ReplyTo   string    `json:"reply_to"`
	Guestbook bool      `json:"guestbook"`
	Text      string    `json:"text"`
}

// ntfyHeaders make ntfy (2.10 and later) show the summary rather than the raw JSON: a body
// posted to a topic URL is the message as it is, unless templating is on, which fills the
// message and title templates from the JSON body's fields. Slack and Discord ignore them.
var ntfyHeaders = map[string]string{
	"X-Template": "yes",
	"X-Title":    "{{.title}}",
	"X-Message":  "{{.content}}",
}

// body is the JSON posted for m.
func (h *webhook) body(m store.Message) ([]byte, error) {
	summary := summarize(h.site, m)
	p := payload{
		Text:            slackEscape(summary),
		Content:         summary,
		Title:           title(h.site, m),
		AllowedMentions: allowedMentions{Parse: []string{}},
		Message: messageJSON{
			ID: m.ID, Time: m.Time.UTC(), Name: m.Name, ReplyTo: m.ReplyTo, Guestbook: m.Guestbook, Text: m.Text,
		},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // <, > and & as they are: \u003c would only lengthen the body ntfy reads
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil // the signed bytes are the JSON alone, no line end
}

// sign is the SignatureHeader value for body.
func sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// post makes one attempt: a 2xx answer is success, anything else a failure naming it.
func (h *webhook) post(ctx context.Context, m store.Message) error {
	body, err := h.body(m)
	if err != nil {
		return permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return permanent(errors.New("webhook: the URL cannot be requested"))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "portfolio")
	for k, v := range ntfyHeaders {
		req.Header.Set(k, v)
	}
	if len(h.secret) > 0 {
		req.Header.Set(SignatureHeader, sign(h.secret, body))
	}
	resp, err := h.client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // without the URL, which is a credential
		}
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, answerBytes))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	if reason := store.CleanLine((strings.ToValidUTF8(string(answer), ""))); reason != "" {
		return fmt.Errorf("webhook answered %s: %s", resp.Status, reason)
	}
	return fmt.Errorf("webhook answered %s", resp.Status)
}

// title is one line naming the message: ntfy's title, the email's subject.
func title(site string, m store.Message) string {
	if m.Name != "" {
		return fmt.Sprintf("Message #%d to %s from %s", m.ID, site, store.CleanLine(m.Name))
	}
	return fmt.Sprintf("Message #%d to %s", m.ID, site)
}

// summarize is the readable notification: the title, the contact and the guestbook wish
// when there are any, then the text, cut to the summary's limits.
func summarize(site string, m store.Message) string {
	var b strings.Builder
	b.WriteString(title(site, m))
	if m.ReplyTo != "" {
		fmt.Fprintf(&b, "\nReply to: %s", store.CleanLine(m.ReplyTo))
	}
	if m.Guestbook {
		b.WriteString("\nMay appear in the guestbook")
	}
	b.WriteString("\n\n")
	head := b.String()
	more := fmt.Sprintf("\n… (cut; the whole message: portfolio inbox show %d)", m.ID)
	return head + fit(m.Text, summaryRunes-utf8.RuneCountInString(head), summaryBytes-len(head), more)
}

// fit returns s when it has at most runes runes and bytes bytes; otherwise as much of s as
// fits with tail after it, cut at a space near the end when there is one, so no word is
// split.
func fit(s string, runes, bytes int, tail string) string {
	if utf8.RuneCountInString(s) <= runes && len(s) <= bytes {
		return s
	}
	runes -= utf8.RuneCountInString(tail)
	bytes -= len(tail)
	cut := 0
	for i := range s { // i is where the next rune starts: s[:i] fits when both counts do
		if runes < 0 || i > bytes {
			break
		}
		cut = i
		runes--
	}
	kept := s[:cut]
	if sp := strings.LastIndexAny(kept, " \n"); sp > 0 && sp >= cut-80 {
		kept = kept[:sp]
	}
	return strings.TrimRight(kept, " \n") + tail
}

// slackEscape escapes the three characters Slack reads as markup: "<!channel>" in a
// visitor's text would otherwise ping everyone, and "<https://x|y>" disguise a link.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func siteName(name string) string {
	if name = store.CleanLine((name)); name != "" {
		return name
	}
	return "the portfolio"
}
