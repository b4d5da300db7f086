package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The clients beyond OpenSSH that must log in: each tries a different method first. .ci/run
// installs them (apt-get install python3-paramiko python3-asyncssh putty-tools dropbear-bin).

// needClient skips the test on a developer's machine without the client, and fails it in CI.
func needClient(t *testing.T, what, install string, ok bool) {
	t.Helper()
	if ok {
		return
	}
	msg := what + " is not installed (" + install + ")"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; CI is set, so this is a failure")
	}
	t.Skip(msg)
}

// pythonWith returns a Python 3 interpreter that can import module: the one on PATH, or
// Debian's, which is where apt puts python3-paramiko when PATH has another (pyenv).
func pythonWith(module string) string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import "+module).Run() == nil {
			return py
		}
	}
	return ""
}

// run runs a client command with a deadline and returns its output and error.
func runClient(t *testing.T, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// paramikoScript logs in every way paramiko can and prints one line per way. SSHClient's
// connect with its defaults never tries "none": it offers the user's keys (publickey), which
// is why a server that accepts only "none" turns paramiko away.
const paramikoScript = `
import sys, paramiko
host, port = "127.0.0.1", int(sys.argv[1])
c = paramiko.SSHClient()
c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
c.connect(host, port=port, username="visitor")
_, out, _ = c.exec_command("help")
print("connect", out.channel.recv_exit_status(), "Usage" in out.read().decode())
c.close()
def transport():
    t = paramiko.Transport((host, port))
    t.start_client(timeout=20)
    return t
t = transport()
key = paramiko.Ed25519Key.from_private_key_file(sys.argv[2])
print("publickey", t.auth_publickey("visitor", key) == [])
t.close()
t = transport()
prompts = []
print("keyboard-interactive", t.auth_interactive("visitor", lambda title, instr, ps: prompts.append(list(ps)) or []) == [], prompts)
t.close()
t = transport()
try:
    t.auth_password("visitor", "secret")
    print("password accepted")
except paramiko.BadAuthenticationType as e:
    print("password offered", "password" in e.allowed_types)
t.close()
`

// TestParamikoLogsIn: paramiko's SSHClient.connect() with its default settings, for a user
// with a key in ~/.ssh, logs in (any public key is accepted) and runs a command; so do a
// public key login and a keyboard-interactive one (no questions asked) on their own; password
// is never offered.
func TestParamikoLogsIn(t *testing.T) {
	needTools(t)
	py := pythonWith("paramiko")
	needClient(t, "paramiko", "apt-get install python3-paramiko", py != "")
	srv := start(t, t.TempDir(), defaults()...)
	home := t.TempDir()
	key := filepath.Join(home, ".ssh", "id_ed25519")
	if err := os.MkdirAll(filepath.Dir(key), 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	out, err := runClient(t, []string{"HOME=" + home}, py, "-c", paramikoScript, srv.port, key)
	if err != nil {
		t.Fatalf("paramiko: %v\n%s", err, out)
	}
	for _, want := range []string{"connect 0 True\n", "publickey True\n", "keyboard-interactive True [[]]\n", "password offered False\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("paramiko did not print %q:\n%s", want, out)
		}
	}
}

// TestOtherClientsLogIn: asyncssh, PuTTY's plink and Dropbear's dbclient, each with its
// defaults, log in and get the plain help.
func TestOtherClientsLogIn(t *testing.T) {
	needTools(t)
	srv := start(t, t.TempDir(), defaults()...)
	home := t.TempDir()
	env := []string{"HOME=" + home}
	t.Run("asyncssh", func(t *testing.T) {
		py := pythonWith("asyncssh")
		needClient(t, "asyncssh", "apt-get install python3-asyncssh", py != "")
		out, err := runClient(t, env, py, "-W", "ignore", "-c", `
import sys, asyncio, asyncssh
async def main():
    async with asyncssh.connect("127.0.0.1", port=int(sys.argv[1]), username="visitor", known_hosts=None) as c:
        r = await c.run("help")
        print("status", r.exit_status, "Usage" in r.stdout)
asyncio.run(main())
`, srv.port)
		if err != nil || !strings.Contains(out, "status 0 True") {
			t.Fatalf("asyncssh: %v\n%s", err, out)
		}
	})
	t.Run("plink", func(t *testing.T) {
		_, err := exec.LookPath("plink")
		needClient(t, "plink", "apt-get install putty-tools", err == nil)
		out, err := runClient(t, env, "plink", "-batch", "-ssh", "-P", srv.port, "-hostkey", hostKeyFingerprint(t, srv), "visitor@127.0.0.1", "help")
		if err != nil || !strings.Contains(out, "Usage") {
			t.Fatalf("plink: %v\n%s", err, out)
		}
	})
	t.Run("dbclient", func(t *testing.T) {
		_, err := exec.LookPath("dbclient")
		needClient(t, "dbclient", "apt-get install dropbear-bin", err == nil)
		// -y -y: accept the unknown host key without asking.
		out, err := runClient(t, env, "dbclient", "-y", "-y", "-p", srv.port, "visitor@127.0.0.1", "help")
		if err != nil || !strings.Contains(out, "Usage") {
			t.Fatalf("dbclient: %v\n%s", err, out)
		}
	})
}

// hostKeyFingerprint is the server's host key fingerprint as its log gives it at start.
func hostKeyFingerprint(t *testing.T, srv *process) string {
	t.Helper()
	fp, _ := srv.event("host key")["fingerprint"].(string)
	if !strings.HasPrefix(fp, "SHA256:") {
		t.Fatalf("no host key fingerprint in the log: %v", srv.event("host key"))
	}
	return fp
}
