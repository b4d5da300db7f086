package pgtest

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// TestStart: each call is a fresh database on the one shared cluster, usable at once.
func TestStart(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") != "" {
		Start(t) // the child of TestMissingPostgreSQL: no pg_config on its PATH
		return
	}
	a, b := Start(t), Start(t)
	if a == b {
		t.Fatalf("two tests share a database: %s", a)
	}
	if shared.c == nil || !strings.Contains(a, ":"+strconv.Itoa(shared.c.port)+"/") {
		t.Errorf("%s is not on the shared cluster", a)
	}
	for _, url := range []string{a, b} {
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		var tables int
		err = db.QueryRowContext(context.Background(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables)
		db.Close()
		if err != nil || tables != 0 {
			t.Errorf("%s: %d tables, %v; want a fresh database", url, tables, err)
		}
	}
}

// TestMissingPostgreSQL: without PostgreSQL a test skips, but under CI=true it fails.
func TestMissingPostgreSQL(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") != "" {
		return
	}
	for _, ci := range []string{"", "true"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestStart$", "-test.v")
		cmd.Env = append(os.Environ(), "PGTEST_CHILD=1", "PATH="+t.TempDir(), "CI="+ci)
		out, err := cmd.CombinedOutput()
		skipped := strings.Contains(string(out), "--- SKIP: TestStart") && err == nil
		failed := strings.Contains(string(out), "--- FAIL: TestStart") && err != nil
		if ci == "" && !skipped || ci == "true" && !failed {
			t.Errorf("CI=%q without PostgreSQL: %v\n%s", ci, err, out)
		}
	}
}
