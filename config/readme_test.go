package config

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"portfolio/server"
)

var update = flag.Bool("update", false, "rewrite the README's settings table from the code")

const (
	readmePath  = "../README.md"
	tableStart  = "<!-- settings table: made from config/settings.go by `go test ./config -update`; edit the rows there -->\n"
	tableFinish = "<!-- end of settings table -->\n"
)

// markdownTable renders the README's settings table from the table in settings.go.
func markdownTable() string {
	var b strings.Builder
	b.WriteString("| Flag | Variable | Default | Range | Meaning |\n|------|----------|---------|-------|---------|\n")
	cfg := server.Defaults()
	for _, s := range Settings() {
		v := s.Value(&cfg)
		flagText := "(none)"
		if s.Flag() != "" {
			flagText = "`--" + s.Flag() + "`"
		}
		def := s.defaultText(v)
		if d := v.String(); d != "" && !s.Secret {
			def = "`" + d + "`"
		}
		b.WriteString("| " + flagText + " | `" + s.Env + "` | " + def + " | " + v.Range() + " | " + s.Usage + " |\n")
	}
	return b.String()
}

// TestREADMESettingsTable fails when the README's settings table is not the one the code
// describes; -update rewrites it.
func TestREADMESettingsTable(t *testing.T) {
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(readme, []byte(tableStart))
	finish := bytes.Index(readme, []byte(tableFinish))
	if start < 0 || finish < start {
		t.Fatalf("README.md lacks the settings table's markers:\n%s%s", tableStart, tableFinish)
	}
	body := start + len(tableStart)
	got, want := string(readme[body:finish]), markdownTable()
	if got == want {
		return
	}
	if *update {
		out := append(append(append([]byte{}, readme[:body]...), want...), readme[finish:]...)
		if err := os.WriteFile(readmePath, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	gotLines, wantLines := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(gotLines), len(wantLines)) {
		g, w := "", ""
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Errorf("README.md's settings table differs from config/settings.go at row %d "+
				"(go test ./config -update rewrites it):\n README: %s\n code:   %s", i-1, g, w)
			return
		}
	}
}
