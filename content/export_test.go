package content

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestJSONExport(t *testing.T) {
	site, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Site     map[string]any `json:"site"`
		Sections []struct {
			Title, Slug, Markdown, Text string
			Order                       int
		} `json:"sections"`
	}
	if err := json.Unmarshal(site.JSON(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Site["title"] != "portfolio.example.dev" || got.Site["tagline"] != "Backend & data engineer" {
		t.Errorf("site = %v", got.Site)
	}
	if len(got.Sections) != 3 || got.Sections[2].Slug != "road-ahead" || got.Sections[2].Order != 3 {
		t.Fatalf("sections = %+v", got.Sections)
	}
	if !strings.Contains(got.Sections[0].Markdown, "## B.Tech") || strings.Contains(got.Sections[0].Text, "##") {
		t.Errorf("markdown and text not both given: %+v", got.Sections[0])
	}
}

func TestVCard(t *testing.T) {
	site := &Site{Settings: DefaultSettings()}
	if _, err := site.VCard(); !errors.Is(err, ErrNoContact) {
		t.Fatalf("no links: err = %v, want ErrNoContact", err)
	}
	site.Settings.Name = "Ada; Lovelace"
	site.Settings.Links = Links{Email: "ada@example.com", GitHub: "github.com/ada"}
	got, err := site.VCard()
	if err != nil {
		t.Fatal(err)
	}
	want := "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\\; Lovelace\r\nTITLE:Backend & data engineer\r\n" +
		"EMAIL:ada@example.com\r\nURL;TYPE=github:https://github.com/ada\r\nNOTE:ssh portfolio.example.dev\r\nEND:VCARD\r\n"
	if got != want {
		t.Errorf("VCard =\n%q\nwant\n%q", got, want)
	}
}
