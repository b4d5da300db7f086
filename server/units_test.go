package server

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    Rate
		limit   rate.Limit
		wantErr bool
	}{
		{in: "2/s", want: Rate{2, time.Second}, limit: 2},
		{in: "30/m", want: Rate{30, time.Minute}, limit: 0.5},
		{in: "3600/h", want: Rate{3600, time.Hour}, limit: 1},
		{in: " 5 / 10s ", want: Rate{5, 10 * time.Second}, limit: 0.5},
		{in: "1/500ms", want: Rate{1, 500 * time.Millisecond}, limit: 2},
		{in: "2", wantErr: true},
		{in: "0/s", wantErr: true},
		{in: "-1/s", wantErr: true},
		{in: "x/s", wantErr: true},
		{in: "2/fortnight", wantErr: true},
		{in: "2/-1s", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRate(tt.in)
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
					t.Fatalf("ParseRate(%q) = %v, %v; want an error naming the value", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want || got.Limit() != tt.limit {
				t.Fatalf("ParseRate(%q) = %v (%v), %v; want %v (%v)", tt.in, got, got.Limit(), err, tt.want, tt.limit)
			}
			again, err := ParseRate(got.String())
			if err != nil || again != got {
				t.Fatalf("round trip through %q: %v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParseByteSize(t *testing.T) {
	sizes := map[string]ByteSize{
		"65536": 65536, "512B": 512, "64KiB": 64 << 10, "64k": 64 << 10, "2 MB": 2 << 20,
		"700MiB": 700 << 20, "1GB": 1 << 30, "1g": 1 << 30, "3GiB": 3 << 30, "2TiB": 2 << 40, "0": 0,
	}
	for in, want := range sizes {
		if got, err := ParseByteSize(in); err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %v, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "fast", "-1", "1.5KiB", "KiB", "5PiB", "10XB", "2000TiB"} {
		if _, err := ParseByteSize(bad); err == nil {
			t.Errorf("ParseByteSize(%q) accepted", bad)
		}
	}
	for _, b := range []ByteSize{700 << 20, 1 << 30, 5000, 3 << 40, 1} {
		if back, err := ParseByteSize(b.String()); err != nil || back != b {
			t.Errorf("%d -> %q -> %d, %v", b, b.String(), back, err)
		}
	}
	if got := ByteSize(700 << 20).String(); got != "700MiB" {
		t.Errorf("700 MiB is written %q", got)
	}

}
