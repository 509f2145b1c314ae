package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/xuri/excelize/v2"
	_ "modernc.org/sqlite"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/sms"
)

// latencies collects the time of each request and reports its
// percentiles as the benchmark's metrics.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	at := func(p float64) float64 { return float64(l[int(p*float64(len(l)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkSaveAnswerHTTP saves one answer to a self-assessment question
// through HTTP on the loopback, one request at a time, each a real change
// (the reply alternates), and reports p50, p95 and p99:
//
//   - bare: a plain net/http handler that decodes the same JSON body and
//     writes the reply with one autocommitted UPDATE of one row in a
//     SQLite file (WAL, synchronous=NORMAL): the floor of any such write;
//   - api: PUT /api/v1/assessment-results/{id}/answers/{n} with a token
//     (authentication, the use case's checks, the version check, the
//     audit entry, the answer in JSON);
//   - page: the questionnaire's htmx save, POST /assessments/{id}/work
//     with a session, answering with the fragment that updates the
//     progress, the readiness and the clause's heatmap in place.
func BenchmarkSaveAnswerHTTP(b *testing.B) {
	b.Run("bare", func(b *testing.B) {
		db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "bare.db")+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		if _, err := db.Exec(`CREATE TABLE results (id INTEGER PRIMARY KEY, answers TEXT NOT NULL, version INTEGER NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO results (id, answers, version) VALUES (1, '[]', 1)`); err != nil {
			b.Fatal(err)
		}
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var in struct {
				Reply string `json:"reply"`
				Note  string `json:"note"`
			}
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			out, _ := json.Marshal([]map[string]any{{"n": 1, "reply": in.Reply, "note": in.Note}})
			if _, err := db.Exec(`UPDATE results SET answers = ?, version = version + 1 WHERE id = 1`, string(out)); err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(out)
		}))
		defer ts.Close()
		saveLoop(b, func(i int) *http.Request {
			req, _ := http.NewRequest(http.MethodPut, ts.URL+"/answers/1", strings.NewReader(answerBody(i)))
			req.Header.Set("Content-Type", "application/json")
			return req
		}, http.StatusOK)
	})
	w := newWorkFixture(b)
	b.Run("api", func(b *testing.B) {
		path := fmt.Sprintf("%s/api/v1/assessment-results/%d/answers/1", w.ts.URL, w.res.ID)
		saveLoop(b, func(i int) *http.Request {
			req, _ := http.NewRequest(http.MethodPut, path, strings.NewReader(answerBody(i)))
			req.Header.Set("Authorization", "Bearer "+w.tokens[access.ProcessOwner])
			req.Header.Set("Content-Type", "application/json")
			return req
		}, http.StatusOK)
	})
	b.Run("page", func(b *testing.B) {
		ctx := context.Background()
		u := w.users[access.ProcessOwner]
		sess, secret, err := w.app.Login(ctx, u.Email, "correct horse battery", "127.0.0.1", "bench")
		if err != nil {
			b.Fatal(err)
		}
		path := fmt.Sprintf("%s/assessments/%d/work", w.ts.URL, w.later)
		saveLoop(b, func(i int) *http.Request {
			form := url.Values{"result": {fmt.Sprint(w.res.ID)}, "reply-1": {[]string{"yes", "no"}[i%2]}}
			req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			req.Header.Set("X-CSRF-Token", sess.CSRF)
			req.Header.Set("Origin", w.ts.URL)
			req.AddCookie(&http.Cookie{Name: "conform_session", Value: secret})
			return req
		}, http.StatusOK)
	})
}

func answerBody(i int) string {
	return fmt.Sprintf(`{"reply":%q,"note":"Checked in the tool, round %d"}`, []string{"yes", "no"}[i%2], i)
}

// saveLoop sends the requests one after another and reports their
// latencies.
func saveLoop(b *testing.B, request func(i int) *http.Request, want int) {
	client := &http.Client{}
	var lat latencies
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		req := request(i)
		i++
		start := time.Now()
		r, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		lat = append(lat, time.Since(start))
		if r.StatusCode != want {
			b.Fatalf("got %d %s, want %d", r.StatusCode, body, want)
		}
	}
	lat.report(b)
}

// BenchmarkAssessmentExportHTTP downloads a full assessment (every
// requirement of the built-in framework with a status, an owner, notes
// and every question answered) through HTTP on the loopback, as XLSX and
// as PDF: reading the assessment, writing the file and sending it. The
// bare baseline, in the same run, is the same library writing a file
// with one cell (one line of text) behind a plain handler: what the
// library costs before any content.
func BenchmarkAssessmentExportHTTP(b *testing.B) {
	w := newWorkFixture(b)
	fillAssessment(b, w)
	for _, format := range []string{"xlsx", "pdf"} {
		b.Run(format+"/bare", func(b *testing.B) {
			ts := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				out, err := bareFile(format)
				if err != nil {
					http.Error(rw, err.Error(), 500)
					return
				}
				_, _ = rw.Write(out)
			}))
			defer ts.Close()
			saveLoop(b, func(int) *http.Request { req, _ := http.NewRequest(http.MethodGet, ts.URL, nil); return req }, http.StatusOK)
		})
		b.Run(format+"/conform", func(b *testing.B) {
			path := fmt.Sprintf("%s/api/v1/assessments/%d/export?format=%s", w.ts.URL, w.later, format)
			saveLoop(b, func(int) *http.Request {
				req, _ := http.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Authorization", "Bearer "+w.tokens[access.SMSManager])
				return req
			}, http.StatusOK)
		})
	}
}

// fillAssessment gives every result of the later assessment a status, a
// maturity, an owner, notes and an answer to each of its questions.
func fillAssessment(b *testing.B, w workFixture) {
	b.Helper()
	ctx := context.Background()
	actor := w.users[access.SMSManager].Actor("bench")
	rp, err := w.areas.SMS.Report(ctx, actor, w.later)
	if err != nil {
		b.Fatal(err)
	}
	owner := w.users[access.ProcessOwner].ID
	for i, r := range rp.Results {
		status, maturity := []string{"implemented", "partial", "not_started"}[i%3], int64(i%6)
		notes := "What is in place and what is missing, as the owner said in the workshop on the " + rp.Requirements[r.RequirementID].Code + " requirement."
		up := sms.ResultUpdate{Status: &status, Maturity: &maturity, OwnerID: &owner, Notes: &notes}
		for n := range rp.Requirements[r.RequirementID].QuestionList() {
			reply, note := sms.Replies[n%3].Code, "Seen in the records of last month."
			up.Answers = append(up.Answers, sms.AnswerChange{N: n + 1, Reply: &reply, Note: &note})
		}
		if _, err := w.areas.SMS.UpdateResult(ctx, actor, r.ID, 0, up); err != nil {
			b.Fatal(err)
		}
	}
}

// bareFile is the smallest file of a format the library writes: one cell,
// or one line on one page.
func bareFile(format string) ([]byte, error) {
	var buf bytes.Buffer
	if format == "xlsx" {
		f := excelize.NewFile()
		defer f.Close()
		if err := f.SetCellValue("Sheet1", "A1", "Readiness"); err != nil {
			return nil, err
		}
		err := f.Write(&buf)
		return buf.Bytes(), err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 10)
	pdf.Cell(0, 5, "Readiness")
	err := pdf.Output(&buf)
	return buf.Bytes(), err
}
