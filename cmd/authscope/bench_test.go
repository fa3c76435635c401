package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func buildBinary(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "authscope")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// BenchmarkCheckDemoAuto runs the built binary, process start included, as
// a user would: `authscope check --demo --auto`. It reports the median run
// time and the largest peak RSS.
func BenchmarkCheckDemoAuto(b *testing.B) {
	bin := buildBinary(b)
	var times []time.Duration
	var maxRSS int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		cmd := exec.Command(bin, "check", "--demo", "--auto")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("run: %v\n%s", err, out)
		}
		times = append(times, time.Since(start))
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > maxRSS {
			maxRSS = ru.Maxrss
		}
	}
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(maxRSS)/1024, "peak-rss-MB")
}

// BenchmarkInteractiveIdleAndRSS runs the interface in tmux: it measures
// the CPU used over 10 s while waiting for the sign-in, then signs in as
// the demo user, waits for the verdict and reads the process's peak RSS.
// Run it with -benchtime 1x.
func BenchmarkInteractiveIdleAndRSS(b *testing.B) {
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		b.Skip("tmux is not installed")
	}
	bin := buildBinary(b)
	for i := 0; i < b.N; i++ {
		sock := filepath.Join(b.TempDir(), "s")
		run := func(args ...string) string {
			out, err := exec.Command(tmux, append([]string{"-S", sock}, args...)...).CombinedOutput()
			if err != nil {
				b.Fatalf("tmux %v: %v %s", args, err, out)
			}
			return string(out)
		}
		run("new-session", "-d", "-s", "t", "-x", "120", "-y", "40", "env", "TERM=xterm-256color", bin, "--demo", "--no-browser")
		wait := func(what string) {
			for deadline := time.Now().Add(30 * time.Second); ; {
				if strings.Contains(run("capture-pane", "-p", "-t", "t"), what) {
					return
				}
				if time.Now().After(deadline) {
					b.Fatalf("no %q on screen", what)
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		wait("Press a")
		pid := strings.TrimSpace(run("display", "-p", "-t", "t", "#{pane_pid}"))
		t0, c0 := time.Now(), cpuTicks(b, pid)
		time.Sleep(10 * time.Second)
		c1, t1 := cpuTicks(b, pid), time.Now()
		idle := float64(c1-c0) / 100 / t1.Sub(t0).Seconds() * 100 // clock ticks are 1/100 s on Linux
		run("send-keys", "-t", "t", "a")
		wait("isAuthenticated: true")
		rss := vmHWM(b, pid)
		run("send-keys", "-t", "t", "q")
		_ = exec.Command(tmux, "-S", sock, "kill-server").Run()
		b.ReportMetric(idle, "idle-cpu-%")
		b.ReportMetric(rss, "peak-rss-MB")
	}
}

func cpuTicks(b *testing.B, pid string) int64 {
	data, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s
}

func vmHWM(b *testing.B, pid string) float64 {
	data, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), "%f", &kb)
			return kb / 1024
		}
	}
	b.Fatal("no VmHWM")
	return 0
}
