package content

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
)

// section is a content file whose body (starting on line 5) is body.
func section(body string) string { return "+++\ntitle = \"A\"\n+++\n\n" + body + "\n" }

// TestLoadRefusesSmuggledControls: every way the issue found to make a content file drive the
// visitor's terminal is refused at load, with the file and the line.
func TestLoadRefusesSmuggledControls(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"spoofed OSC 8 link", section("Read [the docs](https://example.com).\n&#x1b;]8;;https://evil.example/&#x7;click&#x1b;]8;;&#x7;"),
			"a.md: line 6: character reference &#x1b; stands for control character U+001B"},
		{"DCS by decimal reference", section("&#27;Pq#0;2;0;0;0#1~~&#27;\\"), "a.md: line 5: character reference &#27; stands for control character U+001B"},
		{"kitty APC", section("&#x1b;_Ga=T,f=100;AAAA&#x1b;\\"), "a.md: line 5: character reference &#x1b; stands for"},
		{"SGR 8 concealed", section("visible &#x1B;[8mhidden&#x1b;[0m"), "a.md: line 5: character reference &#x1B; stands for"},
		{"SGR 5 blink", section("&#x1b;[5mblink"), "line 5: character reference &#x1b;"},
		{"SGR 30;40 black on black", section("&#27;[30;40mgone"), "line 5: character reference &#27;"},
		{"reference without semicolon", section("&#x1b[31mred"), "line 5: character reference &#x1b stands for"},
		{"reference in a code span", section("`&#x1b;[2J`"), "line 5: character reference &#x1b;"},
		{"C1 OSC by reference", section("&#x9d;8;;https://evil.example/&#x9c;"), "line 5: character reference &#x9d; stands for control character U+009D"},
		{"reference in the title", "+++\ntitle = \"A &#x1b;[8m\"\n+++\n\nText.\n", "a.md: line 2: character reference &#x1b;"},
		{"TOML escape of a reference", "+++\ntitle = \"A \\u0026#x1b;[8m\"\n+++\n\nText.\n", "a.md: bad front matter: title contains character reference &#x1b;"},
		{"raw escape", section("Hi \x1b[31mred"), "a.md: line 5: control character U+001B (escape sequences are not allowed)"},
		{"raw C1", section("Hi \u009b31mred"), "a.md: line 5: control character U+009B"},
		{"right-to-left override", section("file\u202eexe.txt"), "a.md: line 5: bidirectional control U+202E (it reorders what a visitor sees)"},
		{"isolate", section("a\u2066b"), "line 5: bidirectional control U+2066"},
		{"override by reference", section("a&#x202E;b"), "line 5: character reference &#x202E; stands for bidirectional control U+202E"},
		{"override in the title", "+++\ntitle = \"A\\u202eB\"\n+++\n\nText.\n", "a.md: bad front matter: title contains bidirectional control U+202E"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{"a.md": {Data: []byte(tt.file)}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadRefusesSmuggledSettings(t *testing.T) {
	for file, want := range map[string]string{
		"tagline = \"&#x1b;]0;owned&#x7;\"":          "site.toml: line 1: character reference &#x1b;",
		"tagline = \"\\u0026#27;[8m\"":               "site.toml: tagline contains character reference &#27;",
		"name = \"a\\u202eb\"":                       "site.toml: name contains bidirectional control U+202E",
		"[links]\nwebsite = \"evil\\u200b.example\"": "site.toml: links.website contains invisible character U+200B",
		"host = \"a\\u2060b.example\"":               "site.toml: host contains invisible character U+2060",
	} {
		_, err := Load(fstest.MapFS{"site.toml": {Data: []byte(file)}, "a.md": {Data: []byte(okSection)}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("site.toml %q: error = %v, want one containing %q", file, err, want)
		}
	}
}

// TestLoadKeepsText: what looks like a reference but is text, escaped ampersands, other
// references, tabs and zero-width joiners (emoji, scripts that need them) all load.
func TestLoadKeepsText(t *testing.T) {
	body := "Fish &amp; chips &#233;t&eacute; &amp;#x1b; a\tb \u00e9\n" +
		"\U0001F469\u200D\U0001F4BB works; \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645; zero\u200bwidth."
	site, err := Load(fstest.MapFS{"a.md": {Data: []byte(section(body))}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(site.Sections[0].Markdown, "\u200D") {
		t.Error("zero-width joiner dropped")
	}
}

func TestNeutralise(t *testing.T) {
	in := "a&#x1b;]8;;https://evil.example/&#7;b\x1b[8mc\u202ed&#x202e;e &amp;#27; &eacute;\tf\n"
	got := Neutralise(in)
	want := "a\uFFFD]8;;https://evil.example/\uFFFDb\uFFFD[8mc\uFFFDd\uFFFDe &amp;#27; &eacute;\tf\n"
	if got != want {
		t.Fatalf("Neutralise(%q)\n = %q\nwant %q", in, got, want)
	}
}

// writeDir makes a content directory with one good section and returns its path.
func writeDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte(okSection), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestLoadRefusesStrangeFiles: a content file must be a regular file inside the directory and
// at most MaxFileSize. Each case is checked through os.DirFS (what main used before) and
// LoadDir (what it uses now).
func TestLoadRefusesStrangeFiles(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(outside, []byte(section("Not the owner's to publish.")), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		setup func(dir string) error
		want  error
	}{
		{"symlink to /dev/zero", func(dir string) error { return os.Symlink("/dev/zero", filepath.Join(dir, "zero.md")) }, ErrOutside},
		{"symlink out of the directory", func(dir string) error { return os.Symlink(outside, filepath.Join(dir, "b.md")) }, ErrOutside},
		{"relative symlink out", func(dir string) error {
			rel, err := filepath.Rel(dir, outside)
			if err != nil {
				return err
			}
			return os.Symlink(rel, filepath.Join(dir, "b.md"))
		}, ErrOutside},
		{"2 MiB file", func(dir string) error {
			big := section(strings.Repeat("All work and no play. ", 2<<20/22))
			return os.WriteFile(filepath.Join(dir, "big.md"), []byte(big), 0o644)
		}, ErrTooLarge},
		{"named pipe", func(dir string) error { return syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644) }, ErrNotRegular},
		{"directory", func(dir string) error { return os.Mkdir(filepath.Join(dir, "sub.md"), 0o755) }, ErrNotRegular},
		{"settings symlinked out", func(dir string) error { return os.Symlink("/dev/zero", filepath.Join(dir, SettingsFile)) }, ErrOutside},
	}
	for _, tt := range tests {
		for _, via := range []string{"DirFS", "LoadDir"} {
			t.Run(tt.name+"/"+via, func(t *testing.T) {
				dir := writeDir(t)
				if err := tt.setup(dir); err != nil {
					t.Fatal(err)
				}
				var err error
				if via == "DirFS" {
					_, err = Load(os.DirFS(dir))
				} else {
					_, err = LoadDir(dir)
				}
				if !errors.Is(err, tt.want) {
					t.Fatalf("error = %v, want %v", err, tt.want)
				}
			})
		}
	}
}

// TestLoadFollowsLinksInside: a symlink to a file in the same directory is fine.
func TestLoadFollowsLinksInside(t *testing.T) {
	dir := writeDir(t)
	if err := os.WriteFile(filepath.Join(dir, "real.txt"), []byte("+++\ntitle = \"Two\"\n+++\nB.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.txt", filepath.Join(dir, "b.md")); err != nil {
		t.Fatal(err)
	}
	site, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(site.Sections) != 2 {
		t.Fatalf("sections = %d, want 2", len(site.Sections))
	}
}
