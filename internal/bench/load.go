package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
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

// request builds the n-th request of worker w, and says which status
// answers it and whether the body holds a created id.
func (t *target) request(ctx context.Context, workload string, ids []int64, w, n int) (*http.Request, int, error) {
	var req *http.Request
	var err error
	want := http.StatusOK
	switch workload {
	case Create:
		name := fmt.Sprintf("bench %s %d", t.runID, t.seq.Add(1))
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, t.base+t.createPath, bytes.NewReader(t.createBody(name)))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
		}
		want = http.StatusCreated
	case Read:
		// Workers start at different places and step through every id, so
		// reads spread over the table instead of hitting one hot row.
		id := ids[(w*7919+n)%len(ids)]
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s%s/%d", t.base, t.readPath, id), nil)
	default:
		return nil, 0, fmt.Errorf("unknown workload %q", workload)
	}
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Accept", "application/json")
	if t.token != "" {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	return req, want, nil
}

// newClient is a keep-alive client with an idle connection for every worker.
func newClient(concurrency int) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * concurrency,
		MaxIdleConnsPerHost: 2 * concurrency,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// sample is what one load phase measured.
type sample struct {
	ok        int64
	errors    int64
	firstErr  string
	elapsed   time.Duration
	latencies []time.Duration // of the successful requests, sorted
}

// drive sends workload requests to t from concurrency workers for d and
// measures each request from sending it to reading the whole answer.
func drive(ctx context.Context, client *http.Client, t *target, workload string, concurrency int, d time.Duration) (sample, error) {
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
			for n := 0; ctx.Err() == nil; n++ {
				t0 := time.Now()
				if !t0.Before(end) {
					return
				}
				req, want, err := t.request(ctx, workload, ids, w, n)
				if err != nil {
					fail(err.Error())
					return
				}
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						fail(err.Error())
						// A refused connection fails at once; do not spin.
						time.Sleep(time.Millisecond)
					}
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat := time.Since(t0)
				if err != nil {
					fail(err.Error())
					continue
				}
				if resp.StatusCode != want {
					fail(fmt.Sprintf("%s %s: status %d: %s", req.Method, req.URL.Path, resp.StatusCode, clip(string(body), 200)))
					continue
				}
				if workload == Create {
					var out struct {
						ID int64 `json:"id"`
					}
					if err := json.Unmarshal(body, &out); err != nil || out.ID == 0 {
						fail(fmt.Sprintf("POST %s: no id in %s", req.URL.Path, clip(string(body), 200)))
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
