package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// target is one server under load and what it has created so far.
type target struct {
	name       string // "bare" or "conform"
	base       string // http://host:port
	token      string // API token; "" for none
	createPath string // POST here to create
	readPath   string // GET here + "/" + id to read
	createBody func(name string) []byte
	runID      string

	seq atomic.Int64 // makes created names unique

	mu  sync.Mutex
	ids []int64 // created records to read back
}

// maxReadIDs caps how many created ids are kept to read back.
const maxReadIDs = 10000

func (t *target) addID(id int64) {
	t.mu.Lock()
	if len(t.ids) < maxReadIDs {
		t.ids = append(t.ids, id)
	}
	t.mu.Unlock()
}

func (t *target) readIDs() []int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.ids)
}

// Workloads.
const (
	Create = "create"
	Read   = "read"
)

// wire is the fixed text of one workload's requests, built once per phase:
// a request is prefix, a number (the id read, or the length of the body
// created), suffix and the body.
type wire struct {
	addr           string // host:port to dial
	prefix, suffix []byte
	want           int // the status of a success
}

// wireFor builds the fixed text of workload's requests to t.
func (t *target) wireFor(workload string) (wire, error) {
	u, err := url.Parse(t.base)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return wire{}, fmt.Errorf("%s: base %q is not an http:// URL", t.name, t.base)
	}
	w := wire{addr: u.Host}
	if u.Port() == "" {
		w.addr = net.JoinHostPort(u.Hostname(), "80")
	}
	headers := "Host: " + u.Host + "\r\nAccept: application/json\r\n"
	if t.token != "" {
		headers += "Authorization: Bearer " + t.token + "\r\n"
	}
	switch workload {
	case Create:
		w.prefix = []byte("POST " + t.createPath + " HTTP/1.1\r\n" + headers + "Content-Type: application/json\r\nContent-Length: ")
		w.suffix = []byte("\r\n\r\n")
		w.want = http.StatusCreated
	case Read:
		w.prefix = []byte("GET " + t.readPath + "/")
		w.suffix = []byte(" HTTP/1.1\r\n" + headers + "\r\n")
		w.want = http.StatusOK
	default:
		return wire{}, fmt.Errorf("unknown workload %q", workload)
	}
	return w, nil
}

// appendRequest appends the n-th request of worker w to buf.
func (t *target) appendRequest(buf []byte, wr wire, workload string, ids []int64, w, n int) []byte {
	var num int64
	var body []byte
	if workload == Create {
		body = t.createBody("bench " + t.runID + " " + strconv.FormatInt(t.seq.Add(1), 10))
		num = int64(len(body))
	} else {
		// Workers start at different places and step through every id, so
		// reads spread over the table instead of hitting one hot row.
		num = ids[(w*7919+n)%len(ids)]
	}
	buf = append(buf, wr.prefix...)
	buf = strconv.AppendInt(buf, num, 10)
	buf = append(buf, wr.suffix...)
	return append(buf, body...)
}

// requestLine is method and path of req, for error messages.
func requestLine(req []byte) string {
	line, _, _ := bytes.Cut(req, []byte(" HTTP/1.1\r\n"))
	return string(line)
}

// sample is what one load phase measured.
type sample struct {
	ok        int64
	errors    int64
	firstErr  string
	elapsed   time.Duration
	latencies []time.Duration // of the successful requests, sorted
}

// drive sends workload requests to t from concurrency workers for d, each
// on its own keep-alive connection, and measures each request from sending
// it to reading the whole answer.
func drive(ctx context.Context, t *target, workload string, concurrency int, d time.Duration) (sample, error) {
	wr, err := t.wireFor(workload)
	if err != nil {
		return sample{}, err
	}
	var ids []int64
	if workload == Read {
		if ids = t.readIDs(); len(ids) == 0 {
			return sample{}, fmt.Errorf("%s: nothing was created to read back", t.name)
		}
	}
	type worker struct {
		lat      []time.Duration
		errors   int64
		firstErr string
	}
	workers := make([]worker, concurrency)
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			me := &workers[w]
			me.lat = make([]time.Duration, 0, 4096)
			fail := func(msg string) {
				me.errors++
				if me.firstErr == "" {
					me.firstErr = msg
				}
			}
			hc := &httpConn{addr: wr.addr}
			defer hc.close()
			req := make([]byte, 0, 512)
			for n := 0; ctx.Err() == nil; n++ {
				t0 := time.Now()
				if !t0.Before(end) {
					return
				}
				req = t.appendRequest(req[:0], wr, workload, ids, w, n)
				status, body, err := hc.roundTrip(ctx, req, t0.Add(requestTimeout))
				lat := time.Since(t0)
				if err != nil {
					if ctx.Err() == nil {
						fail(fmt.Sprintf("%s: %v", requestLine(req), err))
						// A refused connection fails at once; do not spin.
						time.Sleep(time.Millisecond)
					}
					continue
				}
				if status != wr.want {
					fail(fmt.Sprintf("%s: status %d: %s", requestLine(req), status, clip(string(body), 200)))
					continue
				}
				if workload == Create {
					var out struct {
						ID int64 `json:"id"`
					}
					if err := json.Unmarshal(body, &out); err != nil || out.ID == 0 {
						fail(fmt.Sprintf("%s: no id in %s", requestLine(req), clip(string(body), 200)))
						continue
					}
					t.addID(out.ID)
				}
				me.lat = append(me.lat, lat)
			}
		})
	}
	wg.Wait()
	s := sample{elapsed: time.Since(start)}
	for _, w := range workers {
		s.latencies = append(s.latencies, w.lat...)
		s.errors += w.errors
		if s.firstErr == "" {
			s.firstErr = w.firstErr
		}
	}
	s.ok = int64(len(s.latencies))
	slices.Sort(s.latencies)
	return s, ctx.Err()
}

// percentile is the nearest-rank percentile p (0 < p <= 100) of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(0, min(rank, len(sorted)-1))]
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
