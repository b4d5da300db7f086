package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// SettingsFile is the name of the site settings file in a content directory.
const SettingsFile = "site.toml"

// ErrNoSections means a content directory holds no markdown files.
var ErrNoSections = errors.New("no sections: add at least one .md file")

var (
	slugPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	accentPattern = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
)

// DefaultSettings are used for whatever site.toml leaves out.
func DefaultSettings() Settings {
	return Settings{
		Title:   "portfolio.example.dev",
		Tagline: "Backend & data engineer",
		Host:    "portfolio.example.dev",
	}
}

// Load reads site.toml and every *.md file at the top of fsys and returns the parsed Site.
// Errors name the file and what is wrong with it.
func Load(fsys fs.FS) (*Site, error) {
	settings, err := loadSettings(fsys)
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, fmt.Errorf("list sections: %w", err)
	}
	if len(names) == 0 {
		return nil, ErrNoSections
	}
	slices.Sort(names)

	site := &Site{Settings: settings}
	seen := map[string]string{}
	for _, name := range names {
		raw, err := readFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		sec, err := parseSection(name, raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if other, dup := seen[sec.Slug]; dup {
			return nil, fmt.Errorf("%s: duplicate slug %q (also in %s)", name, sec.Slug, other)
		}
		seen[sec.Slug] = name
		site.Sections = append(site.Sections, sec)
	}
	slices.SortStableFunc(site.Sections, func(a, b Section) int { return a.Order - b.Order })
	return site, nil
}

func loadSettings(fsys fs.FS) (Settings, error) {
	s := DefaultSettings()
	raw, err := readFile(fsys, SettingsFile)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("%s: %w", SettingsFile, err)
	}
	if !utf8.Valid(raw) {
		return s, fmt.Errorf("%s: not valid UTF-8", SettingsFile)
	}
	if err := checkText(string(raw)); err != nil {
		return s, fmt.Errorf("%s: %w", SettingsFile, err)
	}
	md, err := toml.Decode(string(raw), &s)
	if err != nil {
		return s, fmt.Errorf("%s: %w", SettingsFile, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return s, fmt.Errorf("%s: unknown setting %q", SettingsFile, undecoded[0].String())
	}
	for _, f := range []struct {
		name, value string
		check       func(string) error
	}{
		{"title", s.Title, checkValue}, {"tagline", s.Tagline, checkValue}, {"name", s.Name, checkValue},
		{"accent", s.Accent, checkValue},
		{"host", s.Host, checkAddress}, {"links.email", s.Links.Email, checkAddress},
		{"links.github", s.Links.GitHub, checkAddress}, {"links.linkedin", s.Links.LinkedIn, checkAddress},
		{"links.website", s.Links.Website, checkAddress},
	} {
		if err := f.check(f.value); err != nil {
			return s, fmt.Errorf("%s: %s contains %w", SettingsFile, f.name, err)
		}
	}
	if strings.TrimSpace(s.Title) == "" {
		s.Title = s.Host
	}
	if s.Accent != "" && !accentPattern.MatchString(s.Accent) {
		return s, fmt.Errorf("%s: accent %q must be a colour like \"#B79CFF\"", SettingsFile, s.Accent)
	}
	return s, nil
}

type frontMatter struct {
	Title   string `toml:"title"`
	Slug    string `toml:"slug"`
	Order   int    `toml:"order"`
	Summary string `toml:"summary"` // the cover's line; default: the first sentence
	Short   string `toml:"short"`   // the tab's name in narrow windows; default: first word
}

func parseSection(name string, raw []byte) (Section, error) {
	if !utf8.Valid(raw) {
		return Section{}, errors.New("not valid UTF-8")
	}
	text := strings.ReplaceAll(string(raw), "\r\n", "\n")
	if err := checkText(text); err != nil {
		return Section{}, err
	}
	head, body, err := splitFrontMatter(text)
	if err != nil {
		return Section{}, err
	}
	var fm frontMatter
	md, err := toml.Decode(head, &fm)
	if err != nil {
		return Section{}, fmt.Errorf("bad front matter: %w", err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return Section{}, fmt.Errorf("bad front matter: unknown key %q", undecoded[0].String())
	}
	fm.Title = strings.TrimSpace(fm.Title)
	if fm.Title == "" {
		return Section{}, errors.New("bad front matter: title is missing")
	}
	for _, f := range []struct{ name, value string }{{"title", fm.Title}, {"summary", fm.Summary}, {"short", fm.Short}} {
		if err := checkValue(f.value); err != nil {
			return Section{}, fmt.Errorf("bad front matter: %s contains %w", f.name, err)
		}
	}
	if fm.Slug == "" {
		fm.Slug = Slugify(fm.Title)
	}
	if !slugPattern.MatchString(fm.Slug) {
		return Section{}, fmt.Errorf("bad front matter: slug %q must be 1-40 lowercase letters, digits and dashes", fm.Slug)
	}
	if slices.Contains(ReservedSlugs, fm.Slug) {
		return Section{}, fmt.Errorf("bad front matter: slug %q is a command word (%s); choose another", fm.Slug, strings.Join(ReservedSlugs, ", "))
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return Section{}, errors.New("empty section: write some markdown after the front matter")
	}
	summary := strings.TrimSpace(fm.Summary)
	if summary == "" {
		summary = FirstSentence(body)
	}
	short := strings.TrimSpace(fm.Short)
	if short == "" {
		short, _, _ = strings.Cut(fm.Title, " ")
	}
	plain := PlainText(body)
	return Section{
		Title:    fm.Title,
		Slug:     fm.Slug,
		Order:    fm.Order,
		File:     path.Base(name),
		Markdown: body + "\n",
		Plain:    plain,
		Summary:  summary,
		Short:    short,
		Words:    len(strings.Fields(plain)),
	}, nil
}

const fence = "+++"

func splitFrontMatter(text string) (head, body string, err error) {
	first, rest, _ := strings.Cut(text, "\n")
	if strings.TrimSpace(first) != fence {
		return "", "", errors.New("bad front matter: the file must start with a +++ line")
	}
	end := strings.Index("\n"+rest, "\n"+fence)
	if end < 0 {
		return "", "", errors.New("bad front matter: no closing +++ line")
	}
	head = rest[:max(end-1, 0)]
	after := rest[end+len(fence):]
	if line, tail, ok := strings.Cut(after, "\n"); strings.TrimSpace(line) != "" {
		return "", "", errors.New("bad front matter: text after the closing +++")
	} else if ok {
		after = tail
	} else {
		after = ""
	}
	return head, after, nil
}

// Slugify turns a title into a slug: "The Road Ahead" -> "the-road-ahead".
func Slugify(title string) string {
	var b bytes.Buffer
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if len(s) > 40 {
		s = strings.TrimSuffix(s[:40], "-")
	}
	return s
}
