package deploy

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// files are the parsed deployment files of the repository root.
type files struct {
	docker *Dockerfile
	fly    *FlyConfig
	// env is what the running server sees: the image's ENV overlaid with
	// fly.toml's [env] (Fly sets those on the machine, and they win).
	env map[string]string
}

func (f files) mustEnv(t *testing.T, key string) string {
	t.Helper()
	v, ok := f.env[key]
	if !ok || v == "" {
		t.Fatalf("%s is set neither in the Dockerfile's ENV nor in fly.toml's [env]", key)
	}
	return v
}

// productRoot is the product module's root, where the deployment files are: this package is
// tools/deploy inside it.
const productRoot = "../.."

func load(t *testing.T) files {
	t.Helper()
	df, err := os.Open(filepath.Join(productRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer df.Close()
	docker, err := ParseDockerfile(df)
	if err != nil {
		t.Fatal(err)
	}
	ft, err := os.Open(filepath.Join(productRoot, "fly.toml"))
	if err != nil {
		t.Fatal(err)
	}
	defer ft.Close()
	fly, err := DecodeFly(ft)
	if err != nil {
		t.Fatal(err)
	}
	env := docker.Final().Env()
	for k, v := range fly.Env {
		env[k] = v
	}
	return files{docker, fly, env}
}

// port returns the port of a listen address such as ":2222".
func port(t *testing.T, setting, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("%s=%q: %v", setting, addr, err)
	}
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: no port", setting, addr)
	}
	return n
}

func TestFlyTomlRefusesUnknownKeys(t *testing.T) {
	_, err := DecodeFly(strings.NewReader("app = \"x\"\nkill_timout = 30\n"))
	if err == nil || !strings.Contains(err.Error(), "kill_timout") {
		t.Errorf("misspelt key: err = %v", err)
	}
}

func TestParsers(t *testing.T) {
	for in, want := range map[string]int64{"1gb": 1 << 30, "512mb": 512 << 20, "2048": 2048 << 20, "1GB": 1 << 30} {
		if got, err := ParseSize(in, 1<<20); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, want := range map[string]int64{"800MiB": 800 << 20, "1GiB": 1 << 30, "1048576": 1 << 20} {
		if got, err := ParseGoMemLimit(in); err != nil || got != want {
			t.Errorf("ParseGoMemLimit(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"800MB", "800mib", "1.5GiB", "", "-1MiB", "GiB"} {
		if _, err := ParseGoMemLimit(bad); err == nil {
			t.Errorf("ParseGoMemLimit(%q): want an error (the Go runtime refuses it)", bad)
		}
	}
	d, err := ParseDockerfile(strings.NewReader("ARG X=1\nFROM scratch AS run\nENV A=1 B=\"two words\"\nENV C 3\nEXPOSE 22/tcp 80\n"))
	if err != nil {
		t.Fatal(err)
	}
	env := d.Final().Env()
	if env["A"] != "1" || env["B"] != "two words" || env["C"] != "3" || d.Final().Name != "run" {
		t.Errorf("env %v, name %q", env, d.Final().Name)
	}
	if got := d.Final().Exposed(); !slices.Equal(got, []string{"22", "80"}) {
		t.Errorf("exposed %v", got)
	}
}
