package server_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/store"
	"github.com/conform-itsm/conform/internal/store/storetest"
	"github.com/conform-itsm/conform/internal/web"
)

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	t      *testing.T
	f      *fixture
	client *http.Client
}

func newBrowser(t *testing.T, f *fixture) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, f: f, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.client.Get(b.f.ts.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) post(path string, form url.Values, header ...string) (*http.Response, string) {
	b.t.Helper()
	if path == "/login" && !form.Has("_csrf") {
		// The sign-in form's own token, from its page, as a browser has it.
		form = cloneForm(form)
		if _, body := b.get("/login"); csrfField.MatchString(body) {
			form.Set("_csrf", csrfField.FindStringSubmatch(body)[1])
		}
	}
	req, _ := http.NewRequest("POST", b.f.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func cloneForm(form url.Values) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = slices.Clone(v)
	}
	return out
}

// login signs in with the form, and with the second step when the user
// has a second factor (a recovery code of theirs).
func (b *browser) login(email, password string) *http.Response {
	b.t.Helper()
	resp, _ := b.post("/login", url.Values{"email": {email}, "password": {password}, "next": {"/users"}})
	if resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/login/mfa" {
		resp = b.secondStep(b.f.recoveryCode(b.t, email))
	}
	return resp
}

// secondStep answers the second step of signing in with code.
func (b *browser) secondStep(code string) *http.Response {
	b.t.Helper()
	resp, _ := b.post("/login/mfa", url.Values{"_csrf": {b.csrf("/login/mfa")}, "code": {code}})
	return resp
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([0-9a-f]+)"`)

func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, body := b.get(path)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no CSRF field on %s", path)
	}
	return m[1]
}

func TestSessionLoginLogoutAndCookie(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	resp := b.login("ADMIN@example.com ", "correct horse battery")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/users" {
		t.Fatalf("login: got %d to %q, want 303 to /users", resp.StatusCode, resp.Header.Get("Location"))
	}
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == web.SessionCookie {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge <= 0 {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/ and a lifetime", c)
	}
	if r, _ := b.get("/users"); r.StatusCode != 200 {
		t.Fatalf("users page after login: %d", r.StatusCode)
	}
	// A state-changing request without the CSRF token is refused and changes nothing.
	before := auditCount(t, f.db)
	if r, _ := b.post("/teams", url.Values{"name": {"Sneaky"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST without CSRF token: %d, want 403", r.StatusCode)
	}
	// So is one from another site, even with the token.
	token := b.csrf("/teams/new")
	if r, _ := b.post("/teams", url.Values{"name": {"Sneaky"}, "_csrf": {token}}, "Sec-Fetch-Site", "cross-site"); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", r.StatusCode)
	}
	if n := auditCount(t, f.db); n != before {
		t.Errorf("refused requests wrote %d audit entries", n-before)
	}
	// With the token the same form works.
	if r, _ := b.post("/teams", url.Values{"name": {"Real team"}, "_csrf": {token}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("POST with CSRF token: %d, want 303", r.StatusCode)
	}
	// Logging out ends the session on the server.
	if r, _ := b.post("/logout", url.Values{"_csrf": {token}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("logout: %d", r.StatusCode)
	}
	// Replaying the old cookie no longer works.
	req, _ := http.NewRequest("GET", f.ts.URL+"/users", nil)
	req.AddCookie(c)
	r, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("old cookie after logout: %d, want redirect to sign in", r.StatusCode)
	}
}

func TestLoginFormErrorsAndThrottle(t *testing.T) {
	// The clock stands still, so the account's wait cannot run out however
	// slowly the machine runs the test.
	frozen := time.Now()
	f := newFixtureWith(t, func(c *store.Config) { c.Now = func() time.Time { return frozen } })
	b := newBrowser(t, f)
	r, body := b.post("/login", url.Values{"email": {""}, "password": {""}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="email-error"`) || !strings.Contains(body, `id="password-error"`) {
		t.Errorf("empty login: %d, want 422 naming email and password", r.StatusCode)
	}
	for i := range 5 {
		r := b.login("agent@example.com", "wrong password!")
		if r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, r.StatusCode)
		}
	}
	// After five failures the account must wait, even with the right password.
	r = b.login("agent@example.com", "correct horse battery")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("throttled login: %d (Retry-After %q), want 429 with Retry-After", r.StatusCode, r.Header.Get("Retry-After"))
	}
	// Another account from the same address is not blocked yet.
	if r := b.login("sms_manager@example.com", "correct horse battery"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("other account: %d, want 303", r.StatusCode)
	}
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example"} {
		b := newBrowser(t, f)
		r, _ := b.post("/login", url.Values{"email": {"agent@example.com"}, "password": {"correct horse battery"}, "next": {next}})
		if loc := r.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q, want /", next, loc)
		}
	}
}

func TestFormErrorsNameFieldsAndWriteNothing(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	b.login("admin@example.com", "correct horse battery")
	token := b.csrf("/users/new")
	before := auditCount(t, f.db)
	r, body := b.post("/users", url.Values{"_csrf": {token}, "name": {""}, "email": {"nope"}, "role": {"agent"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad user form: %d, want 422", r.StatusCode)
	}
	for _, id := range []string{`id="f-name-error"`, `id="f-email-error"`, `href="#f-name"`, `href="#f-email"`} {
		if !strings.Contains(body, id) {
			t.Errorf("form response lacks %s", id)
		}
	}
	if n := auditCount(t, f.db); n != before {
		t.Errorf("a refused form wrote %d audit entries", n-before)
	}
	// A stale edit (version moved on) is refused with a message, not applied.
	u := f.users[access.Agent]
	r, body = b.post("/users/"+itoa(u.ID), url.Values{"_csrf": {token}, "name": {"Renamed"}, "email": {u.Email}, "role": {"agent"},
		"organisation_id": {itoa(u.OrgID)}, "active": {"on"}, "version": {"99"}})
	if r.StatusCode != http.StatusPreconditionFailed || !strings.Contains(body, "since you opened it") {
		t.Errorf("stale edit: %d, want 412 with an explanation", r.StatusCode)
	}
	got, _ := f.db.GetUser(context.Background(), u.ID)
	if got.Name != u.Name {
		t.Errorf("stale edit renamed the user to %q", got.Name)
	}
	// A delete the rules refuse shows the record again with the reason.
	admin := f.users[access.Admin]
	r, body = b.post("/users/"+itoa(admin.ID)+"/delete", url.Values{"_csrf": {token}, "version": {itoa(admin.Version)}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(body, "you cannot delete your own account") || !strings.Contains(body, `<h1 class="page-title">`+admin.Name) {
		t.Errorf("deleting oneself: %d, want 409 on one's own page with the reason", r.StatusCode)
	}
	if _, err := f.db.GetUser(context.Background(), admin.ID); err != nil {
		t.Errorf("the administrator deleted their own account: %v", err)
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	one, two := newBrowser(t, f), newBrowser(t, f)
	one.login("agent@example.com", "correct horse battery")
	two.login("agent@example.com", "correct horse battery")
	token := one.csrf("/account")
	r, body := one.post("/account/password", url.Values{"_csrf": {token}, "current_password": {"wrong one here"}, "new_password": {"short"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="current_password-error"`) || !strings.Contains(body, `id="new_password-error"`) {
		t.Fatalf("bad password change: %d, want 422 naming both fields", r.StatusCode)
	}
	r, _ = one.post("/account/password", url.Values{"_csrf": {token}, "current_password": {"correct horse battery"}, "new_password": {"a much better secret"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("password change: %d", r.StatusCode)
	}
	if r, _ := one.get("/account"); r.StatusCode != 200 {
		t.Errorf("the session that changed the password: %d, want it kept", r.StatusCode)
	}
	if r, _ := two.get("/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session: %d, want it ended (redirect to sign in)", r.StatusCode)
	}
	if r := newBrowser(t, f).login("agent@example.com", "a much better secret"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("login with the new password: %d", r.StatusCode)
	}
}

func TestRequesterPagesScoped(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	b.login("requester@example.com", "correct horse battery")
	_, body := b.get("/users")
	if strings.Contains(body, "agent@example.com") || !strings.Contains(body, "requester@example.com") {
		t.Errorf("requester's user list shows other organisations' users or not their own")
	}
	if r, _ := b.get("/organisations/" + itoa(f.orgs["b"].ID)); r.StatusCode != http.StatusNotFound {
		t.Errorf("requester opening another customer: %d, want 404", r.StatusCode)
	}
	_, home := b.get("/")
	if strings.Contains(home, `href="/teams"`) || strings.Contains(home, `href="/audit"`) {
		t.Errorf("requester's navigation offers pages they may not open")
	}
}

func TestHTMXPartial(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	b := newBrowser(t, f)
	b.login("admin@example.com", "correct horse battery")
	req, _ := http.NewRequest("GET", f.ts.URL+"/users?q=auditor", nil)
	req.Header.Set("HX-Request", "true")
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(body), "<html") || !strings.Contains(string(body), "internal_auditor@example.com") || strings.Contains(string(body), "agent@example.com") {
		t.Errorf("htmx search returned a whole page or the wrong rows:\n%s", body)
	}
}

func TestIdleSessionExpires(t *testing.T) {
	clock := storetest.NewClock()
	f := newFixtureWith(t, func(c *store.Config) { c.Now = clock.Now })
	b := newBrowser(t, f)
	b.login("agent@example.com", "correct horse battery")
	if r, _ := b.get("/account"); r.StatusCode != 200 {
		t.Fatalf("fresh session: %d", r.StatusCode)
	}
	clock.Advance(f.app.Config().SessionIdle + time.Second)
	if r, _ := b.get("/account"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("idle session: %d, want redirect to sign in", r.StatusCode)
	}
}

// formInputs reads the attributes of every <input> on a page. The module
// has no HTML parser; the templates write attributes double-quoted.
func formInputs(body string) []map[string]string {
	tag := regexp.MustCompile(`<input\b[^>]*>`)
	attr := regexp.MustCompile(`([a-zA-Z_:-]+)(?:="([^"]*)")?`)
	var out []map[string]string
	for _, t := range tag.FindAllString(body, -1) {
		in := map[string]string{}
		for _, m := range attr.FindAllStringSubmatch(strings.TrimSuffix(strings.TrimPrefix(t, "<input"), ">"), -1) {
			in[m[1]] = html.UnescapeString(m[2])
		}
		out = append(out, in)
	}
	return out
}

// memberChoices is what the team form offers as members: the checkboxes
// named member_ids, ticked or not, and the ids it posts back as listed.
type memberChoices struct{ Ticked, Unticked, Listed []int64 }

func readMemberChoices(t *testing.T, body string) memberChoices {
	t.Helper()
	var c memberChoices
	for _, in := range formInputs(body) {
		id, err := strconv.ParseInt(in["value"], 10, 64)
		switch {
		case in["type"] == "checkbox" && in["name"] == "member_ids":
			if err != nil {
				t.Fatalf("member checkbox with value %q", in["value"])
			}
			if _, ok := in["checked"]; ok {
				c.Ticked = append(c.Ticked, id)
			} else {
				c.Unticked = append(c.Unticked, id)
			}
		case in["type"] == "hidden" && in["name"] == "listed_member_ids":
			if err != nil {
				t.Fatalf("listed_member_ids with value %q", in["value"])
			}
			c.Listed = append(c.Listed, id)
		}
	}
	for _, ids := range [][]int64{c.Ticked, c.Unticked, c.Listed} {
		slices.Sort(ids)
	}
	return c
}

// inputValue returns the value of the input named name on a page.
func inputValue(t *testing.T, body, name string) string {
	t.Helper()
	for _, in := range formInputs(body) {
		if in["name"] == name {
			return in["value"]
		}
	}
	t.Fatalf("no input named %s on the page", name)
	return ""
}

func idStrings(ids ...int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = itoa(id)
	}
	return out
}

func sortedIDs(ids ...int64) []int64 {
	s := slices.Clone(ids)
	slices.Sort(s)
	return s
}

// teamMembers reads a team's members from the database.
func teamMembers(t *testing.T, f *fixture, id int64) []int64 {
	t.Helper()
	team, err := f.db.GetTeam(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return team.MemberIDs
}

// The team form does not offer every user as a checkbox but lists the
// team's members and finds others by search, so members beyond the first
// page of users are kept, and saving changes only what the form showed.
func TestTeamFormKeepsMembersBeyondFirstPage(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	var us []account.User
	for i := range store.MaxLimit + 5 {
		u, err := f.app.CreateUser(ctx, access.CLI, account.UserInput{Email: fmt.Sprintf("member%03d@example.com", i), Name: fmt.Sprintf("Member %03d", i), Role: access.Agent})
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	first, second, last := us[0], us[1], us[len(us)-1]
	team, err := f.app.CreateTeam(ctx, access.CLI, account.TeamInput{Name: "Night shift", MemberIDs: []int64{first.ID, second.ID, last.ID}})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	b.login("admin@example.com", "correct horse battery")
	token := b.csrf("/teams/new")
	edit, path := "/teams/"+itoa(team.ID)+"/edit", "/teams/"+itoa(team.ID)

	// save posts the edit form as loaded, with ticked ticked of what it listed.
	save := func(t *testing.T, name string, listed, ticked []int64) {
		t.Helper()
		_, body := b.get(edit)
		r, _ := b.post(path, url.Values{"_csrf": {token}, "version": {inputValue(t, body, "version")}, "name": {name}, "description": {""},
			"listed_member_ids": idStrings(listed...), "member_ids": idStrings(ticked...)})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: got status %d, want 303", r.StatusCode)
		}
	}

	r, body := b.get(edit)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("edit form: got status %d, want 200", r.StatusCode)
	}
	all3 := sortedIDs(first.ID, second.ID, last.ID)
	shown := readMemberChoices(t, body)
	if diff := cmp.Diff(memberChoices{Ticked: all3, Listed: all3}, shown); diff != "" {
		t.Fatalf("edit form member choices (-want +got):\n%s", diff)
	}

	t.Run("renaming keeps every member", func(t *testing.T) {
		save(t, "Night shift team", shown.Listed, shown.Ticked)
		if got := teamMembers(t, f, team.ID); !cmp.Equal(got, all3) {
			t.Errorf("members after renaming: got %v, want %v (user %d is past the first %d users)", got, all3, last.ID, store.MaxLimit)
		}
	})
	t.Run("unticking removes that member only", func(t *testing.T) {
		save(t, "Night shift team", all3, []int64{first.ID, last.ID})
		if got, want := teamMembers(t, f, team.ID), sortedIDs(first.ID, last.ID); !cmp.Equal(got, want) {
			t.Errorf("members after unticking %d: got %v, want %v", second.ID, got, want)
		}
	})
	t.Run("members not listed stay", func(t *testing.T) {
		// As if the form had shown only the first member, plus a user found
		// by searching and ticked.
		save(t, "Night shift team", []int64{first.ID, second.ID}, []int64{first.ID, second.ID})
		if got := teamMembers(t, f, team.ID); !cmp.Equal(got, all3) {
			t.Errorf("members: got %v, want %v (%d, not listed, kept)", got, all3, last.ID)
		}
	})
	t.Run("search saves nothing", func(t *testing.T) {
		before := auditCount(t, f.db)
		_, form := b.get(edit)
		r, body := b.post(path, url.Values{"_csrf": {token}, "version": {inputValue(t, form, "version")}, "name": {"Renamed while searching"},
			"listed_member_ids": idStrings(all3...), "member_ids": idStrings(first.ID, last.ID), "member_q": {"member503@"}, "_action": {"search"}})
		if r.StatusCode != http.StatusOK {
			t.Fatalf("search: got status %d, want 200", r.StatusCode)
		}
		if n := auditCount(t, f.db); n != before {
			t.Errorf("searching wrote %d audit entries, want none", n-before)
		}
		if got := teamMembers(t, f, team.ID); !cmp.Equal(got, all3) {
			t.Errorf("members after searching: got %v, want %v unchanged", got, all3)
		}
		if got := inputValue(t, body, "name"); got != "Renamed while searching" {
			t.Errorf("name field after searching: got %q, want what was typed", got)
		}
		if got := inputValue(t, body, "member_q"); got != "member503@" {
			t.Errorf("search field after searching: got %q, want member503@", got)
		}
		// The unticked member stays listed (unticked), so saving now removes it.
		want := memberChoices{Ticked: sortedIDs(first.ID, last.ID), Unticked: sortedIDs(second.ID, us[503].ID), Listed: sortedIDs(first.ID, second.ID, us[503].ID, last.ID)}
		if diff := cmp.Diff(want, readMemberChoices(t, body)); diff != "" {
			t.Errorf("member choices after searching (-want +got):\n%s", diff)
		}
		if !strings.Contains(body, "member503@example.com") {
			t.Errorf("search results do not show member503@example.com")
		}
	})
	t.Run("search on a new team saves nothing", func(t *testing.T) {
		before := auditCount(t, f.db)
		r, body := b.post("/teams", url.Values{"_csrf": {token}, "name": {"Draft"}, "member_q": {"no such person"}, "_action": {"search"}})
		if r.StatusCode != http.StatusOK {
			t.Fatalf("search: got status %d, want 200", r.StatusCode)
		}
		if n := auditCount(t, f.db); n != before {
			t.Errorf("searching created something: %d audit entries", n-before)
		}
		if got := inputValue(t, body, "name"); got != "Draft" {
			t.Errorf("name field after searching: got %q, want Draft", got)
		}
		if !strings.Contains(body, "No users match “no such person”") {
			t.Errorf("search without results does not say so")
		}
	})
}

// The member search of the team form answers htmx with the member choices
// alone, rebuilt from the posted form.
func TestTeamMemberPicker(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	agent, manager, owner := f.users[access.Agent], f.users[access.SMSManager], f.users[access.ProcessOwner]
	team, err := f.app.CreateTeam(context.Background(), access.CLI, account.TeamInput{Name: "Desk", MemberIDs: []int64{agent.ID, owner.ID}})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	b.login("admin@example.com", "correct horse battery")
	token := b.csrf("/teams/new")
	pick := func(t *testing.T, form url.Values) string {
		t.Helper()
		r, body := b.post("/teams/member-picker", form, "HX-Request", "true", "X-CSRF-Token", token)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("member picker: got status %d, want 200\n%s", r.StatusCode, body)
		}
		if strings.Contains(body, "<html") || strings.Contains(body, "<form") {
			t.Errorf("member picker returned more than the member choices:\n%s", body)
		}
		return body
	}

	t.Run("new team", func(t *testing.T) {
		// The agent was ticked; 987654 names no user and is not shown.
		body := pick(t, url.Values{"member_ids": idStrings(agent.ID, 987654), "listed_member_ids": idStrings(agent.ID), "member_q": {"manager@"}})
		want := memberChoices{Ticked: []int64{agent.ID}, Unticked: []int64{manager.ID}, Listed: sortedIDs(agent.ID, manager.ID)}
		if diff := cmp.Diff(want, readMemberChoices(t, body)); diff != "" {
			t.Errorf("member choices (-want +got):\n%s", diff)
		}
		if !strings.Contains(body, manager.Email) || !strings.Contains(body, agent.Name) {
			t.Errorf("member choices do not name the agent and the SMS manager:\n%s", body)
		}
	})
	t.Run("ticked result moves to the members", func(t *testing.T) {
		body := pick(t, url.Values{"member_ids": idStrings(manager.ID), "listed_member_ids": idStrings(manager.ID), "member_q": {"manager@"}})
		if diff := cmp.Diff(memberChoices{Ticked: []int64{manager.ID}, Listed: []int64{manager.ID}}, readMemberChoices(t, body)); diff != "" {
			t.Errorf("member choices (-want +got):\n%s", diff)
		}
	})
	t.Run("existing team keeps an unticked member listed", func(t *testing.T) {
		body := pick(t, url.Values{"team_id": {itoa(team.ID)}, "member_ids": idStrings(owner.ID), "listed_member_ids": idStrings(agent.ID, owner.ID), "member_q": {"nobody at all"}})
		want := memberChoices{Ticked: []int64{owner.ID}, Unticked: []int64{agent.ID}, Listed: sortedIDs(agent.ID, owner.ID)}
		if diff := cmp.Diff(want, readMemberChoices(t, body)); diff != "" {
			t.Errorf("member choices (-want +got):\n%s", diff)
		}
		if !strings.Contains(body, "No users match “nobody at all”") {
			t.Errorf("empty search result not explained:\n%s", body)
		}
	})
}

// historyChange is one change listed in a page's History section.
type historyChange struct {
	Field, Before, After string
	Text                 string            // the whole item without markup
	Links                map[string]string // href to link text
}

var (
	historySection = regexp.MustCompile(`(?s)<section aria-labelledby="history-title">(.*?)</section>`)
	historyRow     = regexp.MustCompile(`(?s)<tr>\s*<td[^>]*><time(.*?)</tr>`)
	historyItem    = regexp.MustCompile(`(?s)<li>(.*?)</li>`)
	historyLink    = regexp.MustCompile(`<a href="([^"]*)">([^<]*)</a>`)
	markup         = regexp.MustCompile(`<[^>]+>`)
)

// readHistory reads the History section of a page: its markup, and the
// changes of each entry, newest first. The module has no HTML parser; the
// history template writes these elements in this form.
func readHistory(t *testing.T, body string) (string, [][]historyChange) {
	t.Helper()
	m := historySection.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("page has no History section:\n%s", body)
	}
	text := func(s string) string {
		return strings.Join(strings.Fields(html.UnescapeString(markup.ReplaceAllString(s, ""))), " ")
	}
	inner := func(class, s string) string {
		if m := regexp.MustCompile(`(?s)<span class="` + class + `">(.*?)</span>`).FindStringSubmatch(s); m != nil {
			return text(m[1])
		}
		return ""
	}
	var entries [][]historyChange
	for _, row := range historyRow.FindAllStringSubmatch(m[1], -1) {
		var changes []historyChange
		for _, li := range historyItem.FindAllStringSubmatch(row[1], -1) {
			c := historyChange{Field: inner("field", li[1]), Before: inner("before", li[1]), After: inner("after", li[1]), Text: text(li[1]), Links: map[string]string{}}
			for _, a := range historyLink.FindAllStringSubmatch(li[1], -1) {
				c.Links[a[1]] = html.UnescapeString(a[2])
			}
			changes = append(changes, c)
		}
		entries = append(entries, changes)
	}
	return m[1], entries
}

func findChange(changes []historyChange, field string) (historyChange, bool) {
	i := slices.IndexFunc(changes, func(c historyChange) bool { return c.Field == field })
	if i < 0 {
		return historyChange{}, false
	}
	return changes[i], true
}

// A record's history reads from its kind's declaration: field labels,
// a role's label, and a team's members added and removed, by name and
// linked to their pages, never the recorded keys and codes.
func TestHistoryReadsKindDeclarations(t *testing.T) {
	f := newFixture(t, storetest.SQLite)
	ctx := context.Background()
	agent := f.users[access.Agent]
	grace, err := f.app.CreateUser(ctx, access.CLI, account.UserInput{Email: "grace@example.com", Name: "Grace Hopper", Role: access.Agent})
	if err != nil {
		t.Fatal(err)
	}
	team, err := f.app.CreateTeam(ctx, access.CLI, account.TeamInput{Name: "Service desk", MemberIDs: []int64{agent.ID}})
	if err != nil {
		t.Fatal(err)
	}
	members := []int64{grace.ID}
	if _, err := f.app.UpdateTeam(ctx, access.CLI, team.ID, 0, account.TeamUpdate{MemberIDs: &members}); err != nil {
		t.Fatal(err)
	}
	role := access.ProcessOwner
	if _, err := f.app.UpdateUser(ctx, access.CLI, grace.ID, 0, account.UserUpdate{Role: &role}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	b.login("admin@example.com", "correct horse battery")

	t.Run("team", func(t *testing.T) {
		r, body := b.get("/teams/" + itoa(team.ID) + "?tab=history")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET team: got status %d, want 200", r.StatusCode)
		}
		section, entries := readHistory(t, body)
		if len(entries) != 2 {
			t.Fatalf("history: got %d entries, want the creation and the change", len(entries))
		}
		c, ok := findChange(entries[0], "Members")
		if !ok {
			t.Fatalf("newest entry: no change of Members among %+v", entries[0])
		}
		if want := "Members: added Grace Hopper; removed The Agent"; c.Text != want {
			t.Errorf("members change: got %q, want %q", c.Text, want)
		}
		want := map[string]string{"/users/" + itoa(grace.ID): "Grace Hopper", "/users/" + itoa(agent.ID): "The Agent"}
		if diff := cmp.Diff(want, c.Links); diff != "" {
			t.Errorf("members change links (-want +got):\n%s", diff)
		}
		if strings.Contains(section, "member_ids") {
			t.Errorf("history shows the recorded key member_ids:\n%s", section)
		}
	})
	t.Run("user", func(t *testing.T) {
		r, body := b.get("/users/" + itoa(grace.ID) + "?tab=history")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET user: got status %d, want 200", r.StatusCode)
		}
		section, entries := readHistory(t, body)
		if len(entries) == 0 {
			t.Fatalf("history: no entries")
		}
		c, ok := findChange(entries[0], "Role")
		if !ok {
			t.Fatalf("newest entry: no change of Role among %+v", entries[0])
		}
		if c.Before != "Agent" || c.After != "Process owner" {
			t.Errorf("role change: got %q to %q, want Agent to Process owner", c.Before, c.After)
		}
		org, ok := findChange(entries[len(entries)-1], "Organisation")
		if want := map[string]string{"/organisations/" + itoa(f.orgs["provider"].ID): "Provider"}; !ok || !cmp.Equal(org.Links, want) {
			t.Errorf("creation: organisation change %+v, want a link %v", org, want)
		}
		for _, raw := range []string{"process_owner", "organisation_id", ">role<"} {
			if strings.Contains(section, raw) {
				t.Errorf("history shows the recorded %s:\n%s", raw, section)
			}
		}
	})
}
