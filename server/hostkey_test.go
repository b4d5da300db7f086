package server

import (
	"net"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/server/hostkey"
)

func TestServerUsesTheConfiguredKey(t *testing.T) {
	// No ephemeral fallback: what a client sees is the file's key.
	ts := newTestServer(t, nil)
	hk, err := hostkey.Load(hostkey.Source{Path: ts.cfg.HostKeyPath})
	if err != nil {
		t.Fatal(err)
	}
	var seen gossh.PublicKey
	conn, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User: "x",
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			seen = key
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if gossh.FingerprintSHA256(seen) != hk.Fingerprint {
		t.Fatalf("client saw %s, key file holds %s", gossh.FingerprintSHA256(seen), hk.Fingerprint)
	}
	if got := ts.logs.find(t, "host key"); len(got) != 1 || got[0]["fingerprint"] != hk.Fingerprint {
		t.Fatalf("fingerprint not logged at start: %v", got)
	}
}
