package deploy

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// FlyConfig is the part of fly.toml this project uses. DecodeFly refuses
// keys it does not know, so a misspelt setting fails the tests instead of
// being ignored by the platform.
type FlyConfig struct {
	App           string              `toml:"app"`
	PrimaryRegion string              `toml:"primary_region"`
	KillSignal    string              `toml:"kill_signal"`
	KillTimeout   Duration            `toml:"kill_timeout"`
	Build         FlyBuild            `toml:"build"`
	Env           map[string]string   `toml:"env"`
	Services      []FlyService        `toml:"services"`
	HTTPService   map[string]any      `toml:"http_service"`
	Checks        map[string]FlyCheck `toml:"checks"`
	Metrics       FlyMetrics          `toml:"metrics"`
	Mounts        []FlyMount          `toml:"mounts"`
	VM            []FlyVM             `toml:"vm"`
}

// FlyMount is one [[mounts]]: a Fly volume and where the machine sees it.
type FlyMount struct {
	Source      string `toml:"source"`
	Destination string `toml:"destination"`
}

// FlyBuild is [build].
type FlyBuild struct {
	Dockerfile string `toml:"dockerfile"`
}

// FlyService is one [[services]].
type FlyService struct {
	Protocol           string           `toml:"protocol"`
	InternalPort       int              `toml:"internal_port"`
	AutoStopMachines   any              `toml:"auto_stop_machines"` // "off"/"stop"/"suspend", or an old boolean
	AutoStartMachines  *bool            `toml:"auto_start_machines"`
	MinMachinesRunning int              `toml:"min_machines_running"`
	Ports              []FlyPort        `toml:"ports"`
	Concurrency        FlyConcurrency   `toml:"concurrency"`
	TCPChecks          []map[string]any `toml:"tcp_checks"`
	HTTPChecks         []map[string]any `toml:"http_checks"`
}

// FlyPort is one [[services.ports]].
type FlyPort struct {
	Port              int               `toml:"port"`
	Handlers          []string          `toml:"handlers"`
	ProxyProtoOptions map[string]string `toml:"proxy_proto_options"`
}

// ProxyProtoVersion is the PROXY header version Fly sends: "v1" unless set.
func (p FlyPort) ProxyProtoVersion() string {
	if v := p.ProxyProtoOptions["version"]; v != "" {
		return v
	}
	return "v1"
}

// FlyConcurrency is [services.concurrency].
type FlyConcurrency struct {
	Type      string `toml:"type"`
	SoftLimit int    `toml:"soft_limit"`
	HardLimit int    `toml:"hard_limit"`
}

// FlyCheck is one [checks.NAME].
type FlyCheck struct {
	Type        string   `toml:"type"`
	Port        int      `toml:"port"`
	Method      string   `toml:"method"`
	Path        string   `toml:"path"`
	Interval    Duration `toml:"interval"`
	Timeout     Duration `toml:"timeout"`
	GracePeriod Duration `toml:"grace_period"`
}

// FlyMetrics is [metrics].
type FlyMetrics struct {
	Port int    `toml:"port"`
	Path string `toml:"path"`
}

// FlyVM is one [[vm]].
type FlyVM struct {
	Size    string `toml:"size"`
	Memory  string `toml:"memory"`
	CPUs    int    `toml:"cpus"`
	CPUKind string `toml:"cpu_kind"`
}

// Duration reads fly.toml durations: "30s" strings, or bare integers, which
// fly reads as seconds for kill_timeout (the only bare one used here).
type Duration struct{ time.Duration }

// UnmarshalTOML implements toml.Unmarshaler.
func (d *Duration) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case int64:
		d.Duration = time.Duration(v) * time.Second
	case string:
		p, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("duration %q: %w", v, err)
		}
		d.Duration = p
	default:
		return fmt.Errorf("duration: unexpected %T", v)
	}
	return nil
}

// DecodeFly decodes fly.toml, failing on keys FlyConfig does not know.
func DecodeFly(r io.Reader) (*FlyConfig, error) {
	var c FlyConfig
	md, err := toml.NewDecoder(r).Decode(&c)
	if err != nil {
		return nil, fmt.Errorf("decode fly.toml: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("fly.toml: unknown keys %s", strings.Join(keys, ", "))
	}
	return &c, nil
}

// ParseSize reads a memory size as fly ("1gb", "512mb", bare MB) and Go's
// GOMEMLIMIT ("800MiB", "1GiB", bare bytes) write them.
func ParseSize(s string, bareUnit int64) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	units := []struct {
		suffix string
		mult   int64
	}{
		{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
		{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30}, {"tb", 1 << 40}, {"b", 1},
	}
	mult := bareUnit
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	var n int64
	if _, err := fmt.Sscanf(t, "%d", &n); err != nil || fmt.Sprint(n) != t || n <= 0 {
		return 0, fmt.Errorf("size %q: want a positive whole number with an optional unit", s)
	}
	return n * mult, nil
}

// ParseGoMemLimit reads GOMEMLIMIT exactly as the Go runtime does: a whole
// number of bytes with an optional B, KiB, MiB, GiB or TiB suffix (case
// matters). The runtime refuses to start on anything else, so "800MB" would
// crash every machine at boot.
func ParseGoMemLimit(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"B", 1}}
	num, mult := s, int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	var n int64
	if _, err := fmt.Sscanf(num, "%d", &n); err != nil || fmt.Sprint(n) != num || n <= 0 {
		return 0, fmt.Errorf("GOMEMLIMIT %q: want bytes with an optional B, KiB, MiB, GiB or TiB suffix", s)
	}
	return n * mult, nil
}
