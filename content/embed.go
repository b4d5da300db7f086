package content

import (
	"embed"
	"io/fs"
)

//go:embed site.toml *.md
var embedded embed.FS

// Embedded returns the content compiled into the binary.
func Embedded() fs.FS { return embedded }

// Default parses the embedded content. It fails only if the shipped files are broken, which
// the package's tests rule out.
func Default() (*Site, error) { return Load(embedded) }
