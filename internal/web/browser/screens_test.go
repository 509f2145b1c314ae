package browser

import (
	"context"
	"fmt"
	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/store"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/sms"
)

// Every page, at desktop and phone width, in the light and the dark
// scheme: a full-page screenshot of each goes to the screenshot folder
// (CONFORM_SCREENSHOT_DIR, in CI the artifacts), for people to look at,
// and at phone width the page must fit the screen: no sideways scrolling
// of the page itself.
func TestEveryPage(t *testing.T) {
	s := newDemoSite(t)
	ids := someIDs(t, s)
	fw, req := builtInIDs(t, s, "8.6.1")
	asm, res := someAssessment(t, s)
	policy, policyVersion, draftVersion := someDocument(t, s)
	sc := someScopeRecords(t, s)
	dir := os.Getenv("CONFORM_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "conform-screenshots")
	}
	dir = filepath.Join(dir, "pages")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, path string }{
		{"home", "/"},
		{"users", "/users"},
		{"user", fmt.Sprintf("/users/%d", ids.user)},
		{"user-history", fmt.Sprintf("/users/%d?tab=history", ids.user)},
		{"user-new", "/users/new"},
		{"user-edit", fmt.Sprintf("/users/%d/edit", ids.user)},
		{"teams", "/teams"},
		{"team", fmt.Sprintf("/teams/%d", ids.team)},
		{"team-history", fmt.Sprintf("/teams/%d?tab=history", ids.team)},
		{"team-new", "/teams/new"},
		{"team-edit", fmt.Sprintf("/teams/%d/edit", ids.team)},
		{"organisations", "/organisations"},
		{"organisations-none", "/organisations?q=no+such+name"},
		{"organisation", fmt.Sprintf("/organisations/%d", ids.org)},
		{"organisation-history", fmt.Sprintf("/organisations/%d?tab=history", ids.org)},
		{"organisation-new", "/organisations/new"},
		{"frameworks", "/frameworks"},
		{"framework", fmt.Sprintf("/frameworks/%d", fw)},
		{"framework-history", fmt.Sprintf("/frameworks/%d?tab=history", fw)},
		{"framework-import", "/frameworks/import"},
		{"actions", "/actions"},
		{"actions-overdue", "/actions?due=overdue"},
		{"action", fmt.Sprintf("/actions/%d", someAction(t, s))},
		{"action-new", "/actions/new"},
		{"actions-timeline", "/actions/timeline"},
		{"assessments", "/assessments"},
		{"assessment", fmt.Sprintf("/assessments/%d", asm.ID)},
		{"assessment-new", "/assessments/new"},
		{"assessment-result", fmt.Sprintf("/assessment-results/%d", res)},
		{"assessment-result-edit", fmt.Sprintf("/assessment-results/%d/edit", res)},
		{"assessment-work", fmt.Sprintf("/assessments/%d/work?clause=8.6.1", asm.ID)},
		{"assessment-compare", fmt.Sprintf("/assessments/%d/compare", asm.ID)},
		{"requirement", fmt.Sprintf("/requirements/%d", req)},
		{"evidence", "/evidence"},
		{"evidence-expired", "/evidence?fresh=expired"},
		{"evidence-record", fmt.Sprintf("/evidence/%d", someEvidence(t, s))},
		{"evidence-new", fmt.Sprintf("/evidence/new?requirement_id=%d", req)},
		{"documents", "/documents"},
		{"document", fmt.Sprintf("/documents/%d", policy.ID)},
		{"document-version", fmt.Sprintf("/document-versions/%d", policyVersion)},
		{"document-version-edit", fmt.Sprintf("/document-versions/%d/edit", draftVersion)},
		{"document-checklist", "/document-checklist"},
		{"scopes", "/scopes"},
		{"scope-draft", fmt.Sprintf("/scopes/%d", sc.draft)},
		{"scope-edit", fmt.Sprintf("/scopes/%d/edit", sc.draft)},
		{"services", "/services"},
		{"service", fmt.Sprintf("/services/%d", sc.service)},
		{"context-issues", "/context-issues"},
		{"context-issue-new", "/context-issues/new"},
		{"interested-parties", "/interested-parties"},
		{"communications", "/communications"},
		{"tokens", "/tokens"},
		{"notifications", "/notifications"},
		{"journey", "/journey"},
		{"readiness", "/readiness"},
		{"dashboard", "/dashboard"},
		{"audit", "/audit"},
		{"audit-entry", "/audit/1"},
		{"audit-verify", "/audit/verify"},
		{"account", "/account"},
		{"components", "/dev/components"},
		{"not-found", "/no/such/page"},
	}
	pages = append(pages, trainingPages(t, s)...)
	pages = append(pages, processPages(t, s)...)
	pages = append(pages, riskPages(t, s)...)
	pages = append(pages, reviewPages(t, s)...)
	pages = append(pages, certificationPages(t, s)...)
	pages = append(pages, nonconformityPages(t, s)...)
	pages = append(pages, auditPages(t, s)...)
	for _, w := range []struct {
		name          string
		width, height int64
		mobile        bool
		lang          string
	}{{"1280", 1280, 900, false, ""}, {"390", 390, 844, true, ""}, {"1280-de", 1280, 900, false, "de-DE,de"}} {
		t.Run(w.name, func(t *testing.T) {
			b := newTab(t, s.url)
			if w.mobile {
				run(b, "emulate a phone", chromedp.EmulateViewport(w.width, w.height, chromedp.EmulateMobile, chromedp.EmulateTouch))
			} else {
				run(b, "set the window", chromedp.EmulateViewport(w.width, w.height))
			}
			b.colorScheme("light")
			if w.lang != "" {
				acceptLanguage(b, w.lang)
			}
			b.mustOpen("/login")
			shoot(t, b, dir, "login-"+w.name+"-light")
			if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
				t.Fatalf("sign in: got status %d, want 200", got)
			}
			for _, pg := range pages {
				t.Run(pg.name, func(t *testing.T) {
					b := b.in(t)
					b.open(pg.path)
					schemes := []string{"light", "dark"}
					if w.lang != "" {
						schemes = schemes[:1]
					}
					for _, scheme := range schemes {
						b.colorScheme(scheme)
						if w.mobile {
							type fit struct{ ScrollWidth, InnerWidth int64 }
							if got := eval[fit](b, `({ScrollWidth: document.documentElement.scrollWidth, InnerWidth: innerWidth})`); got.ScrollWidth > got.InnerWidth {
								t.Errorf("%s: the page is %dpx wide in a %dpx screen; it must fit without sideways scrolling", pg.path, got.ScrollWidth, got.InnerWidth)
							}
						}
						shoot(t, b, dir, pg.name+"-"+w.name+"-"+scheme)
					}
					b.colorScheme("light")
				})
			}
		})
	}
}

// builtInIDs finds the built-in framework and one of its requirements.
func builtInIDs(t *testing.T, s *site, code string) (framework, requirement int64) {
	t.Helper()
	ctx := context.Background()
	f, err := s.app.DB().FrameworkByCode(ctx, sms.BuiltInCode)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.app.DB().RequirementTree(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Code == code {
			return f.ID, r.ID
		}
	}
	t.Fatalf("the built-in framework has no requirement %s", code)
	return 0, 0
}

// shoot writes a full-page screenshot of the tab as dir/name.png.
func shoot(t *testing.T, b *tab, dir, name string) {
	t.Helper()
	png := run(b, "screenshot", chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// someAssessment finds the demo's assessment and the result of its
// incident management requirement.
func someAssessment(t *testing.T, s *site) (sms.Assessment, int64) {
	t.Helper()
	ctx := context.Background()
	as, _, err := s.areas.SMS.ListAssessments(ctx, access.CLI, store.AssessmentFilter{State: "open", Limit: 1})
	if err != nil || len(as) != 1 {
		t.Fatalf("find the demo assessment: %v %v", as, err)
	}
	reqs, _, err := s.areas.SMS.ListRequirements(ctx, access.CLI, store.RequirementFilter{Query: "incident management", Limit: 1})
	if err != nil || len(reqs) != 1 {
		t.Fatalf("find a requirement: %v %v", reqs, err)
	}
	rs, _, err := s.areas.SMS.ListResults(ctx, access.CLI, store.ResultFilter{AssessmentID: as[0].ID, RequirementID: reqs[0].ID})
	if err != nil || len(rs) != 1 {
		t.Fatalf("find a demo result: %v %v", rs, err)
	}
	return as[0], rs[0].ID
}

// someAction finds one of the demo's actions.
func someAction(t *testing.T, s *site) int64 {
	t.Helper()
	as, _, err := s.areas.SMS.ListActions(context.Background(), access.CLI, store.ActionFilter{Query: "major incident", Limit: 1})
	if err != nil || len(as) != 1 {
		t.Fatalf("find a demo action: %v %v", as, err)
	}
	return as[0].ID
}
