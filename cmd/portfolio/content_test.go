package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portfolio/content"
)

// TestContentDirRefusesStrangeFiles: start-up with a content directory holding a .md link to
// /dev/zero, a link out of the directory or a 2 MiB file stops with an error naming the
// directory, the file and the problem (before: out of memory, the outside file served, the
// big file served).
func TestContentDirRefusesStrangeFiles(t *testing.T) {
	const ok = "+++\ntitle = \"One\"\n+++\n\nText.\n"
	outside := filepath.Join(t.TempDir(), "private.md")
	if err := os.WriteFile(outside, []byte(ok), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, file string
		setup      func(path string) error
		want       error
	}{
		{"zero", "zero.md", func(p string) error { return os.Symlink("/dev/zero", p) }, content.ErrOutside},
		{"outside", "b.md", func(p string) error { return os.Symlink(outside, p) }, content.ErrOutside},
		{"big", "big.md", func(p string) error {
			return os.WriteFile(p, []byte(ok+strings.Repeat("x", 2<<20)), 0o644)
		}, content.ErrTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte(ok), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := tt.setup(filepath.Join(dir, tt.file)); err != nil {
				t.Fatal(err)
			}
			_, err := loadSite(dir)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "load content "+dir+": "+tt.file+": ") {
				t.Fatalf("loadSite error = %v, want %v naming the directory and %s", err, tt.want, tt.file)
			}
		})
	}
}
