package main

import "testing"

func TestTextScannerFindsMarkerAcrossEscapes(t *testing.T) {
	tests := []struct {
		name   string
		chunks []string
		marker string
		want   bool
	}{
		{"plain", []string{"hello\r\n"}, "hello", true},
		{"styled", []string{"\x1b[1;38;5;212mq\x1b[m \x1b[2mquit\x1b[m"}, "q quit", true},
		{"cursor forward over blanks", []string{"q\x1b[3Cquit"}, "q quit", true},
		{"split inside a CSI", []string{"\x1b[38;5", ";212mq qu", "it"}, "q quit", true},
		{"OSC title with BEL is not text", []string{"\x1b]2;q quit\x07nothing"}, "q quit", false},
		{"OSC with ST", []string{"\x1b]11;?\x1b\\q quit"}, "q quit", true},
		{"charset designation", []string{"\x1b(Bq quit"}, "q quit", true},
		{"absent", []string{"\x1b[2J\x1b[Hloading"}, "q quit", false},
		{"utf-8 kept", []string{"↑/↓ scroll"}, "↑/↓ scroll", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s textScanner
			for _, c := range tt.chunks {
				s.Write([]byte(c))
			}
			if got := s.Contains(squeeze(tt.marker)); got != tt.want {
				t.Errorf("Contains(%q) = %v, want %v (text %q)", tt.marker, got, tt.want, s.text)
			}
		})
	}
}

func TestParseStatCPU(t *testing.T) {
	// a command name with spaces and a parenthesis, as the kernel writes it
	line := "4242 (we(ird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 130 0 0 20 0 9 0 12345 1000 200 18446744073709551615\n"
	got, err := parseStatCPU([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if want := 3800 * 1e6; float64(got) != want { // (250+130) ticks at 100 Hz = 3.8 s
		t.Errorf("cpu = %v, want 3.8s", got)
	}
}
