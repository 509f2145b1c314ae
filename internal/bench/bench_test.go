package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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

// newCountingServer serves h on a loopback listener and counts the
// connections it accepts.
func newCountingServer(t *testing.T, h http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	var conns atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

func nameBody(name string) []byte {
	b, _ := json.Marshal(map[string]string{"name": name})
	return b
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
	srv, conns := newCountingServer(t, BareHandler(w, r))
	tg := &target{name: "bare", base: srv.URL, createPath: "/items", readPath: "/items", createBody: nameBody, runID: "test"}

	if _, err := drive(ctx, tg, Read, 4, 50*time.Millisecond); err == nil {
		t.Error("read before anything was created: got no error")
	}
	s, err := drive(ctx, tg, Create, 4, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if s.ok == 0 || s.errors != 0 || int64(len(tg.readIDs())) != s.ok {
		t.Fatalf("create: %d ok, %d errors (%s), %d ids; want ok > 0, no errors and an id per success", s.ok, s.errors, s.firstErr, len(tg.readIDs()))
	}
	ids := tg.readIDs()
	slices.Sort(ids)
	if ids = slices.Compact(ids); int64(len(ids)) != s.ok {
		t.Errorf("create: %d distinct ids for %d successes", len(ids), s.ok)
	}
	// One keep-alive connection per worker.
	if got := conns.Load(); got != 4 {
		t.Errorf("create with 4 workers: server accepted %d connections, want 4", got)
	}
	s, err = drive(ctx, tg, Read, 4, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if s.ok == 0 || s.errors != 0 {
		t.Fatalf("read: %d ok, %d errors (%s)", s.ok, s.errors, s.firstErr)
	}
	if p50, p99 := percentile(s.latencies, 50), percentile(s.latencies, 99); p50 <= 0 || p99 < p50 {
		t.Errorf("read latencies: p50 %v, p99 %v", p50, p99)
	}
	if got := conns.Load(); got != 8 {
		t.Errorf("after a read phase with 4 workers: server accepted %d connections, want 8", got)
	}

	// A wrong answer counts as an error, not as a request served.
	tg.readPath = "/nothing"
	s, err = drive(ctx, tg, Read, 2, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if s.ok != 0 || s.errors == 0 || !strings.Contains(s.firstErr, "status 404") {
		t.Errorf("reads of a missing path: %d ok, %d errors (%s); want only 404 errors", s.ok, s.errors, s.firstErr)
	}
}

func TestDriveCountsWrongStatusWithItsMessage(t *testing.T) {
	srv, _ := newCountingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database is locked", http.StatusServiceUnavailable)
	}))
	tg := &target{name: "t", base: srv.URL, createPath: "/things", readPath: "/things", createBody: nameBody, runID: "test"}
	tg.addID(42)
	for _, workload := range []string{Create, Read} {
		s, err := drive(context.Background(), tg, workload, 2, 50*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		wantPrefix := map[string]string{Create: "POST /things: ", Read: "GET /things/42: "}[workload]
		if s.ok != 0 || s.errors == 0 || s.firstErr != wantPrefix+"status 503: database is locked" {
			t.Errorf("%s: %d ok, %d errors, first %q; want only errors, the first %q", workload, s.ok, s.errors, s.firstErr, wantPrefix+"status 503: database is locked")
		}
	}
	if got := tg.readIDs(); len(got) != 1 {
		t.Errorf("ids after failed creates: got %v, want only [42]", got)
	}
}

func TestDriveReconnectsWhenTheServerCloses(t *testing.T) {
	var served atomic.Int64
	srv, conns := newCountingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close") // net/http then closes after the answer
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":%d}`, served.Add(1))
	}))
	tg := &target{name: "t", base: srv.URL, createPath: "/things", readPath: "/things", createBody: nameBody, runID: "test"}
	s, err := drive(context.Background(), tg, Create, 2, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if s.ok < 10 || s.errors != 0 {
		t.Fatalf("%d ok, %d errors (%s); want at least 10 ok and no errors", s.ok, s.errors, s.firstErr)
	}
	if got := conns.Load(); got != s.ok {
		t.Errorf("server accepted %d connections for %d answers, want one each", got, s.ok)
	}
	if got := served.Load(); got != s.ok {
		t.Errorf("server answered %d requests, client counted %d", got, s.ok)
	}
}

func TestDriveReadsChunkedAnswersAndTheTopLevelID(t *testing.T) {
	var served atomic.Int64
	srv, conns := newCountingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		// Flushing before the end makes net/http send the body chunked.
		fmt.Fprint(w, `{"$schema":"http://127.0.0.1/schemas/Team.json","owner":{"id":999},`)
		w.(http.Flusher).Flush()
		fmt.Fprintf(w, `"id":%d,"members":[{"id":998}],"name":"x"}`, served.Add(1))
	}))
	tg := &target{name: "t", base: srv.URL, createPath: "/things", readPath: "/things", createBody: nameBody, runID: "test"}
	s, err := drive(context.Background(), tg, Create, 2, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if s.ok == 0 || s.errors != 0 {
		t.Fatalf("%d ok, %d errors (%s); want only successes", s.ok, s.errors, s.firstErr)
	}
	got := tg.readIDs()
	slices.Sort(got)
	var want []int64
	for i := int64(1); i <= s.ok; i++ {
		want = append(want, i)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("recorded ids (-want +got):\n%s", diff)
	}
	if got := conns.Load(); got != 2 {
		t.Errorf("server accepted %d connections, want 2 (one per worker)", got)
	}
}

func TestDriveStopsWhenCancelled(t *testing.T) {
	srv, _ := newCountingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // never answers; ends when the client goes away
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
		}
	}))
	tg := &target{name: "t", base: srv.URL, createPath: "/things", readPath: "/things", createBody: nameBody, runID: "test"}
	tg.addID(1)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	s, err := drive(ctx, tg, Read, 3, 20*time.Second)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got error %v, want %v", err, context.Canceled)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("drive took %v after cancelling at 100ms", d)
	}
	if s.ok != 0 || s.errors != 0 {
		t.Errorf("%d ok, %d errors (%s); requests cut short by the cancel are neither", s.ok, s.errors, s.firstErr)
	}
}

func TestDriveDoesNotSpinOnRefusedConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	tg := &target{name: "t", base: "http://" + addr, createPath: "/things", readPath: "/things", createBody: nameBody, runID: "test"}
	const workers, d = 2, 50 * time.Millisecond
	s, err := drive(context.Background(), tg, Create, workers, d)
	if err != nil {
		t.Fatal(err)
	}
	// Each failure sleeps a millisecond before the next try.
	if limit := int64(workers * (d/time.Millisecond + 1)); s.ok != 0 || s.errors == 0 || s.errors > limit {
		t.Errorf("%d ok, %d errors; want none ok and 1 to %d errors", s.ok, s.errors, limit)
	}
	if !strings.Contains(s.firstErr, "refused") {
		t.Errorf("first error %q does not say the connection was refused", s.firstErr)
	}
}

func TestRequestWire(t *testing.T) {
	tg := &target{name: "t", base: "http://127.0.0.1:8080", token: "cfm_secret", createPath: "/api/v1/teams", readPath: "/api/v1/teams",
		createBody: nameBody, runID: "run1"}
	tg.addID(7)
	tg.addID(12345)
	for _, tc := range []struct {
		workload, method, path, body string
	}{
		{Create, "POST", "/api/v1/teams", `{"name":"bench run1 1"}`},
		{Read, "GET", "/api/v1/teams/12345", ""},
	} {
		wr, err := tg.wireFor(tc.workload)
		if err != nil {
			t.Fatal(err)
		}
		if wr.addr != "127.0.0.1:8080" {
			t.Errorf("%s: dials %q, want 127.0.0.1:8080", tc.workload, wr.addr)
		}
		// Worker 0, request 1 reads the second id.
		raw := tg.appendRequest([]byte("garbage"), wr, tc.workload, tg.readIDs(), 0, 1)
		raw = bytes.TrimPrefix(raw, []byte("garbage"))
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			t.Fatalf("%s: %v in %q", tc.workload, err, raw)
		}
		body, _ := io.ReadAll(req.Body)
		got := map[string]string{"method": req.Method, "path": req.URL.Path, "proto": req.Proto, "host": req.Host, "body": string(body),
			"accept": req.Header.Get("Accept"), "authorization": req.Header.Get("Authorization"), "content-type": req.Header.Get("Content-Type")}
		want := map[string]string{"method": tc.method, "path": tc.path, "proto": "HTTP/1.1", "host": "127.0.0.1:8080", "body": tc.body,
			"accept": "application/json", "authorization": "Bearer cfm_secret"}
		if tc.body != "" {
			want["content-type"] = "application/json"
		} else {
			want["content-type"] = ""
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s request (-want +got):\n%s", tc.workload, diff)
		}
		if req.ContentLength != int64(len(tc.body)) {
			t.Errorf("%s: Content-Length %d, want %d", tc.workload, req.ContentLength, len(tc.body))
		}
		if got := requestLine(raw); got != tc.method+" "+tc.path {
			t.Errorf("%s: request line %q, want %q", tc.workload, got, tc.method+" "+tc.path)
		}
	}
	if _, err := (&target{base: "https://example.com"}).wireFor(Read); err == nil {
		t.Error("https base: got no error")
	}
	if _, err := tg.wireFor("delete"); err == nil {
		t.Error("unknown workload: got no error")
	}
}

func TestReadResponse(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		status    int
		body      string
		keep      bool
		err       string // part of the error; "" for none
	}{
		{name: "content length", raw: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\nhello",
			status: 200, body: "hello", keep: true},
		{name: "header names in any case", raw: "HTTP/1.1 201 Created\r\ncontent-length:2\r\n\r\n{}", status: 201, body: "{}", keep: true},
		{name: "chunked with extension and trailer",
			raw:    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: 1\r\n\r\n",
			status: 200, body: "hello, world!!!", keep: true},
		{name: "chunked wins over length", raw: "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
			status: 200, body: "ok", keep: true},
		{name: "connection close", raw: "HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 2\r\n\r\nok", status: 200, body: "ok", keep: false},
		{name: "HTTP/1.0", raw: "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", status: 200, body: "ok", keep: false},
		{name: "HTTP/1.0 keep-alive", raw: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", status: 200, body: "ok", keep: true},
		{name: "no content", raw: "HTTP/1.1 204 No Content\r\n\r\n", status: 204, keep: true},
		{name: "error status", raw: "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found", status: 404, body: "not found", keep: true},
		{name: "no length", raw: "HTTP/1.1 200 OK\r\n\r\nhello", err: "neither Content-Length nor Transfer-Encoding"},
		{name: "short body", raw: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", err: "unexpected EOF"},
		{name: "short chunk", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", err: "unexpected EOF"},
		{name: "bad chunk size", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", err: "malformed chunk size"},
		{name: "gzip", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", err: "unsupported Transfer-Encoding"},
		{name: "bad length", raw: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", err: "malformed Content-Length"},
		{name: "bad status", raw: "HTTP/1.1 2x0 OK\r\n\r\n", err: "malformed status line"},
		{name: "not HTTP", raw: "SSH-2.0-OpenSSH_9.6\r\n", err: "malformed status line"},
		{name: "closed before answering", raw: "", err: "EOF"},
		{name: "cut in the headers", raw: "HTTP/1.1 200 OK\r\nContent-Le", err: "unexpected EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A good answer comes twice on one connection: the first must be
			// read to its exact end for the second to parse.
			raw := tc.raw
			if tc.err == "" {
				raw += tc.raw
			}
			hc := &httpConn{r: bufio.NewReader(strings.NewReader(raw))}
			for i := range 2 {
				status, keep, err := hc.readResponse()
				if tc.err != "" {
					if err == nil || !strings.Contains(err.Error(), tc.err) {
						t.Fatalf("got error %v, want one containing %q", err, tc.err)
					}
					return
				}
				if err != nil {
					t.Fatalf("answer %d: %v", i+1, err)
				}
				if status != tc.status || string(hc.body) != tc.body || keep != tc.keep {
					t.Errorf("answer %d: got %d %q keep %v, want %d %q keep %v", i+1, status, hc.body, keep, tc.status, tc.body, tc.keep)
				}
			}
		})
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
