package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat. It is 100 on every
// Linux architecture Go supports (the kernel's HZ may differ, USER_HZ does not), and reading
// it properly needs sysconf via cgo, which this tool avoids.
const clockTicks = 100

// cpuTime returns the user+system CPU time the process pid has used so far, from
// /proc/PID/stat (fields 14 and 15, counted after the parenthesised command name, which may
// itself contain spaces and parentheses).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(b)
}

func parseStatCPU(b []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("parse /proc stat: no command name")
	}
	// After ") " come field 3 (state) onwards; utime is field 14, stime field 15.
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("parse /proc stat: %d fields", len(fields))
	}
	utime, err := strconv.ParseInt(fields[11], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("parse utime %q: %w", fields[11], err)
	}
	stime, err := strconv.ParseInt(fields[12], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("parse stime %q: %w", fields[12], err)
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// procStatus holds what the tool reads from /proc/PID/status.
type procStatus struct {
	RSSKiB  int64 // VmRSS: resident memory now
	HWMKiB  int64 // VmHWM: peak resident memory
	Threads int64 // OS threads (not goroutines)
}

func readStatus(pid int) (procStatus, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procStatus{}, err
	}
	defer f.Close()
	var st procStatus
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fs := strings.Fields(v)
		if len(fs) == 0 {
			continue
		}
		n, err := strconv.ParseInt(fs[0], 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "VmRSS":
			st.RSSKiB = n
		case "VmHWM":
			st.HWMKiB = n
		case "Threads":
			st.Threads = n
		}
	}
	return st, sc.Err()
}

// raiseNoFile lifts the soft RLIMIT_NOFILE to the hard limit; child processes inherit it.
// Every open session costs the client one socket and the server one socket (plus a PTY pair
// when the server allocates real PTYs), so 2,000 sessions need 4,000+ descriptors.
func raiseNoFile() (soft, hard uint64, err error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, 0, err
	}
	if rl.Cur < rl.Max {
		rl.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
			return 0, 0, err
		}
	}
	return rl.Cur, rl.Max, nil
}

// selfCPU is the CPU time the load tool itself used, to show how much of the two cores the
// client took from the server.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
