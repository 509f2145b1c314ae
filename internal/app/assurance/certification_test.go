package assurance_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	assuranceapp "github.com/conform-itsm/conform/internal/app/assurance"
	"github.com/conform-itsm/conform/internal/areas"
	"github.com/conform-itsm/conform/internal/assurance"
	"github.com/conform-itsm/conform/internal/errs"
	"github.com/conform-itsm/conform/internal/sms"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

type world struct {
	a       *app.App
	as      *areas.Areas
	c       *assuranceapp.Catalogue
	manager account.User
	boss    account.User
	agent   account.User
}

func newWorld(t *testing.T, db *store.DB) world {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, db, nil, app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	as, err := areas.Add(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Provider", Kind: account.Provider}); err != nil {
		t.Fatal(err)
	}
	mk := func(email string, role access.Role) account.User {
		u, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: email, Name: email, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	return world{a: a, as: as, c: as.Assurance, manager: mk("manager@example.com", access.SMSManager),
		boss: mk("boss@example.com", access.TopManagement), agent: mk("agent@example.com", access.Agent)}
}

func day(months, days int) string {
	return time.Now().UTC().AddDate(0, months, days).Format(time.DateOnly)
}

func names(err error, field string) bool {
	e := errs.As(err)
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// A certificate plans its cycle; a surveillance missed puts it at risk
// of suspension and reminds the SMS managers once; the first done moves
// the second; a renewal runs on from the old expiry. Bad input is
// refused naming the field, and nothing is written.
func TestCertificateCycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		sam := w.manager.Actor("session")
		body, err := w.c.CreateCertificationBody(ctx, sam, assurance.BodyInput{Name: "Certa", Covers20000: "yes"})
		if err != nil {
			t.Fatal(err)
		}
		if !body.NeedsVerification(w.c.Today()) {
			t.Error("a body never checked is not flagged")
		}
		if _, err := w.c.CreateCertificationBody(ctx, sam, assurance.BodyInput{Name: "certa"}); !names(err, "name") {
			t.Errorf("a second body of the same name: %v, want a refusal naming name", err)
		}
		if body, err = w.c.VerifyCertificationBody(ctx, sam, body.ID, body.Version); err != nil || body.VerifiedBy != w.manager.ID || body.NeedsVerification(w.c.Today()) {
			t.Errorf("verified: %+v %v", body, err)
		}
		if _, err := w.c.CreateCertificationBody(ctx, w.boss.Actor("session"), assurance.BodyInput{Name: "Other"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("top management creating a body: %v, want forbidden", err)
		}

		before, _ := db.CountAudit(ctx)
		decided := day(-13, 0)
		for field, in := range map[string]assurance.CertificateInput{
			"decided_on": {BodyID: body.ID, CertNumber: "C-1", Scope: "All", DecidedOn: decided, IssuedOn: assurance.AddDays(decided, -1)},
			"expires_on": {BodyID: body.ID, CertNumber: "C-1", Scope: "All", DecidedOn: decided, IssuedOn: decided, ExpiresOn: assurance.AddDays(decided, -1)},
			"body_id":    {BodyID: body.ID + 99, CertNumber: "C-1", Scope: "All", DecidedOn: decided, IssuedOn: decided},
		} {
			if _, err := w.c.CreateCertificate(ctx, sam, in); !names(err, field) {
				t.Errorf("%s: %v, want a refusal naming it", field, err)
			}
		}
		if after, _ := db.CountAudit(ctx); after != before {
			t.Errorf("refused writes added %d audit entries", after-before)
		}

		x, err := w.c.CreateCertificate(ctx, sam, assurance.CertificateInput{BodyID: body.ID, CertNumber: "C-1", Scope: "All services", DecidedOn: decided, IssuedOn: assurance.AddDays(decided, 5)})
		if err != nil {
			t.Fatal(err)
		}
		if x.ExpiresOn != assurance.DefaultExpiry(decided) {
			t.Errorf("expiry %s, want %s", x.ExpiresOn, assurance.DefaultExpiry(decided))
		}
		s, err := w.c.CertificateStanding(ctx, sam, x.ID)
		if err != nil || len(s.Cycle) != 3 {
			t.Fatalf("cycle: %+v %v, want three planned audits", s.Cycle, err)
		}
		if s.Risk != "suspension" || s.State != "active" {
			t.Errorf("13 months on with no surveillance: risk %q state %q, want suspension, active", s.Risk, s.State)
		}
		risky, err := w.c.AtRisk(ctx, w.boss.Actor("session"))
		if err != nil || len(risky) != 1 {
			t.Errorf("at risk for top management: %d %v, want 1", len(risky), err)
		}
		if list, _, err := w.c.ListCertificates(ctx, sam, store.CertificateFilter{State: "expired"}); err != nil || len(list) != 0 {
			t.Errorf("expired: %d %v, want none", len(list), err)
		}

		// Reminders: the overdue surveillance to the SMS manager, once.
		n, err := w.a.SendReminders(ctx)
		if err != nil || n != 1 {
			t.Errorf("reminders sent %d (%v), want 1 (the overdue surveillance)", n, err)
		}
		if n, _ := w.a.SendReminders(ctx); n != 0 {
			t.Errorf("sent again %d, want 0", n)
		}
		got, _, _ := w.a.ListNotifications(ctx, sam, store.NotificationFilter{})
		if len(got) != 1 || got[0].Topic != "overdue" || got[0].Entity != assurance.PlannedAuditKind.Entity {
			t.Errorf("manager's notifications: %+v", got)
		}

		// The first surveillance done early in its year moves the second
		// to the end of the next calendar year at the latest.
		s1, s2 := s.Cycle[0], s.Cycle[1]
		done := assurance.AddMonths(decided, 11)
		if _, err := w.c.UpdatePlannedAudit(ctx, sam, s1.ID, s1.Version, assurance.PlannedAuditUpdate{DoneOn: &done}); err != nil {
			t.Fatal(err)
		}
		want := assurance.PlanCertificateCycle(x.CycleStart, x.ExpiresOn, done)[1].DueBy
		if got, _ := w.c.GetPlannedAudit(ctx, sam, s2.ID); got.DueBy != want {
			t.Errorf("second surveillance due %s, want %s", got.DueBy, want)
		}
		future := day(0, 3)
		if _, err := w.c.UpdatePlannedAudit(ctx, sam, s2.ID, 0, assurance.PlannedAuditUpdate{DoneOn: &future}); !names(err, "done_on") {
			t.Errorf("done in the future: %v, want a refusal naming done_on", err)
		}
		if s, _ := w.c.CertificateStanding(ctx, sam, x.ID); s.Risk != "" {
			t.Errorf("after the surveillance: risk %q, want none", s.Risk)
		}

		// Renewal: the new cycle runs on from the old expiry.
		renewed, err := w.c.RenewCertificate(ctx, sam, x.ID, assurance.RenewalInput{CertNumber: "C-2", DecidedOn: day(0, -2), IssuedOn: day(0, -1), RecertifiedOn: day(0, -20)})
		if err != nil {
			t.Fatal(err)
		}
		if renewed.CycleStart != assurance.RenewalStart(x.ExpiresOn) || renewed.ExpiresOn != assurance.DefaultExpiry(renewed.CycleStart) || renewed.PreviousID != x.ID || renewed.Scope != x.Scope {
			t.Errorf("renewal: %+v", renewed)
		}
		if _, err := w.c.RenewCertificate(ctx, sam, x.ID, assurance.RenewalInput{CertNumber: "C-3", DecidedOn: day(0, -2), IssuedOn: day(0, -1)}); !errs.Is(err, errs.Conflict) {
			t.Errorf("renewing twice: %v, want a conflict", err)
		}
		old, _ := w.c.CertificateStanding(ctx, sam, x.ID)
		if old.Cycle[2].Type != assurance.Recertification || old.Cycle[2].DoneOn != day(0, -20) {
			t.Errorf("old recertification: %+v, want done", old.Cycle[2])
		}
		if err := w.c.DeleteCertificationBody(ctx, sam, body.ID, 0); !errs.Is(err, errs.Conflict) {
			t.Errorf("deleting a body that issued certificates: %v, want a conflict", err)
		}
	})
}

// The calendar feed: a secret address per user, each use audited,
// revocable; its events are the user's actions, the cycle's audits and
// their documents' reviews, and a real iCalendar parser (ical.js) reads
// every field back.
func TestCalendarFeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		sam := w.manager.Actor("session")
		body, _ := w.c.CreateCertificationBody(ctx, sam, assurance.BodyInput{Name: "Certa"})
		if _, err := w.c.CreateCertificate(ctx, sam, assurance.CertificateInput{BodyID: body.ID, CertNumber: "C-1", Scope: "All", DecidedOn: day(-2, 0), IssuedOn: day(-2, 0)}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.as.SMS.CreateAction(ctx, sam, sms.ActionInput{Title: "Book the audit; call Certa, then confirm", OwnerID: w.manager.ID, DueOn: day(0, 10),
			Description: "First line\nSecond line with a backslash \\ here"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.as.SMS.CreateAction(ctx, sam, sms.ActionInput{Title: "Someone else's", OwnerID: w.agent.ID, DueOn: day(0, 10)}); err != nil {
			t.Fatal(err)
		}
		tok, secret, err := w.c.CreateCalendarToken(ctx, sam)
		if err != nil || !strings.HasPrefix(secret, assurance.CalendarSecretPrefix) || tok.Hash == secret {
			t.Fatalf("token %+v %q %v", tok, secret, err)
		}
		if _, err := w.c.GetCalendarToken(ctx, w.agent.Actor("session"), tok.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("another user reading the token: %v, want not found", err)
		}
		before, _ := db.CountAudit(ctx)
		feed, err := w.c.CalendarFeed(ctx, secret, "https://conform.example")
		if err != nil {
			t.Fatal(err)
		}
		if after, _ := db.CountAudit(ctx); after != before+1 {
			t.Errorf("a use added %d audit entries, want 1", after-before)
		}
		if got, _ := w.c.GetCalendarToken(ctx, sam, tok.ID); got.Uses != 1 || got.LastUsedAt == nil {
			t.Errorf("after a use: %+v", got)
		}
		if strings.Contains(feed, "Someone else") {
			t.Error("the feed shows another user's action")
		}
		if _, err := w.c.CalendarFeed(ctx, secret+"x", "https://conform.example"); !errs.Is(err, errs.NotFound) {
			t.Errorf("a wrong secret: %v, want not found", err)
		}
		checkWithICalJS(t, feed, 4) // the action and the cycle's three audits

		// A new address replaces the old; revoking ends it.
		_, secret2, err := w.c.CreateCalendarToken(ctx, sam)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.c.CalendarFeed(ctx, secret, ""); !errs.Is(err, errs.NotFound) {
			t.Errorf("the replaced address: %v, want not found", err)
		}
		toks, _, _ := w.c.ListCalendarTokens(ctx, sam, store.CalendarTokenFilter{})
		if len(toks) != 1 {
			t.Fatalf("tokens in force: %d, want 1", len(toks))
		}
		if _, err := w.c.RevokeCalendarToken(ctx, sam, toks[0].ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := w.c.CalendarFeed(ctx, secret2, ""); !errs.Is(err, errs.NotFound) {
			t.Errorf("a revoked address: %v, want not found", err)
		}
	})
}

// checkWithICalJS parses the feed with ical.js (npm) and checks every
// event's fields. CONFORM_ICALJS names an installed ical.js package
// (CI installs it); otherwise it is installed with npm into a temporary
// folder, and the check is skipped when npm or the network is not
// there, unless CONFORM_REQUIRE_ICALJS is set.
func checkWithICalJS(t *testing.T, feed string, want int) {
	t.Helper()
	skip := func(why string) {
		if os.Getenv("CONFORM_REQUIRE_ICALJS") != "" {
			t.Fatalf("ical.js is required: %s", why)
		}
		t.Skipf("ical.js parse skipped: %s (set CONFORM_ICALJS to an installed ical.js package)", why)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node is not installed")
	}
	pkg := os.Getenv("CONFORM_ICALJS")
	if pkg == "" {
		npm, err := exec.LookPath("npm")
		if err != nil {
			skip("npm is not installed")
		}
		dir := t.TempDir()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", dir, "ical.js@2.2.1")
		if out, err := cmd.CombinedOutput(); err != nil {
			skip("npm could not install ical.js: " + strings.TrimSpace(string(out)))
		}
		pkg = filepath.Join(dir, "node_modules", "ical.js")
	}
	dir := t.TempDir()
	ics := filepath.Join(dir, "feed.ics")
	script := filepath.Join(dir, "parse.mjs")
	if err := os.WriteFile(ics, []byte(feed), 0o600); err != nil {
		t.Fatal(err)
	}
	js := `import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const ICAL = (await import(pathToFileURL(process.argv[2] + "/dist/ical.js").href)).default;
const cal = new ICAL.Component(ICAL.parse(readFileSync(process.argv[3], "utf8")));
const out = { version: cal.getFirstPropertyValue("version"), events: [] };
for (const v of cal.getAllSubcomponents("vevent")) {
  const e = new ICAL.Event(v);
  out.events.push({ uid: e.uid, summary: e.summary, description: e.description || "", url: String(v.getFirstPropertyValue("url") || ""),
    start: e.startDate.toString(), isDate: e.startDate.isDate, stamp: String(v.getFirstPropertyValue("dtstamp") || "") });
}
console.log(JSON.stringify(out));
`
	if err := os.WriteFile(script, []byte(js), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, script, pkg, ics).CombinedOutput()
	if err != nil {
		t.Fatalf("ical.js could not parse the feed: %v\n%s\n%s", err, out, feed)
	}
	var parsed struct {
		Version string
		Events  []struct {
			UID, Summary, Description, URL, Start, Stamp string
			IsDate                                       bool
		}
	}
	if err := json.Unmarshal(out, &parsed); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if parsed.Version != "2.0" || len(parsed.Events) != want {
		t.Fatalf("parsed version %q with %d events, want 2.0 with %d:\n%s", parsed.Version, len(parsed.Events), want, feed)
	}
	uids := map[string]bool{}
	for _, e := range parsed.Events {
		if e.UID == "" || uids[e.UID] || e.Summary == "" || !e.IsDate || len(e.Start) != 10 || e.Stamp == "" || !strings.HasPrefix(e.URL, "https://conform.example/") {
			t.Errorf("event %+v: want a unique UID, a summary, a whole day, a stamp and a link", e)
		}
		uids[e.UID] = true
		if strings.HasPrefix(e.Summary, "Action due") {
			if e.Summary != "Action due: Book the audit; call Certa, then confirm" || !strings.HasSuffix(e.Description, "First line\nSecond line with a backslash \\ here") || e.Start != day(0, 10) {
				t.Errorf("the action read back as %+v", e)
			}
		}
	}
}
