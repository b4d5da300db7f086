package sessionlog

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestMaskSourceKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":          "192.0.2.0/24",
		"::ffff:192.0.2.7":   "192.0.2.0/24",
		"2001:db8:1:2::/64":  "2001:db8:1::/48",
		"2001:db8:1:2::9":    "2001:db8:1::/48",
		"not an address":     "masked",
		"10.0.0.1\nfake log": "masked",
	} {
		if got := maskSourceKey(in); got != want {
			t.Errorf("maskSourceKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// The guard logs drops through this handler: with masking on, no full address survives.
func TestGuardLogIsMasked(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(maskRemote(slog.NewJSONHandler(&buf, nil))).With("component", "guard")
	log.Info("ssh peer dropped", "reason", "keepalive", "remote", "198.51.100.23", "missed", 3)
	out := buf.String()
	if strings.Contains(out, "198.51.100.23") || !strings.Contains(out, `"remote":"198.51.100.0/24"`) ||
		!strings.Contains(out, `"missed":3`) || !strings.Contains(out, `"component":"guard"`) {
		t.Errorf("masked log line = %s", out)
	}
}
