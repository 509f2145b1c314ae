package browser

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/store"
)

// A new installation: the first visit goes to the sign-in page, a wrong
// password is refused there, and the right one leads home to the
// "Getting started" checklist.
func TestFirstSignIn(t *testing.T) {
	s := newAdminSite(t)
	b := newTab(t, s.url)

	if got := b.open("/"); got != http.StatusOK {
		t.Fatalf("open /: got status %d, want 200 (after the redirect to sign in)", got)
	}
	if u := b.location(); u.Path != "/login" || u.Query().Get("next") != "/" {
		t.Fatalf("open / signed out: got %s, want /login?next=%%2F", u.RequestURI())
	}
	if got := b.text("h1"); got != "Sign in to Conform" {
		t.Errorf("heading: got %q, want %q", got, "Sign in to Conform")
	}
	if got := b.focused(); got != "input#email" {
		t.Errorf("focus: got %s, want input#email", got)
	}

	if got := b.signIn(adminEmail, "not the password"); got != http.StatusUnauthorized {
		t.Errorf("wrong password: got status %d, want 401", got)
	}
	if got := b.location().Path; got != "/login" {
		t.Errorf("wrong password: got page %s, want /login", got)
	}
	if got := b.text(".form-error[role=alert]"); got != "the email or password is wrong" {
		t.Errorf("wrong password: got error %q, want %q", got, "the email or password is wrong")
	}
	if got := b.value("#email"); got != adminEmail {
		t.Errorf("wrong password: email field holds %q, want it kept as %q", got, adminEmail)
	}
	if got := b.value("#password"); got != "" {
		t.Errorf("wrong password: password field holds %q, want it empty", got)
	}
	if n := b.count(`form[action="/logout"]`); n != 0 {
		t.Errorf("wrong password: %d sign-out forms, want none (not signed in)", n)
	}

	if got := b.signIn(adminEmail, adminPassword); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	if got := b.location().Path; got != "/" {
		t.Fatalf("sign in: got page %s, want / (the page asked for first)", got)
	}
	if got, want := b.text("h1"), "Welcome, "+adminName; got != want {
		t.Errorf("home heading: got %q, want %q", got, want)
	}
	if got := b.text("#start-title"); got != "Getting started" {
		t.Errorf("checklist heading: got %q, want %q", got, "Getting started")
	}
	type step struct{ Href, Badge string }
	steps := eval[[]step](b, `[...document.querySelectorAll("section[aria-labelledby=start-title] ol.steps-list > li")].map(li =>
		({Href: li.querySelector("a").getAttribute("href"), Badge: li.querySelector(".badge").textContent.trim()}))`)
	want := []step{{"/organisations/new", "To do"}, {"/users/new", "To do"}, {"/teams/new", "To do"}, {"/tokens", "To do"}}
	if diff := cmp.Diff(want, steps); diff != "" {
		t.Errorf("checklist on a new installation (-want +got):\n%s", diff)
	}
	if got, _ := b.attr(`form[action="/logout"] button`, "aria-label"); !strings.Contains(got, adminName) {
		t.Errorf("sign-out button: accessible name %q, want it to name %q", got, adminName)
	}
}

// An administrator creates a user and a team with that user in it,
// through the forms; a form without a name is sent back with the error
// next to the field and creates nothing.
func TestCreateUserAndTeam(t *testing.T) {
	s := newAdminSite(t)
	b := newTab(t, s.url)
	if got := b.signIn(adminEmail, adminPassword); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}

	b.mustOpen("/users")
	b.follow(`.page-header a[href="/users/new"]`)
	b.fill("#f-name", "Grace Hopper")
	b.fill("#f-email", "grace@example.com")
	b.choose("#f-role", string(access.ProcessOwner))
	b.fill("#f-password", "a long enough password")
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create user: got status %d, want 200", got)
	}
	userID := b.pathID()
	if got, want := b.location().Path, fmt.Sprintf("/users/%d", userID); got != want {
		t.Fatalf("after creating a user: got page %s, want %s", got, want)
	}
	if got := b.text(".flash"); got != "Created." {
		t.Errorf("flash: got %q, want %q", got, "Created.")
	}
	if got := b.text("h1"); got != "Grace Hopper" {
		t.Errorf("user page heading: got %q, want %q", got, "Grace Hopper")
	}

	b.mustOpen("/users")
	users := b.table("#records table")
	i := slices.IndexFunc(users, func(r map[string]string) bool { return r["Email"] == "grace@example.com" })
	if i < 0 {
		t.Fatalf("users list: no row for grace@example.com in %v", users)
	}
	if got, want := users[i], (map[string]string{"Name": "Grace Hopper", "Email": "grace@example.com", "Role": access.ProcessOwner.Label(), "Organisation": "Northwind IT Services", "Status": "Active"}); !cmp.Equal(got, want) {
		t.Errorf("users list row (-want +got):\n%s", cmp.Diff(want, got))
	}

	// Typing in the search box filters the list in place (htmx), and the
	// address follows so the result can be shared.
	eval[bool](b, "window.samePage = true")
	b.fill("#f-q", "grace")
	run(b, "wait for the filtered list", chromedp.Poll[bool](`document.querySelectorAll("#records tbody tr").length === 1`))
	if got := b.table("#records table"); len(got) != 1 || got[0]["Email"] != "grace@example.com" {
		t.Errorf("users list filtered by grace: got %v, want Grace Hopper alone", got)
	}
	if !eval[bool](b, "window.samePage === true") {
		t.Errorf("searching loaded a new page; want the list replaced in place")
	}
	if got := b.location().Query().Get("q"); got != "grace" {
		t.Errorf("address after searching: q=%q, want grace", got)
	}

	b.mustOpen("/teams")
	b.follow(`.page-header a[href="/teams/new"]`)
	// Form pages have a record version of their own; the footer must
	// still show Conform's.
	if got := b.text("footer"); !strings.HasPrefix(got, "Conform test ·") {
		t.Errorf("footer of the team form: got %q, want it to name version test", got)
	}
	b.fill("#name", "Service desk")
	b.fill("#description", "First line support for all services.")
	// Members are found by searching; the results come in place (htmx)
	// while the search box keeps the focus.
	eval[bool](b, "window.samePage = true")
	b.fill("#member_q", "hopp")
	checkbox := fmt.Sprintf(`input[type=checkbox][name=member_ids][value="%d"]`, userID)
	member := "#member-choices " + checkbox
	run(b, "wait for the search result", chromedp.Poll[bool](`document.querySelector(`+js(member)+`) !== null`))
	if got := b.focused(); got != "input#member_q" {
		t.Errorf("focus after searching: got %s, want input#member_q", got)
	}
	if got := b.text(`#member-choices label:has(> ` + checkbox + `)`); !strings.Contains(got, "Grace Hopper") || !strings.Contains(got, "grace@example.com") {
		t.Errorf("search result: got %q, want Grace Hopper and her email", got)
	}
	run(b, "tick the member", chromedp.Click(chromedp.CSS(member)))
	if !eval[bool](b, "window.samePage === true") {
		t.Errorf("searching for members loaded a new page; want the choices replaced in place")
	}
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create team: got status %d, want 200", got)
	}
	if got := b.text("h1"); got != "Service desk" {
		t.Errorf("team page heading: got %q, want %q", got, "Service desk")
	}
	members := eval[[]string](b, `[...document.querySelectorAll("[data-table=members] tbody a")].map(a => a.getAttribute("href") + " " + a.textContent.trim())`)
	if want := []string{fmt.Sprintf("/users/%d Grace Hopper", userID)}; !cmp.Equal(members, want) {
		t.Errorf("team members (-want +got):\n%s", cmp.Diff(want, members))
	}

	for _, c := range []struct {
		name, list, table, form, nameField, nameError, errorSel string
		fill                                                    map[string]string
	}{
		{"user", "/users", "#records table", "/users/new", "#f-name", "f-name-error", ".error-summary", map[string]string{"#f-email": "nameless@example.com"}},
		{"team", "/teams", "#records table", "/teams/new", "#name", "name-error", ".form-error[role=alert]", map[string]string{"#description": "A team without a name."}},
	} {
		t.Run(c.name+" without a name", func(t *testing.T) {
			b := b.in(t)
			b.mustOpen(c.list)
			before := len(b.table(c.table))
			b.mustOpen(c.form)
			for sel, v := range c.fill {
				b.fill(sel, v)
			}
			b.fill(c.nameField, "   ")
			// The first button of the team form searches for members.
			if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusUnprocessableEntity {
				t.Errorf("submit: got status %d, want 422", got)
			}
			if got := b.text(c.errorSel); !strings.Contains(got, "There is a problem") && got != "Please correct the fields marked below." {
				t.Errorf("form error: got %q", got)
			}
			if got, _ := b.attr(c.nameField, "aria-invalid"); got != "true" {
				t.Errorf("name field: aria-invalid=%q, want true", got)
			}
			if got, _ := b.attr(c.nameField, "aria-describedby"); !slices.Contains(strings.Fields(got), c.nameError) {
				t.Errorf("name field: aria-describedby=%q, want it to name %s", got, c.nameError)
			}
			// The message directly follows its field.
			if got := b.text(c.nameField + " + #" + c.nameError); got == "" {
				t.Errorf("no error text right after the name field")
			}
			for sel, want := range c.fill {
				if got := b.value(sel); got != want {
					t.Errorf("%s: got %q, want what was typed kept, %q", sel, got, want)
				}
			}
			b.mustOpen(c.list)
			if after := len(b.table(c.table)); after != before {
				t.Errorf("%s list: %d rows after the refused form, want %d as before", c.list, after, before)
			}
		})
	}
}

// An API token's secret is shown once; it works against the API until it
// is revoked on the tokens page.
func TestAPITokenCreateAndRevoke(t *testing.T) {
	s := newAdminSite(t)
	b := newTab(t, s.url)
	if got := b.signIn(adminEmail, adminPassword); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	const list = "section[aria-labelledby=list-title] table"
	b.mustOpen("/tokens")
	b.fill("#token-name", "ci")
	if got := b.follow(`form[action="/tokens"] button[type=submit]`); got != http.StatusCreated {
		t.Fatalf("create token: got status %d, want 201", got)
	}
	if got := b.text("#secret-title"); !strings.Contains(got, "ci") {
		t.Errorf("secret heading: got %q, want it to name the token", got)
	}
	secret := b.value("#new-secret")
	if !strings.HasPrefix(secret, "cfm_") {
		t.Fatalf("secret: got %q, want it to start with cfm_", secret)
	}
	if got, _ := b.attr("#new-secret", "readonly"); got != "" {
		t.Errorf("secret field is not read-only")
	}
	if got := s.apiStatus(t, "/api/v1/me", secret); got != http.StatusOK {
		t.Fatalf("GET /api/v1/me with the new token: got status %d, want 200", got)
	}

	b.mustOpen("/tokens")
	if n := b.count("#new-secret"); n != 0 {
		t.Errorf("secret field still shown after reloading the page")
	}
	if eval[bool](b, "document.documentElement.outerHTML.includes("+js(secret)+")") {
		t.Errorf("the secret is in the page after reloading; it must be shown only once")
	}
	rows := b.table(list)
	if len(rows) != 1 || rows[0]["Name"] != "ci" || rows[0]["Status"] != "Active" || rows[0]["User"] != adminName {
		t.Fatalf("tokens list: got %v, want one active token ci of %s", rows, adminName)
	}
	if !strings.HasPrefix(secret, strings.TrimSuffix(rows[0]["Starts with"], "…")) {
		t.Errorf("tokens list: starts with %q, not a prefix of the secret", rows[0]["Starts with"])
	}

	// Revoking asks first, in a dialog that names the token; Cancel
	// leaves it alone.
	run(b, "ask to revoke", chromedp.Click(chromedp.CSS(`button[aria-label="Revoke token ci"]`)))
	run(b, "wait for the dialog", chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog`)))
	if got := b.text("#confirm-title"); got != "Revoke token ci?" {
		t.Errorf("confirm dialog: title %q, want it to name the token", got)
	}
	run(b, "cancel", chromedp.Click(chromedp.CSS(`#confirm-dialog button[value=cancel]`)))
	if got := b.table(list); len(got) != 1 || got[0]["Status"] != "Active" {
		t.Fatalf("after cancelling: tokens %v, want ci still active", got)
	}
	run(b, "ask again", chromedp.Click(chromedp.CSS(`button[aria-label="Revoke token ci"]`)))
	if got := b.follow(`#confirm-dialog button[value=confirm]`); got != http.StatusOK {
		t.Fatalf("revoke: got status %d, want 200", got)
	}
	if got := b.text(".flash[role=status]"); got != "Token revoked; it no longer works." {
		t.Errorf("flash: got %q", got)
	}
	rows = b.table(list)
	if len(rows) != 1 || !strings.HasPrefix(rows[0]["Status"], "Revoked") {
		t.Errorf("tokens list after revoking: got %v, want token ci revoked", rows)
	}
	if n := b.count(`button[aria-label="Revoke token ci"]`); n != 0 {
		t.Errorf("revoked token still has a Revoke button")
	}
	if got := s.apiStatus(t, "/api/v1/me", secret); got != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me with the revoked token: got status %d, want 401", got)
	}
}

// Editing an organisation shows up in its page's History section, with
// the field, its value before and after.
func TestOrganisationHistory(t *testing.T) {
	s := newAdminSite(t)
	org, err := s.app.CreateOrganisation(context.Background(), access.CLI, account.OrganisationInput{
		Name: "Contoso Retail", Kind: account.Customer, Description: "Chain of stores."})
	if err != nil {
		t.Fatal(err)
	}
	b := newTab(t, s.url)
	if got := b.signIn(adminEmail, adminPassword); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	b.mustOpen("/organisations")
	b.follow(fmt.Sprintf(`a[href="/organisations/%d"]`, org.ID))
	b.follow(fmt.Sprintf(`.page-header a[href="/organisations/%d/edit"]`, org.ID))
	if got := b.value("#f-description"); got != "Chain of stores." {
		t.Errorf("edit form: description holds %q, want the current one", got)
	}
	b.fill("#f-description", "Chain of 120 stores; point-of-sale systems.")
	if got := b.follow(`main form button[type=submit]`); got != http.StatusOK {
		t.Fatalf("save: got status %d, want 200", got)
	}
	if got, want := b.location().Path, fmt.Sprintf("/organisations/%d", org.ID); got != want {
		t.Fatalf("after saving: got page %s, want %s", got, want)
	}
	if got := b.text(".flash"); got != "Saved." {
		t.Errorf("flash: got %q, want %q", got, "Saved.")
	}
	if got := b.follow(`.nav-tabs a[href$="?tab=history"]`); got != http.StatusOK {
		t.Fatalf("history tab: got status %d, want 200", got)
	}

	type change struct{ Field, Before, After string }
	type entry struct {
		Who, What string
		Changes   []change
	}
	history := eval[[]entry](b, `[...document.querySelectorAll("section[aria-labelledby=history-title] tbody tr")].map(tr => ({
		Who: tr.cells[1].innerText.trim(),
		What: tr.cells[2].innerText.trim(),
		Changes: [...tr.querySelectorAll(".changes li")].map(li => ({
			Field: li.querySelector(".field").textContent.trim(),
			Before: li.querySelector(".before")?.textContent.trim() ?? "",
			After: li.querySelector(".after")?.textContent.trim() ?? "",
		})),
	}))`)
	if len(history) < 2 {
		t.Fatalf("history: got %d entries, want the creation and the update: %v", len(history), history)
	}
	got := history[0]
	if got.What != "Changed" || !strings.HasPrefix(got.Who, adminName) {
		t.Errorf("newest history entry: got %q by %q, want Changed by %s", got.What, got.Who, adminName)
	}
	want := change{"Description", "Chain of stores.", "Chain of 120 stores; point-of-sale systems."}
	if !slices.Contains(got.Changes, want) {
		t.Errorf("newest history entry: changes %v, want %v among them", got.Changes, want)
	}
	if last := history[len(history)-1]; last.What != "Created" {
		t.Errorf("oldest history entry: got %q, want Created", last.What)
	}
}

// Everything works from the keyboard: signing in, the skip link, and the
// navigation.
func TestKeyboard(t *testing.T) {
	s := newAdminSite(t)
	b := newTab(t, s.url)
	b.mustOpen("/login")
	if got := b.focused(); got != "input#email" {
		t.Fatalf("focus on the sign-in page: got %s, want input#email", got)
	}
	b.press(adminEmail + kb.Tab + adminPassword)
	if got := b.secondStep(adminEmail, b.await("press Enter", chromedp.KeyEvent(kb.Enter))); got != http.StatusOK {
		t.Fatalf("sign in with Enter: got status %d, want 200", got)
	}
	if got := b.location().Path; got != "/" {
		t.Fatalf("sign in with Enter: got page %s, want /", got)
	}

	b.press(kb.Tab)
	if got := b.focused(); got != "a[href=#main]" {
		t.Fatalf("first Tab: focus on %s, want the skip link", got)
	}
	type box struct{ Left, Top, Width, Height float64 }
	if r := eval[box](b, `(r => ({Left: r.left, Top: r.top, Width: r.width, Height: r.height}))(document.activeElement.getBoundingClientRect())`); r.Left < 0 || r.Top < 0 || r.Width < 1 || r.Height < 1 {
		t.Errorf("focused skip link is off screen at %+v; want it shown", r)
	}
	b.press(kb.Enter)
	b.press(kb.Tab)
	if !eval[bool](b, `document.querySelector("main").contains(document.activeElement)`) {
		t.Errorf("after the skip link and Tab: focus on %s, want it in the main content", b.focused())
	}

	// From the top of the page, Tab reaches the Users link (past the
	// management system's pages), and Enter follows it.
	b.mustOpen("/")
	for range 40 {
		b.press(kb.Tab)
		if b.focused() == "a[href=/users]" {
			break
		}
	}
	if got := b.focused(); got != "a[href=/users]" {
		t.Fatalf("forty Tabs from the top never reached the Users link; focus on %s", got)
	}
	if got := b.await("press Enter on Users", chromedp.KeyEvent(kb.Enter)); got != http.StatusOK {
		t.Fatalf("Enter on Users: got status %d, want 200", got)
	}
	if got := b.location().Path; got != "/users" {
		t.Errorf("Enter on Users: got page %s, want /users", got)
	}
}

// At phone width the pages fit the screen (wide tables scroll inside
// their box) and every navigation link can be reached and tapped.
func TestPhoneWidth(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	const width, height = 390, 844
	run(b, "emulate a phone", chromedp.EmulateViewport(width, height, chromedp.EmulateMobile, chromedp.EmulateTouch))
	if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	ids := someIDs(t, s)
	for _, path := range []string{"/users", "/", fmt.Sprintf("/users/%d", ids.user), "/users/new", "/teams", fmt.Sprintf("/teams/%d", ids.team), "/organisations", fmt.Sprintf("/organisations/%d", ids.org), "/tokens", "/audit", "/account"} {
		t.Run(path, func(t *testing.T) {
			b := b.in(t)
			b.mustOpen(path)
			type fit struct{ ScrollWidth, InnerWidth int }
			got := eval[fit](b, `({ScrollWidth: document.documentElement.scrollWidth, InnerWidth: innerWidth})`)
			if got.InnerWidth != width || got.ScrollWidth > got.InnerWidth {
				// The widest elements not clipped by a scrolling box are the likely culprits.
				wide := eval[[]string](b, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > `+fmt.Sprint(width)+` + 1 &&
					(!e.parentElement.closest(".overflow-auto") || ["absolute", "fixed"].includes(getComputedStyle(e).position))).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""))`)
				t.Errorf("page is %dpx wide in a %dpx window (want it to fit %dpx); too wide: %v", got.ScrollWidth, got.InnerWidth, width, wide)
			}
		})
	}

	t.Run("navigation", func(t *testing.T) {
		b := b.in(t)
		b.mustOpen("/users")
		// The sidebar is a menu behind a button on a phone.
		if n := eval[int](b, `[...document.querySelectorAll("#sidebar-menu a")].filter(a => a.getBoundingClientRect().height > 0).length`); n != 0 {
			t.Errorf("navigation: %d links shown before the menu is opened, want them folded away", n)
		}
		run(b, "open the menu", chromedp.Tap(chromedp.CSS(`.navbar-toggler`)))
		run(b, "wait for the menu", chromedp.Poll[bool](`document.querySelector("#sidebar-menu.show:not(.collapsing)") !== null`))
		if got, _ := b.attr(`.navbar-toggler`, "aria-expanded"); got != "true" {
			t.Errorf("menu button: aria-expanded=%q once open, want true", got)
		}
		type target struct {
			Name                     string
			Left, Right, Top, Height float64
			Width                    float64
			Hit                      bool
		}
		// The open menu may be longer than the screen: each target is
		// scrolled to, as a user would, before it is measured.
		targets := eval[[]target](b, `[...document.querySelectorAll("#sidebar-menu a, .navbar-toggler, .user-menu")].map(e => {
			e.scrollIntoView({block: "center", behavior: "instant"});
			const r = e.getBoundingClientRect();
			const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
			return {Name: e.textContent.trim(), Left: r.left, Right: r.right, Top: r.top, Width: r.width, Height: r.height, Hit: !!hit && e.contains(hit)};
		})`)
		if len(targets) < 8 {
			t.Fatalf("navigation: got %d links and buttons, want the 6 an administrator has, the menu and the user's menu", len(targets))
		}
		for _, g := range targets {
			// WCAG 2.2 target size (minimum) is 24 by 24 CSS pixels.
			if g.Left < 0 || g.Right > width || g.Width < 24 || g.Height < 24 || !g.Hit {
				t.Errorf("navigation %q: box %.0f..%.0f x %.0f high at %.0f, reachable=%v; want it inside the %dpx screen, at least 24x24 and not covered", g.Name, g.Left, g.Right, g.Height, g.Top, g.Hit, width)
			}
		}
		// Measuring scrolled every target into view; bring Teams back
		// before tapping it, as a user would.
		run(b, "scroll to Teams", chromedp.Evaluate[chromedp.Void](`document.querySelector('#sidebar-menu a[href="/teams"]').scrollIntoView({block: "center", behavior: "instant"})`))
		if got := b.await("tap Teams", chromedp.Tap(chromedp.CSS(`#sidebar-menu a[href="/teams"]`))); got != http.StatusOK {
			t.Fatalf("tap Teams: got status %d, want 200", got)
		}
		if got := b.location().Path; got != "/teams" {
			t.Errorf("tap Teams: got page %s, want /teams", got)
		}
		if got, _ := b.attr(`#sidebar-menu a[href="/teams"]`, "aria-current"); got != "page" {
			t.Errorf("Teams link on /teams: aria-current=%q, want page", got)
		}
	})
}

// Accessibility: axe-core finds nothing serious or critical on the main
// pages, in their empty, filled and error states.
func TestAccessibility(t *testing.T) {
	axePath := os.Getenv("CONFORM_AXE_JS")
	if axePath == "" {
		skipOrFail(t, "CONFORM_AXE_JS is not set; install axe-core (npm install axe-core@4) and set CONFORM_AXE_JS to node_modules/axe-core/axe.min.js")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	s := newDemoSite(t)
	b := newTab(t, s.url)
	ids := someIDs(t, s)

	check := func(name string, load func(b *tab)) {
		t.Run(name, func(t *testing.T) {
			b := b.in(t)
			load(b)
			report := func(scheme string, vs []violation) {
				for _, v := range vs {
					t.Errorf("%s scheme: %s (%s): %s\n\t%s\n\tat %s", scheme, v.ID, v.Impact, v.Help, v.HelpURL, strings.Join(v.Nodes, "\n\tat "))
				}
			}
			report("light", axeRun(b, string(axe)))
			// Pico follows the system's dark scheme; only colours change.
			b.colorScheme("dark")
			defer b.colorScheme("light")
			report("dark", axeRun(b, string(axe), "color-contrast"))
		})
	}
	page := func(path string) func(b *tab) { return func(b *tab) { b.mustOpen(path) } }

	check("login", page("/login"))
	check("login with error", func(b *tab) { b.signIn(demo.AdminEmail, "wrong password") })
	if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	check("home", page("/"))
	check("users", page("/users"))
	check("user", page(fmt.Sprintf("/users/%d", ids.user)))
	check("user form", page("/users/new"))
	check("user form with errors", func(b *tab) {
		b.mustOpen("/users/new")
		b.follow(`main form .form-actions button[type=submit]`)
	})
	check("user edit", page(fmt.Sprintf("/users/%d/edit", ids.user)))
	check("teams", page("/teams"))
	check("team", page(fmt.Sprintf("/teams/%d", ids.team)))
	check("team form", page("/teams/new"))
	check("organisations", page("/organisations"))
	check("organisation", page(fmt.Sprintf("/organisations/%d", ids.org)))
	check("organisation form", page(fmt.Sprintf("/organisations/%d/edit", ids.org)))
	check("tokens", page("/tokens"))
	check("token created", func(b *tab) {
		b.mustOpen("/tokens")
		b.fill("#token-name", "a11y")
		b.follow(`form[action="/tokens"] button[type=submit]`)
	})
	check("audit", page("/audit"))
	check("audit entry", page("/audit/1"))
	check("audit verify", page("/audit/verify"))
	check("security events", page("/audit/security"))
	check("account", page("/account"))
	check("user history", page(fmt.Sprintf("/users/%d?tab=history", ids.user)))
	check("team history", page(fmt.Sprintf("/teams/%d?tab=history", ids.team)))
	check("organisation new", page("/organisations/new"))
	check("components", page("/dev/components"))
	check("frameworks", page("/frameworks"))
	fw, req := builtInIDs(t, s, "8.6.1")
	check("framework", page(fmt.Sprintf("/frameworks/%d", fw)))
	check("requirement", page(fmt.Sprintf("/requirements/%d", req)))
	check("actions", page("/actions"))
	check("action", page(fmt.Sprintf("/actions/%d", someAction(t, s))))
	check("action form", page("/actions/new"))
	check("actions timeline", page("/actions/timeline"))
	policy, policyVersion, draftVersion := someDocument(t, s)
	check("documents", page("/documents"))
	check("document", page(fmt.Sprintf("/documents/%d", policy.ID)))
	check("document form", page(fmt.Sprintf("/documents/%d/edit", policy.ID)))
	check("document version", page(fmt.Sprintf("/document-versions/%d", policyVersion)))
	check("document version form", page(fmt.Sprintf("/document-versions/%d/edit", draftVersion)))
	check("document checklist", page("/document-checklist"))
	check("document reading", page("/documents/reading"))
	check("action form with errors", func(b *tab) {
		b.mustOpen("/actions/new")
		b.follow(`main form .form-actions button[type=submit]`)
	})
	asm, res := someAssessment(t, s)
	check("assessments", page("/assessments"))
	check("assessment", page(fmt.Sprintf("/assessments/%d", asm.ID)))
	check("assessment form", page("/assessments/new"))
	check("assessment result", page(fmt.Sprintf("/assessment-results/%d", res)))
	check("assessment result form", page(fmt.Sprintf("/assessment-results/%d/edit", res)))
	check("assessment questionnaire", page(fmt.Sprintf("/assessments/%d/work?clause=8.6.1", asm.ID)))
	check("assessment comparison", page(fmt.Sprintf("/assessments/%d/compare?show=all", asm.ID)))
	sc := someScopeRecords(t, s)
	check("scopes", page("/scopes"))
	check("scope draft", page(fmt.Sprintf("/scopes/%d", sc.draft)))
	check("scope form", page(fmt.Sprintf("/scopes/%d/edit", sc.draft)))
	check("service form", page("/services/new"))
	check("context issues", page("/context-issues"))
	check("context issue form", page("/context-issues/new"))
	check("interested party form", page(fmt.Sprintf("/interested-parties/%d/edit", sc.party)))
	check("communications", page("/communications"))
	for _, pg := range processPages(t, s) {
		check(pg.name, page(pg.path))
	}
	for _, pg := range riskPages(t, s) {
		check(pg.name, page(pg.path))
	}
	for _, pg := range nonconformityPages(t, s) {
		check(pg.name, page(pg.path))
	}
	check("journey", page("/journey"))
	check("stage 1 readiness", page("/readiness"))
	check("dashboard", page("/dashboard"))
	for _, pg := range reviewPages(t, s) {
		check(pg.name, page(pg.path))
	}
	for _, pg := range certificationPages(t, s) {
		check(pg.name, page(pg.path))
	}
	for _, pg := range auditPages(t, s) {
		check(pg.name, page(pg.path))
	}
	check("jump", page("/jump?q=service"))
	check("not found", func(b *tab) { b.open("/users/999999") })
}

// violation is one axe-core rule broken on a page.
type violation struct {
	ID, Impact, Help, HelpURL string
	Nodes                     []string
}

// axeRun runs axe-core on the page (only the given rules, if any) and
// returns its serious and critical violations.
func axeRun(b *tab, axe string, rules ...string) []violation {
	b.t.Helper()
	opts := `{resultTypes: ["violations"]}`
	if len(rules) > 0 {
		opts = `{resultTypes: ["violations"], runOnly: {type: "rule", values: ` + jsList(rules) + `}}`
	}
	if !eval[bool](b, "typeof window.axe === 'object'") {
		run(b, "load axe-core", chromedp.Evaluate[chromedp.Void](axe))
	}
	type result struct {
		Passes     int
		Violations []violation
	}
	r := run(b, "run axe-core", chromedp.Evaluate[result](`axe.run(document, `+opts+`).then(r => ({
		Passes: r.passes.length,
		Violations: r.violations
			.filter(v => v.impact === "serious" || v.impact === "critical")
			.map(v => ({ID: v.id, Impact: v.impact, Help: v.help, HelpURL: v.helpUrl,
				Nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))})),
	}))`, chromedp.EvalAwaitPromise))
	if r.Passes == 0 {
		b.t.Fatalf("axe-core checked nothing on %s", b.location())
	}
	return r.Violations
}

// ids names one record of each kind in the demo data.
type ids struct{ user, team, org int64 }

func someIDs(t *testing.T, s *site) ids {
	t.Helper()
	ctx := context.Background()
	us, _, err := s.app.ListUsers(ctx, access.CLI, store.UserFilter{Query: "sam.patel"})
	if err != nil || len(us) != 1 {
		t.Fatalf("find demo user: %v %v", us, err)
	}
	ts, _, err := s.app.ListTeams(ctx, access.CLI, store.TeamFilter{Limit: 1})
	if err != nil || len(ts) != 1 {
		t.Fatalf("find demo team: %v %v", ts, err)
	}
	orgs, _, err := s.app.ListOrganisations(ctx, access.CLI, store.OrganisationFilter{Kind: "customer", Limit: 1})
	if err != nil || len(orgs) != 1 {
		t.Fatalf("find demo organisation: %v %v", orgs, err)
	}
	return ids{user: us[0].ID, team: ts[0].ID, org: orgs[0].ID}
}

// The jump box: "/" from anywhere puts the cursor in it, typing finds a
// team by name, and its link opens the team.
func TestJumpBox(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	b.mustOpen("/users")
	b.press("/")
	if got := b.focused(); got != "input#jump" {
		t.Fatalf("after pressing /: focus on %s, want the jump box", got)
	}
	b.fill("#jump", "service desk")
	run(b, "wait for the results", chromedp.Poll[bool](`document.querySelectorAll("#jump-results a[href^='/teams/']").length > 0`))
	if got := b.follow(`#jump-results a[href^="/teams/"]`); got != http.StatusOK {
		t.Fatalf("open the team found: got status %d, want 200", got)
	}
	if got := b.text("h1"); got != "Service desk" {
		t.Errorf("after jumping: page %q, want the Service desk team", got)
	}
}

// "?" shows the keyboard shortcuts from any page, Escape closes them; a
// team is deleted only through the dialog that names it, and Cancel in it
// deletes nothing.
func TestShortcutsAndConfirmedDelete(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	ids := someIDs(t, s)
	b.mustOpen(fmt.Sprintf("/teams/%d", ids.team))
	b.press("?")
	run(b, "wait for the shortcuts", chromedp.WaitVisible(chromedp.CSS(`#shortcuts-dialog`)))
	if got := b.text("#shortcuts-title"); got != "Keyboard shortcuts" {
		t.Errorf("shortcut help: title %q", got)
	}
	b.press(kb.Escape)
	if eval[bool](b, `document.getElementById("shortcuts-dialog").open`) {
		t.Errorf("Escape left the shortcut help open")
	}

	name := b.text("h1")
	run(b, "open the menu", chromedp.Click(chromedp.CSS(`.page-header [aria-label="More actions"]`)))
	run(b, "ask to delete", chromedp.Click(chromedp.CSS(`.action-menu button[type=submit]`)))
	run(b, "wait for the dialog", chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog`)))
	if got, want := b.text("#confirm-title"), "Delete team "+name+"?"; got != want {
		t.Errorf("confirm dialog: %q, want %q", got, want)
	}
	run(b, "cancel", chromedp.Click(chromedp.CSS(`#confirm-dialog button[value=cancel]`)))
	if got := b.location().Path; got != fmt.Sprintf("/teams/%d", ids.team) {
		t.Fatalf("after Cancel: on %s, want still the team's page", got)
	}
	if _, err := s.app.GetTeam(context.Background(), access.CLI, ids.team); err != nil {
		t.Fatalf("Cancel deleted the team: %v", err)
	}
	run(b, "ask again", chromedp.Click(chromedp.CSS(`.page-header [aria-label="More actions"]`)))
	run(b, "ask to delete", chromedp.Click(chromedp.CSS(`.action-menu button[type=submit]`)))
	if got := b.follow(`#confirm-dialog button[value=confirm]`); got != http.StatusOK {
		t.Fatalf("delete: got status %d, want 200", got)
	}
	if got := b.location().Path; got != "/teams" {
		t.Errorf("after deleting: on %s, want the teams list", got)
	}
	if _, err := s.app.GetTeam(context.Background(), access.CLI, ids.team); err == nil {
		t.Errorf("the team is still there after confirming")
	}
}

// The audit trail is filtered by a person found by name, not by number.
func TestAuditFilterByUserName(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	b.mustOpen("/audit?show=all")
	b.fill("#f-actor_id-q", "alex")
	run(b, "wait for the people found", chromedp.Poll[bool](`[...document.querySelectorAll("#f-actor_id option")].some(o => o.textContent.includes("Alex Morgan"))`))
	value := eval[string](b, `[...document.querySelectorAll("#f-actor_id option")].find(o => o.textContent.includes("Alex Morgan")).value`)
	b.choose("#f-actor_id", value)
	if got := b.follow(`form[action="/audit"] button[type=submit]:not([name])`); got != http.StatusOK {
		t.Fatalf("filter: got status %d, want 200", got)
	}
	whos := eval[[]string](b, `[...document.querySelectorAll("main table tbody td[data-label=Who]")].map(td => td.textContent.trim())`)
	if len(whos) == 0 {
		t.Fatalf("filtered by Alex Morgan: no entries")
	}
	for _, w := range whos {
		if !strings.HasPrefix(w, "Alex Morgan") {
			t.Errorf("filtered by Alex Morgan: an entry by %q", w)
		}
	}
}

// An action for a gap: the requirement is found by typing part of its
// title, and the action's page links to it.
func TestCreateActionForAGap(t *testing.T) {
	s := newDemoSite(t)
	b := newTab(t, s.url)
	if got := b.signIn(demo.AdminEmail, demo.Password); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	b.mustOpen("/actions/new")
	b.fill("#f-title", "Write the major incident procedure")
	b.choose("#f-source", "gap")
	b.fill("#f-source_gap-q", "incident man")
	run(b, "wait for the requirements found", chromedp.Poll[bool](`[...document.querySelectorAll("#f-source_gap option")].some(o => o.textContent.includes("Incident management"))`))
	value := eval[string](b, `[...document.querySelectorAll("#f-source_gap option")].find(o => o.textContent.includes("Incident management")).value`)
	b.choose("#f-source_gap", value)
	if got := b.follow(`main form .form-actions button[type=submit]`); got != http.StatusOK {
		t.Fatalf("create: got status %d, want 200", got)
	}
	if got := b.text("h1"); got != "Write the major incident procedure" {
		t.Errorf("after creating: heading %q", got)
	}
	if got := b.text(`.record-fields a[href^="/requirements/"]`); !strings.Contains(got, "Incident management") {
		t.Errorf("the action's requirement: %q, want a link to Incident management", got)
	}
}
