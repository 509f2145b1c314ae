package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/files"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// Evidence pack benchmark sizes: 500 uploaded files of 400 KiB, 200 MiB
// in all, on the requirements of clause 8, the audit's scope.
const (
	packItems    = 500
	packFileSize = 400 << 10
)

// BenchmarkEvidencePack measures, on each engine, the evidence pack of an
// audit whose scope holds 500 evidence items of 400 KiB each (200 MiB),
// downloaded through the API with a token and thrown away as it comes,
// and how the server's memory grows while it is written, sampled every
// 5 ms: the heap kept (live at each collection), the heap's objects
// (with the garbage not yet collected) and all the memory the runtime
// holds (about the resident size), each from a collected, trimmed start. The baseline
// reads the same 500 files from the database and throws them away: the
// floor of any pack (docs/PERFORMANCE.md).
func BenchmarkEvidencePack(b *testing.B) {
	for _, e := range []storetest.Engine{storetest.SQLite, storetest.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			db := storetest.Open(b, e)
			f := newFixtureOn(b, db)
			ctx := context.Background()
			auditID, hashes := loadEvidencePack(b, f)
			h := f.srv.Handler()
			token := f.tokens[access.InternalAuditor]
			for _, m := range []struct {
				name string
				run  func() (int64, error)
			}{
				{"baseline-read-files", func() (int64, error) {
					var n int64
					for _, hash := range hashes {
						data, err := f.db.Blob(ctx, hash)
						if err != nil {
							return n, err
						}
						n += int64(len(data))
					}
					return n, nil
				}},
				{"pack", func() (int64, error) {
					req := httptest.NewRequest(http.MethodGet, "/api/v1/audits/"+itoa(auditID)+"/evidence-pack", nil)
					req.Header.Set("Authorization", "Bearer "+token)
					w := &discardWriter{header: http.Header{}}
					h.ServeHTTP(w, req)
					if w.status != http.StatusOK {
						return w.n, fmt.Errorf("evidence pack: %d", w.status)
					}
					return w.n, nil
				}},
			} {
				b.Run(m.name, func(b *testing.B) {
					var took latencies
					var livePeak, heapPeak, heldPeak float64
					var bytes int64
					for b.Loop() {
						runtime.GC()
						debug.FreeOSMemory()
						m0 := memNow()
						var peak memPeak
						done := make(chan struct{})
						sampled := make(chan struct{})
						go func() {
							defer close(sampled)
							t := time.NewTicker(5 * time.Millisecond)
							defer t.Stop()
							for {
								select {
								case <-done:
									peak.add(memNow())
									return
								case <-t.C:
									peak.add(memNow())
								}
							}
						}()
						start := time.Now()
						n, err := m.run()
						took = append(took, time.Since(start))
						close(done)
						<-sampled
						if err != nil {
							b.Fatal(err)
						}
						bytes = n
						mib := func(a, b uint64) float64 { return float64(int64(a)-int64(b)) / (1 << 20) }
						livePeak = max(livePeak, mib(peak.live, m0.live))
						heapPeak = max(heapPeak, mib(peak.heap, m0.heap))
						heldPeak = max(heldPeak, mib(peak.held, m0.held))
					}
					took.report(b)
					b.ReportMetric(float64(bytes)/(1<<20), "MiB-out")
					b.ReportMetric(livePeak, "live-heap-growth-MiB")
					b.ReportMetric(heapPeak, "heap-growth-MiB")
					b.ReportMetric(heldPeak, "mem-growth-MiB")
				})
			}
		})
	}
}

// memSample is the memory of the process as the Go runtime sees it:
// the heap live at the last collection (what is kept), the heap's objects
// now (kept and garbage not yet collected), and all the memory the
// runtime holds from the system and has not given back (about the
// resident size).
type memSample struct{ live, heap, held uint64 }

func memNow() memSample {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return memSample{live: s[0].Value.Uint64(), heap: s[1].Value.Uint64(), held: s[2].Value.Uint64() - s[3].Value.Uint64()}
}

// memPeak keeps the highest of each measure sampled.
type memPeak struct {
	mu sync.Mutex
	memSample
}

func (p *memPeak) add(m memSample) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.live, p.heap, p.held = max(p.live, m.live), max(p.heap, m.heap), max(p.held, m.held)
}

// discardWriter is a ResponseWriter that counts what is written and keeps
// none of it, as a client reading a download to its end.
type discardWriter struct {
	header http.Header
	status int
	n      int64
}

func (w *discardWriter) Header() http.Header { return w.header }
func (w *discardWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += int64(len(p))
	return len(p), nil
}

// loadEvidencePack stores 500 uploaded files of evidence, each its own
// content, over the requirements of clause 8, and an audit of clause 8;
// it returns the audit and the files' hashes.
func loadEvidencePack(b *testing.B, f *fixture) (int64, []string) {
	ctx := context.Background()
	reqs, err := f.areas.Assurance.Requirements(ctx, access.CLI)
	if err != nil {
		b.Fatal(err)
	}
	var eight []int64
	var clause8 int64
	for _, r := range reqs {
		switch {
		case r.Code == "8":
			clause8 = r.ID
		case strings.HasPrefix(r.Code, "8."):
			eight = append(eight, r.ID)
		}
	}
	mgr := f.users[access.SMSManager]
	actor := mgr.Actor("bench")
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, packFileSize)
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,\n"
	review := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	hashes := make([]string, 0, packItems)
	for i := range packItems {
		// A fixed first line: random letters may begin with a signature
		// (BM, a bitmap's) that makes the content something else.
		n := copy(data, fmt.Sprintf("Record sample %03d\n", i))
		for j := n; j < len(data); j++ {
			data[j] = letters[rng.IntN(len(letters))]
		}
		e, err := f.areas.SMS.CreateEvidence(ctx, actor, sms.EvidenceInput{Title: fmt.Sprintf("Record sample %d", i), RequirementID: eight[i%len(eight)],
			OwnerID: mgr.ID, ReviewBy: review, Kind: sms.EvidenceFile}, &files.Upload{Field: "file", Name: fmt.Sprintf("sample-%03d.txt", i), Data: data})
		if err != nil {
			b.Fatal(err)
		}
		hashes = append(hashes, e.FileHash)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	au, err := f.areas.Assurance.CreateAudit(ctx, actor, assurance.AuditInput{Title: "Operation", RequirementIDs: []int64{clause8}, PlannedStart: today, PlannedEnd: today})
	if err != nil {
		b.Fatal(err)
	}
	if ev, _, err := f.areas.SMS.ListEvidence(ctx, actor, store.EvidenceFilter{Limit: 1}); err != nil || len(ev) == 0 {
		b.Fatalf("evidence stored: %v", err)
	}
	return au.ID, hashes
}
