package content

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

const okSection = "+++\ntitle = \"One\"\nslug = \"one\"\norder = 1\n+++\n\nSome text.\n"

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no sections", map[string]string{"site.toml": `title = "x"`}, "no sections"},
		{"no front matter", map[string]string{"a.md": "Just text.\n"}, "a.md: bad front matter: the file must start with a +++ line"},
		{"unclosed front matter", map[string]string{"a.md": "+++\ntitle = \"A\"\nText.\n"}, "a.md: bad front matter: no closing +++ line"},
		{"bad toml", map[string]string{"a.md": "+++\ntitle = A\n+++\nText.\n"}, "a.md: bad front matter:"},
		{"unknown key", map[string]string{"a.md": "+++\ntitle = \"A\"\ntittle = \"B\"\n+++\nText.\n"}, `a.md: bad front matter: unknown key "tittle"`},
		{"missing title", map[string]string{"a.md": "+++\nslug = \"a\"\n+++\nText.\n"}, "a.md: bad front matter: title is missing"},
		{"bad slug", map[string]string{"a.md": "+++\ntitle = \"A\"\nslug = \"A B\"\n+++\nText.\n"}, `a.md: bad front matter: slug "A B" must be`},
		{"reserved slug", map[string]string{"a.md": "+++\ntitle = \"Help\"\n+++\nText.\n"}, `a.md: bad front matter: slug "help" is a command word`},
		{"empty section", map[string]string{"a.md": "+++\ntitle = \"A\"\n+++\n\n  \n"}, "a.md: empty section"},
		{"duplicate slug", map[string]string{"a.md": okSection, "b.md": okSection}, `b.md: duplicate slug "one" (also in a.md)`},
		{"escape in body", map[string]string{"a.md": "+++\ntitle = \"A\"\n+++\nHi \x1b[31mred\n"}, "a.md: line 4: control character U+001B"},
		{"not utf8", map[string]string{"a.md": "+++\ntitle = \"A\"\n+++\n\xff\xfe\n"}, "a.md: not valid UTF-8"},
		{"bad settings", map[string]string{"site.toml": "title = [", "a.md": okSection}, "site.toml:"},
		{"unknown setting", map[string]string{"site.toml": "colour = \"red\"", "a.md": okSection}, `site.toml: unknown setting "colour"`},
		{"control in setting", map[string]string{"site.toml": "title = \"a\\u001bb\"", "a.md": okSection}, "site.toml: title contains control character U+001B"},
		{"bad accent", map[string]string{"site.toml": "accent = \"purple\"", "a.md": okSection}, `site.toml: accent "purple" must be a colour like "#B79CFF"`},
		{"control in summary", map[string]string{"a.md": "+++\ntitle = \"A\"\nsummary = \"a\\u001b[31m\"\n+++\nText.\n"}, "a.md: bad front matter: summary contains control character U+001B"},
		{"bidi in short", map[string]string{"a.md": "+++\ntitle = \"A\"\nshort = \"a\\u202eb\"\n+++\nText.\n"}, "a.md: bad front matter: short contains bidirectional control U+202E"},
		{"bidi in accent", map[string]string{"site.toml": "accent = \"\\u202e\"", "a.md": okSection}, "site.toml: accent contains bidirectional control U+202E"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, body := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(body)}
			}
			_, err := Load(fsys)
			if err == nil {
				t.Fatalf("Load succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadNoSectionsIsSentinel(t *testing.T) {
	if _, err := Load(fstest.MapFS{}); !errors.Is(err, ErrNoSections) {
		t.Fatalf("err = %v, want ErrNoSections", err)
	}
}

func TestLoadOrdersAndDefaults(t *testing.T) {
	fsys := fstest.MapFS{
		"z.md": {Data: []byte("+++\ntitle = \"First Things\"\norder = 1\n+++\nA.\n")},
		"a.md": {Data: []byte("+++\r\ntitle = \"Second\"\r\nslug = \"two\"\r\norder = 2\r\n+++\r\nB.\r\n")},
	}
	site, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(site.Slugs(), ","); got != "first-things,two" {
		t.Errorf("slugs = %s, want first-things,two (order, then derived slug)", got)
	}
	if site.Settings != DefaultSettings() {
		t.Errorf("settings without site.toml = %+v, want defaults", site.Settings)
	}
	if site.Sections[1].Markdown != "B.\n" || site.Sections[1].File != "a.md" {
		t.Errorf("second section = %+v", site.Sections[1])
	}
}

func TestEmbeddedSite(t *testing.T) {
	site, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, s := range site.Sections {
		titles = append(titles, s.Title)
	}
	if got := strings.Join(titles, " | "); got != "Education & Origins | Why Certification | The Road Ahead" {
		t.Errorf("sections = %s", got)
	}
	want := Settings{Title: "portfolio.example.dev", Tagline: "Backend & data engineer", Host: "portfolio.example.dev"}
	if site.Settings != want {
		t.Errorf("settings = %+v, want %+v (no invented name or links)", site.Settings, want)
	}
	if len(site.Settings.Links.List()) != 0 {
		t.Error("default site shows links; the narrative gives none")
	}
}

// TestSummaryShortAndMinutes: the cover's summary is the front matter's or the body's first
// sentence (headings skipped), the short name the front matter's or the title's first word.
func TestSummaryShortAndMinutes(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md": {Data: []byte("+++\ntitle = \"Why Certification\"\n+++\n## A heading\n\nFirst one, e.g. this. Second *one*.\n")},
		"b.md": {Data: []byte("+++\ntitle = \"B\"\nsummary = \"Mine.\"\nshort = \"Bee\"\norder = 2\n+++\n" + strings.Repeat("word ", 401) + "\n")},
	}
	site, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	a, b := site.Sections[0], site.Sections[1]
	if a.Summary != "First one, e.g. this." || a.Short != "Why" || a.Minutes() != 1 {
		t.Errorf("derived: summary %q, short %q, %d min", a.Summary, a.Short, a.Minutes())
	}
	if b.Summary != "Mine." || b.Short != "Bee" || b.Minutes() != 3 {
		t.Errorf("front matter: summary %q, short %q, %d min (401 words)", b.Summary, b.Short, b.Minutes())
	}
	embedded, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	// The owner's own first sentences, typo included.
	if got := embedded.Sections[0].Summary; got != "My coding odyssey began in 2012, in a small room with a intel dual core powered HCL computer and an insatiable curiosity." {
		t.Errorf("first summary %q", got)
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"The Road Ahead":          "the-road-ahead",
		"Education & Origins":     "education-origins",
		"  C++ / Go!  ":           "c-go",
		strings.Repeat("ab ", 30): "ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-a",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLinks(t *testing.T) {
	l := Links{Email: "me@example.com", GitHub: "github.com/someone", Website: "https://example.com"}
	got := l.List()
	want := []Link{
		{"Email", "me@example.com", "mailto:me@example.com"},
		{"GitHub", "github.com/someone", "https://github.com/someone"},
		{"Website", "https://example.com", "https://example.com"},
	}
	if len(got) != len(want) {
		t.Fatalf("List() = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("link %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
