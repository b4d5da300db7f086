package content

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
)

// ErrNotRegular means a content file is a device, a pipe, a directory or a socket. Reading
// one could block start-up for ever (a pipe) or never end (/dev/zero).
var ErrNotRegular = errors.New("not a regular file")

// ErrOutside means a content file is a symbolic link that leads out of the content directory.
var ErrOutside = errors.New("symbolic link leads outside the content directory")

// ErrTooLarge means a content file is larger than MaxFileSize.
var ErrTooLarge = fmt.Errorf("larger than %d KiB", MaxFileSize>>10)

// LoadDir loads the content directory dir. It opens dir as an os.Root, so no path, however
// it is linked, can reach a file outside dir: the kernel-level guarantee behind the checks
// Load makes itself.
func LoadDir(dir string) (*Site, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return Load(root.FS())
}

// readFile reads one content file: a regular file (possibly through symbolic links that stay
// inside fsys) of at most MaxFileSize bytes.
func readFile(fsys fs.FS, name string) ([]byte, error) {
	if err := checkLinks(fsys, name); err != nil {
		return nil, err
	}
	// Stat before Open: opening a named pipe blocks until someone writes to it.
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (%s)", ErrNotRegular, info.Mode().Type())
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("%w: %d bytes", ErrTooLarge, info.Size())
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The limit holds even if the file grew since Stat or reports no size.
	raw, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxFileSize {
		return nil, fmt.Errorf("%w", ErrTooLarge)
	}
	return raw, nil
}

// checkLinks follows name's symbolic links, when fsys can report them, and refuses one whose
// target is absolute or climbs out of the directory. A file system without links (embed.FS)
// passes as it is.
func checkLinks(fsys fs.FS, name string) error {
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		return nil
	}
	for hops := 0; ; hops++ {
		info, err := fs.Lstat(fsys, name)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return nil // Stat reports a missing file more clearly
		}
		if hops == 8 {
			return fmt.Errorf("too many symbolic links")
		}
		target, err := fs.ReadLink(fsys, name)
		if err != nil {
			return err
		}
		next := path.Join(path.Dir(name), target)
		if path.IsAbs(target) || !fs.ValidPath(next) {
			return fmt.Errorf("%w (%s -> %s)", ErrOutside, name, target)
		}
		name = next
	}
}
