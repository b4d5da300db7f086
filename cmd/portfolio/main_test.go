package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// env is an environment for ParseFlags and run, as os.Environ gives it.
func env(vars map[string]string) []string {
	var out []string
	for k, v := range vars {
		out = append(out, k+"="+v)
	}
	return out
}

func TestMainServesAndCloses(t *testing.T) {
	m := NewMain()
	var logs bytes.Buffer
	m.Stderr = &logs
	dir := t.TempDir()
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--database", filepath.Join(t.TempDir(), "portfolio.db"), "--host-key-path", filepath.Join(dir, "key"), "--log-format", "json"}, env(nil)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	client, err := gossh.Dial("tcp", m.Addr().String(), &gossh.ClientConfig{
		User:            "v",
		HostKeyCallback: gossh.FixedHostKey(m.Server.HostKey().Signer.PublicKey()),
	})
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := client.NewSession()
	out, err := sess.Output("help")
	if err != nil || !strings.Contains(string(out), "Usage:") {
		t.Fatalf("help: %v %q", err, out)
	}
	client.Close()
	if err := m.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if !strings.Contains(logs.String(), `"fingerprint":"SHA256:`) || !strings.Contains(logs.String(), `"msg":"listening"`) {
		t.Errorf("start-up logs lack the fingerprint or the address:\n%s", logs.String())
	}
}

func TestMainRefusesABadHostKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := NewMain()
	m.Stderr = &bytes.Buffer{}
	if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--database", filepath.Join(t.TempDir(), "portfolio.db"), "--host-key-path", path}, env(nil)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Run with a corrupt key: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "garbage" {
		t.Fatal("the corrupt key was replaced")
	}
}
