package deploy

import (
	"strconv"
	"testing"
	"time"
)

func TestStopSignalAndDeadline(t *testing.T) {
	f := load(t)
	stop, ok := f.docker.Final().Last("stopsignal")
	if !ok || len(stop.Args) != 1 {
		t.Fatal("no STOPSIGNAL in the final stage")
	}
	if stop.Args[0] != "SIGTERM" || f.fly.KillSignal != stop.Args[0] {
		t.Errorf("STOPSIGNAL %s, kill_signal %s: want both SIGTERM, the signal the server drains on", stop.Args[0], f.fly.KillSignal)
	}
	shutdown := serverShutdownTimeout()
	if v, ok := f.env["PORTFOLIO_SHUTDOWN_TIMEOUT"]; ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("PORTFOLIO_SHUTDOWN_TIMEOUT=%q: %v", v, err)
		}
		shutdown = d
	}
	const margin = 5 * time.Second // goodbye lines, closing, log flush
	kill := f.fly.KillTimeout.Duration
	if kill < shutdown+margin {
		t.Errorf("kill_timeout %v < shutdown timeout %v + %v: Fly would SIGKILL mid-drain", kill, shutdown, margin)
	}
	if kill > 300*time.Second {
		t.Errorf("kill_timeout %v is over Fly's maximum of 300s", kill)
	}
}

func TestConcurrencyAndMemory(t *testing.T) {
	f := load(t)
	svc := f.fly.Services[0]
	maxSessions := serverMaxSessions()
	if v, ok := f.env["PORTFOLIO_MAX_SESSIONS"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("PORTFOLIO_MAX_SESSIONS=%q: %v", v, err)
		}
		maxSessions = n
	}
	c := svc.Concurrency
	if c.Type != "connections" {
		t.Errorf("concurrency type %q, want connections (SSH has no requests)", c.Type)
	}
	if c.HardLimit <= maxSessions {
		t.Errorf("hard_limit %d <= PORTFOLIO_MAX_SESSIONS %d: visitors over the cap would be dropped by the proxy instead of told by the server", c.HardLimit, maxSessions)
	}
	if c.SoftLimit <= 0 || c.SoftLimit > maxSessions {
		t.Errorf("soft_limit %d: want 1..%d", c.SoftLimit, maxSessions)
	}

	switch v := svc.AutoStopMachines.(type) {
	case nil:
	case bool:
		if v {
			t.Error(`auto_stop_machines = true: want "off"`)
		}
	case string:
		switch v {
		case "off":
		case "stop":
			if svc.MinMachinesRunning < 1 {
				t.Error(`auto_stop_machines = "stop" without min_machines_running >= 1`)
			}
		default:
			t.Errorf("auto_stop_machines = %q: suspend freezes live sessions", v)
		}
	default:
		t.Errorf("auto_stop_machines = %v: want \"off\"", v)
	}

	if len(f.fly.VM) != 1 {
		t.Fatalf("%d [[vm]], want one", len(f.fly.VM))
	}
	vmBytes, err := ParseSize(f.fly.VM[0].Memory, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	limit, err := ParseGoMemLimit(f.mustEnv(t, "GOMEMLIMIT"))
	if err != nil {
		t.Fatal(err)
	}
	// About 1 MiB per session (the hardening caps what a client can make
	// a session cost) plus the runtime, caches and listeners.
	const perSession, base = 1 << 20, 96 << 20
	if need := int64(maxSessions)*perSession + base; limit < need {
		t.Errorf("GOMEMLIMIT %d MiB < %d sessions x 1 MiB + 96 MiB", limit>>20, maxSessions)
	}
	if limit > vmBytes*9/10 {
		t.Errorf("GOMEMLIMIT %d MiB leaves under 10%% of the %d MiB VM for the kernel and non-heap memory", limit>>20, vmBytes>>20)
	}
}
