package deploy

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestDockerfileBuildsStaticBinary(t *testing.T) {
	f := load(t)
	if len(f.docker.Stages) < 2 {
		t.Fatalf("%d stages: want a build stage and a minimal final stage", len(f.docker.Stages))
	}
	build := f.docker.Stages[0]
	if !strings.HasPrefix(build.From, "golang:1.26") {
		t.Errorf("build stage FROM %s, want golang:1.26", build.From)
	}
	var buildCmd string
	for _, st := range f.docker.Stages[:len(f.docker.Stages)-1] {
		for _, in := range st.All("run") {
			if strings.Contains(strings.Join(in.Args, " "), "go build") {
				buildCmd = strings.Join(in.Args, " ")
			}
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w"`, "./cmd/portfolio"} {
		if !strings.Contains(buildCmd, want) {
			t.Errorf("go build command %q lacks %s", buildCmd, want)
		}
	}
	final := f.docker.Final()
	if !strings.HasPrefix(final.From, "gcr.io/distroless/static") && final.From != "scratch" {
		t.Errorf("final stage FROM %s: want distroless static or scratch", final.From)
	}
	// Everything in the final image comes from the build stage, never
	// straight from the build context (where a host key might lie).
	for _, in := range append(final.All("copy"), final.All("add")...) {
		if !slices.ContainsFunc(in.Flags, func(fl string) bool { return strings.HasPrefix(fl, "--from=") }) {
			t.Errorf("line %d: %s %v copies from the build context into the final image", in.Line, in.Cmd, in.Args)
		}
	}
	if ep, ok := final.Last("entrypoint"); !ok || !ep.JSON {
		t.Error("ENTRYPOINT missing or in shell form: a shell as PID 1 would not pass SIGTERM on")
	}
}

func TestNoHostKeyInImageOrConfig(t *testing.T) {
	f := load(t)
	keyish := regexp.MustCompile(`ssh-keygen|\.ssh|host_key|_ed25519|\.pem`)
	for _, st := range f.docker.Stages {
		for _, in := range st.Instructions {
			if in.Cmd == "run" || in.Cmd == "copy" || in.Cmd == "add" {
				if s := strings.Join(in.Args, " "); keyish.MatchString(s) {
					t.Errorf("Dockerfile line %d handles a key: %s %s", in.Line, in.Cmd, s)
				}
			}
		}
	}
	gen, err := strconv.ParseBool(f.mustEnv(t, "PORTFOLIO_HOST_KEY_GENERATE"))
	if err != nil || gen {
		t.Errorf("PORTFOLIO_HOST_KEY_GENERATE = %q: the image must switch key generation off", f.env["PORTFOLIO_HOST_KEY_GENERATE"])
	}
	for _, src := range []map[string]string{f.docker.Final().Env(), f.fly.Env} {
		if _, ok := src["PORTFOLIO_HOST_KEY"]; ok {
			t.Error("PORTFOLIO_HOST_KEY is in a committed file: it belongs in `fly secrets set`")
		}
	}

	ignored := map[string]bool{}
	di, err := os.Open(filepath.Join(productRoot, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	defer di.Close()
	sc := bufio.NewScanner(di)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			ignored[line] = true
		}
	}
	for _, want := range []string{".ssh", "**/.ssh", ".git", "**/*.pem", ".env"} {
		if !ignored[want] {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
}

func TestImageRunsAsNonRoot(t *testing.T) {
	f := load(t)
	user, ok := f.docker.Final().Last("user")
	if !ok || len(user.Args) != 1 {
		t.Fatal("final stage has no USER: the server would run as root")
	}
	uid, gid, _ := strings.Cut(user.Args[0], ":")
	n, err := strconv.Atoi(uid)
	if err != nil {
		t.Fatalf("USER %s: want a numeric uid, checkable without /etc/passwd", user.Args[0])
	}
	if n == 0 {
		t.Error("USER is root")
	}
	if gid != "" {
		if g, err := strconv.Atoi(gid); err != nil || g == 0 {
			t.Errorf("USER group %q: want a numeric non-root gid", gid)
		}
	}
}
