package stats

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseSince reads a --since value: a number of days ("7d", "30d") or a Go duration
// ("12h", "90m"). It must be positive.
func ParseSince(s string) (time.Duration, error) {
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, fmt.Errorf("--since %q: want days like 7d, or a duration like 12h", s)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("--since %q: want days like 7d, or a duration like 12h", s)
		}
	}
	if d <= 0 {
		return 0, fmt.Errorf("--since %q: must be positive", s)
	}
	return d, nil
}
