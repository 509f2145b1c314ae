package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Report is the outcome of one run.
type Report struct {
	Started         time.Time `json:"started"`
	Engine          string    `json:"engine"` // of the conform server: sqlite or postgres
	Resource        string    `json:"resource"`
	CreatePath      string    `json:"create"`
	ReadPath        string    `json:"read"`
	DurationSeconds float64   `json:"duration_seconds"` // measured, per phase and server
	WarmupSeconds   float64   `json:"warmup_seconds"`
	GoVersion       string    `json:"go_version"`
	CPUs            int       `json:"cpus"`
	// PeakRSSPerPhase is false when the peak could not be reset between
	// phases; each peak is then the process's highest so far.
	PeakRSSPerPhase bool `json:"peak_rss_per_phase"`
	// LoadBefore and LoadAfter are the machine's load averages
	// (/proc/loadavg) around the run: on a shared machine they show how
	// much else was running.
	LoadBefore string `json:"load_before,omitempty"`
	LoadAfter  string `json:"load_after,omitempty"`
	// StealPercent is the share of CPU time the hypervisor gave to other
	// machines during the run.
	StealPercent float64 `json:"steal_percent"`
	Phases       []Phase `json:"phases"`
	Targets      []Check `json:"targets"`
}

// Phase is one workload at one concurrency, on both servers.
type Phase struct {
	Workload    string  `json:"workload"` // create or read
	Concurrency int     `json:"concurrency"`
	Bare        Result  `json:"bare"`
	Conform     Result  `json:"conform"`
	Ratio       float64 `json:"ratio"` // conform requests/s over bare requests/s
}

// Result is what one server did in one phase. Latencies and the rate count
// successful requests only; anything else is an error.
type Result struct {
	Requests     int64   `json:"requests"`
	Errors       int64   `json:"errors"`
	FirstError   string  `json:"first_error,omitempty"`
	Seconds      float64 `json:"seconds"`
	PerSecond    float64 `json:"requests_per_second"`
	P50ms        float64 `json:"p50_ms"`
	P99ms        float64 `json:"p99_ms"`
	MaxMs        float64 `json:"max_ms"`
	PeakRSSBytes int64   `json:"peak_rss_bytes"`
}

func (r Result) line(server, workload string, c int) string {
	return fmt.Sprintf("%-7s %-6s c=%-3d %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  max %7.1f ms  errors %d  peak RSS %.1f MiB",
		server, workload, c, r.PerSecond, r.P50ms, r.P99ms, r.MaxMs, r.Errors, mib(r.PeakRSSBytes))
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// Check is one target, judged on one phase of the conform server.
type Check struct {
	Target string `json:"target"`
	Phase  string `json:"phase"`
	Got    string `json:"got"`
	Met    bool   `json:"met"`
}

// The targets for the conform server. The rates hold for SQLite on the
// reference machine; latency and memory for either engine.
const (
	targetCreatePerSecond = 4000
	targetReadPerSecond   = 15000
	targetP99ms           = 25
	targetRSSMiB          = 100
)

func checkTargets(rep Report) []Check {
	var out []Check
	for _, ph := range rep.Phases {
		name := fmt.Sprintf("%s c=%d", ph.Workload, ph.Concurrency)
		r := ph.Conform
		if rep.Engine == "sqlite" {
			if ph.Workload == Create {
				out = append(out, Check{fmt.Sprintf("create >= %d req/s", targetCreatePerSecond), name, fmt.Sprintf("%.0f", r.PerSecond), r.PerSecond >= targetCreatePerSecond})
			} else {
				out = append(out, Check{fmt.Sprintf("read >= %d req/s", targetReadPerSecond), name, fmt.Sprintf("%.0f", r.PerSecond), r.PerSecond >= targetReadPerSecond})
			}
		}
		out = append(out,
			Check{fmt.Sprintf("p99 < %d ms", targetP99ms), name, fmt.Sprintf("%.2f ms", r.P99ms), r.P99ms < targetP99ms},
			Check{"no errors", name, fmt.Sprint(r.Errors), r.Errors == 0},
			Check{fmt.Sprintf("peak RSS < %d MiB", targetRSSMiB), name, fmt.Sprintf("%.1f MiB", mib(r.PeakRSSBytes)), mib(r.PeakRSSBytes) < targetRSSMiB},
		)
	}
	return out
}

// WriteJSON writes the report as indented JSON.
func (rep Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// WriteTable writes the report for people: each phase on both servers with
// the conform/bare ratio, then the targets.
func (rep Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "conform bench, %s: conform server on %s (%s, %s; API token, audit trail) against a bare net/http + SQLite handler\n",
		rep.Started.Format("2006-01-02 15:04 MST"), rep.Engine, rep.CreatePath, rep.ReadPath)
	peak := "per phase"
	if !rep.PeakRSSPerPhase {
		peak = "since start"
	}
	fmt.Fprintf(w, "%gs measured per phase after %gs warm-up; loopback, keep-alive; %d CPUs, %s; peak RSS %s\n",
		rep.DurationSeconds, rep.WarmupSeconds, rep.CPUs, rep.GoVersion, peak)
	if rep.LoadBefore != "" {
		fmt.Fprintf(w, "load average before %s, after %s; CPU stolen by the hypervisor %.1f%%\n", rep.LoadBefore, rep.LoadAfter, rep.StealPercent)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tclients\tserver\treq/s\tp50 ms\tp99 ms\tmax ms\terrors\tpeak RSS MiB\tconform/bare\t")
	for _, ph := range rep.Phases {
		b, c := ph.Bare, ph.Conform
		fmt.Fprintf(tw, "%s\t%d\tbare\t%.0f\t%.2f\t%.2f\t%.1f\t%d\t%.1f\t\t\n", ph.Workload, ph.Concurrency, b.PerSecond, b.P50ms, b.P99ms, b.MaxMs, b.Errors, mib(b.PeakRSSBytes))
		fmt.Fprintf(tw, "\t\tconform\t%.0f\t%.2f\t%.2f\t%.1f\t%d\t%.1f\t%.2f\t\n", c.PerSecond, c.P50ms, c.P99ms, c.MaxMs, c.Errors, mib(c.PeakRSSBytes), ph.Ratio)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, ph := range rep.Phases {
		for _, s := range []struct {
			name string
			r    Result
		}{{"bare", ph.Bare}, {"conform", ph.Conform}} {
			if s.r.FirstError != "" {
				fmt.Fprintf(w, "first error, %s %s c=%d: %s\n", s.name, ph.Workload, ph.Concurrency, s.r.FirstError)
			}
		}
	}
	fmt.Fprintln(w, "\ntargets (conform server):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	missed := 0
	for _, c := range rep.Targets {
		verdict := "met"
		if !c.Met {
			verdict = "MISSED"
			missed++
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.Target, c.Phase, c.Got, verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if missed > 0 {
		fmt.Fprintf(w, "%d of %d targets missed\n", missed, len(rep.Targets))
	} else {
		fmt.Fprintf(w, "all %d targets met\n", len(rep.Targets))
	}
	return nil
}
