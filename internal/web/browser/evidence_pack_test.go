package browser

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
)

// Export an evidence pack from the audit's page and check it as the
// auditor receiving it would: the browser downloads the ZIP, and in the
// unzipped folder `sha256sum -c MANIFEST.sha256` passes for every file.
func TestExportAndVerifyAnEvidencePack(t *testing.T) {
	sha256sum, err := exec.LookPath("sha256sum")
	if err != nil {
		skipOrFail(t, "sha256sum (coreutils) is not installed: it checks the pack's manifest")
	}
	s := newDemoSite(t)
	issued, _, err := s.areas.Assurance.ListAudits(context.Background(), access.CLI, store.AuditListFilter{State: "report_issued", Limit: 1})
	if err != nil || len(issued) != 1 {
		t.Fatalf("the demo's issued audit: %v %v", issued, err)
	}
	b := newTab(t, s.url)
	if got := b.signIn("drew.okafor@northwind.example", demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: %d", got)
	}
	dir := t.TempDir()
	done := make(chan *browser.EventDownloadProgress, 1)
	var mu sync.Mutex
	var suggested string
	listen := func(ev any) {
		switch ev := ev.(type) {
		case *browser.EventDownloadWillBegin:
			mu.Lock()
			suggested = ev.SuggestedFilename
			mu.Unlock()
		case *browser.EventDownloadProgress:
			if ev.State == browser.DownloadProgressStateCompleted || ev.State == browser.DownloadProgressStateCanceled {
				select {
				case done <- ev:
				default:
				}
			}
		}
	}
	// Download events come from the browser or from the tab that asked
	// for them, depending on the Chromium: listen to both.
	if err := chromedp.ListenBrowser(b.ctx, listen); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(b.ctx, listen); err != nil {
		t.Fatal(err)
	}
	enabled := true
	run(b, "allow downloads", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &enabled})
		return err
	}))
	b.mustOpen(fmt.Sprintf("/audits/%d", issued[0].ID))
	link := `a[href$="/evidence-pack.zip"]`
	if got := b.text(link); !strings.Contains(got, "Download the evidence pack") {
		t.Fatalf("the audit's page offers no evidence pack: %q", got)
	}
	run(b, "download the pack", chromedp.Click(chromedp.CSS(link), chromedp.NodeVisible))
	var ev *browser.EventDownloadProgress
	select {
	case ev = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the download did not finish in 30 s")
	}
	if ev.State != browser.DownloadProgressStateCompleted {
		t.Fatalf("the download ended %s", ev.State)
	}
	number := fmt.Sprintf("AUD-%06d", issued[0].ID)
	mu.Lock()
	if suggested != number+"-evidence-pack.zip" {
		t.Errorf("the browser offers to save it as %q", suggested)
	}
	mu.Unlock()
	file := ev.FilePath
	if file == "" {
		file = filepath.Join(dir, ev.GUID)
	}
	out := filepath.Join(dir, "unpacked")
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatalf("the download is not a ZIP: %v", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		path := filepath.Join(out, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(path, out+string(os.PathSeparator)) {
			t.Fatalf("%q escapes the folder", f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	check := exec.Command(sha256sum, "-c", "--strict", "MANIFEST.sha256")
	check.Dir = filepath.Join(out, number+"-evidence-pack")
	got, err := check.CombinedOutput()
	if err != nil {
		t.Fatalf("sha256sum -c MANIFEST.sha256: %v\n%s", err, got)
	}
	for _, want := range []string{"index.html: OK", "audit/" + number + "-report.pdf: OK", "audit/" + number + "-report-issued.json: OK", "records/evidence.csv: OK"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("sha256sum -c does not say %q:\n%s", want, got)
		}
	}
	// The index opens in the browser, by clause.
	b.mustOpenFile(filepath.Join(check.Dir, "index.html"))
	if h := b.text("h1"); !strings.Contains(h, number) {
		t.Errorf("the pack's index: heading %q", h)
	}
	if n := b.count(`section[id^="clause-"]`); n == 0 {
		t.Errorf("the pack's index has no clause")
	}
}

// mustOpenFile loads a file of this machine in the tab.
func (b *tab) mustOpenFile(path string) {
	b.t.Helper()
	run(b, "open "+path, chromedp.Navigate("file://"+path))
}
