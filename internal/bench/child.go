package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// child is a server running as a child process of the benchmark, so that
// its memory is its own and it competes for the CPU like a real deployment.
type child struct {
	name   string
	cmd    *exec.Cmd
	base   string // http://host:port
	stderr *tail
	done   chan struct{} // closed once the process has exited and been reaped
	err    error         // from Wait, valid after done
}

// startChild runs exe with args and waits until it prints its address.
func startChild(ctx context.Context, name, exe string, env []string, args ...string) (*child, error) {
	cmd := exec.Command(exe, args...)
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c := &child{name: name, cmd: cmd, stderr: &tail{max: 16 << 10}, done: make(chan struct{})}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s server: %w", name, err)
	}
	addr := make(chan string, 1)
	// The reader owns the process: it drains stdout to the end (so the child
	// never blocks on a full pipe), then reaps it.
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				select {
				case addr <- strings.TrimSpace(rest):
				default:
				}
			}
		}
		c.err = cmd.Wait()
		close(c.done)
	}()
	select {
	case c.base = <-addr:
		return c, nil
	case <-c.done:
		return nil, fmt.Errorf("%s server exited before listening (%v): %s", name, c.err, c.stderr)
	case <-time.After(60 * time.Second):
		c.stop()
		return nil, fmt.Errorf("%s server did not print its address within a minute: %s", name, c.stderr)
	case <-ctx.Done():
		c.stop()
		return nil, ctx.Err()
	}
}

// stop asks the child to finish (SIGTERM) and kills it if it has not
// within 20 seconds.
func (c *child) stop() {
	select {
	case <-c.done:
		return
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(20 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// exited reports whether the child has ended, and why.
func (c *child) exited() (bool, error) {
	select {
	case <-c.done:
		return true, c.err
	default:
		return false, nil
	}
}

// resetPeakRSS sets the child's high-water mark of resident memory back to
// its current size, so that the next peak is one phase's.
func (c *child) resetPeakRSS() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", c.cmd.Process.Pid), []byte("5"), 0)
}

// peakRSS is the child's high-water mark of resident memory (VmHWM), in bytes.
func (c *child) peakRSS() (int64, error) {
	return procStatusBytes(c.cmd.Process.Pid, "VmHWM:")
}

func procStatusBytes(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, field); ok {
			f := strings.Fields(rest) // "12345 kB"
			if len(f) != 2 || f[1] != "kB" {
				break
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return 0, err
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.b))
}

// runCommand runs exe to completion and returns its standard output.
func runCommand(ctx context.Context, exe string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		sub := args[0]
		if len(args) > 1 {
			sub += " " + args[1]
		}
		return "", fmt.Errorf("running conform %s failed (%w): %s", sub, err, bytes.TrimSpace(errOut.Bytes()))
	}
	return out.String(), nil
}

// loadAverage is the first three fields of /proc/loadavg, or "" off Linux.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// cpuTimes is the machine's CPU time so far from the first line of
// /proc/stat: all of it, and the part stolen by the hypervisor.
func cpuTimes() (total, steal int64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 9 {
		return 0, 0
	}
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i < 8 { // guest time is already counted in user
			total += n
		}
		if i == 7 {
			steal = n
		}
	}
	return total, steal
}
