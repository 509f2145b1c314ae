package browser

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// A reader's language: the browser's on the sign-in page, then the one
// they choose on their account page, in the shell and the pages, with
// times in their time zone.
func TestLanguage(t *testing.T) {
	s := newAdminSite(t)
	b := newTab(t, s.url)
	acceptLanguage(b, "de-DE,de;q=0.9,en;q=0.5")
	b.mustOpen("/login")
	if got := b.text("h1"); got != "Bei Conform anmelden" {
		t.Errorf("sign-in page for a German browser: heading %q, want it in German", got)
	}
	if got, _ := b.attr("html", "lang"); got != "de" {
		t.Errorf("sign-in page for a German browser: lang=%q, want de", got)
	}
	acceptLanguage(b, "en-GB,en;q=0.9")
	if got := b.signIn(adminEmail, adminPassword); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	b.mustOpen("/account")
	b.choose("#pref-language", "de")
	b.fill("#pref-tz", "Europe/Berlin")
	if got := b.follow(`form[action="/account/preferences"] button[type=submit]`); got != http.StatusOK {
		t.Fatalf("save preferences: got status %d, want 200", got)
	}
	if got := b.text("h1"); got != "Ihr Konto" {
		t.Errorf("account page after choosing German: heading %q, want Ihr Konto", got)
	}
	if got := b.text(`#sidebar-menu a[href="/users"]`); got != "Benutzer" {
		t.Errorf("navigation after choosing German: Users reads %q, want Benutzer", got)
	}
	if got := b.text("footer"); !strings.Contains(got, "Zeiten in Europe/Berlin") {
		t.Errorf("footer: %q, want it to say times are in Europe/Berlin", got)
	}
	b.mustOpen("/teams/new")
	if got := b.text("h1"); got != "Neues Team" {
		t.Errorf("new team page: heading %q, want Neues Team", got)
	}
}

// The colour scheme chosen in the user's menu stays with the user: on
// the next page, and after signing in again in another browser.
func TestColourSchemeIsRemembered(t *testing.T) {
	s := newAdminSite(t)
	b := newTab(t, s.url)
	if got := b.signIn(adminEmail, adminPassword); got != http.StatusOK {
		t.Fatalf("sign in: got status %d, want 200", got)
	}
	b.colorScheme("light")
	b.mustOpen("/users")
	if got, _ := b.attr("html", "data-bs-theme"); got != "light" {
		t.Fatalf("before choosing: data-bs-theme=%q, want light (the system's)", got)
	}
	run(b, "open the user menu", chromedp.Click(chromedp.CSS(`.user-menu`)))
	run(b, "wait for the menu", chromedp.WaitVisible(chromedp.CSS(`.theme-choice button[value=dark]`)))
	if got := b.follow(`.theme-choice button[value=dark]`); got != http.StatusOK {
		t.Fatalf("choose dark: got status %d, want 200", got)
	}
	if got := b.location().Path; got != "/users" {
		t.Errorf("after choosing: page %s, want to stay on /users", got)
	}
	for _, path := range []string{"/users", "/teams"} {
		b.mustOpen(path)
		if got, _ := b.attr("html", "data-bs-theme"); got != "dark" {
			t.Errorf("%s after choosing dark in a light system: data-bs-theme=%q, want dark", path, got)
		}
	}
	other := newTab(t, s.url)
	other.colorScheme("light")
	if got := other.signIn(adminEmail, adminPassword); got != http.StatusOK {
		t.Fatalf("sign in again: got status %d, want 200", got)
	}
	if got, _ := other.attr("html", "data-bs-theme"); got != "dark" {
		t.Errorf("another browser after signing in: data-bs-theme=%q, want dark, as chosen", got)
	}
}

// acceptLanguage makes the browser ask for languages in that order.
func acceptLanguage(b *tab, langs string) {
	b.t.Helper()
	run(b, "ask for "+langs, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": langs}})
		return err
	}))
}
