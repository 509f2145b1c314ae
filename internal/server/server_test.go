package server_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/areas"
	"github.com/conform-itsm/conform/internal/record"
	"github.com/conform-itsm/conform/internal/server"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
	"golang.org/x/crypto/argon2"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// fixture is a running server with one user and API token per role.
type fixture struct {
	srv    *server.Server
	ts     *httptest.Server
	app    *app.App
	db     *store.DB
	tokens map[access.Role]string
	users  map[access.Role]account.User
	orgs   map[string]account.Organisation
	areas  *areas.Areas
	// recovery holds the unused recovery codes of the users with a second
	// factor (the administrator), by email.
	recovery map[string][]string
}

// recoveryCode spends one of the recovery codes of the user with email,
// making new ones when one is left.
func (f *fixture) recoveryCode(t testing.TB, email string) string {
	t.Helper()
	email = account.NormalizeEmail(email)
	codes := f.recovery[email]
	if len(codes) == 0 {
		t.Fatalf("%s has no second factor in the fixture", email)
	}
	if len(codes) == 1 {
		var u account.User
		for _, fu := range f.users {
			if fu.Email == email {
				u = fu
			}
		}
		fresh, err := f.app.RegenerateRecoveryCodes(context.Background(), u.Actor("session"), codes[0])
		if err != nil {
			t.Fatal(err)
		}
		codes = fresh
	}
	f.recovery[email] = codes[1:]
	return codes[0]
}

// fastHash hashes a password as argon2id with the least work the
// algorithm allows (one pass over 8 KiB), in the PHC format
// account.VerifyPassword reads its parameters from. The real cost (19 MiB,
// two passes) made seeding a fixture's users most of a test's time.
func fastHash(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, 1, 8, 1, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=8,t=1,p=1$%s$%s", argon2.Version, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

func newFixture(t testing.TB, e storetest.Engine) *fixture {
	t.Helper()
	return newFixtureOn(t, storetest.Open(t, e))
}

func newFixtureWith(t *testing.T, opt func(*store.Config)) *fixture {
	t.Helper()
	return newFixtureOn(t, storetest.Open(t, storetest.SQLite, opt))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func newFixtureOn(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	return newFixtureOpts(t, db, fixtureOpts{})
}

// fixtureOpts tunes a fixture: its server's configuration (Version is set
// for it), where it logs (nowhere by default), and what to do with the
// App before the server is built (add an area, say).
type fixtureOpts struct {
	cfg     server.Config
	log     *slog.Logger
	prepare func(*app.App) error
}

// newFixtureOpts builds a running server over db with o, and seeds it.
func newFixtureOpts(t testing.TB, db *store.DB, o fixtureOpts) *fixture {
	t.Helper()
	log := o.log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a, err := app.New(context.Background(), db, log, app.Config{PasswordHasher: fastHash})
	if err != nil {
		t.Fatal(err)
	}
	as, err := areas.Add(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	o.cfg.Areas = append(as.Server(), o.cfg.Areas...)
	if o.prepare != nil {
		if err := o.prepare(a); err != nil {
			t.Fatal(err)
		}
	}
	o.cfg.Version = "test"
	srv, err := server.New(a, log, o.cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{srv: srv, app: a, db: db, areas: as}
	// Every API answer of every test is checked against the OpenAPI document.
	f.ts = httptest.NewServer(validatingAPI(t, srv))
	t.Cleanup(f.ts.Close)
	seedUsers(t, f)
	return f
}

// seedUsers makes the provider, two customers, and one user with an API
// token per role (staff in the provider, the others in customer A).
func seedUsers(t testing.TB, f *fixture) {
	t.Helper()
	ctx, a := context.Background(), f.app
	f.tokens, f.users, f.orgs = map[access.Role]string{}, map[access.Role]account.User{}, map[string]account.Organisation{}
	provider, err := a.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Provider", Kind: account.Provider})
	if err != nil {
		t.Fatal(err)
	}
	custA, err := a.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Customer A"})
	if err != nil {
		t.Fatal(err)
	}
	custB, err := a.CreateOrganisation(ctx, access.CLI, account.OrganisationInput{Name: "Customer B"})
	if err != nil {
		t.Fatal(err)
	}
	f.orgs["provider"], f.orgs["a"], f.orgs["b"] = provider, custA, custB
	for _, r := range access.Roles {
		org := provider.ID
		if !r.Staff() {
			org = custA.ID
		}
		u, err := a.CreateUser(ctx, access.CLI, account.UserInput{Email: string(r) + "@example.com", Name: "The " + r.Label(), Role: r, OrgID: org, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := a.CreateToken(ctx, access.CLI, account.TokenInput{UserID: u.ID, Name: "test"})
		if err != nil {
			t.Fatal(err)
		}
		f.users[r], f.tokens[r] = u, secret
	}
	// Administrators must sign in with a second factor.
	admin := f.users[access.Admin].Actor("session")
	offer, err := a.OfferMFA(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	code, err := app.TOTPCode(offer.Secret, app.TOTPStep(f.db.Now()))
	if err != nil {
		t.Fatal(err)
	}
	codes, err := a.EnableMFA(ctx, admin, code)
	if err != nil {
		t.Fatal(err)
	}
	f.recovery = map[string][]string{f.users[access.Admin].Email: codes}
}

func (f *fixture) do(t *testing.T, role access.Role, method, path, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		if strings.HasPrefix(body, "{") {
			req.Header.Set("Content-Type", "application/json")
		} else {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[role])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

var (
	all      = access.Roles
	admin    = []access.Role{access.Admin}
	staff    = []access.Role{access.Admin, access.SMSManager, access.ProcessOwner, access.Agent, access.InternalAuditor, access.TopManagement}
	readers  = append(slices.Clone(staff), access.Requester)
	auditors = []access.Role{access.Admin, access.InternalAuditor}
	// smsManagers run the management system and change its catalogue.
	smsManagers = []access.Role{access.Admin, access.SMSManager}
	// doers take on the SMS's actions.
	doers = []access.Role{access.Admin, access.SMSManager, access.ProcessOwner, access.Agent}
	// assessors grade where the SMS stands: SMS managers and process owners.
	assessors = []access.Role{access.Admin, access.SMSManager, access.ProcessOwner}
	anonymous = []access.Role(nil) // public routes: everyone, signed in or not
	// auditPlanners plan and run audits.
	auditPlanners = []access.Role{access.Admin, access.SMSManager, access.InternalAuditor}
	// externalAuditors read the audits shared with them, and nothing else
	// (an administrator passes the permission, and finds nothing shared).
	externalAuditors = []access.Role{access.Admin, access.ExternalAuditor}

	// scopeApprovers approve the scope: SMS managers and top management.
	scopeApprovers = []access.Role{access.Admin, access.SMSManager, access.TopManagement}
	// reviewers run management reviews and decide on improvements.
	reviewers = []access.Role{access.Admin, access.SMSManager, access.TopManagement}
)

// kindRoles says, independently of the code under test, which roles may
// read and which may write each kind of record that has pages and an API.
// The routes every such kind has are derived from its declaration.
var kindRoles = map[string]struct{ read, write []access.Role }{
	"user":         {readers, admin},
	"team":         {staff, admin},
	"organisation": {readers, admin},
	"action":       {staff, doers},
	"assessment":   {staff, assessors},
	// Training: all staff read it, the SMS managers keep it.
	"competence":           {staff, smsManagers},
	"course":               {staff, smsManagers},
	"course_session":       {staff, smsManagers},
	"course_completion":    {staff, smsManagers},
	"competence_appraisal": {staff, smsManagers},
	"evidence":             {staff, doers},

	"document":         {staff, assessors},
	"document_version": {staff, assessors},

	// The scope and the context are written by the SMS managers.
	"service":          {staff, smsManagers},
	"scope":            {staff, smsManagers},
	"context_issue":    {staff, smsManagers},
	"interested_party": {staff, smsManagers},
	"communication":    {staff, smsManagers},
	"objective":        {staff, assessors},
	"objective_value":  {staff, assessors},
	"process":          {staff, assessors},
	"project_member":   {staff, smsManagers},
	"raci":             {staff, smsManagers},
	// Risks: kept by SMS managers and process owners.
	"risk": {staff, assessors},
	// Nonconformities: raised and carried through by SMS managers,
	// process owners and internal auditors.
	"nonconformity": {staff, ncWriters},
	// Management reviews: run by top management and the SMS managers;
	// improvements: raised by any of the staff.
	"management_review": {staff, reviewers},
	"improvement":       {staff, staff},
	// Certification: all staff read it, the SMS managers keep it.
	"certification_body": {staff, smsManagers},
	"certificate":        {staff, smsManagers},
	"planned_audit":      {staff, smsManagers},
	// Audits: all staff read them; SMS managers and internal auditors
	// plan and run them.
	"audit_programme": {staff, auditPlanners},
	"audit":           {staff, auditPlanners},
	"finding":         {staff, auditPlanners},
	// External auditors' access to audits: kept by those who plan and
	// run audits, who alone see it.
	"auditor_access": {auditPlanners, auditPlanners},
}

// ncWriters raise nonconformities and carry them to closing.
var ncWriters = []access.Role{access.Admin, access.SMSManager, access.ProcessOwner, access.InternalAuditor}

// otherRoutes says who may use the routes that are not a kind's standard
// ones. A route the server has that is in neither fails.
var otherRoutes = map[string][]access.Role{
	"GET /healthz":                                anonymous,
	"GET /audit-programmes/{id}/coverage":         staff,
	"POST /audit-programmes/{id}/generate":        auditPlanners,
	"POST /audits/{id}/state":                     auditPlanners,
	"GET /audits/{id}/checklist":                  staff,
	"POST /audits/{id}/checklist":                 auditPlanners,
	"GET /checklist-items/{id}":                   staff,
	"POST /checklist-items/{id}":                  auditPlanners,
	"GET /api/v1/checklist-items/{id}":            staff,
	"PATCH /api/v1/checklist-items/{id}":          auditPlanners,
	"GET /api/v1/checklist-items/{id}/history":    staff,
	"GET /audits/{id}/report":                     staff,
	"GET /audits/{id}/report.pdf":                 staff,
	"GET /audits/{id}/evidence-pack.zip":          staff,
	"GET /api/v1/audits/{id}/evidence-pack":       staff,
	"POST /audits/{id}/issue":                     auditPlanners,
	"POST /api/v1/audit-programmes/{id}/generate": auditPlanners,
	"PUT /api/v1/audits/{id}/checklist":           auditPlanners,
	"POST /api/v1/audits/{id}/issue-report":       auditPlanners,
	"POST /auditor-accesses/{id}/revoke":          auditPlanners,
	"GET /auditor-accesses/{id}/views":            auditPlanners,
	"POST /api/v1/auditor-accesses/{id}/revoke":   auditPlanners,
	"GET /api/v1/auditor-accesses/{id}/views":     auditPlanners,
	// What an audit shares with its external auditors: theirs alone.
	"GET /shared/audits/{id}":                           externalAuditors,
	"GET /shared/audits/{id}/evidence/{evidence}":       externalAuditors,
	"GET /shared/audits/{id}/evidence/{evidence}/file":  externalAuditors,
	"GET /shared/audits/{id}/documents/{document}":      externalAuditors,
	"GET /shared/audits/{id}/documents/{document}/file": externalAuditors,
	"GET /shared/audits/{id}/evidence-pack.zip":         externalAuditors,
	"GET /readyz":                          anonymous,
	"GET /metrics":                         admin,
	"GET /api/openapi.json":                anonymous,
	"GET /api/openapi.yaml":                anonymous,
	"GET /api/openapi-3.0.json":            anonymous,
	"GET /api/openapi-3.0.yaml":            anonymous,
	"GET /api/docs":                        anonymous,
	"GET /static/":                         anonymous,
	"GET /login":                           anonymous,
	"POST /login":                          anonymous,
	"GET /login/mfa":                       anonymous,
	"POST /login/mfa":                      anonymous,
	"POST /logout":                         all,
	"GET /":                                all,
	"GET /jump":                            all,
	"GET /account":                         all,
	"POST /account/password":               all,
	"POST /account/theme":                  all,
	"POST /account/preferences":            all,
	"GET /dev/components":                  admin,
	"POST /dev/components":                 admin,
	"POST /users/{id}/deactivate":          admin,
	"POST /users/{id}/activate":            admin,
	"GET /account/mfa":                     all,
	"POST /account/mfa":                    all,
	"POST /account/mfa/disable":            all,
	"POST /account/mfa/recovery-codes":     all,
	"POST /account/mfa-policy":             admin,
	"POST /account/sessions/{id}/end":      all,
	"POST /account/sessions/end-others":    all,
	"POST /users/{id}/password":            admin,
	"POST /pickers/users":                  readers,
	"POST /pickers/records":                all,
	"POST /users/{id}/mfa-reset":           admin,
	"DELETE /api/v1/users/{id}/two-factor": admin,
	"POST /api/v1/assessments/{id}/plan":   doers,
	"POST /assessments/{id}/plan":          doers,
	"GET /evidence/{id}/file":              staff,
	"GET /api/v1/evidence/{id}/file":       staff,
	"PUT /api/v1/evidence/{id}/file":       doers,
	"POST /api/v1/evidence/files":          doers,
	"POST /users/organisation-options":     admin,
	"POST /teams/member-picker":            admin,
	"GET /tokens":                          all,
	"POST /tokens":                         all,
	"POST /tokens/{id}/revoke":             all,
	"GET /audit":                           auditors,
	"GET /audit/verify":                    auditors,
	"GET /audit/security":                  auditors,
	"GET /audit/{seq}":                     auditors,

	"GET /api/v1/me":                         all,
	"PUT /api/v1/me/password":                all,
	"GET /api/v1/me/sessions":                all,
	"GET /api/v1/me/preferences":             all,
	"PATCH /api/v1/me/preferences":           all,
	"DELETE /api/v1/me/sessions/{id}":        all,
	"PUT /api/v1/users/{id}/password":        admin,
	"GET /journey":                           staff,
	"GET /readiness":                         staff,
	"GET /dashboard":                         staff,
	"GET /api/v1/dashboard":                  staff,
	"GET /api/v1/readiness":                  staff,
	"GET /api/v1/journey":                    staff,
	"GET /notifications":                     all,
	"GET /notifications/{id}":                all,
	"POST /notifications/{id}/read":          all,
	"POST /notifications/read-all":           all,
	"GET /api/v1/notifications":              all,
	"GET /api/v1/notifications/{id}":         all,
	"PATCH /api/v1/notifications/{id}":       all,
	"POST /api/v1/notifications/read-all":    all,
	"GET /api/v1/notifications/{id}/history": all,
	"GET /api/v1/tokens":                     all,
	"POST /api/v1/tokens":                    all,
	"GET /api/v1/tokens/{id}":                all,
	"DELETE /api/v1/tokens/{id}":             all,
	"GET /api/v1/tokens/{id}/history":        all,
	"GET /api/v1/audit":                      auditors,
	"GET /api/v1/audit/verify":               auditors,
	"GET /api/v1/security-events":            auditors,
	"GET /api/v1/audit/{seq}":                auditors,

	// The requirements catalogue: read by staff, loaded by SMS managers.
	"GET /frameworks":                       staff,
	"GET /frameworks/{id}":                  staff,
	"GET /frameworks/{id}/export":           staff,
	"GET /frameworks/import":                smsManagers,
	"POST /frameworks/import":               smsManagers,
	"GET /requirements/{id}":                staff,
	"GET /api/v1/frameworks":                staff,
	"GET /api/v1/frameworks/{id}":           staff,
	"GET /api/v1/frameworks/{id}/history":   staff,
	"GET /api/v1/frameworks/{id}/export":    staff,
	"POST /api/v1/frameworks/import":        smsManagers,
	"GET /api/v1/requirements":              staff,
	"GET /api/v1/requirements/{id}":         staff,
	"GET /api/v1/requirements/{id}/history": staff,

	// The process map, the RACI matrix and its export; handing the
	// project manager's role over.
	"GET /processes/map":                              staff,
	"GET /raci/matrix":                                staff,
	"GET /actions/timeline":                           staff,
	"GET /raci/matrix.csv":                            staff,
	"POST /implementation-team/{id}/designate":        smsManagers,
	"POST /api/v1/implementation-team/{id}/designate": smsManagers,

	// An assessment's results come and go with it: they are only read
	// and changed.
	"GET /assessment-results":                     staff,
	"GET /assessment-results/{id}":                staff,
	"GET /assessment-results/{id}/edit":           assessors,
	"POST /assessment-results/{id}":               assessors,
	"GET /api/v1/assessment-results":              staff,
	"GET /api/v1/assessment-results/{id}":         staff,
	"PATCH /api/v1/assessment-results/{id}":       assessors,
	"GET /api/v1/assessment-results/{id}/history": staff,

	// The competence matrix.
	"GET /competences/matrix":                         staff,
	"GET /course-completions/{id}/certificate":        staff,
	"GET /api/v1/course-completions/{id}/certificate": staff,
	"PUT /api/v1/course-completions/{id}/certificate": smsManagers,
	"GET /api/v1/competences/matrix":                  staff,
	// Documented information: its checklist, reading lists, workflow and
	// acknowledgements besides the documents' and versions' own routes.
	"GET /document-checklist":                            staff,
	"POST /document-checklist":                           assessors,
	"GET /documents/reading":                             staff,
	"POST /documents/{id}/versions":                      assessors,
	"POST /documents/{id}/acknowledge":                   staff,
	"POST /document-versions/{id}/state":                 assessors,
	"POST /document-versions/{id}/approve":               documentApprovers,
	"GET /document-versions/{id}/file":                   staff,
	"GET /api/v1/document-versions/{id}/file":            staff,
	"PUT /api/v1/document-versions/{id}/file":            assessors,
	"GET /document-acknowledgements":                     staff,
	"GET /document-acknowledgements/{id}":                staff,
	"GET /api/v1/documents/{id}/completion":              staff,
	"GET /api/v1/documents/to-acknowledge":               staff,
	"GET /api/v1/document-checklist":                     staff,
	"PUT /api/v1/document-checklist/{item}":              assessors,
	"POST /api/v1/document-versions/{id}/approve":        documentApprovers,
	"GET /api/v1/document-acknowledgements":              staff,
	"POST /api/v1/document-acknowledgements":             staff,
	"GET /api/v1/document-acknowledgements/{id}":         staff,
	"GET /api/v1/document-acknowledgements/{id}/history": staff,
	// Working an assessment: the questionnaire, answers, readiness at
	// every level, comparison and downloads.
	"GET /assessments/{id}/work":                      staff,
	"POST /assessments/{id}/work":                     assessors,
	"PUT /api/v1/assessment-results/{id}/answers/{n}": assessors,
	"GET /api/v1/assessments/{id}/readiness":          staff,
	"GET /api/v1/assessments/{id}/compare":            staff,
	"GET /api/v1/assessments/{id}/export":             staff,
	"GET /assessments/{id}/export.xlsx":               staff,
	"GET /assessments/{id}/export.pdf":                staff,
	"GET /assessments/{id}/compare":                   staff,

	// The risk matrix and the scales, which only SMS managers change.
	"GET /risks/matrix":                    staff,
	"GET /api/v1/risks/matrix":             staff,
	"GET /risk-scales":                     staff,
	"POST /risk-scales":                    smsManagers,
	"GET /api/v1/risk-scales":              staff,
	"PUT /api/v1/risk-scales":              smsManagers,
	"GET /api/v1/risk-scales/{id}/history": staff,
	// Management reviews' steps and the improvements' lifecycle.
	"POST /management-reviews/{id}/prepare":        reviewers,
	"POST /management-reviews/{id}/hold":           reviewers,
	"POST /management-reviews/{id}/approve":        reviewers,
	"POST /management-reviews/{id}/cancel":         reviewers,
	"GET /management-reviews/{id}/minutes.pdf":     staff,
	"POST /api/v1/management-reviews/{id}/prepare": reviewers,
	"POST /api/v1/management-reviews/{id}/hold":    reviewers,
	"POST /api/v1/management-reviews/{id}/approve": reviewers,
	"POST /api/v1/management-reviews/{id}/cancel":  reviewers,
	"GET /api/v1/management-reviews/next":          staff,
	"POST /improvements/{id}/evaluate":             staff,
	"POST /improvements/{id}/approve":              reviewers,
	"POST /improvements/{id}/reject":               reviewers,
	"POST /improvements/{id}/start":                staff,
	"POST /improvements/{id}/implement":            staff,
	"POST /improvements/{id}/confirm":              reviewers,
	"POST /api/v1/improvements/{id}/evaluate":      staff,
	"POST /api/v1/improvements/{id}/approve":       reviewers,
	"POST /api/v1/improvements/{id}/reject":        reviewers,
	"POST /api/v1/improvements/{id}/start":         staff,
	"POST /api/v1/improvements/{id}/implement":     staff,
	"POST /api/v1/improvements/{id}/confirm":       reviewers,

	// A nonconformity's steps, and the deadlines, which only SMS managers
	// change.
	"GET /nonconformities/{id}/correction":             ncWriters,
	"POST /nonconformities/{id}/correction":            ncWriters,
	"GET /nonconformities/{id}/analysis":               ncWriters,
	"POST /nonconformities/{id}/analysis":              ncWriters,
	"GET /nonconformities/{id}/verification":           ncWriters,
	"POST /nonconformities/{id}/verification":          ncWriters,
	"GET /nonconformities/{id}/close":                  ncWriters,
	"POST /nonconformities/{id}/close":                 ncWriters,
	"POST /api/v1/nonconformities/{id}/correction":     ncWriters,
	"POST /api/v1/nonconformities/{id}/analysis":       ncWriters,
	"POST /api/v1/nonconformities/{id}/verification":   ncWriters,
	"POST /api/v1/nonconformities/{id}/close":          ncWriters,
	"GET /nonconformity-deadlines":                     staff,
	"POST /nonconformity-deadlines":                    smsManagers,
	"GET /api/v1/nonconformity-deadlines":              staff,
	"PUT /api/v1/nonconformity-deadlines":              smsManagers,
	"GET /api/v1/nonconformity-deadlines/{id}/history": staff,

	// A draft of the scope is approved by SMS managers or top management.
	"POST /scopes/{id}/approve":        scopeApprovers,
	"POST /api/v1/scopes/{id}/approve": scopeApprovers,

	// Certification: verifying a body, renewing a certificate; each
	// user's own calendar address, and the feed it opens (no session:
	// the secret is the key).
	"POST /certification-bodies/{id}/verify":        smsManagers,
	"POST /api/v1/certification-bodies/{id}/verify": smsManagers,
	"GET /certificates/{id}/renew":                  smsManagers,
	"POST /certificates/{id}/renew":                 smsManagers,
	"POST /api/v1/certificates/{id}/renew":          smsManagers,
	"GET /calendar":                                 all,
	"POST /calendar":                                all,
	"POST /calendar/{id}/revoke":                    all,
	"GET /calendar/{file}":                          anonymous,
	"GET /api/v1/calendar-tokens":                   all,
	"POST /api/v1/calendar-tokens":                  all,
	"GET /api/v1/calendar-tokens/{id}":              all,
	"DELETE /api/v1/calendar-tokens/{id}":           all,
	"GET /api/v1/calendar-tokens/{id}/history":      all,
}

// expectedRoutes is every route with the roles that may use it: each
// kind in kindRoles gets the standard pages and operations.
func expectedRoutes(t *testing.T, kinds *record.Registry) map[string][]access.Role {
	t.Helper()
	out := maps.Clone(otherRoutes)
	for entity, roles := range kindRoles {
		k, ok := kinds.Get(entity)
		if !ok {
			t.Fatalf("kindRoles names %s, which is not declared", entity)
		}
		page, api := "/"+k.Path(), "/api/v1/"+k.Path()
		for route, who := range map[string][]access.Role{
			"GET " + page: roles.read, "GET " + page + "/new": roles.write, "POST " + page: roles.write,
			"GET " + page + "/{id}": roles.read, "GET " + page + "/{id}/edit": roles.write,
			"POST " + page + "/{id}": roles.write, "POST " + page + "/{id}/delete": roles.write,
			"GET " + api: roles.read, "POST " + api: roles.write, "GET " + api + "/{id}": roles.read,
			"PATCH " + api + "/{id}": roles.write, "DELETE " + api + "/{id}": roles.write, "GET " + api + "/{id}/history": roles.read,
		} {
			out[route] = who
		}
	}
	return out
}

// TestEveryRouteEveryRole walks every route the server registers with every
// role and anonymously, and checks allow or deny against the table above.
func TestEveryRouteEveryRole(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	expected := expectedRoutes(t, f.app.Kinds())
	routes := f.srv.Routes()
	seen := map[string]bool{}
	for _, r := range routes {
		key := r.Key()
		if seen[key] {
			t.Errorf("route %s registered twice", key)
		}
		seen[key] = true
		want, ok := expected[key]
		if !ok {
			t.Errorf("route %s (permission %s) is missing from the expected table", key, r.Perm)
			continue
		}
		// A record that does not exist: allowed callers get past the
		// permission check (and then 404 or 422), denied ones get 403.
		path := strings.NewReplacer("{id}", "987654", "{seq}", "987654").Replace(r.Pattern)
		if path == "/static/" {
			path = "/static/app.css"
		}
		for _, role := range all {
			resp := f.do(t, role, r.Method, path, "")
			allowed := want == nil || slices.Contains(want, role)
			switch {
			case key == "POST /login" && resp.StatusCode == http.StatusForbidden:
				// Refused for lack of the sign-in form's own CSRF token.
			case allowed && (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode >= 500):
				t.Errorf("%s as %s: got %d, want access without a server error", key, role, resp.StatusCode)
			case !allowed && resp.StatusCode != http.StatusForbidden:
				t.Errorf("%s as %s: got %d, want 403", key, role, resp.StatusCode)
			}
		}
		// Without credentials only public routes answer; pages send the
		// browser to sign in, the API and operations say 401.
		resp := f.do(t, "", r.Method, path, "")
		switch {
		case want == nil:
			if resp.StatusCode == http.StatusUnauthorized || (resp.StatusCode == http.StatusForbidden && key != "POST /login") {
				t.Errorf("%s anonymously: got %d, want access", key, resp.StatusCode)
			}
		case r.Surface == "page" && r.Method == http.MethodGet:
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
				t.Errorf("%s anonymously: got %d to %q, want 303 to /login", key, resp.StatusCode, resp.Header.Get("Location"))
			}
		default:
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s anonymously: got %d, want 401", key, resp.StatusCode)
			}
		}
	}
	for key := range expected {
		if !seen[key] {
			t.Errorf("expected route %s is not registered", key)
		}
	}
	// Every pattern the mux answers, however it was registered (a
	// library's own routes too), declares its permission.
	for _, pattern := range f.srv.Registered() {
		key := strings.TrimSuffix(pattern, "{$}")
		if !seen[key] {
			t.Errorf("pattern %q is registered on the mux without a declared permission", pattern)
		}
	}
}
