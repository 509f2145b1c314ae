package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/store"
)

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0.1, time.Millisecond}} {
		if got := percentile(d, tc.p); got != tc.want {
			t.Errorf("p%v: got %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("p50 of nothing: got %v, want 0", got)
	}
}

func TestDriveBareHandler(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w, r := db.Pools()
	if _, err := w.ExecContext(ctx, bareSchema); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(BareHandler(w, r))
	defer srv.Close()
	nameBody := func(name string) []byte { b, _ := json.Marshal(map[string]string{"name": name}); return b }
	tg := &target{name: "bare", base: srv.URL, createPath: "/items", readPath: "/items", createBody: nameBody, runID: "test"}
	client := newClient(4)
	defer client.CloseIdleConnections()

	if _, err := drive(ctx, client, tg, Read, 4, 50*time.Millisecond); err == nil {
		t.Error("read before anything was created: got no error")
	}
	s, err := drive(ctx, client, tg, Create, 4, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if s.ok == 0 || s.errors != 0 || int64(len(tg.readIDs())) != s.ok {
		t.Fatalf("create: %d ok, %d errors (%s), %d ids; want ok > 0, no errors and an id per success", s.ok, s.errors, s.firstErr, len(tg.readIDs()))
	}
	s, err = drive(ctx, client, tg, Read, 4, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if s.ok == 0 || s.errors != 0 {
		t.Fatalf("read: %d ok, %d errors (%s)", s.ok, s.errors, s.firstErr)
	}
	if p50, p99 := percentile(s.latencies, 50), percentile(s.latencies, 99); p50 <= 0 || p99 < p50 {
		t.Errorf("read latencies: p50 %v, p99 %v", p50, p99)
	}

	// A wrong answer counts as an error, not as a request served.
	tg.readPath = "/nothing"
	s, err = drive(ctx, client, tg, Read, 2, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if s.ok != 0 || s.errors == 0 || !strings.Contains(s.firstErr, "status 404") {
		t.Errorf("reads of a missing path: %d ok, %d errors (%s); want only 404 errors", s.ok, s.errors, s.firstErr)
	}
}

func TestPeakRSSOfThisProcess(t *testing.T) {
	n, err := procStatusBytes(os.Getpid(), "VmHWM:")
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if n < 1<<20 {
		t.Errorf("VmHWM of the test: got %d bytes, want at least 1 MiB", n)
	}
}

func TestReportTableAndTargets(t *testing.T) {
	rep := Report{Engine: "sqlite", Phases: []Phase{
		{Workload: Create, Concurrency: 16, Bare: Result{PerSecond: 8000}, Conform: Result{PerSecond: 4100, P99ms: 9, PeakRSSBytes: 50 << 20}, Ratio: 0.51},
		{Workload: Read, Concurrency: 16, Bare: Result{PerSecond: 30000}, Conform: Result{PerSecond: 9000, P99ms: 30, PeakRSSBytes: 50 << 20, Errors: 2, FirstError: "status 500"}, Ratio: 0.3},
	}}
	rep.Targets = checkTargets(rep)
	missed := map[string]bool{}
	for _, c := range rep.Targets {
		if !c.Met {
			missed[c.Target+" "+c.Phase] = true
		}
	}
	want := map[string]bool{"read >= 15000 req/s read c=16": true, "p99 < 25 ms read c=16": true, "no errors read c=16": true}
	if len(missed) != len(want) {
		t.Errorf("missed %v, want %v", missed, want)
	}
	for k := range want {
		if !missed[k] {
			t.Errorf("%q not missed; missed %v", k, missed)
		}
	}
	var b bytes.Buffer
	if err := rep.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"conform/bare", "0.51", "3 of 8 targets missed", "first error, conform read c=16: status 500"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, b.String())
		}
	}
}
