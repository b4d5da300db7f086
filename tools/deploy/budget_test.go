package deploy

import (
	"strconv"
	"testing"

	"portfolio/server"
	"portfolio/ui"
)

// TestMemoryBudgetFitsTheVM: fly.toml sets PORTFOLIO_MEMORY_BUDGET next to GOMEMLIMIT, the
// budget plus what the process holds besides sessions stays under the limit, and the session
// cap's worth of ordinary 80x24 windows fits in the budget (only large windows are ever
// served smaller or refused).
func TestMemoryBudgetFitsTheVM(t *testing.T) {
	f := load(t)
	budget, err := server.ParseByteSize(f.mustEnv(t, "PORTFOLIO_MEMORY_BUDGET"))
	if err != nil {
		t.Fatal(err)
	}
	limit, err := ParseGoMemLimit(f.mustEnv(t, "GOMEMLIMIT"))
	if err != nil {
		t.Fatal(err)
	}
	if budget <= 0 {
		t.Fatal("PORTFOLIO_MEMORY_BUDGET is off: a crowd of large windows could exceed the VM")
	}
	// The runtime, listeners and connections (see TestConcurrencyAndMemory), plus the
	// shared render cache.
	const base = 96 << 20
	if need := int64(budget) + base + ui.DefaultCacheSize; need > limit {
		t.Errorf("PORTFOLIO_MEMORY_BUDGET %s + 96 MiB + %d MiB render cache = %d MiB > GOMEMLIMIT %d MiB",
			budget, ui.DefaultCacheSize>>20, need>>20, limit>>20)
	}
	maxSessions := serverMaxSessions()
	if v, ok := f.env["PORTFOLIO_MAX_SESSIONS"]; ok {
		if maxSessions, err = strconv.Atoi(v); err != nil {
			t.Fatal(err)
		}
	}
	if ordinary := int64(maxSessions) * server.SessionMemory(80, 24); int64(budget) < ordinary {
		t.Errorf("PORTFOLIO_MEMORY_BUDGET %s < %d sessions at 80x24 (%d MiB): ordinary visitors would be turned away below the session cap",
			budget, maxSessions, ordinary>>20)
	}
}
