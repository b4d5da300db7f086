package main

import (
	"math"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	hundred := make([]float64, 100)
	for i := range hundred {
		hundred[i] = float64(i + 1) // 1..100
	}
	tests := []struct {
		name   string
		sorted []float64
		p      float64
		want   float64
	}{
		{"one sample", []float64{7}, 99, 7},
		{"p50 of 1..100", hundred, 50, 50},
		{"p95 of 1..100", hundred, 95, 95},
		{"p99 of 1..100", hundred, 99, 99},
		{"p100 is the max", hundred, 100, 100},
		{"p0 is the min", hundred, 0, 1},
		{"p99 of 10 samples is the largest", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 99, 10},
		{"p50 of 4 samples is the 2nd", []float64{10, 20, 30, 40}, 50, 20},
		{"p51 of 4 samples is the 3rd", []float64{10, 20, 30, 40}, 51, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", len(tt.sorted), tt.p, got, tt.want)
			}
		})
	}
	if got := percentile(nil, 50); !math.IsNaN(got) {
		t.Errorf("percentile(nil) = %v, want NaN", got)
	}
}

func TestSummarizeUnsortedInputLeftAlone(t *testing.T) {
	in := []float64{5, 1, 4, 2, 3}
	s := summarize(in)
	want := Summary{N: 5, Min: 1, P50: 3, P95: 5, P99: 5, Max: 5, Mean: 3}
	if s != want {
		t.Errorf("summarize = %+v, want %+v", s, want)
	}
	if in[0] != 5 || in[4] != 3 {
		t.Errorf("summarize reordered its input: %v", in)
	}
	if (summarize(nil) != Summary{}) {
		t.Errorf("summarize(nil) is not zero")
	}
}

func TestMS(t *testing.T) {
	if got := ms(1500 * time.Microsecond); got != 1.5 {
		t.Errorf("ms(1.5ms) = %v", got)
	}
}
