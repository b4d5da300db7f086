package outbox

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"text/template"
	"time"
	"unicode/utf8"

	"portfolio/store"
)

func testMessage(text string) store.Message {
	return store.Message{
		ID: 42, Time: time.Date(2026, 12, 7, 13, 0, 0, 0, time.UTC),
		Text: text, Name: "Grace", ReplyTo: "grace@example.com", Guestbook: true,
	}
}

func decode(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	return v
}

// Slack shows text, Discord content: both the readable summary; the message itself beside
// them, under the names `portfolio inbox --json` uses.
func TestWebhookPayload(t *testing.T) {
	h, err := newWebhook(Config{Webhook: "https://hooks.example.com/x", SiteName: "Ada's portfolio"})
	if err != nil {
		t.Fatal(err)
	}
	body, err := h.body(testMessage("Hi <!channel> & @everyone, see <https://evil.example|your bank>"))
	if err != nil {
		t.Fatal(err)
	}
	v := decode(t, body)
	content := v["content"].(string)
	for _, want := range []string{"Message #42 to Ada's portfolio from Grace", "Reply to: grace@example.com", "May appear in the guestbook", "Hi <!channel> & @everyone"} {
		if !strings.Contains(content, want) {
			t.Errorf("content lacks %q:\n%s", want, content)
		}
	}
	text := v["text"].(string)
	if strings.ContainsAny(text, "<>") || !strings.Contains(text, "Hi &lt;!channel&gt; &amp; @everyone") {
		t.Errorf("Slack's text is not escaped (a ping, a disguised link):\n%s", text)
	}
	if am, ok := v["allowed_mentions"].(map[string]any); !ok || am["parse"] == nil || len(am["parse"].([]any)) != 0 {
		t.Errorf("allowed_mentions %v, want {\"parse\": []} so Discord pings no one", v["allowed_mentions"])
	}
	m := v["message"].(map[string]any)
	if m["id"] != 42.0 || m["time"] != "2026-12-07T13:00:00Z" || m["name"] != "Grace" || m["reply_to"] != "grace@example.com" || m["guestbook"] != true || !strings.HasPrefix(m["text"].(string), "Hi <!channel>") {
		t.Errorf("message %v", m)
	}
}

// ntfy fills its X-Message and X-Title templates from the JSON body: what it shows is the
// summary and the title, within its 4,096-byte message limit, even for the longest message
// in the widest characters.
func TestWebhookReadableInNtfy(t *testing.T) {
	h, err := newWebhook(Config{Webhook: "https://ntfy.example.com/topic"})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Short and sweet", strings.Repeat("𝄞", store.MaxText), strings.Repeat("\"", store.MaxText)} {
		m := testMessage(text)
		body, err := h.body(m)
		if err != nil {
			t.Fatal(err)
		}
		if len(body) > 32768 {
			t.Errorf("body of %d bytes, over ntfy's 32 KiB for a templated body", len(body))
		}
		// What ntfy does with a templated body (server.go, replaceTemplate).
		var data any
		if err := json.Unmarshal(body, &data); err != nil {
			t.Fatal(err)
		}
		render := func(tpl string) string {
			var buf bytes.Buffer
			if err := template.Must(template.New("").Parse(tpl)).Execute(&buf, data); err != nil {
				t.Fatal(err)
			}
			return buf.String()
		}
		if got, want := render(ntfyHeaders["X-Message"]), summarize(h.site, m); got != want {
			t.Errorf("ntfy message %q, want the summary %q", got, want)
		}
		if got := render(ntfyHeaders["X-Message"]); len(got) > 4096 {
			t.Errorf("ntfy message of %d bytes, over its 4,096", len(got))
		}
		if got := render(ntfyHeaders["X-Title"]); got != "Message #42 to the portfolio from Grace" {
			t.Errorf("ntfy title %q", got)
		}
	}
}

// A message longer than Discord's 2,000 characters is cut at a word, says so, and says
// where the rest is.
func TestSummaryCutForDiscord(t *testing.T) {
	text := strings.Repeat("lorem ipsum ", 200)[:store.MaxText-1] + "Z"
	s := summarize("Ada's portfolio", testMessage(text))
	if n := utf8.RuneCountInString(s); n > summaryRunes {
		t.Fatalf("summary of %d characters, over Discord's %d", n, summaryRunes)
	}
	if !strings.HasSuffix(s, "… (cut; the whole message: portfolio inbox show 42)") {
		t.Errorf("summary does not say it was cut:\n%s", s)
	}
	body := s[:strings.Index(s, "\n…")]
	if !strings.HasSuffix(body, "ipsum") && !strings.HasSuffix(body, "lorem") {
		t.Errorf("cut inside a word: %q", body[len(body)-20:])
	}
	if short := summarize("x", testMessage("Short")); !strings.HasSuffix(short, "\n\nShort") {
		t.Errorf("a short message is changed: %q", short)
	}
	for _, unit := range []string{"a", "é", "€", "𝄞", "a ", "€ ", "\n𝄞"} {
		for n := 1; n*utf8.RuneCountInString(unit) <= store.MaxText; n += 37 {
			s := summarize("Ada's portfolio", testMessage(strings.Repeat(unit, n)))
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > summaryRunes || len(s) > summaryBytes {
				t.Fatalf("%d × %q: summary of %d characters, %d bytes, valid UTF-8 %v", n, unit, utf8.RuneCountInString(s), len(s), utf8.ValidString(s))
			}
		}
	}
}

func TestSign(t *testing.T) {
	// HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), a published test vector.
	got := sign([]byte("key"), []byte("The quick brown fox jumps over the lazy dog"))
	if want := "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"; got != want {
		t.Errorf("sign = %s, want %s", got, want)
	}
}
